// The webhooks screens: the list (list or card view), create and edit, and
// the actions on one webhook (test, rotate, recover, replay, delete).

import { api, all, query, ApiError } from './api.js';
import { h, show, field, notice, showErrors, time, badge, copyButton, dialog, select, localToIso, pager, rememberFilters, SORT_DEFAULTS, sortSelects } from './ui.js';
import { eventPicker } from './event_picker.js';
import { filterField } from './filter_field.js';
import { transformField } from './transform_field.js';
import { statsPanel } from './stats.js';

const VIEW_KEY = 'hookrelay.webhooks.view';
// The last delivery's outcome in the dashboard's words; `scheduled` is a
// failed attempt that will be retried.
const LAST = { delivered: 'Sent', failed: 'Error', scheduled: 'Retrying' };

/** Midnight of a `date` input's day in the browser's zone, as ISO UTC. */
const dayStart = (value, plusDays = 0) => {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
};

export async function list(main, session, params) {
  const state = { view: localStorage.getItem(VIEW_KEY) || 'list' };
  const banner = h('div', { hidden: true });
  const results = h('div', { 'aria-live': 'polite' });
  const from = h('input', { type: 'date', name: 'from', value: params.get('from') || '' });
  const to = h('input', { type: 'date', name: 'to', value: params.get('to') || '' });
  const [sort, order] = sortSelects(params);
  const enabled = select('enabled', [['', 'All'], ['true', 'Enabled'], ['false', 'Disabled']], params.get('enabled') || '');
  const pages = pager(() => load());
  const viewButtons = ['list', 'cards'].map((view) => h('button', {
    type: 'button', class: 'small', dataset: { view }, 'aria-pressed': String(state.view === view),
    onclick: () => { state.view = view; localStorage.setItem(VIEW_KEY, view); paint(); },
  }, view === 'list' ? 'List' : 'Cards'));
  let page = { webhooks: [] };

  const filtered = () => from.value || to.value || enabled.value;
  async function load() {
    rememberFilters({ from: from.value, to: to.value, sort: sort.value, order: order.value, enabled: enabled.value }, SORT_DEFAULTS);
    const filters = {
      sort: sort.value, order: order.value, enabled: enabled.value, limit: 20,
      start: dayStart(from.value), end: dayStart(to.value, 1), cursor: pages.cursor(),
    };
    try {
      page = await api('GET', `/v1/webhooks${query(filters)}`);
      notice(banner, 'error', '');
    } catch (err) {
      notice(banner, 'error', err.message);
    }
    paint();
  }
  function paint() {
    for (const b of viewButtons) b.setAttribute('aria-pressed', String(b.dataset.view === state.view));
    pages.update(page.next_cursor);
    if (!page.webhooks.length) return show(results, empty(session, filtered()));
    const items = page.webhooks.map((w) => item(w, session, banner));
    show(results, state.view === 'cards'
      ? h('ul', { class: 'cards', 'aria-label': 'Webhooks' }, items.map((i) => h('li', { class: 'card hook' }, i)))
      : h('ul', { class: 'rows', 'aria-label': 'Webhooks' }, items.map((i) => h('li', { class: 'row hook' }, i))));
  }
  for (const control of [from, to, sort, order, enabled]) {
    control.addEventListener('change', pages.restart);
  }
  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Webhooks'),
      !session.access.read_only && h('a', { class: 'button primary', href: '#/webhooks/new' }, 'Create webhook')),
    banner,
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Filters' },
      field('Created from', from), field('Created to', to), field('Sort by', sort),
      field('Order', order), field('Status', enabled),
      h('div', { class: 'view-toggle', role: 'group', 'aria-label': 'View' }, viewButtons)),
    results,
    pages.el);
  await load();
}

function empty(session, filtered) {
  if (filtered) {
    return h('div', { class: 'empty' }, h('p', {}, 'No webhooks match these filters.'),
      h('a', { class: 'button', href: '#/webhooks' }, 'Clear filters'));
  }
  return h('div', { class: 'empty' },
    h('h2', {}, 'No webhooks yet'),
    h('p', { class: 'muted' }, 'A webhook sends the events you choose to a URL of yours, signed, with retries.'),
    !session.access.read_only && h('a', { class: 'button primary', href: '#/webhooks/new' }, 'Create your first webhook'));
}

