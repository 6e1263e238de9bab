/* The phone desk: caller history, live building match, open incidents, category suggestion. No dependencies. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("desk-config").textContent);
  var form = document.getElementById("desk-form");
  var phone = document.getElementById("phone");
  var address = document.getElementById("address");
  var buildingId = document.getElementById("building_id");
  var list = document.getElementById("address-list");
  var buildingBox = document.getElementById("building");
  var text = document.getElementById("text");
  var category = document.getElementById("category");
  var emergency = document.getElementById("emergency");
  var categoryHint = document.getElementById("category-hint");
  var emergencyHint = document.getElementById("emergency-hint");
  var joinNote = document.getElementById("join-note");
  var callerBox = document.getElementById("caller");
  var addressHint = document.getElementById("address-hint");
  var unlisted = document.getElementById("unlisted");
  var state = { matches: [], active: -1, incidents: [], categoryTouched: category.value !== "",
                matchesFor: null, exact: null, moved: false,
                emergencyTouched: false, lastPhone: "", searchSeq: 0, suggestSeq: 0 };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  /* ---- caller's earlier appeals ---- */
  function loadCaller() {
    var value = phone.value.trim();
    if (value === state.lastPhone) { return; }
    state.lastPhone = value;
    if (value.replace(/\D/g, "").length < 5) { return; }
    getJSON(config.caller + "?phone=" + encodeURIComponent(value)).then(function (data) {
      callerBox.replaceChildren(el("h2", { text: "Звонивший " + data.phone }));
      if (!data.items.length) { callerBox.appendChild(el("p", { "class": "meta", text: "Раньше не обращался." })); return; }
      callerBox.appendChild(el("p", { "class": "meta", text: "Прежние обращения: " + data.items.length }));
      var ul = el("ul", { "class": "history" });
      data.items.forEach(function (item) {
        var same = el("button", { type: "button", "class": "link", text: "тот же дом", tabindex: "-1" });
        same.addEventListener("click", function () { pick({ id: item.building_id, address: item.address }); });
        ul.appendChild(el("li", {}, [
          el("a", { href: item.url, text: "№ " + item.number, tabindex: "-1" }),
          el("span", { text: " · " + item.registered_at + " · " + item.category_name + " · " + item.status_name }),
          el("div", { "class": "meta", text: (item.address || "") + " — " + item.text }), same]));
      });
      callerBox.appendChild(ul);
    }).catch(function () {});
  }
  phone.addEventListener("blur", loadCaller);
  phone.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); loadCaller(); address.focus(); }
  });

  /* ---- live building match (combobox) ---- */
  function renderMatches() {
    list.replaceChildren();
    state.matches.forEach(function (m, i) {
      var org = m.management_organization ? m.management_organization.name : "УК не указана";
      var li = el("li", { role: "option", id: "address-opt-" + i, "aria-selected": i === state.active ? "true" : "false" },
        [el("strong", { text: m.address }), el("span", { "class": "meta", text: " · " + org })]);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(m); });
      list.appendChild(li);
    });
    var open = state.matches.length > 0;
    list.hidden = !open;
    address.setAttribute("aria-expanded", open ? "true" : "false");
    if (state.active >= 0) { address.setAttribute("aria-activedescendant", "address-opt-" + state.active); }
    else { address.removeAttribute("aria-activedescendant"); }
  }

  function closeList() { state.matches = []; state.active = -1; renderMatches(); }

  var search = debounce(function () {
    var q = address.value.trim();
    var seq = ++state.searchSeq;
    if (q.length < 2) { closeList(); return; }
    getJSON(config.buildings + "?q=" + encodeURIComponent(q)).then(function (data) {
      if (seq !== state.searchSeq || document.activeElement !== address) { return; } /* left the field meanwhile */
      state.matches = data.items; state.matchesFor = q; state.exact = data.exact; state.moved = false;
      /* highlight a house only when it is certain; otherwise the dispatcher chooses with the arrows */
      state.active = data.items.length === 1 ? 0 : data.items.findIndex(function (m) {
        return String(m.id) === String(data.exact);
      });
      renderMatches();
      if (!data.items.length) { hint("Дом не найден. Проверьте адрес или отметьте «Дома нет в реестре»."); }
    }).catch(function () {});
  }, 150);

  function hint(message) {
    addressHint.textContent = message || "";
    addressHint.hidden = !message;
  }

  /* Enter picks a house only when it is certain: the list is for what is typed now, and the dispatcher moved
     to a house with the arrows, or only one house matches, or the typed number names one house exactly. */
  function certain() {
    var current = state.active >= 0 ? state.matches[state.active] : null;
    if (!current || state.matchesFor !== address.value.trim()) { return null; }
    if (state.moved || state.matches.length === 1 || String(state.exact) === String(current.id)) { return current; }
    return null;
  }

  address.addEventListener("input", function () {
    buildingId.value = ""; buildingBox.replaceChildren(); state.incidents = []; state.matchesFor = null;
    hint(""); updateJoin(); search();
  });
  address.addEventListener("keydown", function (e) {
    var open = !list.hidden && state.matches.length > 0;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) { search(); return; }
      var step = e.key === "ArrowDown" ? 1 : -1;
      var from = state.active < 0 && step < 0 ? 0 : state.active;
      state.active = (from + step + state.matches.length) % state.matches.length;
      state.moved = true;
      renderMatches();
    } else if (e.key === "Enter") {
      e.preventDefault(); /* never submits from the address field */
      var match = open ? certain() : null;
      if (match) { pick(match); return; }
      if (buildingId.value) { text.focus(); return; }
      if (open && state.matchesFor !== address.value.trim()) { hint("Список обновляется — нажмите Enter ещё раз."); return; }
      if (open) { hint("Подходит несколько домов — выберите нужный стрелками ↑/↓ и нажмите Enter."); return; }
      search();
    } else if (e.key === "Escape" && open) {
      e.preventDefault(); closeList();
    }
  });
  address.addEventListener("blur", function () { setTimeout(closeList, 100); });

  function pick(match) {
    if (!match || !match.id) { return; }
    address.value = match.address;
    buildingId.value = String(match.id);
    unlisted.checked = false;
    hint("");
    closeList();
    loadBuilding(match.id);
  }

  function loadBuilding(id) {
    getJSON(config.building + encodeURIComponent(id)).then(function (b) {
      var org = b.management_organization ? b.management_organization.name : "не указана";
      buildingBox.replaceChildren(el("p", {}, [el("strong", { text: "✓ " + b.address }),
        el("span", { "class": "meta", text: (b.district ? " · " + b.district + " район" : "") + " · УК: " }),
        el("strong", { text: org })]));
      (b.outages || []).forEach(function (o) {
        buildingBox.appendChild(el("div", { "class": o.current ? "outage current" : "outage", role: "note" }, [
          el("strong", { text: (o.current ? "Отключение сейчас: " : "Плановое отключение: ") + o.resource_name }),
          el("div", { text: (o.current ? "" : "с " + o.starts_at + " ") + "до " + o.ends_at + " (ожидаемое окончание)" +
            (o.description ? " · " + o.description : "") }),
          el("div", { "class": "meta", text: o.organization })]));
      });
      state.incidents = b.incidents;
      b.incidents.forEach(function (inc, i) {
        /* out of the Tab order (phone → address → text stays fast); Alt+J presses the first one */
        var join = el("button", { type: "button", "class": "secondary", tabindex: "-1",
                                  text: "Присоединить звонок к инциденту № " + inc.id + (i === 0 ? " (Alt+J)" : "") });
        if (i === 0) { join.setAttribute("accesskey", "j"); }
        join.addEventListener("click", function () {
          category.value = inc.category; state.categoryTouched = true; categoryHint.hidden = true; updateJoin(); text.focus();
        });
        buildingBox.appendChild(el("div", { "class": "incident", role: "note" }, [
          el("strong", { text: "Открытый инцидент № " + inc.id + " · " + inc.category_name }),
          el("div", { text: inc.appeals + " обращ. с " + inc.opened_at + (inc.primary_number ? " (первое № " + inc.primary_number + ")" : "") +
            (inc.cause ? " · причина: " + inc.cause : "") + (inc.expected_end ? " · ожидаемое окончание " + inc.expected_end : "") }),
          el("div", { "class": "meta", text: "Звонок той же категории при регистрации присоединится к нему — дубль не создаётся." }),
          join]));
      });
      updateJoin();
    }).catch(function () {});
  }

  function updateJoin() {
    var match = state.incidents.filter(function (inc) { return inc.category === category.value; })[0];
    joinNote.hidden = !match;
    joinNote.textContent = match ? "Звонок будет присоединён к инциденту № " + match.id + " (" + match.category_name +
      ", уже " + match.appeals + " обращ.)" : "";
  }

  /* ---- category and emergency suggested from the text ---- */
  var suggest = debounce(function () {
    var value = text.value.trim();
    var seq = ++state.suggestSeq;
    if (value.length < 3) { return; }
    getJSON(config.suggest + "?text=" + encodeURIComponent(value)).then(function (s) {
      if (seq !== state.suggestSeq) { return; }
      if (!state.categoryTouched) {
        category.value = s.category || "";
        categoryHint.hidden = !s.category;
        updateJoin();
      }
      if (!state.emergencyTouched) {
        emergency.checked = !!s.emergency;
        emergencyHint.hidden = !s.emergency;
      }
    }).catch(function () {});
  }, 250);
  text.addEventListener("input", suggest);
  category.addEventListener("change", function () { state.categoryTouched = true; categoryHint.hidden = true; updateJoin(); });
  emergency.addEventListener("change", function () { state.emergencyTouched = true; emergencyHint.hidden = true; });

  /* ---- Enter registers from the text, the category and the checkbox ---- */
  function submitOnEnter(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  }
  text.addEventListener("keydown", submitOnEnter);
  emergency.addEventListener("keydown", submitOnEnter);
  category.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.altKey) { submitOnEnter(e); } });

  form.addEventListener("submit", function (e) {
    if (!buildingId.value && !unlisted.checked) {
      /* a building must be chosen, or «нет в реестре» ticked deliberately */
      e.preventDefault();
      hint("Выберите дом из списка или отметьте «Дома нет в реестре».");
      address.focus();
      return;
    }
    document.getElementById("register").disabled = true; /* one call, one appeal: no double submit */
  });
  window.addEventListener("pageshow", function () { document.getElementById("register").disabled = false; });

  document.querySelectorAll(".pick-candidate").forEach(function (button) {
    button.addEventListener("click", function () {
      pick({ id: button.getAttribute("data-id"), address: button.getAttribute("data-address") }); text.focus();
    });
  });
  if (buildingId.value) { loadBuilding(buildingId.value); }
  if (phone.value) { loadCaller(); }
  var firstError = document.querySelector(".field-error");
  if (firstError) {
    var input = firstError.parentNode.querySelector("input:not([type=hidden]), textarea, select");
    if (input) { input.focus(); }
  }
})();
