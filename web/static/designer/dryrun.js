/* Dry run: start a deployed process in memory with a fake clock, complete its tasks, move the clock,
   send messages; nothing is written and nobody is notified. */
(function () {
  'use strict';
  var picker = document.getElementById('dry-process');
  if (picker) {
    picker.addEventListener('change', function () { location.search = '?process=' + encodeURIComponent(picker.value); });
  }
  var root = document.getElementById('dry-run');
  if (!root) { return; }
  var statusLine = document.getElementById('dry-status');
  var token = null, viewer = null, shownVersion = null;

  function say(text, bad) { statusLine.textContent = text; statusLine.className = bad ? 'flash error' : ''; }

  function parse(id, what) {
    var text = document.getElementById(id).value.trim();
    try { return text ? JSON.parse(text) : {}; } catch (e) { throw new Error(what + ': не JSON (' + e.message + ')'); }
  }

  function example(form) {
    var result = {};
    var props = (form && form.properties) || {};
    (form && form.required || []).forEach(function (name) {
      var p = props[name] || {};
      if (p.oneOf && p.oneOf.length) { result[name] = p.oneOf[0].const; }
      else if (p.enum && p.enum.length) { result[name] = p.enum[0]; }
      else if (p.type === 'integer' || p.type === 'number') { result[name] = p.minimum || 1; }
      else if (p.type === 'boolean') { result[name] = true; }
      else { result[name] = 'пример'; }
    });
    return result;
  }

  async function showDiagram(versionId, marks) {
    if (!window.BpmnJS) { return; }
    if (!viewer) { viewer = new window.BpmnJS({container: '#viewer'}); window.otklikViewer = viewer; }
    if (shownVersion !== versionId) {
      await viewer.importXML(await Otklik.getText(root.dataset.xmlBase + versionId + '/xml'));
      viewer.get('canvas').zoom('fit-viewport');
      shownVersion = versionId;
    }
    Otklik.markElements(viewer, marks);
  }

  function button(text, handler) {
    var b = Otklik.el('button', {type: 'button'}, text);
    b.addEventListener('click', function () { handler().catch(function (e) { say(e.message, true); }); });
    return b;
  }

  function renderTasks(state) {
    var box = document.getElementById('dry-tasks');
    box.innerHTML = '';
    if (!state.tasks.length) { box.appendChild(Otklik.el('p', {'class': 'meta'}, 'нет')); }
    state.tasks.forEach(function (task) {
      var card = Otklik.el('div', {'class': 'dry-task', 'data-task': task.name});
      card.appendChild(Otklik.el('strong', {}, task.title + ' '));
      card.appendChild(Otklik.el('code', {}, task.name + (task.lane ? ' · ' + task.lane : '')));
      var data = Otklik.el('textarea', {rows: 3});
      data.value = JSON.stringify(example(task.form));
      card.appendChild(data);
      card.appendChild(button('Выполнить', function () {
        var payload; try { payload = JSON.parse(data.value || '{}'); } catch (e) { throw new Error('данные формы: не JSON'); }
        return step('complete', {task: task.task_id, data: payload});
      }));
      box.appendChild(card);
    });
  }

  function renderTimers(state) {
    var box = document.getElementById('dry-timers');
    box.innerHTML = '';
    if (!state.timers.length) { box.appendChild(Otklik.el('p', {'class': 'meta'}, 'нет')); }
    state.timers.forEach(function (timer) {
      var line = Otklik.el('p', {'data-timer': timer.name}, timer.name + ' — срок ' + new Date(timer.due_at).toLocaleString('ru-RU', {timeZone: root.dataset.tz || undefined}) + ' ');
      line.appendChild(button('Перевести часы к сроку', function () { return step('clock', {to: timer.due_at}); }));
      box.appendChild(line);
    });
  }

  function renderMessages(state) {
    var box = document.getElementById('dry-messages');
    box.innerHTML = '';
    if (!state.messages.length) { box.appendChild(Otklik.el('p', {'class': 'meta'}, 'нет')); }
    state.messages.forEach(function (message) {
      var card = Otklik.el('div', {'class': 'dry-task', 'data-message': message.name});
      card.appendChild(Otklik.el('code', {}, message.name));
      var payload = Otklik.el('textarea', {rows: 2});
      payload.value = JSON.stringify(message.correlation);
      card.appendChild(payload);
      card.appendChild(button('Отправить', function () {
        var body; try { body = JSON.parse(payload.value || '{}'); } catch (e) { throw new Error('сообщение: не JSON'); }
        return step('message', {name: message.name, payload: body});
      }));
      box.appendChild(card);
    });
  }

  async function render(state) {
    token = state.token;
    document.getElementById('dry-state').hidden = false;
    document.getElementById('dry-now').textContent = new Date(state.now).toLocaleString('ru-RU', {timeZone: root.dataset.tz || undefined});
    document.getElementById('dry-end').textContent = state.completed ? 'процесс завершён' : 'процесс ждёт';
    document.getElementById('dry-end').dataset.completed = state.completed ? '1' : '0';
    document.getElementById('dry-data-out').textContent = JSON.stringify(state.data, null, 2);
    var calls = document.getElementById('dry-calls');
    calls.innerHTML = '';
    state.calls.forEach(function (c) { calls.appendChild(Otklik.el('li', {}, c.operation + ' ' + JSON.stringify(c.params))); });
    renderTasks(state); renderTimers(state); renderMessages(state);
    await showDiagram(state.version_id, state.marks);
  }

  async function answer(result) {
    if (!result.ok) {
      var d = result.data.details || {};
      throw new Error((result.data.message || 'ошибка') + (d.element_id ? ' [' + d.element_id + ']' : ''));
    }
    say('');
    await render(result.data);
  }

  async function step(action, body) {
    body.token = token; body.action = action;
    await answer(await Otklik.postJSON(root.dataset.stepUrl, body));
  }

  document.getElementById('dry-start').addEventListener('submit', function (event) {
    event.preventDefault();
    (async function () {
      var body = {process_id: document.getElementById('dry-process').value, data: parse('dry-data', 'данные'),
        operations: parse('dry-operations', 'ответы сервисов'), start: document.getElementById('dry-clock').value.trim() || null};
      await answer(await Otklik.postJSON(root.dataset.startUrl, body));
    })().catch(function (e) { say(e.message, true); });
  });
  document.getElementById('dry-clock-form').addEventListener('submit', function (event) {
    event.preventDefault();
    step('clock', {to: document.getElementById('dry-clock-to').value.trim()}).catch(function (e) { say(e.message, true); });
  });
})();
