// Share console: links that open this console for the account without its
// API key, for a limited time, optionally read-only; revocable at any time.

import { api, all } from './api.js';
import { h, show, field, notice, time, badge, copyButton, dialog, select } from './ui.js';

const LIFETIMES = [['600', '10 minutes'], ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days']];

export async function list(main) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  const minted = h('div', { 'aria-live': 'polite' });
  const readOnly = h('input', { type: 'checkbox', name: 'read_only', checked: true });
  const ttl = select('ttl_seconds', LIFETIMES, '3600');
  async function load() {
    const links = await all('/v1/console-links', 'console_links');
    show(body, links.length ? links.map((l) => row(l, load))
      : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No live links.')));
  }
  const form = h('form', { class: 'card form' },
    h('h2', {}, 'New link'),
    h('div', { class: 'field check', dataset: { field: 'read_only' } },
      h('label', {}, readOnly, ' Read-only (can look, cannot change anything)')),
    field('Expires after', ttl),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create link')),
    minted);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const { console_link: link } = await api('POST', '/v1/console-links',
        { read_only: readOnly.checked, ttl_seconds: Number(ttl.value) });
      show(minted, h('div', { class: 'secret' },
        h('p', {}, 'Send this link to the person who should see the console. It is shown only now.'),
        h('input', { readonly: true, value: link.url, class: 'mono', 'aria-label': 'Console link' }),
        copyButton(link.url, 'Copy link')));
      await load();
    } catch (err) {
      notice(banner, 'error', err.message);
    }
  });
  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Share console')),
    h('p', { class: 'muted' }, 'A console link opens this console signed in to this account, without the API key. Hand it to a customer or a teammate; revoke it when done.'),
    banner,
    form,
    h('section', { class: 'card' }, h('h2', {}, 'Live links'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'sr-only' }, 'Live console links'),
        h('thead', {}, h('tr', {}, ['Access', 'Created', 'Expires', ''].map((c) => h('th', { scope: 'col' }, c)))),
        body))));
  await load();
}

function row(link, reload) {
  return h('tr', {},
    h('td', {}, badge(link.read_only ? 'read-only' : 'full access')),
    h('td', {}, time(link.created_at)),
    h('td', {}, time(link.expires_at)),
    h('td', { class: 'row-actions' }, h('button', {
      type: 'button', class: 'small danger', 'aria-label': `Revoke link ${link.id}`,
      onclick: async () => {
        const done = await dialog('Revoke this link?', h('p', {}, 'Whoever holds it is signed out at their next step.'),
          { confirm: 'Revoke', danger: true, onConfirm: () => api('DELETE', `/v1/console-links/${link.id}`) });
        if (done) await reload();
      },
    }, 'Revoke')));
}
