/* The city map: buildings, outage areas, incidents and clustered open appeals from /api/v1/map/ (GeoJSON). */
(function () {
  "use strict";
  var box = document.getElementById("city-map");
  if (!box || !window.L) { return; }
  var status = document.getElementById("map-status");
  var counts = document.getElementById("map-counts");
  var form = document.getElementById("map-filters");
  var TAMBOV = [52.721, 41.445];
  var map = L.map(box, { preferCanvas: true, zoomControl: false, minZoom: 10, maxZoom: 19 }).setView(TAMBOV, 12);
  L.control.zoom({ zoomInTitle: "Приблизить", zoomOutTitle: "Отдалить" }).addTo(map);
  map.attributionControl.setPrefix(false);
  var tiles = box.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: box.getAttribute("data-attribution") || "" })
      .on("tileerror", function () { box.classList.add("plain"); })
      .addTo(map);
  }
  var layers = {
    buildings: L.layerGroup().addTo(map),
    outages: L.layerGroup().addTo(map),
    incidents: L.layerGroup().addTo(map),
    appeals: (L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 45 }) : L.layerGroup()).addTo(map)
  };

  function link(template, id) { return template.replace(/0(?=[^0-9]*$)/, String(id)); }
  function text(value) { var d = document.createElement("div"); d.textContent = value == null ? "" : String(value); return d.innerHTML; }
  function when(iso) { return new Date(iso).toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }); }
  function get(url) {
    return fetch(url, { headers: { "Accept": "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); });
  }
  function query() {
    var params = new URLSearchParams();
    ["category", "organization_id"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { params.set(name, field.value); }
    });
    var s = params.toString();
    return s ? "?" + s : "";
  }

  var fitted = false;
  function drawBuildings(data) {
    layers.buildings.clearLayers();
    var approximate = false;
    if (!fitted && data.features.length) {
      fitted = true;
      map.fitBounds(L.geoJSON(data).getBounds(), { padding: [20, 20] });
    }
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      approximate = approximate || f.properties.approximate;
      L.circleMarker([c[1], c[0]], { radius: 3, weight: 1, color: "#7d8894", fillColor: "#aab4be", fillOpacity: 0.8 })
        .bindTooltip(text(f.properties.address)).addTo(layers.buildings);
    });
    document.getElementById("map-approximate").hidden = !approximate;
    return data.features.length;
  }
  function drawOutages(data) {
    layers.outages.clearLayers();
    data.features.forEach(function (f) {
      var p = f.properties;
      var style = { color: p.current ? "#b3261e" : "#c98a00", weight: 2, fillOpacity: 0.15, radius: 8 };
      var layer = L.geoJSON(f, { style: function () { return style; },
                                  pointToLayer: function (x, ll) { return L.circleMarker(ll, style); } });
      layer.bindPopup("<strong>" + text(p.resource_name) + (p.current ? " — отключено сейчас" : " — плановое") + "</strong><br>" +
        text(p.organization) + "<br>" + when(p.starts_at) + " — " + when(p.ends_at) + "<br>домов: " + p.buildings +
        '<br><a href="' + link(box.getAttribute("data-outage-url"), p.id) + '">карточка отключения</a>');
      layer.addTo(layers.outages);
    });
    return data.features.length;
  }
  function drawIncidents(data) {
    layers.incidents.clearLayers();
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates, p = f.properties;
      L.marker([c[1], c[0]], { icon: L.divIcon({ className: "incident-pin", html: String(p.appeals), iconSize: [26, 26] }) })
        .bindPopup("<strong>Инцидент: " + text(p.resource_name) + "</strong><br>" + text(p.address) + "<br>обращений: " + p.appeals +
          '<br><a href="' + link(box.getAttribute("data-incident-url"), p.id) + '">обращения инцидента</a>')
        .addTo(layers.incidents);
    });
    return data.features.length;
  }
  function drawAppeals(data) {
    layers.appeals.clearLayers();
    var overdue = 0;
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates, p = f.properties;
      var kind = p.overdue ? "overdue" : (p.emergency ? "emergency" : "open");
      if (p.overdue) { overdue += 1; }
      L.marker([c[1], c[0]], { icon: L.divIcon({ className: "appeal-pin " + kind, iconSize: [14, 14] }), title: "№ " + p.number })
        .bindPopup('<a href="' + link(box.getAttribute("data-appeal-url"), p.id) + '"><strong>№ ' + text(p.number) + "</strong></a> " +
          text(p.category_name) + (p.overdue ? ' <span class="tag bad">просрочено</span>' : "") + "<br>" + text(p.address) + "<br>" +
          text(p.organization || "исполнитель не назначен"))
        .addTo(layers.appeals);
    });
    return { total: data.features.length, overdue: overdue };
  }

  function visible(name) {
    var box = form.querySelector('input[name=layer][value="' + name + '"]');
    return !box || box.checked;
  }
  function load() {
    status.textContent = "Загружаем слои…";
    Promise.all([
      get(box.getAttribute("data-buildings")).then(drawBuildings),
      get(box.getAttribute("data-outages")).then(drawOutages),
      get(box.getAttribute("data-incidents")).then(drawIncidents),
      get(box.getAttribute("data-appeals") + query()).then(drawAppeals)
    ]).then(function (n) {
      counts.textContent = "Открытых обращений: " + n[3].total + ", из них просрочено: " + n[3].overdue +
        "; инцидентов: " + n[2] + "; отключений: " + n[1] + "; домов: " + n[0] + ".";
      box.setAttribute("data-loaded", "1");
      status.textContent = "Обновлено в " + new Date().toLocaleTimeString("ru-RU");
      ["buildings", "outages", "incidents"].forEach(function (name) { toggle(name); });
    }).catch(function () { status.textContent = "Не удалось загрузить слои карты"; });
  }
  function toggle(name) {
    if (visible(name)) { map.addLayer(layers[name]); } else { map.removeLayer(layers[name]); }
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "layer") { toggle(event.target.value); } else { load(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();
