// Draws a project's monthly investment (bars) and this year's cumulative against the
// time-progress line of the annual plan. Data comes from the page's json_script element.
(function () {
  const source = document.getElementById("chart-data");
  const target = document.getElementById("progress-chart");
  if (!source || !target || typeof Plotly === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.months.length) { target.textContent = "本年尚无月度进展数据。"; return; }
  const traces = [
    { type: "bar", name: "本月完成（万元）", x: data.months, y: data.invested_month, marker: { color: "#90caf9" } },
    { type: "scatter", mode: "lines+markers", name: "本年累计（万元）", x: data.months, y: data.invested_ytd,
      line: { color: "#1565c0", width: 3 } },
  ];
  if (data.expected.length) {
    traces.push({ type: "scatter", mode: "lines", name: "按时序进度应完成（万元）", x: data.months,
      y: data.expected, line: { color: "#c62828", dash: "dash" } });
  }
  Plotly.newPlot(target, traces, {
    margin: { t: 20, r: 10, b: 40, l: 60 }, legend: { orientation: "h" },
    font: { family: "system-ui, 'Microsoft YaHei', sans-serif" },
  }, { displaylogo: false, responsive: true });
})();
