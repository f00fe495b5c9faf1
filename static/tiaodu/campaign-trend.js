/* A campaign's page: each target's overall value day by day (as the daily round recorded
   it) against its threshold. The figures and texts come from the page (json_script); rates
   are two-place percentage strings, counts whole numbers. */
(function () {
  "use strict";
  const holder = document.getElementById("campaign-trend");
  const source = document.getElementById("campaign-trend-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const language = document.documentElement.lang || undefined;
  const day = function (value) {
    return new Date(value).toLocaleDateString(language, { month: "numeric", day: "numeric" });
  };
  const series = [];
  data.series.forEach(function (item) {
    series.push({
      name: item.name, type: "line", symbolSize: 5,
      yAxisIndex: item.count ? 1 : 0,
      data: item.points.map(function (point) { return [point[0], Number(point[1])]; }),
      markLine: {
        silent: true, symbol: "none", lineStyle: { type: "dashed" },
        label: { position: "insideEndTop", formatter: data.labels.threshold + " " + item.threshold },
        data: [{ yAxis: Number(item.threshold) }]
      }
    });
  });
  const counts = data.series.some(function (item) { return item.count; });
  const chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, left: "center", itemGap: 12 },
    grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: "time", min: data.start, max: data.end, axisLabel: { formatter: day, hideOverlap: true } },
    yAxis: counts
      ? [{ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }, { type: "value", min: 0 }]
      : [{ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
