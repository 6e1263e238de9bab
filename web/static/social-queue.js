/* The moderation queue refreshes its rows by itself (new posts after «Опросить сейчас», posts others took). */
(function () {
  "use strict";
  var table = document.getElementById("social-queue");
  var body = document.getElementById("social-queue-rows");
  var total = document.getElementById("social-queue-total");
  var stamp = document.getElementById("social-queue-refreshed");
  if (!table || !body) { return; }
  var PERIOD = 5000;

  function refresh() {
    if (document.visibilityState !== "visible" || body.contains(document.activeElement)) { return; }
    fetch(table.getAttribute("data-rows-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (body.innerHTML.trim() !== data.html.trim()) { body.innerHTML = data.html; }
        total.textContent = data.total;
        stamp.textContent = "обновлено в " + new Date().toLocaleTimeString("ru-RU");
      })
      .catch(function () { stamp.textContent = "не удалось обновить: нет связи с сервером"; });
  }
  window.setInterval(refresh, PERIOD);
}());
