// A webhook's payload filter: an EventBridge event pattern typed as JSON,
// and "Try it" against the example payload of an event type in the
// catalogue (POST /v1/filters/test, which changes nothing).

import { api } from './api.js';
import { h, uid, messagesOf } from './ui.js';
import { subscribed } from './event_picker.js';

const PLACEHOLDER = '{"payload": {"total": [{"numeric": [">", 100]}]}}';

/** The typed pattern: `{value}` (null when empty) or `{error}` when it is not JSON. */
function parse(text) {
  const typed = text.value.trim();
  if (!typed) return { value: null };
  try {
    return { value: JSON.parse(typed) };
  } catch (err) {
    return { error: `is not JSON: ${err.message}` };
  }
}

export function filterField(catalogue, webhook, readOnly) {
  const text = h('textarea', {
    name: 'filter', id: uid('filter'), rows: 4, class: 'mono', spellcheck: 'false',
    disabled: readOnly, placeholder: PLACEHOLDER,
  }, webhook?.filter ? JSON.stringify(webhook.filter, null, 2) : '');
  const examples = catalogue.filter((t) => t.example !== null && t.example !== undefined);
  const first = examples.find((t) => subscribed(webhook?.events || [], t)) || examples[0];
  const against = h('select', { name: 'filter-example', id: uid('filter-example') },
    examples.map((t) => h('option', { value: t.event, selected: t === first }, t.event)));
  const outcome = h('p', { class: 'filter-outcome', role: 'status' });
  const error = h('p', { class: 'field-error', id: `${text.id}-error`, role: 'alert' });
  text.setAttribute('aria-describedby', `${text.id}-hint ${error.id}`);
  const fail = (message) => { error.textContent = message; text.setAttribute('aria-invalid', 'true'); };

  async function tryIt() {
    outcome.replaceChildren();
    error.textContent = '';
    text.removeAttribute('aria-invalid');
    const pattern = parse(text);
    if (pattern.error) return fail(pattern.error);
    const type = examples.find((t) => t.event === against.value);
    if (pattern.value === null) return outcome.append('No filter: every event it subscribes to is sent.');
    try {
      const body = { filter: pattern.value, event: type.event, payload: type.example };
      const { matches } = await api('POST', '/v1/filters/test', body);
      outcome.append(h('span', { class: `badge ${matches ? 'ok' : 'off'}` }, matches ? 'Matches' : 'Does not match'),
        ` the example of ${type.event}: it ${matches ? 'would' : 'would not'} be sent.`);
    } catch (err) {
      fail(messagesOf(err, 'filter'));
    }
  }

  const wrap = h('div', { class: 'field', dataset: { field: 'filter' } },
    h('label', { for: text.id }, 'Filter (optional)'),
    text,
    h('p', { class: 'hint', id: `${text.id}-hint` },
      'An EventBridge event pattern over the event, its payload and context: only events it matches are sent. Empty: every event chosen above.'),
    examples.length
      ? h('div', { class: 'picker' },
        h('label', { for: against.id }, 'Try it on the example of'), against,
        h('button', { type: 'button', class: 'small', onclick: tryIt }, 'Try it'))
      : h('p', { class: 'hint' }, 'Give an event type an example payload in the catalogue to try a filter on it.'),
    outcome,
    error);
  wrap.read = () => parse(text);
  return wrap;
}
