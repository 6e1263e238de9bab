/* The inbox refreshes its rows every 15 seconds without reloading; filters apply on change. */
(function () {
  "use strict";
  var table = document.getElementById("inbox");
  var body = document.getElementById("inbox-rows");
  var count = document.getElementById("inbox-count");
  var stamp = document.getElementById("inbox-refreshed");
  var filters = document.getElementById("inbox-filters");
  var PERIOD = 15000;

  filters.addEventListener("change", function () { filters.requestSubmit(); });

  function refresh() {
    if (document.visibilityState !== "visible" || body.contains(document.activeElement)) { return; }
    fetch(table.getAttribute("data-live"), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.redirected) { window.location.reload(); throw new Error("signed out"); } /* to the login page */
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      })
      .then(function (data) {
        if (body.contains(document.activeElement)) { return; }
        body.innerHTML = data.html; /* server-rendered, escaped by Jinja */
        count.textContent = String(data.count);
        stamp.textContent = "Обновлено " + new Date().toLocaleTimeString("ru-RU") +
          (data.overdue ? " · просрочено: " + data.overdue : "");
      })
      .catch(function () { stamp.textContent = "Нет связи с сервером, повторим через 15 с"; });
  }
  setInterval(refresh, PERIOD);
  document.addEventListener("visibilitychange", refresh);
})();
