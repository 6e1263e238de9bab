/* Following an instance: its version's diagram with completed, current and waiting elements marked. */
(function () {
  'use strict';
  var container = document.getElementById('viewer');
  if (!container || !window.BpmnJS) { return; }
  var marks = JSON.parse(document.getElementById('marks').textContent || '{}');
  var viewer = new window.BpmnJS({container: container});
  window.otklikViewer = viewer;
  Otklik.getText(container.dataset.xmlUrl).then(function (xml) {
    return viewer.importXML(xml);
  }).then(function () {
    viewer.get('canvas').zoom('fit-viewport');
    Otklik.markElements(viewer, marks);
    container.dataset.ready = '1';
  }).catch(function (err) {
    container.textContent = 'Диаграмму не удалось показать: ' + err.message;
  });
})();
