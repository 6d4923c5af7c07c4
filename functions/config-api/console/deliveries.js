// The delivery log: every delivery, or one webhook's, filtered and paged by
// cursor, refreshing itself; and one delivery with its payload and attempts.

import { api, query } from './api.js';
import {
  h, show, field, notice, time, badge, select, localToIso, pager, rememberFilters, SORT_DEFAULTS, sortSelects, headRow, cells,
} from './ui.js';

const STATUSES = ['created', 'scheduled', 'dispatched', 'delivered', 'failed'];
const FAILURES = {
  attempts_exhausted: 'Every attempt failed', gone: 'The endpoint answered 410 Gone',
  test_not_retried: 'A test-send is not retried', webhook_disabled: 'The webhook is switched off',
  webhook_deleted: 'The webhook was deleted', event_expired: 'The event expired',
  transform_failed: 'The webhook\'s transform could not shape the body',
};
const PENDING = new Set(['created', 'scheduled', 'dispatched']);
const REFRESH_MS = 3000;

// The list's address, filters included, for the detail's way back.
let listHash = '#/deliveries';

export async function list(main, session, params) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const chosen = (params.get('status') || '').split(',');
  const statusBoxes = STATUSES.map((s) => h('input', { type: 'checkbox', name: 'status', value: s, checked: chosen.includes(s) }));
  const event = h('input', { name: 'event', placeholder: 'user or user.created', value: params.get('event') || '' });
  const hooks = await api('GET', '/v1/webhooks?limit=100').catch(() => ({ webhooks: [] }));
  const names = new Map(hooks.webhooks.map((w) => [w.id, w.name]));
  const webhook = select('webhook_id',
    [['', 'All webhooks'], ...hooks.webhooks.map((w) => [w.id, w.name])], params.get('webhook_id') || '');
  const from = h('input', { type: 'datetime-local', name: 'start', value: params.get('from') || '' });
  const to = h('input', { type: 'datetime-local', name: 'end', value: params.get('to') || '' });
  const [sort, order] = sortSelects(params);
  const live = h('input', { type: 'checkbox', name: 'live', checked: true });
  const pages = pager(() => load());
  let page = { deliveries: [] };
  let painted = null;

  async function load() {
    const statuses = statusBoxes.filter((b) => b.checked).map((b) => b.value).join(',');
    rememberFilters({
      status: statuses, event: event.value.trim(), webhook_id: webhook.value, from: from.value, to: to.value,
      sort: sort.value, order: order.value,
    }, SORT_DEFAULTS);
    listHash = location.hash;
    const path = webhook.value ? `/v1/webhooks/${webhook.value}/deliveries` : '/v1/deliveries';
    const filters = {
      status: statuses, event: event.value.trim(), start: localToIso(from.value), end: localToIso(to.value),
      sort: sort.value, order: order.value, limit: 25, cursor: pages.cursor(),
    };
    try {
      page = await api('GET', path + query(filters));
      notice(banner, 'error', '');
    } catch (err) {
      notice(banner, 'error', err.message);
    }
    pages.update(page.next_cursor);
    // A refresh that changes nothing leaves the rows (and the focus in them) alone.
    const now = JSON.stringify(page.deliveries.map((d) => [d.id, d.status, d.code, d.attempts, d.updated_at]));
    if (now === painted) return;
    painted = now;
    show(body, page.deliveries.length ? page.deliveries.map((d) => row(d, names))
      : h('tr', {}, h('td', { colspan: LOG_COLUMNS.length, class: 'empty' }, 'No deliveries match.')));
  }
  for (const control of [...statusBoxes, webhook, from, to, sort, order, event]) {
    control.addEventListener('change', pages.restart);
  }
  // A click anywhere on a row opens it; the event link stays the keyboard's way in.
  body.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr && !e.target.closest('a, button') && !getSelection().toString()) location.hash = `#/deliveries/${tr.dataset.id}`;
  });

  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Deliveries'),
      h('label', { class: 'live' }, live, ' Refresh automatically')),
    banner,
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Filters' },
      h('fieldset', { class: 'statuses' }, h('legend', {}, 'Status'),
        statusBoxes.map((b) => h('label', {}, b, ` ${b.value}`))),
      field('Event', event), field('Webhook', webhook), field('Created from', from), field('Created before', to),
      field('Sort by', sort), field('Order', order)),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'log stack' },
        h('caption', { class: 'sr-only' }, 'Deliveries'),
        h('thead', {}, headRow(LOG_COLUMNS)),
        body)),
    pages.el);
  await load();
  // New deliveries and attempts appear without a reload, while the tab is visible.
  const timer = setInterval(() => { if (live.checked && !document.hidden) load(); }, REFRESH_MS);
  return () => clearInterval(timer);
}

const LOG_COLUMNS = [['Event'], ['Status'], ['HTTP', 'num'], ['Attempts', 'num'], ['Webhook', 'clip'], ['Created'], ['Updated']];

