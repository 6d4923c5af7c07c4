// A webhook's (or the account's) delivery stats: outcomes per hour or day as
// stacked bars, error rate and median send time beside them, and totals.
// Drawn as SVG with presentation attributes only, so the page's CSP holds.

import { api } from './api.js';
import { h, show, select } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const STATUSES = [['delivered', 'Delivered'], ['scheduled', 'Retrying'], ['failed', 'Failed']];
const WIDTH = 720;
const HEIGHT = 160;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

const label = (iso, granularity) => {
  const at = new Date(iso);
  return granularity === 'day'
    ? at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

const percent = (rate) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)} %`;
const ms = (value) => (value === null ? '—' : `${value} ms`);

/** Stacked bars of outcomes per bucket, each with a title a pointer or screen reader finds. */
function chart(stats) {
  const buckets = stats.buckets;
  const most = Math.max(1, ...buckets.map((b) => b.counts.delivered + b.counts.scheduled + b.counts.failed));
  const slot = WIDTH / Math.max(1, buckets.length);
  const bars = buckets.map((b, i) => {
    let top = HEIGHT;
    const parts = STATUSES.map(([key]) => {
      const tall = (b.counts[key] / most) * (HEIGHT - 10);
      top -= tall;
      return tall > 0 && svg('rect', { class: `bar ${key}`, x: (i * slot + 1).toFixed(1), y: top.toFixed(1), width: Math.max(1, slot - 2).toFixed(1), height: tall.toFixed(1) });
    }).filter(Boolean);
    const summary = `${label(b.start, stats.granularity)}: ${b.counts.delivered} delivered, ${b.counts.scheduled} retrying, ${b.counts.failed} failed; error rate ${percent(b.error_rate)}; median ${ms(b.median_duration_ms)}`;
    return svg('g', {}, svg('title', {}, summary), svg('rect', { class: 'hit', x: (i * slot).toFixed(1), y: 0, width: slot.toFixed(1), height: HEIGHT }), ...parts);
  });
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  return h('figure', { class: 'stats-chart' },
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Deliveries per ${stats.granularity}, most ${most} in one ${stats.granularity}`, preserveAspectRatio: 'none' },
      svg('line', { class: 'axis', x1: 0, y1: HEIGHT, x2: WIDTH, y2: HEIGHT }), ...bars),
    first && h('figcaption', { class: 'muted' }, `${label(first.start, stats.granularity)} – ${label(last.end, stats.granularity)}, most ${most} in one ${stats.granularity}`),
    h('ul', { class: 'legend' }, STATUSES.map(([key, name]) => h('li', {}, h('span', { class: `swatch ${key}`, 'aria-hidden': 'true' }), name))));
}

/** Error rate and median duration of the busiest buckets, as a table anyone can read. */
function table(stats) {
  const busy = stats.buckets.filter((b) => b.attempts > 0 || b.counts.failed > 0).slice(-12).reverse();
  if (!busy.length) return h('p', { class: 'muted' }, 'No deliveries in this window.');
  return h('table', { class: 'stats-table' },
    h('caption', { class: 'muted' }, busy.length === 1
      ? `The ${stats.granularity} with deliveries`
      : `The last ${busy.length} ${stats.granularity}s with deliveries`),
    h('thead', {}, h('tr', {}, ['When', 'Delivered', 'Retrying', 'Failed', 'Error rate', 'Median'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, busy.map((b) => h('tr', {},
      h('td', { 'data-label': 'When' }, label(b.start, stats.granularity)),
      h('td', { 'data-label': 'Delivered' }, b.counts.delivered),
      h('td', { 'data-label': 'Retrying' }, b.counts.scheduled),
      h('td', { 'data-label': 'Failed' }, b.counts.failed),
      h('td', { 'data-label': 'Error rate' }, percent(b.error_rate)),
      h('td', { 'data-label': 'Median' }, ms(b.median_duration_ms))))));
}

function totals(stats) {
  const t = stats.totals;
  const fact = (name, value) => h('div', {}, h('dt', {}, name), h('dd', {}, value));
  return h('dl', { class: 'facts grid stats-totals' },
    fact('Delivered', t.counts.delivered), fact('Retrying', t.counts.scheduled), fact('Failed', t.counts.failed),
    fact('Error rate', percent(t.error_rate)), fact('Median send time', ms(t.median_duration_ms)));
}

/** The stats section for `path` (`/v1/webhooks/ID/stats` or `/v1/stats`). */
export function statsPanel(path, title = 'Delivery stats') {
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  const granularity = select('granularity', [['hour', 'Last 24 hours'], ['day', 'Last 30 days']], 'hour', { 'aria-label': 'Stats window' });
  const load = async () => {
    try {
      const stats = await api('GET', `${path}?granularity=${granularity.value}`);
      show(body, totals(stats), chart(stats), table(stats));
    } catch (err) {
      show(body, h('p', { class: 'notice error', role: 'alert' }, err.message));
    }
  };
  granularity.addEventListener('change', load);
  load();
  return h('section', { class: 'card stats', 'aria-label': title },
    h('div', { class: 'heading' }, h('h2', {}, title), granularity), body);
}
