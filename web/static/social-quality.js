/* While the worker retrains the model, the quality page shows its step and reloads itself when it is done. */
(function () {
  "use strict";
  var box = document.getElementById("retrain");
  if (!box || box.getAttribute("data-running") !== "1") { return; }
  var bar = document.getElementById("retrain-progress");
  var state = document.getElementById("retrain-state");
  var button = document.getElementById("retrain-start");
  var PERIOD = 1500;

  function seconds(since) {
    var started = Date.parse(since || "");
    return isNaN(started) ? null : Math.max(0, Math.round((Date.now() - started) / 1000));
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { window.setTimeout(poll, PERIOD); return; }
        bar.hidden = false;
        bar.value = status.percent;
        if (status.running) {
          var spent = seconds(status.started_at);
          state.textContent = "Идёт переобучение: " + status.text + "." + (spent === null ? "" : " Прошло " + spent + " с.");
          window.setTimeout(poll, PERIOD);
          return;
        }
        state.textContent = status.step === "done" ? "Переобучение закончено, показатели обновлены." :
          "Переобучение не удалось; подробности в журнале обработчика.";
        if (button) { button.disabled = false; }
        if (status.step === "done") { window.location.reload(); }
      })
      .catch(function () { state.textContent = "Нет связи с сервером; повторим."; window.setTimeout(poll, PERIOD * 4); });
  }
  window.setTimeout(poll, PERIOD);
}());
