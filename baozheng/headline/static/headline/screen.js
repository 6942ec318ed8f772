// The big screen: one slide per headline indicator, rotating on a timer; charts are drawn
// the first time their slide shows (plotly needs a visible box to size itself). Every
// minute the screen asks whether a newer release exists and reloads itself if so.
(function () {
  "use strict";
  var source = document.getElementById("screen-config");
  if (!source) { return; }
  var config = JSON.parse(source.textContent);
  var slides = document.querySelectorAll("[data-slide]");
  var tabs = document.querySelectorAll("[data-slide-tab]");
  var topojson = document.querySelector("[data-topojson]").getAttribute("data-topojson");
  var drawn = {};
  var current = 0;

  function drawSlide(i) {
    if (drawn[i] || !window.Plotly) { return; }
    drawn[i] = true;
    var spec = config.slides[i] || {};
    var map = document.querySelector('[data-slide-map="' + i + '"]');
    var bars = document.querySelector('[data-slide-bars="' + i + '"]');
    if (spec.map && map) {
      map.setAttribute("data-topojson", topojson);
      window.BaozhengMap.draw(map, spec.map);
    }
    if (spec.bars && bars) {
      window.Plotly.newPlot(bars, spec.bars.data, spec.bars.layout,
        { displayModeBar: false, staticPlot: true, responsive: true });
    }
  }
  function show(i) {
    slides.forEach(function (el, n) { el.hidden = n !== i; });
    tabs.forEach(function (el, n) { el.classList.toggle("current", n === i); });
    document.body.setAttribute("data-current", String(i));
    drawSlide(i);
  }
  show(0);
  if (slides.length > 1) {
    window.setInterval(function () { current = (current + 1) % slides.length; show(current); }, config.rotate);
  }
  window.setInterval(function () {
    fetch(config.versionUrl, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (answer && answer.version !== config.version) { window.location.reload(); }
      })
      .catch(function () { /* the network is down: keep showing, try again next minute */ });
  }, 60000);
})();