function row(d, names) {
  const name = `${d.event.name}.${d.event.type}`;
  return h('tr', { dataset: { id: d.id } }, cells(LOG_COLUMNS, [
    h('a', { href: `#/deliveries/${d.id}` }, name),
    badge(d.status),
    d.code || '—',
    d.attempts,
    d.webhook_id
      ? names.get(d.webhook_id) || h('span', { class: 'mono' }, d.webhook_id.slice(-12))
      : h('span', { class: 'muted' }, 'ad hoc URL'),
    time(d.created_at),
    time(d.updated_at),
  ]));
}

export async function detail(main, session, id) {
  const banner = h('div', { hidden: true });
  const facts = h('div');
  const attempts = h('div');
  const readOnly = session.access.read_only;
  const retry = h('button', { type: 'button', class: 'primary' }, 'Retry now');
  let lastStatus;
  let webhookName;
  const paint = (d) => {
    lastStatus = d.status;
    show(facts, h('dl', { class: 'facts grid' },
      [['Status', badge(d.status)], ...(d.failure_reason ? [['Why it failed', FAILURES[d.failure_reason] || d.failure_reason]] : []),
        ['HTTP', d.code || '—'], ['Attempts', d.attempts],
        ['Next attempt', time(d.next_attempt_at)], ['Created', time(d.created_at)], ['Updated', time(d.updated_at)],
        ['Delivery id (webhook-id)', h('span', { class: 'mono' }, d.id)],
        ['Event id', h('span', { class: 'mono' }, d.event_id)],
        ['Webhook', d.webhook_id ? h('a', { href: `#/webhooks/${d.webhook_id}` }, webhookName || d.webhook_id) : 'ad hoc URL'],
        // A poll webhook's delivery has no URL: it is fetched, not sent.
        ['URL', d.url === null ? h('span', { class: 'muted' }, 'none (polled)') : h('span', { class: 'mono' }, d.url)]]
        .map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
    show(attempts, attemptTable(d.attempt_log || [], d.attempts));
  };
  retry.addEventListener('click', async () => {
    retry.disabled = true;
    try {
      const { delivery } = await api('POST', `/v1/deliveries/${id}/retry`, {});
      paint(delivery);
      if (delivery.url === null) notice(banner, 'ok', 'Offered again: the next poll fetches it.');
      else {
        notice(banner, delivery.status === 'delivered' ? 'ok' : 'error',
          `Sent again: ${delivery.status}, HTTP ${delivery.code || '—'}.`);
      }
    } catch (err) {
      notice(banner, 'error', err.message);
    }
    retry.disabled = false;
  });
  const { delivery } = await api('GET', `/v1/deliveries/${id}`);
  // Its webhook by name; a deleted one leaves only the id.
  webhookName = delivery.webhook_id
    && (await api('GET', `/v1/webhooks/${delivery.webhook_id}`).catch(() => null))?.webhook.name;
  show(main,
    h('p', {}, h('a', { href: listHash }, '← Deliveries')),
    h('div', { class: 'heading' }, h('h1', {}, `${delivery.event.name}.${delivery.event.type}`), !readOnly && retry),
    banner,
    h('section', { class: 'card' }, facts),
    h('section', { class: 'card' }, h('h2', {}, 'Attempts'), attempts),
    h('section', { class: 'card' }, h('h2', {}, 'Payload'),
      delivery.payload === null
        ? h('p', { class: 'muted' }, 'The event has expired: its payload is no longer kept.')
        : h('pre', { class: 'body payload', tabindex: '0', 'aria-label': 'Payload' }, JSON.stringify(delivery.payload, null, 2))));
  paint(delivery);
  // While it is still on its way, its status and attempts follow it.
  const timer = setInterval(async () => {
    if (document.hidden || !PENDING.has(lastStatus)) return;
    try {
      paint((await api('GET', `/v1/deliveries/${id}`)).delivery);
    } catch { /* the next tick tries again; a 401 has signed out already */ }
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

const ATTEMPT_COLUMNS = [['#', 'num'], ['At'], ['HTTP', 'num'], ['Duration', 'num'], ['Error'], ['Response']];

/** The kept attempts (the last 20), numbered among all `total`. */
function attemptTable(log, total) {
  if (!log.length) return h('p', { class: 'muted' }, 'No attempt yet.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'attempts stack' },
    h('caption', { class: 'sr-only' }, 'Attempts, oldest first'),
    h('thead', {}, headRow(ATTEMPT_COLUMNS)),
    h('tbody', {}, log.map((a, i) => h('tr', {}, cells(ATTEMPT_COLUMNS, [
      total - log.length + i + 1,
      time(a.at),
      a.code || '—',
      `${a.duration_ms} ms`,
      a.error || '—',
      a.response_body
        ? h('details', {}, h('summary', {}, 'Body'), h('pre', { class: 'body' }, a.response_body))
        : h('span', { class: 'muted' }, 'empty'),
    ]))))));
}
