// Draws every <div data-chart="ID"> with plotly.js from the JSON in <script id="ID">
// (written by Django's json_script, so the page needs no inline script).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var layout = Object.assign({ autosize: true, paper_bgcolor: "#fff", plot_bgcolor: "#fff" }, figure.layout);
    window.Plotly.newPlot(el, figure.data, layout, {
      displaylogo: false, responsive: true, locale: "zh-CN",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "toggleSpikelines"]
    }).then(function () { el.setAttribute("data-drawn", "1"); });
  });
});
