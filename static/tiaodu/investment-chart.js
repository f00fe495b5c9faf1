/* The project page's chart: the plan year's cumulative completed investment against the
   annual plan and the time progress. The figures and the texts come from the page
   (json_script), computed on the server; amounts are decimal strings in 万元. */
(function () {
  "use strict";
  const holder = document.getElementById("investment-chart");
  const source = document.getElementById("investment-chart-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const points = function (series) {
    return series.map(function (point) { return [point[0], Number(point[1])]; });
  };
  const first = data.year + "-01-01";
  const last = data.year + "-12-31";
  const plan = Number(data.annual_plan);
  const money = function (value) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      + " " + labels.unit;
  };
  // Month names in the page's language (1月 or Jan), from the browser's own calendar data.
  const language = document.documentElement.lang || undefined;
  const month = function (value) {
    return new Date(value).toLocaleDateString(language, { month: "short" });
  };
  // A phone's width wraps the legend onto two lines: leave it the room.
  const gridTop = function () { return holder.clientWidth < 480 ? 72 : 48; };
  const chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: ["#1d4e89", "#c8102e", "#f59f00"],
    tooltip: { trigger: "axis", valueFormatter: money },
    legend: { top: 0, left: "center", itemGap: 12 },
    grid: { left: 8, right: 24, top: gridTop(), bottom: 8, containLabel: true },
    xAxis: {
      type: "time", min: first, max: last,
      axisLabel: { formatter: month, hideOverlap: true },
      splitLine: { show: false }
    },
    yAxis: { type: "value", name: labels.unit, min: 0, nameTextStyle: { align: "left" } },
    series: [
      {
        name: labels.cumulative, type: "line", data: points(data.cumulative),
        symbolSize: 8, lineStyle: { width: 3 }, areaStyle: { opacity: 0.12 },
        endLabel: { show: true, formatter: function (p) { return Number(p.value[1]).toFixed(2); } }
      },
      {
        name: labels.plan, type: "line", data: [[first, plan], [last, plan]],
        symbol: "none", lineStyle: { width: 2, type: "solid" }
      },
      {
        name: labels.time_progress, type: "line", data: points(data.time_progress),
        symbol: "circle", symbolSize: 4, lineStyle: { width: 2, type: "dashed" }
      }
    ]
  });
  window.addEventListener("resize", function () {
    chart.setOption({ grid: { top: gridTop() } });
    chart.resize();
  });
})();
