/* Charts of the statistics pages, drawn with the vendored ECharts.
   The page carries its data in <script type="application/json" id="chart-data"> and one
   <div data-chart="name"> per chart; ECharts is loaded only on pages that have charts. */
(function () {
  "use strict";
  var self = document.currentScript;
  var echartsUrl = self && self.dataset.echarts;
  var loading = null;
  var palette = ["#b3261e", "#0b5cad", "#2e7d32", "#a86b00", "#6a1b9a", "#00796b"];

  function loadEcharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = echartsUrl;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function option(spec) {
    if (spec.kind === "pie") {
      var series = spec.series[0];
      return {
        color: palette,
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: series.name, type: "pie", radius: ["35%", "65%"],
          data: spec.categories.map(function (c, i) { return { name: c, value: series.data[i] }; })
            .filter(function (d) { return d.value; })
        }]
      };
    }
    if (spec.kind === "hbar") {
      return {
        color: palette,
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, bottom: 8, top: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: spec.categories, inverse: true },
        series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
      };
    }
    var long = spec.categories.length > 6 || spec.categories.some(function (c) { return c.length > 6; });
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: long ? 30 : 0, width: 110, overflow: "truncate" } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    };
  }

  function draw() {
    var holders = document.querySelectorAll("[data-chart]");
    var source = document.getElementById("chart-data");
    if (!holders.length || !source) return;
    var data = JSON.parse(source.textContent);
    loadEcharts().then(function (echarts) {
      holders.forEach(function (el) {
        var spec = data[el.dataset.chart];
        if (!spec) return;
        var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(option(spec), true);
        el.dataset.drawn = "true";
      });
    });
  }

  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
