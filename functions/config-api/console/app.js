// The console: sign-in, the frame around the screens, and a hash router, so
// back, forward and reload keep the screen (the server only serves /console).

import { api, credential, whenUnauthorized } from './api.js';
import { h, show, field, notice, badge, time } from './ui.js';
import * as webhooks from './webhooks.js';
import * as deliveries from './deliveries.js';
import * as eventTypes from './event_types.js';
import * as links from './links.js';
import * as keys from './keys.js';
import * as audit from './audit.js';

const root = document.getElementById('app');
let session = null;
let leave = null;
let generation = 0;

const ROUTES = [
  [/^#\/webhooks$/, (main, q) => webhooks.list(main, session, q)],
  [/^#\/webhooks\/new$/, (main) => webhooks.create(main, session)],
  [/^#\/webhooks\/([\w-]+)$/, (main, q, id) => webhooks.edit(main, session, id)],
  [/^#\/deliveries$/, (main, q) => deliveries.list(main, session, q)],
  [/^#\/deliveries\/([\w-]+)$/, (main, q, id) => deliveries.detail(main, session, id)],
  [/^#\/event-types$/, (main) => eventTypes.list(main, session)],
  [/^#\/links$/, (main) => links.list(main, session, rebrand)],
  [/^#\/api-keys$/, (main) => keys.list(main, session)],
  [/^#\/audit$/, (main, q) => audit.list(main, q)],
];

const NAV = [['#/webhooks', 'Webhooks'], ['#/event-types', 'Event types'], ['#/deliveries', 'Deliveries'],
  ['#/audit', 'Audit log']];
// Keys and links are managed with a full-scope API key: a console link or a
// read key gets 403 there (an ingest key cannot sign in: it reads nothing).
const holdsFullKey = () => session.access.kind === 'api_key' && !session.access.read_only;
const KEY_SCREENS = [['#/api-keys', 'API keys'], ['#/links', 'Share console']];

/** Shows the account's new branding at once (the header is drawn from `session`). */
function rebrand(branding) {
  session.account.branding = branding;
  route();
}

/** Stops the current screen's timers (the live delivery log). */
function stopScreen() {
  leave?.();
  leave = null;
  generation += 1;
}

function signIn(message) {
  stopScreen();
  session = null;
  paint(null);
  const key = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false' });
  const banner = h('div', { hidden: true });
  if (message) notice(banner, 'error', message);
  const form = h('form', { class: 'card signin' },
    h('h1', { class: 'brand' }, h('img', { src: '/console/favicon.svg', alt: '', width: 26, height: 26 }), 'hookrelay'),
    h('p', { class: 'muted' }, 'Sign in with your account API key. It is kept in this tab only, until you sign out or close it.'),
    banner,
    field('API key', key),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      session = await api('GET', '/v1/account', undefined, key.value.trim());
      credential.set(key.value.trim());
      // Back to the screen the address names (a reload after a session ended).
      if (location.hash.startsWith('#/')) route();
      else location.hash = '#/webhooks';
    } catch (err) {
      notice(banner, 'error', err.status === 401 ? 'That API key is not valid.' : err.message);
      key.focus();
    }
  });
  show(root, h('main', { class: 'center' }, form));
  key.focus();
}

function signOut() {
  credential.clear();
  // `?link=` stays: it is what lets an embedding page keep framing this one.
  history.replaceState(null, '', `/console${location.search}`);
  signIn();
}

/**
 * The account's branding: its logo and display name in the header, its
 * colour on primary buttons and links. The logo is a data: URL shown only
 * as an image, where even an SVG runs no script.
 */
function brand({ display_name: name, accent_color: accent, logo }) {
  paint(accent);
  document.title = name ? `${name} · webhooks` : 'hookrelay console';
  return h('a', { class: 'brand', href: '#/webhooks' },
    logo ? h('img', { class: 'logo', src: logo, alt: name ? '' : 'Logo' })
      : h('img', { src: '/console/favicon.svg', alt: '', width: 22, height: 22 }),
    name || (logo ? '' : 'hookrelay'));
}

/** The accent colour (`#rrggbb`, or hookrelay's own when none), with a readable text colour on it. */
function paint(accent) {
  const root = document.documentElement.style;
  if (!accent) {
    root.removeProperty('--accent');
    root.removeProperty('--accent-text');
    return;
  }
  // WCAG relative luminance: dark text on a light accent, white on a dark one.
  const channel = (i) => {
    const c = parseInt(accent.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const light = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  root.setProperty('--accent', accent);
  root.setProperty('--accent-text', light > 0.179 ? '#1f2328' : '#fff');
}

function frame() {
  const current = location.hash.split('?')[0];
  const readOnly = session.access.read_only;
  const nav = [...NAV, ...(holdsFullKey() ? KEY_SCREENS : [])];
  const main = h('main', { id: 'main', tabindex: '-1' });
  show(root,
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'top' },
      brand(session.account.branding || {}),
      h('nav', { 'aria-label': 'Sections' },
        nav.map(([href, label]) => h('a', { href, 'aria-current': current.startsWith(href) ? 'page' : false }, label))),
      h('div', { class: 'who' },
        h('span', { class: 'account', title: session.account.id }, session.account.name),
        readOnly && badge('read-only'),
        session.access.expires_at && h('span', { class: 'muted small-text' }, 'link until ', time(session.access.expires_at)),
        h('button', { type: 'button', class: 'small', onclick: signOut }, 'Sign out'))),
    main);
  return main;
}

async function route() {
  if (!credential.get()) return signIn();
  if (!session) {
    try {
      session = await api('GET', '/v1/account');
    } catch (err) {
      // A 401 has already led to the sign-in screen (whenUnauthorized).
      return err.status === 401 ? undefined : signIn(err.message);
    }
  }
  stopScreen();
  const [path, search] = location.hash.split('?');
  const found = ROUTES.map(([pattern, screen]) => [path.match(pattern), screen]).find(([m]) => m);
  if (!found || (KEY_SCREENS.some(([href]) => href === path) && !holdsFullKey())) {
    location.replace('#/webhooks');
    return;
  }
  const [match, screen] = found;
  const mine = generation;
  const main = frame();
  let cleanup;
  try {
    cleanup = await screen(main, new URLSearchParams(search || ''), match[1]);
  } catch (err) {
    show(main, h('div', { class: 'notice error', role: 'alert' }, err.message));
  }
  // The user may have moved on while this screen loaded: stop its timers.
  if (mine !== generation || !session) return cleanup?.();
  leave = cleanup;
  // A keyboard or screen-reader user lands on the new screen, not on <body>.
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

/** Why the stored credential stopped working, in the words its holder knows. */
function ended() {
  return credential.get()?.startsWith('hrc_')
    ? 'This console link has expired or was revoked: ask for a new one, or sign in with an API key.'
    : 'Your session has ended (the key is no longer valid): sign in again.';
}

whenUnauthorized(() => {
  const message = ended();
  credential.clear();
  signIn(message);
});

// A console link opens the console signed in; the token then leaves the address bar.
if (location.hash.startsWith('#token=')) {
  credential.set(decodeURIComponent(location.hash.slice('#token='.length)));
  history.replaceState(null, '', `/console${location.search}#/webhooks`);
}
window.addEventListener('hashchange', route);
route();
