/* The operations board refreshes its panels without reloading (every data-refresh seconds, and on return to the tab). */
(function () {
  "use strict";
  var board = document.getElementById("board");
  var stamp = document.getElementById("board-refreshed");
  if (!board) { return; }
  var period = (parseInt(board.getAttribute("data-refresh"), 10) || 20) * 1000;

  function refresh() {
    if (document.visibilityState !== "visible") { return; }
    fetch(board.getAttribute("data-live"), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.redirected) { window.location.reload(); throw new Error("signed out"); }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      })
      .then(function (data) {
        board.innerHTML = data.html; /* server-rendered, escaped by Jinja */
        board.setAttribute("data-refreshed-at", data.refreshed_at);
        stamp.textContent = "Обновлено в " + new Date().toLocaleTimeString("ru-RU");
      })
      .catch(function () { stamp.textContent = "Нет связи с сервером, повторим автоматически"; });
  }
  setInterval(refresh, period);
  document.addEventListener("visibilitychange", refresh);
})();
