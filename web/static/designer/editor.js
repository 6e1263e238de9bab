/* The diagram editor: bpmn-js (with Otklik's side panel) or dmn-js; save = the deploy validation with
   every issue pinned on its element; deploy only what was validated clean. */
(function () {
  'use strict';
  var root = document.getElementById('editor');
  if (!root) { return; }
  var kind = root.dataset.kind;
  var status = document.getElementById('status');
  var deployButton = document.getElementById('deploy');
  var issuesBox = document.getElementById('issues');
  var filenameInput = document.getElementById('filename');
  var versionLabel = document.getElementById('version-label');
  var modeler = null;
  var validatedXml = null;

  function say(text, cls) { status.textContent = text; status.className = cls || ''; }

  async function currentXml() {
    var result = await modeler.saveXML({format: true});
    return result.xml;
  }

  function bpmnViewer() { return kind === 'bpmn' ? modeler : modeler.getActiveViewer(); }

  function clearIssues() {
    issuesBox.innerHTML = '';
    if (kind !== 'bpmn') {
      document.querySelectorAll('.otklik-error-cell').forEach(function (n) { n.classList.remove('otklik-error-cell'); });
      return;
    }
    modeler.get('overlays').remove({type: 'otklik-issue'});
    modeler.get('elementRegistry').getAll().forEach(function (e) { modeler.get('canvas').removeMarker(e.id, 'otklik-error'); });
  }

  function pin(issue) {
    if (!issue.element_id) { return false; }
    if (kind !== 'bpmn') {
      var cells = document.querySelectorAll('[data-row-id="' + CSS.escape(issue.element_id) + '"], [data-col-id="' + CSS.escape(issue.element_id) + '"]');
      cells.forEach(function (n) { n.classList.add('otklik-error-cell'); });
      return cells.length > 0;
    }
    var registry = modeler.get('elementRegistry');
    if (!registry.get(issue.element_id)) { return false; }
    modeler.get('canvas').addMarker(issue.element_id, 'otklik-error');
    var badge = Otklik.el('div', {'class': 'otklik-issue-badge', title: issue.message, 'data-issue-for': issue.element_id}, '!');
    modeler.get('overlays').add(issue.element_id, 'otklik-issue', {position: {top: -12, right: 12}, html: badge});
    return true;
  }

  function showIssues(issues) {
    clearIssues();
    if (!issues.length) { return; }
    var list = Otklik.el('ul', {'class': 'issue-list'});
    issues.forEach(function (issue) {
      var pinned = pin(issue);
      var text = (issue.element_id ? '[' + issue.element_id + '] ' : '') + issue.message + (issue.line ? ' (строка ' + issue.line + ')' : '');
      var item = Otklik.el('li', {'data-element-id': issue.element_id || ''}, text);
      if (pinned && kind === 'bpmn') {
        item.classList.add('clickable');
        item.addEventListener('click', function () {
          var element = modeler.get('elementRegistry').get(issue.element_id);
          modeler.get('selection').select(element);
          modeler.get('canvas').scrollToElement(element);
        });
      }
      list.appendChild(item);
    });
    issuesBox.appendChild(Otklik.el('h3', {}, 'Ошибки (' + issues.length + ')'));
    issuesBox.appendChild(list);
  }

  async function save() {
    deployButton.disabled = true;
    say('Проверка…');
    var xml = await currentXml();
    var answer = await Otklik.postJSON(root.dataset.validateUrl, {filename: filenameInput.value, xml: xml});
    var issues = answer.ok ? (answer.data.errors || []) : (answer.data.errors || [{message: answer.data.message || 'ошибка'}]);
    showIssues(issues);
    if (answer.ok && answer.data.ok) {
      validatedXml = xml;
      deployButton.disabled = false;
      say('Проверка пройдена: диаграмму можно развернуть', 'ok');
    } else {
      validatedXml = null;
      say('Найдены ошибки: ' + issues.length, 'bad');
    }
    showOverride(answer.ok && answer.data.overridable ? xml : null);
  }

  var overrideBox = document.getElementById('override');
  var overrideXml = null;

  function showOverride(xml) {
    overrideXml = xml;
    if (overrideBox) { overrideBox.hidden = xml === null; }
  }

  async function deployOverride() {
    var xml = await currentXml();
    var reason = document.getElementById('override-reason').value.trim();
    if (xml !== overrideXml) { say('Диаграмма изменилась после проверки: сохраните ещё раз', 'bad'); showOverride(null); return; }
    if (reason.length < 10) { say('Напишите причину: не короче 10 символов', 'bad'); return; }
    say('Развёртывание вопреки сценариям…');
    var answer = await Otklik.postJSON(root.dataset.deployUrl, {filename: filenameInput.value, xml: xml, override_reason: reason});
    if (!answer.ok) {
      showIssues(answer.data.errors || [{message: answer.data.message || 'ошибка'}]);
      say('Развёртывание отклонено', 'bad');
      return;
    }
    versionLabel.textContent = (versionLabel.dataset.name || answer.data.key) + ', версия ' + answer.data.version;
    versionLabel.dataset.version = answer.data.version;
    showOverride(null);
    say('Развёрнута версия ' + answer.data.version + ' (вопреки сценариям, причина в журнале)', 'ok');
  }

  var confirmBox = document.getElementById('deploy-confirm');

  function plural(n, one, few, many) {
    var t = n % 100, u = n % 10;
    if (t >= 11 && t <= 14) { return many; }
    return u === 1 ? one : (u >= 2 && u <= 4 ? few : many);
  }

  function names(items) {
    var shown = items.slice(0, 8).map(function (e) { return e.name ? '«' + e.name + '»' : e.id; });
    return shown.join(', ') + (items.length > 8 ? ' и ещё ' + (items.length - 8) : '');
  }

  function planLines(plan) {
    var what = kind === 'bpmn' ? 'Процесс' : 'Таблица решений';
    var lines = [plan.current_version
      ? what + ' ' + plan.key + ': сейчас действует v' + plan.current_version + ', появится v' + plan.next_version + '.'
      : what + ' ' + plan.key + ' ещё не развёрнут: появится v' + plan.next_version + '.'];
    if (plan.unchanged) { return ['Диаграмма не отличается от текущей версии v' + plan.current_version + ': новой версии не будет.']; }
    var e = plan.elements;
    if (e) {
      if (e.added.length) { lines.push('Добавлено: ' + names(e.added) + '.'); }
      if (e.removed.length) { lines.push('Удалено: ' + names(e.removed) + '.'); }
      if (e.changed.length) { lines.push('Изменено: ' + names(e.changed) + '.'); }
      if (!e.added.length && !e.removed.length && !e.changed.length) { lines.push('Изменилось только расположение элементов.'); }
    }
    if (plan.current_version) {
      lines.push('Новые экземпляры пойдут по новой версии. Выполняющиеся (' + plan.running + ' ' +
        plural(plan.running, 'экземпляр', 'экземпляра', 'экземпляров') + ') останутся на v' + plan.current_version +
        ': переносите их на странице процесса.');
    }
    return lines;
  }

  async function askDeploy() {
    var xml = await currentXml();
    if (xml !== validatedXml) { say('Диаграмма изменилась после проверки: сохраните ещё раз', 'bad'); deployButton.disabled = true; return; }
    var answer = await Otklik.postJSON(root.dataset.planUrl, {filename: filenameInput.value, xml: xml});
    if (!answer.ok) {
      showIssues(answer.data.errors || [{message: answer.data.message || 'ошибка'}]);
      say('Развёртывание отклонено', 'bad');
      return;
    }
    var text = document.getElementById('deploy-confirm-text');
    text.textContent = '';
    planLines(answer.data).forEach(function (line) { text.appendChild(Otklik.el('p', {}, line)); });
    confirmBox.showModal();
    document.getElementById('deploy-no').focus();
  }

  async function deploy() {
    var xml = await currentXml();
    if (xml !== validatedXml) { say('Диаграмма изменилась после проверки: сохраните ещё раз', 'bad'); deployButton.disabled = true; return; }
    say('Развёртывание…');
    var answer = await Otklik.postJSON(root.dataset.deployUrl, {filename: filenameInput.value, xml: xml});
    if (!answer.ok) {
      showIssues(answer.data.errors || [{message: answer.data.message || 'ошибка'}]);
      say('Развёртывание отклонено', 'bad');
      return;
    }
    var d = answer.data;
    versionLabel.textContent = (versionLabel.dataset.name || d.key) + ', версия ' + d.version;
    versionLabel.dataset.version = d.version;
    deployButton.disabled = true;
    say(d.created ? 'Развёрнута версия ' + d.version : 'Без изменений: текущая версия ' + d.version, 'ok');
  }

  function onChanged() {
    if (validatedXml !== null) { say('Есть несохранённые изменения'); }
    deployButton.disabled = true;
    validatedXml = null;
    showOverride(null);
  }

  async function withLayout(xml) {
    if (kind !== 'bpmn' || /BPMNShape/.test(xml)) { return xml; }
    var answer = await Otklik.postJSON(root.dataset.layoutUrl, {filename: filenameInput.value, xml: xml});
    if (!answer.ok) { throw new Error(answer.data.message || 'файл не читается'); }
    return answer.data.xml;
  }

  async function openXml(xml) {
    await modeler.importXML(await withLayout(xml));
    if (kind === 'bpmn') {
      modeler.get('canvas').zoom('fit-viewport');
    } else {
      var table = modeler.getViews().filter(function (v) { return v.type === 'decisionTable'; })[0];
      if (table) { await modeler.open(table); }
      var viewer = modeler.getActiveViewer();
      if (viewer) { viewer.get('eventBus').on('elements.changed', onChanged); }
    }
    clearIssues();
    onChanged();
    root.dataset.ready = '1';
  }

  async function create() {
    if (kind === 'bpmn') {
      var descriptor = await (await fetch(root.dataset.moddleUrl)).json();
      modeler = new window.BpmnJS({container: '#canvas', keyboard: {bindTo: document}, moddleExtensions: {spiffworkflow: descriptor},
        additionalModules: [window.OtklikTranslate.module]});
      new window.OtklikPanel(modeler, document.getElementById('panel'));
      modeler.on('commandStack.changed', onChanged);
    } else {
      var russian = {additionalModules: [window.OtklikTranslate.module]};  // dmn-js reads modules per view, not from `common`
      modeler = new window.DmnJS({container: '#canvas', common: {keyboard: {bindTo: document}}, drd: russian,
        decisionTable: russian, literalExpression: russian, boxedExpression: russian});
      window.OtklikTranslate.watch(document.getElementById('canvas'));
    }
    window.otklikEditor = {modeler: modeler, open: openXml, save: save, deploy: askDeploy};
    var starter = document.getElementById('starter');
    var xml = root.dataset.xmlUrl ? await Otklik.getText(root.dataset.xmlUrl) : starter.textContent;
    await openXml(xml);
  }

  function fileInput() {
    var input = Otklik.el('input', {type: 'file', accept: '.bpmn,.dmn,.xml', id: 'open-file'});
    var label = Otklik.el('label', {'class': 'inline'}, 'Открыть файл… ');
    label.appendChild(input);
    root.querySelector('.editor-bar').appendChild(label);
    input.addEventListener('change', async function () {
      if (!input.files.length) { return; }
      filenameInput.value = input.files[0].name;
      try { await openXml(await input.files[0].text()); say('Файл открыт: сохраните, чтобы проверить'); }
      catch (err) { say('Файл не открывается: ' + err.message, 'bad'); }
    });
  }

  if (!window.BpmnJS && !window.DmnJS) { say('Редактор не загружен', 'bad'); return; }
  document.getElementById('save').addEventListener('click', function () { save().catch(function (e) { say(e.message, 'bad'); }); });
  deployButton.addEventListener('click', function () { askDeploy().catch(function (e) { say(e.message, 'bad'); }); });
  document.getElementById('deploy-yes').addEventListener('click', function () {
    confirmBox.close();
    deploy().catch(function (e) { say(e.message, 'bad'); });
  });
  document.getElementById('deploy-no').addEventListener('click', function () {
    confirmBox.close();
    say('Развёртывание отменено: текущая версия не изменилась');
  });
  if (overrideBox) {
    document.getElementById('override-deploy').addEventListener('click', function () {
      deployOverride().catch(function (e) { say(e.message, 'bad'); });
    });
  }
  fileInput();
  create().catch(function (err) { say('Диаграмму не удалось открыть: ' + err.message, 'bad'); });
})();