/** On, off, or switched off by hookrelay because its deliveries kept failing. */
function stateBadge(webhook) {
  if (webhook.enabled) return badge('enabled');
  if (webhook.disabled_reason !== 'failing') return badge('disabled');
  const since = webhook.disabled_at ? ` on ${new Date(webhook.disabled_at).toLocaleString()}` : '';
  return h('span', { class: 'badge bad', title: `Switched off by hookrelay${since}: its deliveries kept failing` }, 'auto-disabled');
}

/** One webhook's summary, the same content for a row or a card. */
function item(webhook, session, banner) {
  const last = LAST[webhook.last_delivery_status];
  return [
    h('div', { class: 'hook-head' },
      h('a', { class: 'hook-name', href: `#/webhooks/${webhook.id}` }, webhook.name),
      stateBadge(webhook),
      toggle(webhook, session, banner)),
    webhook.delivery === 'poll'
      ? h('div', { class: 'hook-url', title: 'Nothing is sent: its deliveries are fetched with GET /v1/webhooks/{id}/poll' }, 'poll')
      : h('div', { class: 'hook-url mono' }, webhook.url),
    h('ul', { class: 'chips', 'aria-label': 'Events' }, webhook.events.map((e) => h('li', { class: 'chip' }, e))),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(webhook.created_at))),
      h('div', {}, h('dt', {}, 'Last delivery'), h('dd', {},
        last ? [badge(last), ' ', time(webhook.last_delivery_at)] : h('span', { class: 'muted', title: 'No delivery yet' }, '—')))),
  ];
}

/** The on/off switch of one webhook. */
function toggle(webhook, session, banner) {
  const box = h('input', {
    type: 'checkbox', role: 'switch', checked: webhook.enabled, disabled: session.access.read_only,
    'aria-label': `${webhook.name} enabled`,
  });
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      const { webhook: changed } = await api('PATCH', `/v1/webhooks/${webhook.id}`, { enabled: box.checked });
      Object.assign(webhook, changed);
      const status = box.closest('.hook-head').querySelector('.badge');
      status.replaceWith(stateBadge(changed));
    } catch (err) {
      box.checked = !box.checked;
      notice(banner, 'error', err.message);
    }
    box.disabled = false;
  });
  return h('label', { class: 'switch' }, box, h('span', { class: 'slider', 'aria-hidden': 'true' }));
}

export const create = (main, session) => form(main, session, null);

export async function edit(main, session, id) {
  const { webhook } = await api('GET', `/v1/webhooks/${id}`);
  await form(main, session, webhook);
}

/** Header rows: name and value inputs, added and removed by the user. */
function headerRows(initial, readOnly) {
  const rows = h('div', { class: 'header-rows' });
  const add = (name = '', value = '') => {
    const row = h('div', { class: 'header-row' },
      h('input', { name: 'header-name', value: name, 'aria-label': 'Header name', placeholder: 'X-Team', disabled: readOnly }),
      h('input', { name: 'header-value', value: value, 'aria-label': 'Header value', placeholder: 'billing', disabled: readOnly }),
      !readOnly && h('button', {
        type: 'button', class: 'small', 'aria-label': `Remove header ${name}`.trim(), onclick: () => row.remove(),
      }, '✕'));
    rows.append(row);
    row.querySelector('input').focus();
  };
  Object.entries(initial || {}).forEach(([n, v]) => add(n, v));
  const wrap = h('div', { class: 'field', dataset: { field: 'headers' } },
    h('span', { class: 'label' }, 'Custom headers'), rows,
    readOnly && !rows.children.length && h('p', { class: 'muted' }, 'None'),
    !readOnly && h('button', { type: 'button', class: 'small', onclick: () => add() }, 'Add header'),
    h('p', { class: 'field-error', role: 'alert' }));
  wrap.read = () => Object.fromEntries([...rows.children]
    .map((row) => [...row.querySelectorAll('input')].map((i) => i.value.trim()))
    .filter(([name]) => name));
  return wrap;
}

/**
 * Push or Poll: a URL hookrelay POSTs to, or a feed the account fetches.
 * Fixed once the webhook exists (the API refuses to switch it).
 */
