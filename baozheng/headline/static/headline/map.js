// Draws the county map of <div data-map="ID"> from the JSON in <script id="ID">.
// The base-map topojson plotly.js asks for comes from this server (an empty topology):
// the map is the outlines themselves, never tiles or files from elsewhere.
// A tap shows the figure (no hover needed on a phone); a tap on the same unit again, or a
// click with a mouse, opens the unit's page.
(function () {
  "use strict";
  function draw(el, figure) {
    var config = {
      displaylogo: false, responsive: true, locale: "zh-CN", scrollZoom: false,
      displayModeBar: false, topojsonURL: el.getAttribute("data-topojson")
    };
    return window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      var last = null;
      el.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) { return; }
        var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
        if (!touch || last === point.location) { window.location.href = point.customdata; }
        last = point.location;
      });
      el.setAttribute("data-drawn", "1");
    });
  }
  window.BaozhengMap = { draw: draw };
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-map]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-map"));
      if (source) { draw(el, JSON.parse(source.textContent)); }
    });
  });
})();
