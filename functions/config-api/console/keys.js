// API keys: each with a name and a scope (full, ingest or read), optionally
// expiring; the key is shown once when it is created, then only its prefix.

import { api, all, credential } from './api.js';
import { h, show, field, notice, time, badge, copyButton, dialog, select, headRow, cells } from './ui.js';

const SCOPES = [
  ['full', 'Full: every route'],
  ['ingest', 'Ingest: send events only (POST /v1/events)'],
  ['read', 'Read: GET routes only'],
];
const LIFETIMES = [['', 'Never'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];
const COLUMNS = [['Name'], ['Scope'], ['Key'], ['Created'], ['Last used'], ['Expires'], ['', 'row-actions']];

export async function list(main) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const created = h('div', { 'aria-live': 'polite' });
  const name = h('input', { name: 'name', required: true, maxlength: 100, placeholder: 'CI deploys', autocomplete: 'off' });
  const scope = select('scope', SCOPES, 'ingest');
  const lifetime = select('expires_at', LIFETIMES, '');
  async function load() {
    const keys = await all('/v1/api-keys', 'api_keys');
    show(body, keys.map((k) => row(k, load)));
  }
  const form = h('form', { class: 'card form' },
    h('h2', {}, 'New key'),
    h('div', { class: 'pair' }, field('Name', name), field('Scope', scope)),
    field('Expires after', lifetime),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create key')),
    created);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    notice(banner, 'error', '');
    const days = Number(lifetime.value);
    const expires = days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
    try {
      const { api_key: key } = await api('POST', '/v1/api-keys', { name: name.value.trim(), scope: scope.value, expires_at: expires });
      show(created, h('div', { class: 'secret' },
        h('p', {}, `Copy the key "${key.name}" now: it is shown only this once.`),
        h('code', { class: 'mono' }, key.key),
        copyButton(key.key, 'Copy key')));
      name.value = '';
      await load();
    } catch (err) {
      notice(banner, 'error', err.message);
    }
  });
  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'API keys')),
    h('p', { class: 'muted' }, 'Give each system its own key, with the narrowest scope it needs. A key is shown once, when it is made; a revoked key stops working within a minute. The account always keeps one full key.'),
    banner,
    form,
    h('section', { class: 'card' }, h('h2', {}, 'Keys'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
        h('caption', { class: 'sr-only' }, 'API keys'),
        h('thead', {}, headRow(COLUMNS)),
        body))));
  await load();
}

function row(key, reload) {
  // The key this console is signed in with (its prefix is all that is shown).
  const here = key.prefix && credential.get()?.startsWith(key.prefix);
  const expired = key.expires_at && new Date(key.expires_at) <= new Date();
  return h('tr', {}, cells(COLUMNS, [
    [key.name, here && ' ', here && badge('this console')],
    [badge(key.scope), expired && ' ', expired && badge('expired')],
    h('span', { class: 'mono' }, key.prefix ? `${key.prefix}…` : '(made with the account)'),
    time(key.created_at),
    key.last_used_at ? time(key.last_used_at) : h('span', { class: 'muted' }, 'never'),
    key.expires_at ? time(key.expires_at) : h('span', { class: 'muted' }, 'never'),
    h('button', {
      type: 'button', class: 'small danger', 'aria-label': `Revoke key ${key.name}`,
      onclick: () => revoke(key, here, reload),
    }, 'Revoke'),
  ]));
}

async function revoke(key, here, reload) {
  const warning = here ? ' This console is signed in with it: you will be signed out.' : '';
  const done = await dialog(`Revoke "${key.name}"?`,
    h('p', {}, `Requests made with it are refused within a minute.${warning}`),
    { confirm: 'Revoke', danger: true, onConfirm: () => api('DELETE', `/v1/api-keys/${key.id}`) });
  if (done) await reload();
}