function deliveryChoice(webhook, readOnly) {
  const current = webhook?.delivery || 'push';
  const choices = [
    ['push', 'Push', 'hookrelay POSTs each delivery to your endpoint'],
    ['poll', 'Poll', 'nothing is sent: your code fetches the deliveries (no inbound HTTP needed)'],
  ].map(([value, label, what]) => h('label', {},
    h('input', { type: 'radio', name: 'delivery', value, checked: value === current, disabled: readOnly || Boolean(webhook) }),
    ` ${label}: `, h('span', { class: 'muted' }, what)));
  const el = h('fieldset', { class: 'field check', dataset: { field: 'delivery' } },
    h('legend', {}, 'Delivery'), choices,
    h('p', { class: 'hint' }, webhook
      ? 'Fixed when the webhook was created: create another webhook to switch.'
      : 'A poll webhook\'s deliveries are fetched with GET /v1/webhooks/{id}/poll, signed as a push would be.'),
    h('p', { class: 'field-error', role: 'alert' }));
  el.read = () => el.querySelector('input:checked').value;
  return el;
}

async function form(main, session, webhook) {
  const readOnly = session.access.read_only;
  const catalogue = await all('/v1/event-types', 'event_types').catch(() => []);
  const banner = h('div', { hidden: true });
  const input = (name, attrs = {}) => h('input', { name, disabled: readOnly, ...attrs });
  const name = input('name', { value: webhook?.name || '', required: true, maxlength: 100 });
  const url = input('url', { value: webhook?.url || '', required: true, type: 'text', inputmode: 'url', placeholder: 'https://example.com/hooks' });
  const secret = input('secret', { placeholder: 'Generated when left empty', autocomplete: 'off' });
  const apiKey = input('api_key', { placeholder: webhook?.api_key || 'Optional', autocomplete: 'off' });
  const description = h('textarea', { name: 'description', rows: 2, disabled: readOnly }, webhook?.description || '');
  const enabled = input('enabled', { type: 'checkbox', checked: webhook ? webhook.enabled : true });
  const rateLimit = input('rate_limit', { type: 'number', min: 1, max: 10000, step: 1, value: webhook?.rate_limit ?? '', placeholder: 'No limit' });
  const retrySchedule = input('retry_schedule', { value: (webhook?.retry_schedule || []).join(', '), placeholder: 'The deployment\'s', inputmode: 'numeric' });
  const events = eventPicker(catalogue, webhook?.events || [], readOnly);
  const filter = filterField(catalogue, webhook, readOnly);
  const transform = transformField(catalogue, webhook, events, readOnly);
  const headers = headerRows(webhook?.headers, readOnly);
  // A stored API key is only ever shown masked: keep it, replace it, or remove it.
  const dropKey = webhook?.api_key && !readOnly && input('drop_api_key', { type: 'checkbox' });
  const delivery = deliveryChoice(webhook, readOnly);
  // What only a push webhook has: hidden while Poll is chosen.
  const pushOnly = [
    field('URL', url, 'https, or http where the deployment allows it. Basic auth (https://user:pass@…) and a query string are kept.'),
    field('Rate limit (deliveries per second)', rateLimit, 'Sends beyond it wait their turn; none is dropped. Empty: no limit.'),
    field('Retry schedule (seconds between attempts)', retrySchedule, 'Comma-separated, e.g. 60, 600, 3600: tried once, then after each wait. Empty: the deployment\'s schedule.'),
  ];
  const polled = () => delivery.read() === 'poll';
  const showMode = () => {
    for (const f of pushOnly) f.hidden = polled();
    url.required = !polled();
  };
  delivery.addEventListener('change', showMode);
  showMode();
  const fields = h('form', { class: 'card form', novalidate: true },
    banner,
    field('Name', name),
    delivery,
    pushOnly[0],
    !webhook && field('Signing secret', secret, 'whsec_… (Standard Webhooks). Leave empty to generate one; it is shown once.'),
    field('API key', apiKey, webhook?.api_key
      ? 'Sent as x-api-key with every delivery. Leave empty to keep the current one.'
      : 'Sent as x-api-key with every delivery.'),
    dropKey && h('div', { class: 'field check' }, h('label', {}, dropKey, ' Remove the API key')),
    field('Description', description),
    pushOnly.slice(1),
    events,
    filter,
    transform,
    headers,
    h('div', { class: 'field check', dataset: { field: 'enabled' } },
      h('label', {}, enabled, ' Enabled'), h('p', { class: 'field-error', role: 'alert' })),
    !readOnly && h('div', { class: 'actions' },
      h('a', { class: 'button', href: '#/webhooks' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, webhook ? 'Save' : 'Create webhook')));
  if (readOnly) notice(banner, 'info', 'Read-only access: this console link can look, not change.');
  else if (webhook?.disabled_reason === 'failing') {
    notice(banner, 'error', `hookrelay switched this webhook off on ${new Date(webhook.disabled_at).toLocaleString()}: its deliveries kept failing. Fix the endpoint, then turn it on again (Enabled, then Save).`);
  }
  fields.addEventListener('submit', async (e) => {
    e.preventDefault();
    const pattern = filter.read();
    if (pattern.error) {
      return showErrors(fields, banner, { message: 'The filter is not JSON.', errors: [{ field: 'filter', message: pattern.error }] });
    }
    const body = {
      name: name.value.trim(), events: events.read(),
      description: description.value.trim() || null, headers: headers.read(), enabled: enabled.checked,
      filter: pattern.value,
    };
    if (polled()) {
      if (!webhook) body.delivery = 'poll';
    } else {
      Object.assign(body, {
        url: url.value.trim(),
        rate_limit: rateLimit.value === '' ? null : Number(rateLimit.value),
        retry_schedule: retrySchedule.value.trim() === '' ? null
          : retrySchedule.value.split(',').map((w) => Number(w.trim())),
      });
    }
    // A template is tried on the catalogue's examples when it is sent: an
    // unchanged one is left out, so a catalogue change cannot block saving
    // another field.
    const shape = transform.read();
    if (JSON.stringify(shape) !== JSON.stringify(webhook?.transform ?? 'default')) body.transform = shape;
    if (apiKey.value.trim()) body.api_key = apiKey.value.trim();
    else if (dropKey?.checked) body.api_key = null;
    if (!webhook && secret.value.trim()) body.secret = secret.value.trim();
    try {
      if (webhook) {
        const { webhook: saved } = await api('PATCH', `/v1/webhooks/${webhook.id}`, body);
        Object.assign(webhook, saved);
        showErrors(fields, banner, { message: '', errors: [] });
        notice(banner, 'ok', 'Saved.');
      } else {
        const { webhook: made } = await api('POST', '/v1/webhooks', body);
        await secretOnce('Webhook created', made.secret);
        location.hash = `#/webhooks/${made.id}`;
      }
    } catch (err) {
      showErrors(fields, banner, err);
    }
  });
  show(main,
    h('div', { class: 'heading' },
      h('h1', {}, webhook ? webhook.name : 'Create webhook'),
      webhook && h('a', { class: 'button', href: `#/deliveries?webhook_id=${webhook.id}` }, 'View deliveries')),
    h('div', { class: 'split' }, fields, webhook ? actions(webhook, readOnly) : guide()),
    webhook && statsPanel(`/v1/webhooks/${webhook.id}/stats`));
  name.focus();
}

const SAMPLE = {
  id: 'EVENT_ID', event: { name: 'user', type: 'created', traceId: 'DELIVERY_ID' },
  timestamp: '2026-11-22T12:00:00.000Z', context: {}, payload: { id: 'u_1' },
};

/** Beside the create form: what the endpoint will receive, so the fields make sense. */
function guide() {
  return h('aside', { class: 'card guide', 'aria-label': 'What your endpoint receives' },
    h('h2', {}, 'What your endpoint receives'),
    h('p', {}, 'A POST with this JSON body (the default body shape) for each event the webhook subscribes to:'),
    h('pre', { class: 'body' }, JSON.stringify(SAMPLE, null, 2)),
    h('p', {}, 'Signed with the secret: the Standard Webhooks headers ',
      h('code', {}, 'webhook-id'), ', ', h('code', {}, 'webhook-timestamp'), ' and ', h('code', {}, 'webhook-signature'), '.'),
    h('p', { class: 'muted' }, 'Answer with a 2xx within 10 seconds. Anything else is retried for about a day; redirects are not followed.'),
    h('p', {}, 'With Poll, nothing is sent: GET /v1/webhooks/{id}/poll hands out the same body and signed headers, oldest first, and the next poll with its next_cursor acknowledges them.'));
}

/** Shows a secret once, with a copy button. */
function secretOnce(title, secret) {
  return dialog(title, h('div', {},
    h('p', { class: 'notice warn' }, 'Copy the signing secret now: it will not be shown again.'),
    h('div', { class: 'secret' }, h('code', { class: 'mono' }, secret), copyButton(secret)),
    h('p', { class: 'hint' }, 'Receivers verify the webhook-signature header with it (Standard Webhooks).')),
  { confirm: 'Done', cancel: null });
}

function actions(webhook, readOnly) {
  const outcome = h('div', { class: 'test-outcome', 'aria-live': 'polite' });
  const path = `/v1/webhooks/${webhook.id}`;
  const send = async () => {
    show(outcome, h('p', { class: 'muted' }, 'Sending…'));
    try {
      const r = await api('POST', `${path}/test`, {});
      if (webhook.delivery === 'poll') {
        return show(outcome, h('p', {}, badge('created'), ' Waiting to be fetched: the next poll hands it out.'),
          h('p', {}, h('a', { href: `#/deliveries/${r.delivery_id}` }, 'Open this delivery in the log')));
      }
      show(outcome,
        h('p', {}, badge(r.delivered ? 'delivered' : 'failed'), ` HTTP ${r.response_code || '—'} in ${r.duration_ms} ms`,
          r.error ? ` (${r.error})` : ''),
        r.response_body
          ? h('pre', { class: 'body', 'aria-label': 'Response body' }, r.response_body)
          : h('p', { class: 'muted' }, 'Empty response body.'),
        h('p', {}, h('a', { href: `#/deliveries/${r.delivery_id}` }, 'Open this delivery in the log')));
    } catch (err) {
      show(outcome, h('p', { class: 'notice error', role: 'alert' }, err.message));
    }
  };
  const pollPath = `${path}/poll`;
  return h('aside', { class: 'card actions-panel', 'aria-label': 'Actions' },
    webhook.delivery === 'poll' && [
      h('h2', {}, 'Polling'),
      h('p', {}, 'Fetch the deliveries (a full-scope API key), then poll again with the answer\'s next_cursor to acknowledge them:'),
      h('div', { class: 'secret' }, h('code', { class: 'mono' }, `GET ${pollPath}`), copyButton(pollPath))],
    h('h2', {}, 'Test'),
    h('p', { class: 'muted' }, webhook.delivery === 'poll'
      ? 'Puts a webhook.test event in the feed now, even while disabled.'
      : 'Sends a webhook.test event now, even while disabled.'),
    h('button', { type: 'button', disabled: readOnly, onclick: send }, 'Send test'),
    outcome,
    h('h2', {}, 'Signing secret'),
    h('p', { class: 'mono' }, webhook.secret),
    h('button', { type: 'button', disabled: readOnly, onclick: () => rotate(path) }, 'Rotate secret'),
    h('h2', {}, 'Failed deliveries'),
    h('button', { type: 'button', disabled: readOnly, onclick: () => recover(path) }, 'Recover failed since…'),
    h('h2', {}, 'Replay'),
    h('p', { class: 'muted' }, 'Send again, each once, what this endpoint got or missed in a time window.'),
    h('button', { type: 'button', disabled: readOnly, onclick: () => replay(path) }, 'Replay…'),
    !webhook.enabled && h('p', {}, h('button', {
      type: 'button', disabled: readOnly, onclick: () => enableAndReplay(webhook),
    }, 'Enable and replay failed since it was disabled')),
    h('h2', {}, 'Danger zone'),
    h('button', { type: 'button', class: 'danger', disabled: readOnly, onclick: () => remove(webhook) }, 'Delete webhook'));
}

async function rotate(path) {
  const grace = h('input', { name: 'grace_seconds', type: 'number', min: 0, step: 'any', value: 24, required: true });
  const unit = select('grace_unit', [['3600', 'hours'], ['1', 'seconds']], '3600', { 'aria-label': 'Grace period unit' });
  const graceField = field('Grace period', grace);
  graceField.classList.add('with-unit');
  grace.after(unit);
  const rotated = await dialog('Rotate the signing secret', h('div', {},
    h('p', {}, 'A new secret signs every delivery from now on. The old one keeps signing beside it for the grace period (at most 7 days), so receivers can switch over.'),
    graceField), {
    confirm: 'Rotate',
    onConfirm: () => api('POST', `${path}/secret/rotate`, { grace_seconds: Math.round(Number(grace.value) * Number(unit.value)) }),
  });
  if (rotated) {
    await secretOnce('Secret rotated', rotated.secret);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}

const DAY_MS = 86_400_000;
/** A `datetime-local` value for an instant, in the browser's zone. */
const localInput = (ms) => {
  const at = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return at.toISOString().slice(0, 16);
};

async function recover(path) {
  const since = h('input', { name: 'since', type: 'datetime-local', required: true, value: localInput(Date.now() - DAY_MS) });
  const done = await dialog('Recover failed deliveries', h('div', {},
    h('p', {}, 'Every failed delivery of this webhook created since this time is sent again.'),
    field('Since', since)), {
    confirm: 'Recover',
    onConfirm: () => api('POST', `${path}/recover`, { since: localToIso(since.value) }),
  });
  if (done) await queuedAgain('Recovery started', `${deliveries(done.recovered, 'failed ')} queued again`, done.in_background);
}

const deliveries = (n, kind = '') => `${n} ${kind}${n === 1 ? 'delivery' : 'deliveries'}`;

/** Says how many deliveries go out again, and whether more follow in the background. */
function queuedAgain(title, text, inBackground) {
  return dialog(title, h('p', {}, text, inBackground ? '; the rest continue in the background.' : '.'),
    { confirm: 'OK', cancel: null });
}

/** A replay's window, statuses and event, as the form holds them. */
function replayFields() {
  const since = h('input', { name: 'since', type: 'datetime-local', required: true, value: localInput(Date.now() - DAY_MS) });
  const until = h('input', { name: 'until', type: 'datetime-local' });
  const statuses = ['delivered', 'failed'].map((value) => h('input', { type: 'checkbox', name: 'status', value, checked: true }));
  const event = h('input', { name: 'event', autocomplete: 'off', placeholder: 'order or order.paid' });
  const el = h('div', {},
    field('From', since), field('To', until, 'Created before this time; empty: now.'),
    h('fieldset', { class: 'field check', dataset: { field: 'status' } }, h('legend', {}, 'Statuses'),
      statuses.map((box) => h('label', {}, box, ` ${box.value}`)), h('p', { class: 'field-error', role: 'alert' })),
    field('Event', event, 'Optional: a name (order) or name.type (order.paid).'));
  /** The request body; throws, as the API would, when no status is picked. */
  const read = () => {
    const status = statuses.filter((box) => box.checked).map((box) => box.value);
    if (!status.length) throw new ApiError(422, 'Pick the statuses to replay.', [{ field: 'status', message: 'pick delivered, failed or both' }]);
    return {
      since: localToIso(since.value), until: localToIso(until.value),
      status: status.length === 1 ? status[0] : undefined, event: event.value.trim() || undefined,
    };
  };
  return { el, read };
}

/** The replay form: "Count first" asks for a dry run and shows the count; Replay sends. */
async function replay(path) {
  const form = replayFields();
  const counted = h('div', { hidden: true });
  const count = h('button', { type: 'button' }, 'Count first');
  count.addEventListener('click', async () => {
    try {
      const r = await api('POST', `${path}/replay`, { ...form.read(), dry_run: true });
      const more = r.in_background ? ' at least (counting stopped after 5 s)' : '';
      notice(counted, 'info', `${deliveries(r.replayed)}${more} would be sent again.`);
    } catch (err) {
      showErrors(count.form, counted, err);
    }
  });
  const done = await dialog('Replay deliveries', h('div', {},
    h('p', {}, 'Deliveries of this webhook created in the window are sent again, each once, as new attempts (the same webhook-id).'),
    form.el, h('div', { class: 'actions' }, count), counted), {
    confirm: 'Replay',
    onConfirm: () => api('POST', `${path}/replay`, form.read()),
  });
  if (done) await queuedAgain('Replay started', `${deliveries(done.replayed)} sent again`, done.in_background);
}

/** Switches a webhook that is off on, with what failed after it went off. */
async function enableAndReplay(webhook) {
  const off = webhook.disabled_at ? ` on ${new Date(webhook.disabled_at).toLocaleString()}` : '';
  const done = await dialog('Enable and replay', h('p', {},
    `${webhook.name} is switched on, and its deliveries that failed after it was switched off${off} are sent again, each once.`), {
    confirm: 'Enable and replay',
    onConfirm: () => api('PATCH', `/v1/webhooks/${webhook.id}`, { enabled: true, replay_failed: true }),
  });
  if (!done) return;
  await queuedAgain('Webhook enabled', `${deliveries(done.replay.replayed, 'failed ')} sent again`, done.replay.in_background);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

async function remove(webhook) {
  const gone = await dialog(`Delete ${webhook.name}?`, h('p', {},
    'The webhook and all of its delivery logs are deleted. This cannot be undone.'), {
    confirm: 'Delete', danger: true,
    onConfirm: () => api('DELETE', `/v1/webhooks/${webhook.id}`),
  });
  if (gone) location.hash = '#/webhooks';
}
