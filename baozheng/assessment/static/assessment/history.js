// A unit's rank over the published runs: place 1 at the top (reversed axis).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  var target = document.getElementById("rank-chart");
  if (!source || !target || !window.Plotly) { return; }
  var data = JSON.parse(source.textContent);
  window.Plotly.newPlot(target, [{ x: data.periods, y: data.ranks, mode: "lines+markers", name: "名次" }], {
    yaxis: { autorange: "reversed", title: "名次", dtick: 1 }, margin: { t: 20, r: 20 }, height: 280
  }, { displayModeBar: false, responsive: true });
});
