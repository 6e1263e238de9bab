/* The outage card: delivery progress refreshed every 3 s (moved out of the page for the CSP). */
(function () {
  var box = document.getElementById("progress");
  function refresh() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      box.querySelectorAll("[data-k]").forEach(function (el) { el.textContent = d[el.dataset.k]; });
    }).catch(function () {});
  }
  setInterval(refresh, 3000);
})();
