/* The inbox refreshes its rows every 15 seconds without reloading; filters apply on change. */
(function () {
  "use strict";
  var table = document.getElementById("inbox");
  var body = document.getElementById("inbox-rows");
  var count = document.getElementById("inbox-count");
  var stamp = document.getElementById("inbox-refreshed");
  var filters = document.getElementById("inbox-filters");
  var alertBox = document.getElementById("inbox-alert");
  var soundBox = document.getElementById("inbox-sound");
  var PERIOD = 15000;
  var SOUND_KEY = "otklik.inbox.sound";

  /* Emergencies already on screen: only new ones are announced. */
  function urgentIds() {
    var ids = {};
    body.querySelectorAll("tr[data-urgent='1']").forEach(function (row) { ids[row.getAttribute("data-task")] = true; });
    return ids;
  }
  var seenUrgent = urgentIds();

  if (soundBox) {
    soundBox.checked = window.localStorage.getItem(SOUND_KEY) === "1";
    soundBox.addEventListener("change", function () {
      window.localStorage.setItem(SOUND_KEY, soundBox.checked ? "1" : "0");
    });
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!soundBox || !soundBox.checked || !Context) { return; }
    var audio = new Context();
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.2;
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  }

  function announce() {
    var now = urgentIds();
    var fresh = Object.keys(now).filter(function (id) { return !seenUrgent[id]; });
    seenUrgent = now;
    if (!fresh.length) { return; }
    fresh.forEach(function (id) {
      var row = body.querySelector("tr[data-task='" + id + "']");
      if (row) { row.classList.add("fresh"); }
    });
    alertBox.textContent = "Новая срочная задача: " + fresh.length + ". Она вверху списка.";
    alertBox.hidden = false;
    beep();
  }

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
        announce();
        stamp.textContent = "Обновлено " + new Date().toLocaleTimeString("ru-RU") +
          (data.overdue ? " · просрочено: " + data.overdue : "");
      })
      .catch(function () { stamp.textContent = "Нет связи с сервером, повторим через 15 с"; });
  }
  setInterval(refresh, PERIOD);
  document.addEventListener("visibilitychange", refresh);
})();
