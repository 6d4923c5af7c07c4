// The delivery log: every delivery, or one webhook's, filtered and paged by
// cursor, refreshing itself; and one delivery with its payload and attempts.

import { api, query } from './api.js';
import { h, show, field, notice, time, badge, select, localToIso, pager } from './ui.js';

const STATUSES = ['created', 'scheduled', 'dispatched', 'delivered', 'failed'];
const REFRESH_MS = 3000;

export async function list(main, session, params) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const statusBoxes = STATUSES.map((s) => h('input', { type: 'checkbox', name: 'status', value: s }));
  const event = h('input', { name: 'event', placeholder: 'user or user.created' });
  const hooks = await api('GET', '/v1/webhooks?limit=100').catch(() => ({ webhooks: [] }));
  const webhook = select('webhook_id',
    [['', 'All webhooks'], ...hooks.webhooks.map((w) => [w.id, w.name])], params.get('webhook_id') || '');
  const from = h('input', { type: 'datetime-local', name: 'start' });
  const to = h('input', { type: 'datetime-local', name: 'end' });
  const sort = select('sort', [['created_at', 'Created'], ['updated_at', 'Updated'], ['id', 'Id']], 'created_at');
  const order = select('order', [['desc', 'Newest first'], ['asc', 'Oldest first']], 'desc');
  const live = h('input', { type: 'checkbox', name: 'live', checked: true });
  const pages = pager(() => load());
  let page = { deliveries: [] };

  async function load() {
    const statuses = statusBoxes.filter((b) => b.checked).map((b) => b.value).join(',');
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
    show(body, page.deliveries.length ? page.deliveries.map(row)
      : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No deliveries match.')));
  }
  for (const control of [...statusBoxes, webhook, from, to, sort, order, event]) {
    control.addEventListener('change', pages.restart);
  }

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
      h('table', { class: 'log' },
        h('caption', { class: 'sr-only' }, 'Deliveries'),
        h('thead', {}, h('tr', {}, ['Event', 'Status', 'HTTP', 'Attempts', 'Created', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
        body)),
    pages.el);
  await load();
  // New deliveries and attempts appear without a reload, while the tab is visible.
  const timer = setInterval(() => { if (live.checked && !document.hidden) load(); }, REFRESH_MS);
  return () => clearInterval(timer);
}

function row(d) {
  const name = `${d.event.name}.${d.event.type}`;
  return h('tr', {},
    h('td', {}, h('a', { href: `#/deliveries/${d.id}` }, name)),
    h('td', {}, badge(d.status)),
    h('td', { class: 'num' }, d.code || '—'),
    h('td', { class: 'num' }, d.attempts),
    h('td', {}, time(d.created_at)),
    h('td', {}, time(d.updated_at)));
}

export async function detail(main, session, id) {
  const banner = h('div', { hidden: true });
  const facts = h('div');
  const attempts = h('div');
  const retry = h('button', { type: 'button', class: 'primary', disabled: session.access.read_only }, 'Retry now');
  const paint = (d) => {
    show(facts, h('dl', { class: 'facts grid' },
      [['Status', badge(d.status)], ['HTTP', d.code || '—'], ['Attempts', d.attempts],
        ['Next attempt', time(d.next_attempt_at)], ['Created', time(d.created_at)], ['Updated', time(d.updated_at)],
        ['Event id', h('span', { class: 'mono' }, d.event_id)],
        ['Webhook', d.webhook_id ? h('a', { href: `#/webhooks/${d.webhook_id}` }, d.webhook_id) : 'ad hoc URL'],
        ['URL', h('span', { class: 'mono' }, d.url)]]
        .map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
    show(attempts, attemptTable(d.attempt_log || [], d.attempts));
  };
  retry.addEventListener('click', async () => {
    retry.disabled = true;
    try {
      const { delivery } = await api('POST', `/v1/deliveries/${id}/retry`, {});
      paint(delivery);
      notice(banner, delivery.status === 'delivered' ? 'ok' : 'error',
        `Sent again: ${delivery.status}, HTTP ${delivery.code || '—'}.`);
    } catch (err) {
      notice(banner, 'error', err.message);
    }
    retry.disabled = session.access.read_only;
  });
  const { delivery } = await api('GET', `/v1/deliveries/${id}`);
  show(main,
    h('p', {}, h('a', { href: '#/deliveries' }, '← Deliveries')),
    h('div', { class: 'heading' }, h('h1', {}, `${delivery.event.name}.${delivery.event.type}`), retry),
    banner,
    h('section', { class: 'card' }, facts),
    h('section', { class: 'card' }, h('h2', {}, 'Attempts'), attempts),
    h('section', { class: 'card' }, h('h2', {}, 'Payload'),
      h('pre', { class: 'body payload', tabindex: '0', 'aria-label': 'Payload' }, JSON.stringify(delivery.payload, null, 2))));
  paint(delivery);
}

/** The kept attempts (the last 20), numbered among all `total`. */
function attemptTable(log, total) {
  if (!log.length) return h('p', { class: 'muted' }, 'No attempt yet.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'attempts' },
    h('caption', { class: 'sr-only' }, 'Attempts, oldest first'),
    h('thead', {}, h('tr', {}, ['#', 'At', 'HTTP', 'Duration', 'Error', 'Response'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, log.map((a, i) => h('tr', {},
      h('td', { class: 'num' }, total - log.length + i + 1),
      h('td', {}, time(a.at)),
      h('td', { class: 'num' }, a.code || '—'),
      h('td', { class: 'num' }, `${a.duration_ms} ms`),
      h('td', {}, a.error || '—'),
      h('td', {}, a.response_body
        ? h('details', {}, h('summary', {}, 'Body'), h('pre', { class: 'body' }, a.response_body))
        : h('span', { class: 'muted' }, 'empty')))))));
}
