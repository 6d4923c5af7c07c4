// Small DOM helpers shared by every screen. API data only ever goes into
// text nodes and attributes, never into HTML, so nothing it holds can run.

/** An element: `h('button', {class: 'primary', onclick}, 'Save')`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces what `el` shows. */
export function show(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A fresh id for label/description wiring. */
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A labelled control with a slot for its error (`errorFor`). */
export function field(label, control, hint) {
  control.id ||= uid('f');
  const error = h('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert' });
  const described = [hint && `${control.id}-hint`, error.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  return h('div', { class: 'field', dataset: { field: control.name || '' } },
    h('label', { for: control.id }, label),
    control,
    hint && h('p', { class: 'hint', id: `${control.id}-hint` }, hint),
    error);
}

/** Shows a 422's `errors` beside their fields in `form`; the rest in `banner`. */
export function showErrors(form, banner, err) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const unplaced = [];
  for (const { field: name, message } of err.errors || []) {
    const root = name.split('.')[0];
    const slot = form.querySelector(`.field[data-field="${CSS.escape(root)}"]`);
    if (!slot) { unplaced.push(`${name}: ${message}`); continue; }
    const error = slot.querySelector('.field-error');
    error.textContent = [error.textContent, name === root ? message : `${name}: ${message}`]
      .filter(Boolean).join('; ');
    slot.querySelector('input, textarea, select')?.setAttribute('aria-invalid', 'true');
  }
  notice(banner, 'error', [err.message, ...unplaced].join(' — '));
  form.querySelector('[aria-invalid]')?.focus();
}

/** A 422's field messages as one line (`name`'s own without its name), else its message. */
export function messagesOf(err, name) {
  const named = (err.errors || []).map((e) => (e.field === name ? e.message : `${e.field}: ${e.message}`));
  return named.length ? named.join('; ') : err.message;
}

/**
 * Table parts from one list of columns (`[label, class]`): each cell carries
 * its column's label, which a narrow screen shows beside it (table.stack).
 */
export const headRow = (columns) => h('tr', {}, columns.map(([label]) => h('th', { scope: 'col' }, label)));
export const cells = (columns, values) =>
  values.map((value, i) => h('td', { 'data-label': columns[i][0], class: columns[i][1] }, value));

/** A message box: kind is `error`, `ok` or `info`; an empty text hides it. */
export function notice(box, kind, text) {
  box.className = `notice ${kind}`;
  box.hidden = !text;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  show(box, text || '');
}

/** A time in the browser's zone, with the UTC ISO string on hover. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const at = new Date(iso);
  return h('time', { datetime: iso, title: `${iso} (UTC)` }, at.toLocaleString());
}

const STATUS_KIND = {
  delivered: 'ok', failed: 'bad', scheduled: 'wait', created: 'wait', dispatched: 'busy',
  Sent: 'ok', Error: 'bad', Retrying: 'wait', enabled: 'ok', disabled: 'off', 'read-only': 'warn',
  full: 'warn', ingest: 'busy', read: 'ok', expired: 'bad', 'this console': 'wait',
};
/** A coloured label for a status word. */
export const badge = (word) => h('span', { class: `badge ${STATUS_KIND[word] || 'off'}` }, word);

/** A button that copies `text`, saying so for a moment. */
export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'small' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => { button.textContent = label; }, 1500);
  });
  return button;
}

/**
 * A modal dialog; resolves with the value `onConfirm` returns, or null when
 * cancelled (Escape, Cancel). Focus returns to where it was.
 */
export function dialog(title, body, { confirm = 'OK', cancel = 'Cancel', danger = false, onConfirm = () => true } = {}) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const banner = h('div', { hidden: true });
    const ok = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, confirm);
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title), banner, body,
      h('div', { class: 'actions' },
        cancel && h('button', { type: 'button', onclick: () => close(null) }, cancel), ok));
    const box = h('dialog', { 'aria-label': title }, form);
    const close = (value) => { box.close(); box.remove(); opener?.focus?.(); resolve(value); };
    box.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      ok.disabled = true;
      try {
        const value = await onConfirm(form, banner);
        if (value !== undefined && value !== false) close(value);
      } catch (err) {
        showErrors(form, banner, err);
      } finally {
        ok.disabled = false;
      }
    });
    document.body.append(box);
    box.showModal();
    (form.querySelector('input, textarea, select') || ok).focus();
  });
}

/**
 * Keeps a list screen's filters in the address, so reload, back and a shared
 * address show the same list; replaceState, so no hashchange re-renders it.
 */
export function rememberFilters(values, defaults = {}) {
  const path = location.hash.split('?')[0];
  const query = new URLSearchParams(Object.entries(values).filter(([k, v]) => v && v !== defaults[k])).toString();
  history.replaceState(history.state, '', query ? `${path}?${query}` : path);
}

export const SORT_DEFAULTS = { sort: 'created_at', order: 'desc' };

/** The Sort by and Order selects of a list, set from the address. */
export function sortSelects(params) {
  return [
    select('sort', [['created_at', 'Created'], ['updated_at', 'Updated'], ['id', 'Id']], params.get('sort') || SORT_DEFAULTS.sort),
    select('order', [['desc', 'Newest first'], ['asc', 'Oldest first']], params.get('order') || SORT_DEFAULTS.order),
  ];
}

/** `datetime-local` value (local time) → ISO-8601 UTC, or undefined. */
export function localToIso(value) {
  return value ? new Date(value).toISOString() : undefined;
}

/** A `<select>` of `[value, label]` pairs. */
export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

/**
 * Cursor paging for a list: Previous and Next over `load()`, which reads
 * `cursor()` and reports the answer's `next_cursor` with `update`.
 */
export function pager(load) {
  const cursors = [undefined];
  let page = 0;
  let next = null;
  const go = (step) => {
    if (step > 0) cursors[page + 1] = next;
    page += step;
    load();
  };
  const previousButton = h('button', { type: 'button', onclick: () => go(-1) }, 'Previous');
  const nextButton = h('button', { type: 'button', onclick: () => go(1) }, 'Next');
  return {
    el: h('div', { class: 'pager' }, previousButton, nextButton),
    cursor: () => cursors[page],
    restart: () => { cursors.length = 1; page = 0; load(); },
    update: (nextCursor) => {
      next = nextCursor;
      previousButton.disabled = page === 0;
      nextButton.disabled = !nextCursor;
    },
  };
}
