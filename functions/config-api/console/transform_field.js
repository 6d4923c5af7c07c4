// A webhook's body shape (`transform`): hookrelay's default body, the
// settings body, or a Jinja template, with a live preview of the body sent
// for the catalogue's example of an event it subscribes to
// (POST /v1/transforms/preview, which changes nothing: read-only sessions see it too).

import { api } from './api.js';
import { h, uid, field, select, show, messagesOf } from './ui.js';
import { subscribed } from './event_picker.js';

const SHAPES = [['default', 'Default'], ['settings', 'Settings'], ['template', 'Template']];
const PLACEHOLDER = '{\n  "text": "Order {{ payload.id }} paid",\n  "total": {{ payload.total }}\n}';
const WAIT_MS = 300;
// What the API tries a template on when no subscribed event has an example.
const NO_EXAMPLE = 'example.event';

/** The select's value for a stored transform: a template is an object. */
const shapeOf = (transform) => (transform && typeof transform === 'object' ? 'template' : transform || 'default');

/** The template's textarea, in a slot of its own that a 422's `transform` error lands in. */
function templateSlot(stored, readOnly) {
  const text = h('textarea', {
    name: 'template', id: uid('template'), rows: 6, class: 'mono', spellcheck: 'false',
    disabled: readOnly, placeholder: PLACEHOLDER,
  }, stored?.template || '');
  const slot = field('Template', text,
    'Jinja over the default body\'s id, event {name, type, traceId}, timestamp, context and payload. Each {{ value }} is written as JSON for where it stands: a JSON value between values, escaped text inside a string. At most 8192 bytes.');
  slot.dataset.field = 'transform';
  return { slot, text };
}

/** What a read-only session sees instead of the controls. */
const shown = (transform) => h('div', { class: 'field' },
  h('span', { class: 'label' }, 'Body shape'),
  h('p', { class: 'shape' }, SHAPES.find(([v]) => v === shapeOf(transform))?.[1] ?? String(transform)),
  transform?.template && h('pre', { class: 'body', tabindex: 0 }, transform.template));

/** The preview box: the body as pretty JSON, or why there is none. */
function previewBox() {
  const caption = h('figcaption');
  const content = h('div');
  return {
    el: h('figure', { class: 'transform-preview' }, caption, content),
    body: (event, body) => {
      show(caption, `Body sent for the example of ${event}`);
      show(content, h('pre', { class: 'body', tabindex: 0 }, JSON.stringify(body, null, 2)));
    },
    error: (message) => {
      show(caption, 'Preview');
      show(content, h('p', { class: 'notice error', role: 'status' }, message));
    },
    note: (message) => {
      show(caption, 'Preview');
      show(content, h('p', { class: 'muted' }, message));
    },
  };
}

/**
 * Asks for a preview of `read()` on `event()`: `now`, or `soon` (after a pause
 * in typing). Only the latest answer is shown, whatever order they come back in.
 */
function previewer(box, read, event, text) {
  let asked = 0;
  let timer;
  async function now() {
    clearTimeout(timer);
    const ask = ++asked;
    const [transform, on] = [read(), event()];
    if (transform.template?.trim() === '') {
      text.removeAttribute('aria-invalid');
      return box.note('Type a template to see the body it makes.');
    }
    try {
      const { body } = await api('POST', '/v1/transforms/preview', { transform, event: on });
      if (ask !== asked) return;
      text.removeAttribute('aria-invalid');
      box.body(on, body);
    } catch (err) {
      if (ask !== asked) return;
      if (transform.template !== undefined) text.setAttribute('aria-invalid', 'true');
      box.error(messagesOf(err, 'transform'));
    }
  }
  const soon = () => { clearTimeout(timer); timer = setTimeout(now, WAIT_MS); };
  return { now, soon };
}

/** `events` is the form's event picker: the preview offers the examples of what it subscribes to. */
export function transformField(catalogue, webhook, events, readOnly) {
  const stored = webhook?.transform;
  const shape = select('transform-shape', SHAPES, shapeOf(stored), { id: uid('transform-shape'), disabled: readOnly });
  const { slot, text } = templateSlot(stored, readOnly);
  const against = h('select', { name: 'transform-example', id: uid('transform-example') });
  const none = h('p', { class: 'hint' },
    'None of the events chosen above has an example payload in the catalogue: the preview uses an empty one.');
  const box = previewBox();
  const read = () => (shape.value === 'template' ? { template: text.value } : shape.value);
  const preview = previewer(box, read, () => against.value || NO_EXAMPLE, text);

  const examples = () => catalogue.filter((t) => t.example !== null && t.example !== undefined && subscribed(events.read(), t));
  const fillExamples = () => {
    const kept = against.value;
    const types = examples();
    show(against, types.map((t) => h('option', { value: t.event, selected: t.event === kept }, t.event)));
    against.parentElement.hidden = !types.length;
    none.hidden = types.length > 0;
  };
  const showSlot = () => { slot.hidden = shape.value !== 'template'; };

  shape.addEventListener('change', () => { showSlot(); preview.now(); });
  text.addEventListener('input', preview.soon);
  against.addEventListener('change', preview.now);
  events.addEventListener('events-change', () => {
    const before = against.value;
    fillExamples();
    if (against.value !== before) preview.now();
  });

  const wrap = h('div', { class: 'transform' },
    readOnly ? shown(stored) : [field('Body shape', shape,
      'Default: hookrelay\'s body. Settings: {event_time, event_type, current_context, data}. Template: a JSON body of your own.'), slot],
    h('div', { class: 'picker' }, h('label', { for: against.id }, 'Preview with the example of'), against),
    none,
    box.el);
  fillExamples();
  showSlot();
  preview.now();
  wrap.read = read;
  return wrap;
}
