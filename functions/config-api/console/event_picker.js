// Choosing a webhook's events: an event name from the catalogue, then one of
// its types (or `*`), or any pattern typed freely. The catalogue only helps:
// a subscription may name events it does not list.

import { h, show, uid } from './ui.js';

/** Whether `type` (a catalogue entry) is one that `patterns` subscribe to. */
export const subscribed = (patterns, type) =>
  patterns.some((p) => p === '*' || p === type.event || p === `${type.name}.*`);

export function eventPicker(catalogue, initial, readOnly) {
  const chosen = [...initial];
  const chips = h('ul', { class: 'chips', 'aria-label': 'Chosen events' });
  const typesByName = new Map();
  for (const t of catalogue) typesByName.set(t.name, [...(typesByName.get(t.name) || []), t]);

  const nameSelect = h('select', { name: 'event-name', id: uid('event-name'), disabled: readOnly },
    h('option', { value: '' }, 'Choose an event'),
    h('option', { value: '*' }, 'All events (*)'),
    [...typesByName.keys()].map((n) => h('option', { value: n }, n)));
  const typeSelect = h('select', { name: 'event-type', id: uid('event-type'), disabled: true });
  const typed = h('input', { name: 'event-pattern', id: uid('event-pattern'), placeholder: 'user.created, user.* or *', disabled: readOnly });
  const describe = h('p', { class: 'hint' });

  nameSelect.addEventListener('change', () => {
    const types = typesByName.get(nameSelect.value) || [];
    show(typeSelect,
      h('option', { value: '*' }, `Every type (${nameSelect.value}.*)`),
      types.map((t) => h('option', { value: t.type, selected: true }, t.type)));
    if (types.length) typeSelect.value = types[0].type;
    typeSelect.disabled = readOnly || !nameSelect.value || nameSelect.value === '*';
    explain();
  });
  const explain = () => {
    const type = (typesByName.get(nameSelect.value) || []).find((t) => t.type === typeSelect.value);
    describe.textContent = type?.description || '';
  };
  typeSelect.addEventListener('change', explain);

  const add = (pattern) => {
    if (!pattern || chosen.includes(pattern)) return;
    chosen.push(pattern);
    paint();
  };
  const addChosen = () => {
    const name = nameSelect.value;
    add(name === '*' ? '*' : name && `${name}.${typeSelect.value || '*'}`);
  };
  const addTyped = () => { add(typed.value.trim()); typed.value = ''; };
  typed.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); addTyped(); } });

  function paint() {
    chips.replaceChildren(...chosen.map((pattern) => h('li', { class: 'chip' }, pattern,
      !readOnly && h('button', {
        type: 'button', class: 'chip-remove', 'aria-label': `Remove ${pattern}`,
        onclick: () => { chosen.splice(chosen.indexOf(pattern), 1); paint(); },
      }, '✕'))));
    if (!chosen.length) chips.append(h('li', { class: 'muted' }, 'No events chosen yet'));
    // Fields that depend on the events (the body shape's preview) listen for it.
    chips.dispatchEvent(new Event('events-change', { bubbles: true }));
  }
  paint();

  const wrap = h('fieldset', { class: 'field events', dataset: { field: 'events' } },
    h('legend', {}, 'Events'),
    chips,
    !readOnly && h('div', { class: 'picker' },
      h('label', { for: nameSelect.id }, 'Event'), nameSelect,
      h('label', { for: typeSelect.id }, 'Type'), typeSelect,
      h('button', { type: 'button', class: 'small', onclick: addChosen }, 'Add event')),
    !readOnly && describe,
    !readOnly && !catalogue.length && h('p', { class: 'hint' },
      'The event-type catalogue is empty: type a pattern below, or ', h('a', { href: '#/event-types' }, 'add event types'), '.'),
    !readOnly && h('div', { class: 'picker' },
      h('label', { for: typed.id }, 'Or type a pattern'), typed,
      h('button', { type: 'button', class: 'small', onclick: addTyped }, 'Add pattern')),
    h('p', { class: 'field-error', role: 'alert' }));
  wrap.read = () => [...chosen];
  return wrap;
}
