/* The task screen: filter the list of organisations by what is typed (name, kind, resource). */
(function () {
  "use strict";
  document.querySelectorAll("input.org-filter").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    if (!select) { return; }
    function apply() {
      var words = input.value.toLowerCase().replace(/ё/g, "е").split(/\s+/).filter(Boolean);
      var first = null;
      select.querySelectorAll("option").forEach(function (option) {
        var hay = (option.getAttribute("data-search") || "").replace(/ё/g, "е");
        var show = words.every(function (w) { return hay.indexOf(w) !== -1; });
        option.hidden = !show;
        if (show && !first) { first = option; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) { first.selected = true; }
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
      if (event.key === "Enter") { event.preventDefault(); apply(); select.focus(); }
    });
  });
}());
