// Draws the report's charts from the JSON the page carries (#report-chart-data).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("report-chart-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var variants = document.getElementById("report-chart-variants");
    if (variants) {
      new window.Chart(variants, {
        type: "bar",
        data: {
          labels: data.variants.labels,
          datasets: [
            { label: data.variants.pairsLabel, data: data.variants.pairs },
            { label: data.variants.groupsLabel, data: data.variants.groups }
          ]
        },
        options: { indexAxis: "y", responsive: true, scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } }
      });
    }
    var coverage = document.getElementById("report-chart-coverage");
    if (coverage) {
      new window.Chart(coverage, {
        type: "bar",
        data: {
          labels: data.coverage.labels,
          datasets: [
            { label: data.coverage.label, data: data.coverage.values },
            { label: data.coverage.targetLabel, data: data.coverage.labels.map(function () { return data.coverage.target; }) }
          ]
        },
        options: { responsive: true, scales: { y: { beginAtZero: true, max: 100 } } }
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
