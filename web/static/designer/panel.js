/* A small properties panel for what Otklik's engine reads: lane roles, user-task forms and properties,
   service-task operators, called decisions, scripts, timers, messages and correlation, conditions.
   Every change goes through bpmn-js modeling commands, so undo works and the export carries it. */
(function () {
  'use strict';
  var SPIFF = 'spiffworkflow:';
  var TASK_PROPERTIES = [['formJsonSchema', 'Форма (JSON Schema)', true], ['organization', 'Организация (выражение)'],
    ['dueAt', 'Срок (выражение)'], ['roles', 'Роли (выражение, вместо дорожки)']];

  function OtklikPanel(modeler, container) {
    this.modeler = modeler; this.container = container;
    this.modeling = modeler.get('modeling'); this.moddle = modeler.get('moddle');
    var self = this;
    modeler.get('eventBus').on('selection.changed', function (e) { self.show(e.newSelection[0]); });
    modeler.get('eventBus').on('elements.changed', function (e) {
      if (self.element && e.elements.indexOf(self.element) >= 0 && !self.editing) { self.show(self.element); }
    });
  }

  OtklikPanel.prototype.is = function (bo, type) { return bo && bo.$instanceOf && bo.$instanceOf(type); };

  OtklikPanel.prototype.extension = function (bo, type, create) {
    var ext = bo.extensionElements;
    var found = ext && (ext.values || []).filter(function (v) { return v.$type === type; })[0];
    if (found || !create) { return found; }
    if (!ext) {
      ext = this.moddle.create('bpmn:ExtensionElements', {values: []});
      this.modeling.updateProperties(this.element, {extensionElements: ext});
    }
    found = this.moddle.create(type, {});
    this.modeling.updateModdleProperties(this.element, ext, {values: (ext.values || []).concat([found])});
    return found;
  };

  OtklikPanel.prototype.dropExtension = function (bo, type) {
    var ext = bo.extensionElements;
    if (!ext) { return; }
    var rest = (ext.values || []).filter(function (v) { return v.$type !== type; });
    this.modeling.updateModdleProperties(this.element, ext, {values: rest});
  };

  OtklikPanel.prototype.property = function (bo, name) {
    var props = this.extension(bo, SPIFF + 'Properties', false);
    var found = props && (props.properties || []).filter(function (p) { return p.name === name; })[0];
    return found ? found.value : '';
  };

  OtklikPanel.prototype.setProperty = function (bo, name, value) {
    var props = this.extension(bo, SPIFF + 'Properties', !!value);
    if (!props) { return; }
    var list = (props.properties || []).filter(function (p) { return p.name !== name; });
    if (value) { list.push(this.moddle.create(SPIFF + 'Property', {name: name, value: value})); }
    this.modeling.updateModdleProperties(this.element, props, {properties: list});
  };

  OtklikPanel.prototype.bodyExtension = function (bo, type) {
    var found = this.extension(bo, type, false);
    return found ? (found.value || '') : '';
  };

  OtklikPanel.prototype.setBodyExtension = function (bo, type, value) {
    if (!value) { this.dropExtension(bo, type); return; }
    var found = this.extension(bo, type, true);
    this.modeling.updateModdleProperties(this.element, found, {value: value});
  };

  OtklikPanel.prototype.field = function (label, value, onChange, options) {
    options = options || {};
    var wrap = Otklik.el('label', {'class': 'panel-field'}, label);
    var input = Otklik.el(options.multiline ? 'textarea' : 'input', {'data-field': options.key || label});
    if (options.multiline) { input.rows = options.rows || 4; }
    input.value = value || '';
    var self = this;
    input.addEventListener('change', function () {
      if (options.json && input.value.trim()) {
        try { JSON.parse(input.value); } catch (e) { input.classList.add('invalid'); input.title = 'не JSON: ' + e.message; return; }
      }
      input.classList.remove('invalid');
      self.editing = true;
      try { onChange(input.value.trim()); } finally { self.editing = false; }
    });
    wrap.appendChild(input);
    if (options.hint) { wrap.appendChild(Otklik.el('small', {'class': 'meta'}, options.hint)); }
    this.container.appendChild(wrap);
    return input;
  };

  OtklikPanel.prototype.heading = function (text) { this.container.appendChild(Otklik.el('h3', {}, text)); };
  // The element's kind in the panel's heading, in the designer's words (the id after it is the diagram's own).
  var ELEMENT_KINDS = {
    'bpmn:Process': 'Процесс', 'bpmn:Participant': 'Участник', 'bpmn:Lane': 'Дорожка',
    'bpmn:UserTask': 'Задача пользователя', 'bpmn:ManualTask': 'Ручная задача', 'bpmn:ServiceTask': 'Сервисная задача',
    'bpmn:ScriptTask': 'Задача-скрипт', 'bpmn:BusinessRuleTask': 'Задача-правило', 'bpmn:SendTask': 'Отправка',
    'bpmn:ReceiveTask': 'Получение', 'bpmn:Task': 'Задача', 'bpmn:CallActivity': 'Вызов процесса',
    'bpmn:SubProcess': 'Подпроцесс', 'bpmn:StartEvent': 'Начальное событие', 'bpmn:EndEvent': 'Конечное событие',
    'bpmn:IntermediateCatchEvent': 'Промежуточное событие', 'bpmn:IntermediateThrowEvent': 'Промежуточное событие',
    'bpmn:BoundaryEvent': 'Граничное событие', 'bpmn:ExclusiveGateway': 'Развилка «или»',
    'bpmn:ParallelGateway': 'Параллельный шлюз', 'bpmn:InclusiveGateway': 'Включающий шлюз',
    'bpmn:EventBasedGateway': 'Шлюз по событию', 'bpmn:SequenceFlow': 'Переход',
    'bpmn:MessageFlow': 'Поток сообщений', 'bpmn:TextAnnotation': 'Примечание', 'bpmn:DataObjectReference': 'Данные',
    'bpmn:DataStoreReference': 'Хранилище данных'
  };

  OtklikPanel.prototype.show = function (element) {
    this.element = element;
    this.container.innerHTML = '';
    if (!element || element.type === 'label') {
      this.container.appendChild(Otklik.el('p', {'class': 'meta'}, 'Выберите элемент, чтобы изменить его свойства.'));
      return;
    }
    var bo = element.businessObject, self = this;
    this.heading((ELEMENT_KINDS[bo.$type] || 'Элемент') + ' · ' + bo.id);
    var isLane = this.is(bo, 'bpmn:Lane');
    this.field(isLane ? 'Роли дорожки (через пробел)' : 'Название', bo.name, function (v) {
      self.modeling.updateLabel(element, v);
    }, {key: 'name', hint: isLane ? 'например: org_staff или org_head coordinator' : ''});
    if (this.is(bo, 'bpmn:UserTask') || this.is(bo, 'bpmn:ManualTask')) { this.userTask(bo); }
    if (this.is(bo, 'bpmn:ServiceTask')) { this.serviceTask(bo); }
    if (this.is(bo, 'bpmn:BusinessRuleTask')) {
      this.field('Решение (id таблицы DMN)', this.bodyExtension(bo, SPIFF + 'CalledDecisionId'), function (v) {
        self.setBodyExtension(bo, SPIFF + 'CalledDecisionId', v);
      }, {key: 'calledDecisionId'});
    }
    if (this.is(bo, 'bpmn:ScriptTask')) {
      this.field('Скрипт', bo.script, function (v) { self.modeling.updateProperties(element, {script: v}); },
        {multiline: true, rows: 6, key: 'script'});
    }
    if (this.is(bo, 'bpmn:SequenceFlow')) { this.condition(bo); }
    (bo.eventDefinitions || []).forEach(function (def) {
      if (self.is(def, 'bpmn:TimerEventDefinition')) { self.timer(def); }
      if (self.is(def, 'bpmn:MessageEventDefinition')) { self.message(bo, def); }
    });
    if (this.is(bo, 'bpmn:Activity')) { this.scripts(bo); }
  };

  OtklikPanel.prototype.userTask = function (bo) {
    var self = this;
    this.heading('Задача пользователя');
    TASK_PROPERTIES.forEach(function (spec) {
      self.field(spec[1], self.property(bo, spec[0]), function (v) { self.setProperty(bo, spec[0], v); },
        {multiline: !!spec[2], rows: 6, json: spec[0] === 'formJsonSchema', key: spec[0]});
    });
  };

  OtklikPanel.prototype.serviceTask = function (bo) {
    var self = this, moddle = this.moddle;
    this.heading('Операция');
    var operator = this.extension(bo, SPIFF + 'ServiceTaskOperator', false);
    this.field('Операция (из таблицы операций)', operator && operator.id, function (v) {
      var op = self.extension(bo, SPIFF + 'ServiceTaskOperator', true);
      self.modeling.updateModdleProperties(self.element, op, {id: v});
    }, {key: 'operator'});
    this.field('Переменная результата', operator && operator.resultVariable, function (v) {
      var op = self.extension(bo, SPIFF + 'ServiceTaskOperator', true);
      self.modeling.updateModdleProperties(self.element, op, {resultVariable: v || undefined});
    }, {key: 'resultVariable'});
    var params = operator && operator.parameterList ? operator.parameterList.parameters || [] : [];
    var text = params.map(function (p) { return p.id + ' = ' + (p.value || ''); }).join('\n');
    this.field('Параметры (имя = выражение, по одному в строке)', text, function (v) {
      var op = self.extension(bo, SPIFF + 'ServiceTaskOperator', true);
      var list = v.split('\n').filter(function (line) { return line.indexOf('=') > 0; }).map(function (line) {
        var at = line.indexOf('=');
        return moddle.create(SPIFF + 'Parameter', {id: line.slice(0, at).trim(), type: 'any', value: line.slice(at + 1).trim()});
      });
      self.modeling.updateModdleProperties(self.element, op, {parameterList: moddle.create(SPIFF + 'Parameters', {parameters: list})});
    }, {multiline: true, key: 'parameters'});
  };

  OtklikPanel.prototype.condition = function (bo) {
    var self = this;
    this.field('Условие перехода', bo.conditionExpression && bo.conditionExpression.body, function (v) {
      self.modeling.updateProperties(self.element, {
        conditionExpression: v ? self.moddle.create('bpmn:FormalExpression', {body: v}) : undefined});
    }, {key: 'condition'});
  };

  OtklikPanel.prototype.timer = function (def) {
    var self = this;
    this.heading('Таймер');
    var kinds = [['timeDate', 'дата-время'], ['timeDuration', 'длительность'], ['timeCycle', 'цикл']];
    var current = kinds.filter(function (k) { return def[k[0]]; })[0] || kinds[1];
    var wrap = Otklik.el('label', {'class': 'panel-field'}, 'Вид');
    var select = Otklik.el('select', {'data-field': 'timerKind'});
    kinds.forEach(function (k) { var o = Otklik.el('option', {value: k[0]}, k[1]); o.selected = k === current; select.appendChild(o); });
    wrap.appendChild(select); this.container.appendChild(wrap);
    var input = this.field('Выражение (ISO 8601 в кавычках или выражение)', def[current[0]] && def[current[0]].body,
      function () { apply(); }, {key: 'timer', hint: 'например "PT2H" или deadlines["accept_due_at"]'});
    function apply() {
      var props = {timeDate: undefined, timeDuration: undefined, timeCycle: undefined};
      if (input.value.trim()) { props[select.value] = self.moddle.create('bpmn:FormalExpression', {body: input.value.trim()}); }
      self.modeling.updateModdleProperties(self.element, def, props);
    }
    select.addEventListener('change', apply);
  };

  OtklikPanel.prototype.rootElements = function (type) {
    return (this.modeler.getDefinitions().rootElements || []).filter(function (e) { return e.$type === type; });
  };

  OtklikPanel.prototype.message = function (bo, def) {
    var self = this, moddle = this.moddle, definitions = this.modeler.getDefinitions();
    this.heading('Сообщение');
    this.field('Имя сообщения', def.messageRef && def.messageRef.name, function (v) {
      var message = self.rootElements('bpmn:Message').filter(function (m) { return m.name === v; })[0];
      if (!message && v) {
        message = moddle.create('bpmn:Message', {id: 'msg_' + v.replace(/\W+/g, '_'), name: v});
        self.modeling.updateModdleProperties(self.element, definitions, {rootElements: definitions.rootElements.concat([message])});
      }
      self.modeling.updateModdleProperties(self.element, def, {messageRef: message || undefined});
      self.show(self.element);
    }, {key: 'messageName'});
    var message = def.messageRef;
    if (!message) { return; }
    this.rootElements('bpmn:CorrelationProperty').forEach(function (prop) {
      var entry = (prop.correlationPropertyRetrievalExpression || []).filter(function (r) { return r.messageRef === message; })[0];
      self.field('Ключ корреляции «' + (prop.name || prop.id) + '» (выражение над содержимым)',
        entry && entry.messagePath && entry.messagePath.body, function (v) {
          var rest = (prop.correlationPropertyRetrievalExpression || []).filter(function (r) { return r !== entry; });
          if (v) {
            rest.push(moddle.create('bpmn:CorrelationPropertyRetrievalExpression', {
              messageRef: message, messagePath: moddle.create('bpmn:FormalExpression', {body: v})}));
          }
          self.modeling.updateModdleProperties(self.element, prop, {correlationPropertyRetrievalExpression: rest});
        }, {key: 'correlation-' + prop.id});
    });
    this.field('Новый ключ корреляции (имя)', '', function (v) {
      if (!v) { return; }
      var prop = moddle.create('bpmn:CorrelationProperty', {id: v.replace(/\W+/g, '_'), name: v,
        correlationPropertyRetrievalExpression: [moddle.create('bpmn:CorrelationPropertyRetrievalExpression', {
          messageRef: message, messagePath: moddle.create('bpmn:FormalExpression', {body: v})})]});
      self.modeling.updateModdleProperties(self.element, definitions, {rootElements: definitions.rootElements.concat([prop])});
      self.show(self.element);
    }, {key: 'newCorrelation'});
    if (this.is(bo, 'bpmn:CatchEvent')) {
      this.field('Переменная для содержимого', this.bodyExtension(bo, SPIFF + 'MessageVariable'), function (v) {
        self.setBodyExtension(bo, SPIFF + 'MessageVariable', v); }, {key: 'messageVariable'});
    } else {
      this.field('Содержимое (выражение)', this.bodyExtension(bo, SPIFF + 'MessagePayload'), function (v) {
        self.setBodyExtension(bo, SPIFF + 'MessagePayload', v); }, {key: 'messagePayload'});
    }
  };

  OtklikPanel.prototype.scripts = function (bo) {
    var self = this;
    this.heading('Скрипты до и после');
    this.field('Перед шагом', this.bodyExtension(bo, SPIFF + 'PreScript'), function (v) {
      self.setBodyExtension(bo, SPIFF + 'PreScript', v); }, {multiline: true, rows: 2, key: 'preScript'});
    this.field('После шага', this.bodyExtension(bo, SPIFF + 'PostScript'), function (v) {
      self.setBodyExtension(bo, SPIFF + 'PostScript', v); }, {multiline: true, rows: 2, key: 'postScript'});
  };

  window.OtklikPanel = OtklikPanel;
})();
