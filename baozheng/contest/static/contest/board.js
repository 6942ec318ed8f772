// Live leaderboard: the server pushes the rendered board over Server-Sent Events
// whenever the venue's scores change; EventSource reconnects by itself.
document.addEventListener("DOMContentLoaded", function () {
  var board = document.getElementById("board");
  var state = document.querySelector("[data-live-state]");
  if (!board || !window.EventSource) { return; }
  var source = new EventSource(board.getAttribute("data-events-url"));
  function show(text, cls) { if (state) { state.textContent = text; state.className = "live-state " + cls; } }
  source.addEventListener("open", function () { show("实时更新中", "on"); });
  source.addEventListener("error", function () { show("连接中断，正在重连…", "off"); });
  source.addEventListener("board", function (event) {
    var data = JSON.parse(event.data);
    board.innerHTML = data.html;
    board.setAttribute("data-version", data.version);
    show("实时更新中", "on");
  });
});
