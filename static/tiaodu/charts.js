/* The dashboard's charts. Each element with data-chart="ID" is drawn from the JSON in the
   script element of that id (analytics.dashboard): a kind (line, bar, funnel), categories,
   series of values with, for each value, the link to what it counts. A click on a bar,
   a point or a funnel stage opens its link. Options: horizontal and stacked bars, a
   series' colour, a dashed line, an area under a line, a marked value (time progress).
   The same file draws the big screen's charts: dark (data-theme="dark" on <body>), in
   larger type (data-screen), without links (data-links="off"), each filling its holder
   (data-chart-fit); the screen draws its panels again after each refresh through
   window.tiaoduCharts (draw and dispose under an element). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  const dark = document.body.dataset.theme === "dark";
  const text = dark ? "#c8d3e6" : "#49566c";
  const big = document.body.dataset.screen !== undefined;
  const links = document.body.dataset.links !== "off";

  function series(spec) {
    if (spec.kind === "funnel") {
      const s = spec.series[0];
      return [{
        name: s.name, type: "funnel", sort: "none", minSize: "12%", gap: 2, left: "8%", width: "70%",
        label: { show: true, position: "right", color: text, formatter: "{b}  {c}" },
        data: spec.categories.map(function (label, i) {
          return { name: label, value: s.values[i], link: (s.links || [])[i] };
        })
      }];
    }
    return spec.series.map(function (s) {
      const item = {
        name: s.name, type: spec.kind, data: s.values.map(function (value, i) {
          return { value: value === null ? "-" : value, link: (s.links || [])[i] };
        }),
        cursor: s.links ? "pointer" : "default"
      };
      if (s.colour) item.itemStyle = { color: s.colour };
      if (spec.stacked) item.stack = "all";
      if (spec.kind === "line") {
        item.symbolSize = 7;
        if (s.dashed) item.lineStyle = { type: "dashed" };
        if (s.area) item.areaStyle = { opacity: 0.12 };
      }
      if (spec.kind === "bar") {
        item.barMaxWidth = 28;
        item.label = { show: true, position: spec.horizontal ? "right" : "top", color: text, fontSize: 11 };
      }
      return item;
    });
  }

  function option(spec) {
    const items = series(spec);
    if (spec.mark && items.length) {
      items[0].markLine = {
        silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#d63939" },
        label: { formatter: spec.mark.name + " " + spec.mark.value + "%", color: "#d63939" },
        data: [spec.horizontal ? { xAxis: spec.mark.value } : { yAxis: spec.mark.value }]
      };
    }
    const result = {
      animation: false,
      textStyle: { color: text },
      tooltip: { trigger: spec.kind === "funnel" ? "item" : "axis", confine: true },
      legend: spec.series.length > 1 ? { top: 0, textStyle: { color: text } } : undefined,
      series: items
    };
    if (spec.kind !== "funnel") {
      const categories = { type: "category", data: spec.categories, axisLabel: { color: text, hideOverlap: true } };
      const values = { type: "value", axisLabel: { color: text }, splitLine: { lineStyle: { color: dark ? "#2b3a55" : "#e6e7e9" } } };
      if (spec.unit === "%") values.axisLabel.formatter = "{value}%";
      // The marked value (time progress) stays inside the axis.
      if (spec.mark) values.max = function (extent) { return Math.ceil(Math.max(extent.max, spec.mark.value) / 10) * 10; };
      result.grid = { left: 8, right: spec.horizontal ? 48 : 16, top: spec.series.length > 1 || spec.mark ? 32 : 12, bottom: 8, containLabel: true };
      result.xAxis = spec.horizontal ? values : categories;
      result.yAxis = spec.horizontal ? categories : values;
    }
    return result;
  }

  // The wall is read from across a room: every text of the chart larger.
  function forScreen(result, spec) {
    const size = 16;
    result.textStyle.fontSize = size;
    if (result.legend) result.legend.textStyle.fontSize = size;
    [result.xAxis, result.yAxis].forEach(function (axis) {
      if (axis && axis.axisLabel) axis.axisLabel.fontSize = size;
    });
    // Room above the plot for the legend and the marked value's label.
    if (result.grid && (result.legend || result.series.some(function (item) { return item.markLine; }))) {
      result.grid.top = 40;
    }
    // Every category named, slanted where a column chart has many.
    const categories = result.xAxis && result.xAxis.type === "category" ? result.xAxis : null;
    if (categories && spec.kind === "bar" && categories.data.length > 6) {
      categories.axisLabel.interval = 0;
      categories.axisLabel.rotate = 30;
    }
    result.series.forEach(function (item) {
      if (item.label) item.label.fontSize = size - 1;
      if (item.barMaxWidth) item.barMaxWidth = 36;
      if (item.markLine) item.markLine.label.fontSize = size;
    });
    // The marked value (time progress) inside the value axis, even above every bar.
    const values = spec.horizontal ? result.xAxis : result.yAxis;
    if (spec.mark && values && values.max === undefined) {
      values.max = function (extent) { return Math.ceil(Math.max(extent.max, spec.mark.value) / 10) * 10; };
    }
    // Bars short of the marked value (time progress) in amber, as the tables mark them.
    if (spec.mark && spec.kind === "bar" && result.series.length) {
      result.series[0].data.forEach(function (point) {
        if (point.value < spec.mark.value) point.itemStyle = { color: "#f59f00" };
      });
    }
    return result;
  }

  let charts = [];

  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (holder) {
      const source = document.getElementById(holder.dataset.chart);
      if (!source) return;
      const spec = JSON.parse(source.textContent);
      if (spec.horizontal && holder.dataset.chartFit === undefined) {
        holder.style.height = Math.max(240, spec.categories.length * 30 + 40) + "px";
      }
      if (holder.tiaoduChart) holder.tiaoduChart.dispose();
      const chart = echarts.init(holder, null, { renderer: "canvas" });
      chart.setOption(big ? forScreen(option(spec), spec) : option(spec));
      if (links) {
        chart.on("click", function (params) {
          const link = params.data && params.data.link;
          if (link) window.location.href = link;
        });
      }
      holder.tiaoduChart = chart;
      charts.push(chart);
    });
  }

  function dispose(root) {
    root.querySelectorAll("[data-chart]").forEach(function (holder) {
      const chart = holder.tiaoduChart;
      if (!chart) return;
      charts = charts.filter(function (other) { return other !== chart; });
      chart.dispose();
      holder.tiaoduChart = null;
    });
  }

  draw(document);
  window.tiaoduCharts = { draw: draw, dispose: dispose };
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
