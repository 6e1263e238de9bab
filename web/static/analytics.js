/* Draws each analytics chart from its JSON data block with Chart.js (served from node_modules). */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var COLORS = ["#0b5cad", "#1e6b32", "#e0a100", "#b3261e", "#6b4fbb", "#00838f", "#8d6e63", "#546e7a"];
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  Chart.defaults.locale = "ru-RU";

  function options(spec) {
    var opts = { responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "doughnut" } } };
    if (spec.type === "doughnut") { return opts; }
    opts.indexAxis = spec.horizontal ? "y" : "x";
    var value = spec.horizontal ? "x" : "y";
    opts.scales = {};
    opts.scales[value] = { beginAtZero: true };
    if (spec.max) { opts.scales[value].max = spec.max; }
    if (spec.datasets.some(function (d) { return d.yAxisID === "share"; })) {
      opts.scales.share = { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false } };
    }
    return opts;
  }

  document.querySelectorAll("canvas.chart").forEach(function (canvas) {
    var block = document.getElementById(canvas.getAttribute("data-chart"));
    if (!block) { return; }
    var spec = JSON.parse(block.textContent);
    spec.datasets.forEach(function (d, i) {
      var color = spec.type === "doughnut" ? COLORS.slice(0, spec.labels.length) : COLORS[i % COLORS.length];
      d.backgroundColor = color;
      d.borderColor = color;
    });
    if (spec.horizontal) { canvas.parentNode.style.height = Math.max(160, 26 * spec.labels.length + 60) + "px"; }
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options(spec) });
  });
})();
