/* Shared helpers of the designer screens: JSON calls with the CSRF header, element markers. */
(function () {
  'use strict';
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }
  async function postJSON(url, body) {
    var response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRFToken': csrfToken()},
      body: JSON.stringify(body)
    });
    var data = {};
    try { data = await response.json(); } catch (e) { data = {message: 'ответ не JSON (' + response.status + ')'}; }
    return {ok: response.ok, status: response.status, data: data};
  }
  async function getText(url) {
    var response = await fetch(url, {credentials: 'same-origin'});
    if (!response.ok) { throw new Error('не удалось загрузить диаграмму (' + response.status + ')'); }
    return response.text();
  }
  var MARKS = ['completed', 'current', 'waiting', 'error'];
  function markElements(viewer, marks) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    registry.getAll().forEach(function (element) {
      MARKS.forEach(function (mark) { canvas.removeMarker(element.id, 'otklik-' + mark); });
    });
    Object.keys(marks || {}).forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, 'otklik-' + marks[id]); }
    });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  window.Otklik = {postJSON: postJSON, getText: getText, markElements: markElements, el: el, csrfToken: csrfToken};
})();
