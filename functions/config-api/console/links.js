// Share console: links that open this console for the account without its
// API key, for a limited time, optionally read-only, optionally embeddable in
// named origins' pages; revocable at any time. And the account's branding,
// which that console shows.

import { api, all } from './api.js';
import { h, show, field, notice, time, badge, copyButton, dialog, select, showErrors } from './ui.js';

const LIFETIMES = [['600', '10 minutes'], ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days']];
const LOGO_BYTES = 64 * 1024;

/** The origins typed, one per line (commas and spaces separate them too). */
const originsOf = (text) => text.split(/[\s,]+/).filter(Boolean);

export async function list(main, session, rebrand) {
  const banner = h('div', { hidden: true });
  const body = h('tbody');
  async function load() {
    const links = await all('/v1/console-links', 'console_links');
    show(body, links.length ? links.map((l) => row(l, load))
      : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No live links.')));
  }
  show(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Share console')),
    h('p', { class: 'muted' }, 'A console link opens this console signed in to this account, without the API key. Hand it to a customer or a teammate, or show it in your own product\'s page; revoke it when done.'),
    banner,
    linkForm(banner, load),
    h('section', { class: 'card' }, h('h2', {}, 'Live links'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'sr-only' }, 'Live console links'),
        h('thead', {}, h('tr', {}, ['Access', 'Embeddable in', 'Created', 'Expires', ''].map((c) => h('th', { scope: 'col' }, c)))),
        body))),
    brandingForm(session.account.branding || {}, rebrand));
  await load();
}

function linkForm(banner, reload) {
  const minted = h('div', { 'aria-live': 'polite' });
  const readOnly = h('input', { type: 'checkbox', name: 'read_only', checked: true });
  const ttl = select('ttl_seconds', LIFETIMES, '3600');
  const origins = h('textarea', { name: 'embed_origins', rows: 2, class: 'mono', spellcheck: 'false',
    placeholder: 'https://app.example.com' });
  const form = h('form', { class: 'card form' },
    h('h2', {}, 'New link'),
    h('div', { class: 'field check', dataset: { field: 'read_only' } },
      h('label', {}, readOnly, ' Read-only (can look, cannot change anything)')),
    field('Expires after', ttl),
    field('Embeddable in', origins, 'Origins whose pages may show this console in an iframe, one per line: scheme://host[:port], no path. Empty: it cannot be framed.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create link')),
    minted);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const embed = originsOf(origins.value);
    try {
      const { console_link: link } = await api('POST', '/v1/console-links',
        { read_only: readOnly.checked, ttl_seconds: Number(ttl.value), ...(embed.length ? { embed_origins: embed } : {}) });
      showErrors(form, banner, {}); // clears what an earlier try showed
      show(minted, shareable(link));
      await reload();
    } catch (err) {
      showErrors(form, banner, err);
    }
  });
  return form;
}

/** The new link, shown once: its URL, and for an embeddable one the iframe that shows it. */
function shareable(link) {
  const snippet = `<iframe src="${link.url}" title="Webhooks" width="100%" height="720"></iframe>`;
  return h('div', { class: 'secret' },
    h('p', {}, link.embed_origins.length
      ? `Put this in an iframe on ${link.embed_origins.join(', ')}. It is shown only now.`
      : 'Send this link to the person who should see the console. It is shown only now.'),
    h('input', { readonly: true, value: link.url, class: 'mono', 'aria-label': 'Console link' }),
    copyButton(link.url, 'Copy link'),
    link.embed_origins.length > 0 && [
      h('input', { readonly: true, value: snippet, class: 'mono', 'aria-label': 'Iframe' }),
      copyButton(snippet, 'Copy iframe')]);
}

function row(link, reload) {
  return h('tr', {},
    h('td', {}, badge(link.read_only ? 'read-only' : 'full access')),
    h('td', { class: 'mono' }, link.embed_origins.length ? link.embed_origins.join(' ') : '—'),
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

/** The account's branding: what this console shows, to you and to whoever holds a link. */
function brandingForm(current, rebrand) {
  const banner = h('div', { hidden: true });
  const name = h('input', { name: 'display_name', value: current.display_name || '', maxlength: 100 });
  const accent = h('input', { name: 'accent_color', value: current.accent_color || '', class: 'mono',
    placeholder: '#4f46e5', spellcheck: 'false' });
  const swatch = h('input', { type: 'color', value: current.accent_color || '#4f46e5', 'aria-label': 'Pick the accent colour',
    oninput: () => { accent.value = swatch.value; } });
  const file = h('input', { type: 'file', name: 'logo', accept: 'image/png,image/jpeg,image/svg+xml' });
  // undefined: keep the stored logo; null: remove it; a data: URL: the new one.
  let logo;
  const preview = h('div', { class: 'logo-preview' });
  const remove = h('button', { type: 'button', class: 'small', onclick: () => { logo = null; file.value = ''; showLogo(null); } }, 'Remove logo');
  const showLogo = (url) => {
    remove.hidden = !url;
    show(preview, url ? h('img', { class: 'logo', src: url, alt: 'Logo' }) : h('span', { class: 'muted' }, 'No logo'));
  };
  showLogo(current.logo);
  file.addEventListener('change', () => {
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > LOGO_BYTES) {
      notice(banner, 'error', `The logo is ${Math.ceil(chosen.size / 1024)} KiB: at most 64 KiB.`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => { logo = reader.result; showLogo(logo); };
    reader.readAsDataURL(chosen);
  });
  const form = h('form', { class: 'card form' },
    h('h2', {}, 'Branding'),
    h('p', { class: 'muted' }, 'What this console shows in its header, here and through every link: your name, logo and colour.'),
    banner,
    field('Display name', name, 'Shown instead of "hookrelay". Empty: hookrelay.'),
    h('div', { class: 'inline' }, field('Accent colour', accent, '#rrggbb, for primary buttons and links. Empty: hookrelay\'s.'), swatch),
    field('Logo', file, 'PNG, JPEG or SVG, at most 64 KiB.'),
    h('div', { class: 'inline' }, preview, remove),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save branding')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const branding = { display_name: name.value.trim() || null, accent_color: accent.value.trim() || null };
    if (logo !== undefined) branding.logo = logo;
    try {
      const { account } = await api('PATCH', '/v1/account', { branding });
      rebrand(account.branding);
    } catch (err) {
      // The API names `branding.logo`; the form's fields are the part after the dot.
      const errors = (err.errors || []).map((x) => ({ ...x, field: x.field.replace(/^branding\./, '') }));
      showErrors(form, banner, { message: err.message, errors });
    }
  });
  return form;
}
