// The event-type catalogue ("Available events"): what producers send,
// described for the people who subscribe; the webhook form offers it.

import { api, all } from './api.js';
import { h, show, field, notice, dialog, time } from './ui.js';

export async function list(main, session) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const readOnly = session.access.read_only;
  async function load() {
    const types = await all('/v1/event-types', 'event_types');
    show(body, types.length ? types.map((t) => row(t, readOnly, load))
      : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'The catalogue is empty. Add the events your system sends.')));
  }
  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Event types'),
      !readOnly && h('button', { type: 'button', class: 'primary', onclick: () => editor(null, load) }, 'Add event type')),
    h('p', { class: 'muted' }, 'The events your system sends. Webhooks subscribe to them by name.type, name.* or *; a subscription may also name events that are not listed here.'),
    banner,
    h('div', { class: 'table-wrap' }, h('table', { class: 'catalogue' },
      h('caption', { class: 'sr-only' }, 'Event types'),
      h('thead', {}, h('tr', {}, ['Event', 'Description', 'Updated', ''].map((c) => h('th', { scope: 'col' }, c)))),
      body)));
  try {
    await load();
  } catch (err) {
    notice(banner, 'error', err.message);
  }
}

function row(t, readOnly, reload) {
  return h('tr', {},
    h('td', { class: 'mono' }, t.event),
    h('td', {}, t.description || h('span', { class: 'muted' }, '—'),
      t.example !== null && h('details', {}, h('summary', {}, 'Example'),
        h('pre', { class: 'body' }, JSON.stringify(t.example, null, 2))),
      t.schema !== null && h('details', {},
        h('summary', {}, `Schema v${t.schema_version}${t.enforce ? ' · enforced' : ''}`),
        h('pre', { class: 'body' }, JSON.stringify(t.schema, null, 2)))),
    h('td', {}, time(t.updated_at)),
    h('td', { class: 'row-actions' }, !readOnly && [
      h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${t.event}`, onclick: () => editor(t, reload) }, 'Edit'),
      h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${t.event}`, onclick: () => remove(t, reload) }, 'Delete'),
    ]));
}

/** Reads a JSON textarea (`example`, `schema`): null when empty, else the parsed JSON. */
function readJson(field, text) {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    const err = new Error(`The ${field} is not valid JSON.`);
    err.errors = [{ field, message: `is not valid JSON: ${e.message}` }];
    throw err;
  }
}

const pretty = (value) => (value == null ? '' : JSON.stringify(value, null, 2));

async function editor(existing, reload) {
  const name = h('input', { name: 'name', value: existing?.name || '', disabled: !!existing, placeholder: 'user' });
  const type = h('input', { name: 'type', value: existing?.type || '', disabled: !!existing, placeholder: 'created' });
  const description = h('textarea', { name: 'description', rows: 2 }, existing?.description || '');
  const example = h('textarea', { name: 'example', rows: 6, class: 'mono', spellcheck: 'false' },
    pretty(existing?.example));
  const schema = h('textarea', { name: 'schema', rows: 6, class: 'mono', spellcheck: 'false',
    placeholder: '{"type": "object", "required": ["id"]}' }, pretty(existing?.schema));
  const enforce = h('input', { name: 'enforce', type: 'checkbox', checked: !!existing?.enforce });
  const saved = await dialog(existing ? `Edit ${existing.event}` : 'Add an event type', h('div', {},
    h('div', { class: 'pair' }, field('Name', name), field('Type', type)),
    field('Description', description),
    field('Example payload (JSON)', example),
    field('Payload schema (JSON Schema 2020-12)', schema, 'Optional. The example must keep to it; each change moves its version on.'),
    h('div', { class: 'field check', dataset: { field: 'enforce' } },
      h('label', {}, enforce, ' Refuse events whose payload breaks the schema (422 naming each place)'),
      h('p', { class: 'field-error', role: 'alert' }))), {
    confirm: existing ? 'Save' : 'Add',
    onConfirm: () => {
      const body = {
        description: description.value.trim() || null, example: readJson('example', example.value),
        schema: readJson('schema', schema.value), enforce: enforce.checked,
      };
      return existing
        ? api('PATCH', `/v1/event-types/${existing.event}`, body)
        : api('POST', '/v1/event-types', { name: name.value.trim(), type: type.value.trim(), ...body });
    },
  });
  if (saved) await reload();
}

async function remove(t, reload) {
  const gone = await dialog(`Delete ${t.event}?`, h('p', {},
    'It leaves the catalogue. Webhooks subscribed to it keep receiving it.'), {
    confirm: 'Delete', danger: true,
    onConfirm: () => api('DELETE', `/v1/event-types/${t.event}`),
  });
  if (gone) await reload();
}
