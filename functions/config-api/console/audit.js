// The audit log: who changed what, and when, newest first. Read as one
// growing timeline, so "Load more" adds the next page below the rows shown.
// Secrets arrive masked from the API; this screen only shows what it gets.

import { api, query } from './api.js';
import { h, show, field, time, select, showErrors, rememberFilters, headRow, cells } from './ui.js';

const ACTIONS = [
  'webhook.created', 'webhook.updated', 'webhook.secret_rotated', 'webhook.disabled', 'webhook.deleted',
  'webhook.recovered', 'delivery.retried', 'event_type.created', 'event_type.updated', 'event_type.deleted',
  'api_key.created', 'api_key.revoked', 'console_link.created', 'console_link.revoked', 'account.created', 'account.updated',
];
const KIND = {
  account: 'Account', webhook: 'Webhook', event_type: 'Event type', api_key: 'API key',
  console_link: 'Console link', delivery: 'Delivery', operator: 'Operator',
};
const RESOURCES = ['webhook', 'event_type', 'api_key', 'console_link', 'delivery', 'account'];
const ACTORS = ['api_key', 'console_link', 'operator'];
// Screens a resource id can open; the others have no page of their own.
const SCREENS = { webhook: '#/webhooks/', delivery: '#/deliveries/' };
const PAGE_SIZE = 25;
const COLUMNS = [['Time', 'nowrap'], ['Actor'], ['Action', 'nowrap'], ['Resource'], ['Changes']];

const options = (values, all) => [['', all], ...values.map((v) => [v, KIND[v] || v])];

export async function list(main, params) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const filters = filterBar(params);
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const count = h('p', { class: 'muted small-text', 'aria-live': 'polite' });
  let shown = 0;
  let next = null;
  let asked = 0;

  /** The first page for the filters (`append` false), or the next one below. */
  async function load(append) {
    const chosen = filters.chosen();
    rememberFilters(chosen);
    const mine = ++asked;
    more.disabled = true;
    try {
      const page = await api('GET', `/v1/audit${query({ ...chosen, limit: PAGE_SIZE, cursor: append ? next : undefined })}`);
      // A newer question (the filters changed meanwhile) owns the table.
      if (mine !== asked) return;
      showErrors(filters.el, banner, { message: '', errors: [] });
      const rows = page.audit.map(row);
      if (append) body.append(...rows);
      else show(body, rows.length ? rows : h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'empty' }, emptyText(chosen))));
      shown = (append ? shown : 0) + rows.length;
      next = page.next_cursor;
    } catch (err) {
      if (mine !== asked) return;
      showErrors(filters.el, banner, err);
      // The rows of the filters before, and their cursor, no longer apply.
      if (!append) {
        show(body);
        shown = 0;
        next = null;
      }
    }
    more.hidden = !next;
    more.disabled = false;
    count.textContent = shown ? `${shown} ${shown === 1 ? 'record' : 'records'} shown${next ? '; more are older' : ''}.` : '';
  }
  for (const control of filters.controls) control.addEventListener('change', () => load(false));
  more.addEventListener('click', () => load(true));

  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Audit log')),
    h('p', { class: 'muted' }, 'Every change to this account: who made it, when, and each field before → after. Secrets show only their last characters.'),
    banner,
    filters.el,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'audit stack' },
        h('caption', { class: 'sr-only' }, 'Audit log, newest first'),
        h('thead', {}, headRow(COLUMNS)),
        body)),
    h('div', { class: 'pager' }, count, more));
  await load(false);
}

/** The filters, set from the address; `chosen()` reads them as the API's parameters. */
function filterBar(params) {
  const controls = [
    ['Action', select('action', options(ACTIONS, 'All actions'), params.get('action') || '')],
    ['Resource type', select('resource_type', options(RESOURCES, 'All resources'), params.get('resource_type') || '')],
    ['Actor type', select('actor_type', options(ACTORS, 'Anyone'), params.get('actor_type') || '')],
    ['Resource id', h('input', {
      name: 'resource_id', value: params.get('resource_id') || '', maxlength: 200, autocomplete: 'off', spellcheck: 'false',
    })],
  ].map(([label, control]) => [field(label, control), control]);
  return {
    el: h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Filters' }, controls.map(([f]) => f)),
    controls: controls.map(([, control]) => control),
    chosen: () => Object.fromEntries(controls.map(([, c]) => [c.name, c.value.trim()])),
  };
}

function emptyText(chosen) {
  return Object.values(chosen).some(Boolean) ? 'No audit records match these filters.' : 'No changes recorded yet.';
}

function row(entry) {
  const { actor, resource } = entry;
  const kind = KIND[actor.type] || actor.type;
  // A console link's actor is named "console link": its kind says it already.
  const who = actor.name.toLowerCase() === kind.toLowerCase() ? kind : `${actor.name} · ${kind}`;
  const screen = SCREENS[resource.type];
  const id = h('span', { class: 'mono resource-id' }, resource.id);
  return h('tr', {}, cells(COLUMNS, [
    time(entry.at),
    h('span', { title: actor.id }, who),
    h('span', { class: 'mono' }, entry.action),
    h('span', {}, KIND[resource.type] || resource.type, ' ',
      screen && !entry.action.endsWith('.deleted') ? h('a', { href: screen + resource.id }, id) : id),
    changeList(entry.changes),
  ]));
}

/** A JSON value in one line: text as it is, null as an em dash. */
function compact(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' && value !== '' ? value : JSON.stringify(value);
}

function changeList(changes) {
  const fields = Object.entries(changes);
  if (!fields.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'change-list' }, fields.map(([name, { before, after }]) => h('li', {},
    h('span', { class: 'change-field' }, name), ': ', compact(before), ' → ', compact(after))));
}
