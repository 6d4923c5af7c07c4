// The console end to end in headless Chromium, against the local runner
// (started by run.sh), in the order a new user meets it. Each step waits
// for what the user would see, with Playwright's deadlines, never a sleep.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, signIn, api, shot, receiver, day, webhookNamed, accessibilityProblems, problems, BASE, KEY, PHONE,
  embedder, DESKTOP,
} from './helpers.mjs';

let browser;
let page;
let hook;
let broken;
const NAME = 'Orders to billing';
const FAILING = 'Invoices (endpoint down)';
const POLLED = 'Nightly feed (polled)';

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  hook = await receiver();
  broken = await receiver(503);
});

after(async () => {
  await browser?.close();
  hook?.close();
  broken?.close();
});

test('a wrong key is refused and the right one signs in', async () => {
  await signIn(page, 'not-the-key-0123456789');
  await page.getByText('That API key is not valid.').waitFor();
  await signIn(page);
  await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Create your first webhook' }).waitFor();
  // The key lives in this tab's session storage only.
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('hookrelay.credential')), null);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hookrelay.credential')), process.env.HOOKRELAY_API_KEY);
});

test('the event-type catalogue: added (bad JSON refused first), edited, deleted', async () => {
  await page.getByRole('link', { name: 'Event types' }).click();
  for (const [name, type, example] of [['order', 'paid', '{"id": "o_1", "amount": 1200}'], ['order', 'refunded', ''], ['user', 'created', '{"id": "u_1"}']]) {
    await page.getByRole('button', { name: 'Add event type' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Type', { exact: true }).fill(type);
    await dialog.getByLabel('Description').fill(`The ${name} was ${type}`);
    await dialog.getByLabel('Example payload (JSON)').fill(example || '{broken');
    await dialog.getByRole('button', { name: 'Add' }).click();
    if (!example) {
      await dialog.locator('.field-error', { hasText: 'is not valid JSON' }).waitFor();
      await dialog.getByLabel('Example payload (JSON)').fill('');
      await dialog.getByRole('button', { name: 'Add' }).click();
    }
    await page.getByRole('cell', { name: `${name}.${type}`, exact: true }).waitFor();
  }
  await shot(page, 'event-types');
  // Edited in place; deleted after a confirmation.
  await page.getByRole('button', { name: 'Edit order.refunded' }).click();
  await page.getByRole('dialog').getByLabel('Description').fill('Money went back');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Money went back' }).waitFor();
  await page.getByRole('button', { name: 'Delete order.refunded' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('cell', { name: 'order.refunded', exact: true }).waitFor({ state: 'detached' });
  assert.equal((await api('GET', '/v1/event-types/order.refunded')).status, 404);
});

test('an event type gets a schema its example must keep to, enforced at ingest', async () => {
  await page.getByRole('button', { name: 'Edit order.paid' }).click();
  const dialog = page.getByRole('dialog');
  const schema = (minimum) => JSON.stringify({ type: 'object', required: ['amount'],
    properties: { amount: { type: 'number', minimum } } });
  await dialog.getByLabel('Payload schema (JSON Schema 2020-12)').fill(schema(5000));
  await dialog.getByLabel(/Refuse events whose payload breaks the schema/).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  // The example (amount 1200) breaks it: said beside the example.
  await dialog.locator('.field[data-field="example"] .field-error', { hasText: '/amount' }).waitFor();
  await dialog.getByLabel('Payload schema (JSON Schema 2020-12)').fill(schema(1));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Schema v1 · enforced').waitFor();
  const refused = await api('POST', '/v1/events', { name: 'order', type: 'paid', payload: { amount: 'lots' } });
  assert.equal(refused.status, 422);
  assert.deepEqual(refused.body.errors.map((e) => e.field), ['payload/amount']);
  const kept = await api('POST', '/v1/events', { name: 'order', type: 'paid', payload: { amount: 3 } });
  assert.equal(kept.status, 202);
});

test('a bad URL is shown beside its field, and a webhook is created from the catalogue', async () => {
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.getByRole('link', { name: 'Create webhook' }).click();
  await page.getByLabel('Name').fill(NAME);
  await page.getByLabel('URL').fill('ftp://example.com/in');
  await page.getByLabel('Event', { exact: true }).selectOption('order');
  await page.getByLabel('Type', { exact: true }).selectOption('paid');
  await page.getByRole('button', { name: 'Add event' }).click();
  await page.getByLabel('Event', { exact: true }).selectOption('user');
  await page.getByLabel('Type', { exact: true }).selectOption('*');
  await page.getByRole('button', { name: 'Add event' }).click();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  const urlError = page.locator('.field[data-field="url"] .field-error');
  await urlError.filter({ hasText: /http/ }).waitFor();
  assert.equal(await page.getByLabel('URL').getAttribute('aria-invalid'), 'true');
  await shot(page, 'webhook-form-422');

  await page.getByLabel('URL').fill(hook.url);
  await page.getByRole('button', { name: 'Create webhook' }).click();
  const secret = page.getByRole('dialog').locator('code');
  assert.match(await secret.textContent(), /^whsec_/);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: NAME }).waitFor();
  assert.deepEqual((await webhookNamed(NAME)).events, ['order.paid', 'user.*']);
});

test('a test send shows the endpoint\'s answer', async () => {
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.locator('.test-outcome').getByText('HTTP 200').waitFor();
  await page.locator('.test-outcome').getByText('{"ok":true}').waitFor();
  assert.equal(hook.received.length, 1);
});

test('a filter is tried on the catalogue\'s example, its mistakes shown where they are, then saved', async () => {
  const filter = page.getByLabel('Filter (optional)');
  const outcome = page.locator('.filter-outcome');
  const error = page.locator('.field[data-field="filter"] .field-error');
  const tryIt = async (pattern) => {
    await filter.fill(pattern);
    await page.getByRole('button', { name: 'Try it' }).click();
  };
  assert.equal(await page.getByLabel('Try it on the example of').inputValue(), 'order.paid');
  await tryIt('{"payload": {"amount": [{"numeric": [">", 1000]}]}}');
  await outcome.getByText('Matches', { exact: true }).waitFor();
  await shot(page, 'webhook-filter');
  await tryIt('{"payload": {"amount": [{"numeric": [">", 5000]}]}, "event": {"type": ["paid"]}}');
  await outcome.getByText('Does not match', { exact: true }).waitFor();
  await tryIt('{"payload": {"amount": [{"numeric": [">", "lots"]}]}}');
  await error.filter({ hasText: 'filter.payload.amount.0.numeric: must be' }).waitFor();
  assert.equal(await filter.getAttribute('aria-invalid'), 'true');
  await filter.fill('{broken');
  await page.getByRole('button', { name: 'Save' }).click();
  await error.filter({ hasText: 'is not JSON' }).waitFor();
  const saved = { payload: { amount: [{ numeric: ['>', 1000] }] } };
  await filter.fill(JSON.stringify(saved));
  await page.getByRole('button', { name: 'Try it' }).click();
  await outcome.getByText('Matches', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.deepEqual((await webhookNamed(NAME)).filter, saved);
  await page.reload();
  assert.deepEqual(JSON.parse(await page.getByLabel('Filter (optional)').inputValue()), saved);
});

test('a body template is previewed live on the catalogue\'s example, its mistakes shown by line, then saved and sent', async () => {
  const example = { id: 's_9', weight: 2.5, to: 'Ada "A" Lovelace' };
  assert.equal((await api('POST', '/v1/event-types', { name: 'shipment', type: 'sent', example })).status, 201);
  const shipped = await receiver();
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.getByRole('link', { name: 'Create webhook' }).click();
  await page.getByLabel('Name').fill('Shipments, shaped');
  await page.getByLabel('URL').fill(shipped.url);
  const preview = page.locator('.transform-preview');
  const shown = async () => JSON.parse(await preview.locator('pre').textContent());
  // No event chosen yet: hookrelay's body, on an empty payload.
  await preview.getByText('"payload": {}').waitFor();
  await page.getByLabel('Event', { exact: true }).selectOption('shipment');
  await page.getByRole('button', { name: 'Add event' }).click();
  assert.equal(await page.getByLabel('Preview with the example of').inputValue(), 'shipment.sent');
  await preview.getByText('"weight": 2.5').waitFor();
  await page.getByLabel('Body shape').selectOption('settings');
  await preview.getByText('"event_type": "shipment.sent"').waitFor();
  assert.deepEqual((await shown()).data, example);

  await page.getByLabel('Body shape').selectOption('template');
  const template = page.getByLabel('Template', { exact: true });
  const good = '{\n  "text": "Shipment {{ payload.id }} to {{ payload.to }}",\n  "kg": {{ payload.weight }}\n}';
  await template.fill(good);
  await preview.getByText('"kg": 2.5').waitFor();
  assert.deepEqual(await shown(), { text: 'Shipment s_9 to Ada "A" Lovelace', kg: 2.5 });
  await shot(page, 'webhook-transform');
  // A mistake: the preview names its line, and so does a save.
  const broken = good.replace('weight }}', 'weight }');
  await template.fill(broken);
  await preview.locator('.notice.error', { hasText: /^line 3: syntax error: unexpected `}`/ }).waitFor();
  assert.equal(await template.getAttribute('aria-invalid'), 'true');
  await shot(page, 'webhook-transform-error');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.locator('.field[data-field="transform"] .field-error', { hasText: /^line 3: / }).waitFor();
  await template.fill(good);
  await preview.getByText('"kg": 2.5').waitFor();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: 'Shipments, shaped' }).waitFor();
  const { id } = await webhookNamed('Shipments, shaped');
  assert.deepEqual((await api('GET', `/v1/webhooks/${id}`)).body.webhook.transform, { template: good });
  // Its page keeps the template and previews it; the endpoint gets that body.
  assert.equal(await page.getByLabel('Template', { exact: true }).inputValue(), good);
  await preview.getByText('"kg": 2.5').waitFor();
  assert.equal((await api('POST', '/v1/events', { name: 'shipment', type: 'sent', payload: { id: 's_10', weight: 1, to: 'Bob' } })).status, 202);
  await until('the shaped delivery', () => shipped.received.length === 1);
  assert.deepEqual(JSON.parse(shipped.received[0].body), { text: 'Shipment s_10 to Bob', kg: 1 });

  // A read-only session sees the shape and the template, and the preview; at phone width too.
  const link = await api('POST', '/v1/console-links', { read_only: true });
  const viewer = await newPage(browser, PHONE);
  await viewer.goto(link.body.console_link.url);
  await viewer.getByText('read-only', { exact: true }).waitFor();
  await viewer.goto(`${BASE}/console#/webhooks/${id}`);
  await viewer.locator('.transform .shape', { hasText: 'Template' }).waitFor();
  assert.equal(await viewer.locator('.transform pre').first().textContent(), good);
  await viewer.locator('.transform-preview').getByText('"kg": 2.5').waitFor();
  const overflow = await viewer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await shot(viewer, 'webhook-transform-phone');
  await viewer.context().close();
  assert.equal((await api('DELETE', `/v1/console-links/${link.body.console_link.id}`)).status, 200);
  assert.equal((await api('DELETE', `/v1/webhooks/${id}`)).status, 200);
  shipped.close();
});

test('a failing endpoint: the test says so, and the list shows Error', async () => {
  const made = await api('POST', '/v1/webhooks', { name: FAILING, url: broken.url, events: ['invoice.*'] });
  assert.equal(made.status, 201);
  await page.goto(`${BASE}/console#/webhooks/${made.body.webhook.id}`);
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.locator('.test-outcome').getByText('HTTP 503').waitFor();
  await page.locator('.test-outcome .badge', { hasText: 'failed' }).waitFor();
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.locator('.hook', { hasText: FAILING }).locator('.badge', { hasText: 'Error' }).waitFor();
  await page.locator('.hook', { hasText: NAME }).locator('.badge', { hasText: 'Sent' }).waitFor();
});

test('a poll webhook: choosing Poll hides the URL, the list says poll, and its test event waits to be fetched', async () => {
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.getByRole('link', { name: 'Create webhook' }).click();
  await page.getByLabel('Name').fill(POLLED);
  assert.equal(await page.getByLabel('URL').isVisible(), true);
  await page.getByRole('radio', { name: /Poll:/ }).check();
  for (const pushOnly of ['URL', 'Rate limit (deliveries per second)', 'Retry schedule (seconds between attempts)']) {
    assert.equal(await page.getByLabel(pushOnly).isVisible(), false, pushOnly);
  }
  await page.getByLabel('Or type a pattern').fill('feed.*');
  await page.getByRole('button', { name: 'Add pattern' }).click();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  await page.getByRole('heading', { name: POLLED }).waitFor();
  const made = await webhookNamed(POLLED);
  assert.deepEqual([made.delivery, made.url, made.events], ['poll', null, ['feed.*']]);
  // Fixed once made: shown, not changeable; saving another field sends no URL.
  assert.equal(await page.getByRole('radio', { name: /Poll:/ }).isChecked(), true);
  assert.equal(await page.getByRole('radio', { name: /Poll:/ }).isDisabled(), true);
  assert.equal(await page.getByLabel('URL').isVisible(), false);
  await page.getByText(`GET /v1/webhooks/${made.id}/poll`).waitFor();
  await page.getByLabel('Description').fill('Fetched by the nightly job');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.equal((await webhookNamed(POLLED)).description, 'Fetched by the nightly job');
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.locator('.test-outcome').getByText('Waiting to be fetched').waitFor();
  const polled = await api('GET', `/v1/webhooks/${made.id}/poll`);
  assert.equal(polled.status, 200);
  assert.equal(JSON.parse(polled.body.deliveries[0].body).event.name, 'webhook');
  assert.deepEqual(await accessibilityProblems(page), []);
  await shot(page, 'webhook-poll');
  // The list shows `poll` where a push webhook's URL is.
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.locator('.hook', { hasText: POLLED }).locator('.hook-url', { hasText: /^poll$/ }).waitFor();
});

test('rotating shows the new secret once; recovering says how many', async () => {
  const { id } = await webhookNamed(FAILING);
  await page.goto(`${BASE}/console#/webhooks/${id}`);
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByRole('dialog').getByLabel('Grace period', { exact: true }).fill('2');
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
  const rotated = page.getByRole('dialog', { name: 'Secret rotated' });
  assert.match(await rotated.locator('code').textContent(), /^whsec_/);
  await rotated.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Recover failed since…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Recover' }).click();
  await page.getByRole('dialog', { name: 'Recovery started' }).getByText(/^\d+ failed deliver(y|ies) queued again/).waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
});

test('delete asks first (Escape cancels, focus comes back), and says the logs go too', async () => {
  const made = await api('POST', '/v1/webhooks', { name: 'Throwaway', url: hook.url, events: ['tmp.*'] });
  await page.goto(`${BASE}/console#/webhooks/${made.body.webhook.id}`);
  const remove = page.getByRole('button', { name: 'Delete webhook' });
  await remove.focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete Throwaway?' });
  await confirm.getByText('all of its delivery logs are deleted').waitFor();
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Delete webhook');
  await page.keyboard.press('Enter');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  assert.equal((await api('GET', `/v1/webhooks/${made.body.webhook.id}`)).status, 404);
});

test('the switch turns a webhook off and on, and it stays so', async () => {
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  const toggle = page.getByRole('switch', { name: `${NAME} enabled` });
  await toggle.click();
  await page.locator('.hook', { hasText: NAME }).getByText('disabled', { exact: true }).waitFor();
  await page.reload();
  assert.equal(await page.getByRole('switch', { name: `${NAME} enabled` }).isChecked(), false);
  assert.equal((await webhookNamed(NAME)).enabled, false);
  await page.getByRole('switch', { name: `${NAME} enabled` }).click();
  await page.locator('.hook', { hasText: NAME }).getByText('enabled', { exact: true }).waitFor();
  assert.equal((await webhookNamed(NAME)).enabled, true);
});

test('list or cards: the choice is remembered', async () => {
  await page.getByRole('button', { name: 'Cards' }).click();
  await page.locator('ul.cards').waitFor();
  await page.reload();
  await page.locator('ul.cards').waitFor();
  await shot(page, 'webhooks-cards');
  await page.getByRole('button', { name: 'List' }).click();
  await page.locator('ul.rows').waitFor();
});

test('the creation date filter, kept in the address', async () => {
  await page.getByLabel('Created from').fill(await day(page, 1));
  await page.getByText('No webhooks match these filters.').waitFor();
  await page.reload();
  await page.getByText('No webhooks match these filters.').waitFor();
  assert.equal(await page.getByLabel('Created from').inputValue(), await day(page, 1));
  await page.getByLabel('Created from').fill(await day(page, 0));
  await page.getByLabel('Created to').fill(await day(page, 0));
  await page.getByRole('link', { name: NAME }).waitFor();
  await page.getByLabel('Created from').fill('');
  await page.getByLabel('Created to').fill('');
  await page.getByRole('link', { name: NAME }).waitFor();
  await shot(page, 'webhooks-list');
});

test('an event sent through the API appears in the log; its attempts; a retry', async () => {
  await page.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('heading', { name: 'Deliveries', exact: true }).waitFor();
  const sent = await api('POST', '/v1/events', { name: 'order', type: 'paid', payload: { id: 'o_42', amount: 1200 } });
  assert.equal(sent.status, 202);
  // No reload: the list refreshes itself.
  await page.getByRole('link', { name: 'order.paid' }).waitFor();
  await page.getByRole('row', { name: /order\.paid.*delivered/ }).waitFor();
  await shot(page, 'deliveries');
  // Filters: status boxes become `status=`, kept in the address.
  await page.getByRole('checkbox', { name: 'failed' }).check();
  await page.getByRole('link', { name: 'order.paid' }).waitFor({ state: 'detached' });
  await page.getByRole('row', { name: new RegExp(`webhook\\.test.*failed.*${FAILING.replace(/[()]/g, '\\$&')}`) }).waitFor();
  assert.match(await page.evaluate(() => location.hash), /status=failed/);
  await page.getByRole('checkbox', { name: 'failed' }).uncheck();
  // A click anywhere on the row opens it.
  await page.getByRole('row', { name: /order\.paid/ }).getByRole('cell').nth(3).click();
  await page.getByRole('table', { name: 'Attempts, oldest first' }).waitFor();
  assert.equal(await page.locator('table.attempts tbody tr').count(), 1);
  assert.match(await page.locator('pre.payload').textContent(), /"o_42"/);
  await page.getByRole('button', { name: 'Retry now' }).click();
  await page.getByText('Sent again: delivered, HTTP 200.').waitFor();
  assert.equal(await page.locator('table.attempts tbody tr').count(), 2);
  await shot(page, 'delivery');
});

/** Polls `check` until it answers true, for up to 15 s. */
async function until(what, check) {
  const deadline = Date.now() + 15000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('replay: counted first, then each sent once more; a webhook that is off is switched on with what failed meanwhile', async () => {
  const again = await receiver();
  const made = await api('POST', '/v1/webhooks', { name: 'Replayed', url: again.url, events: ['replay.*'] });
  const { id } = made.body.webhook;
  for (const type of ['done', 'done', 'other']) {
    assert.equal((await api('POST', '/v1/events', { name: 'replay', type, payload: {} })).status, 202);
  }
  const delivered = async () => (await api('GET', `/v1/webhooks/${id}/deliveries?status=delivered`)).body.deliveries.length;
  await until('three deliveries delivered', async () => (await delivered()) === 3);
  await page.goto(`${BASE}/console#/webhooks/${id}`);
  await page.getByRole('button', { name: 'Replay…' }).click();
  const form = page.getByRole('dialog', { name: 'Replay deliveries' });
  await form.getByLabel('failed', { exact: true }).uncheck();
  await form.getByLabel('Event').fill('replay.done');
  await form.getByRole('button', { name: 'Count first' }).click();
  await form.getByText('2 deliveries would be sent again.').waitFor();
  assert.equal(again.received.length, 3, 'a count sends nothing');
  await form.getByLabel('delivered', { exact: true }).uncheck();
  await form.getByRole('button', { name: 'Count first' }).click();
  await form.locator('.field[data-field="status"] .field-error', { hasText: 'pick delivered, failed or both' }).waitFor();
  await form.getByLabel('delivered', { exact: true }).check();
  await form.getByRole('button', { name: 'Replay', exact: true }).click();
  await page.getByRole('dialog', { name: 'Replay started' }).getByText('2 deliveries sent again.').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await until('two deliveries sent again', () => again.received.length === 5);
  const times = {};
  for (const r of again.received) times[r.headers['webhook-id']] = (times[r.headers['webhook-id']] || 0) + 1;
  assert.deepEqual(Object.values(times).sort(), [1, 2, 2], 'each replayed delivery once more');

  // Switched off while a delivery waits: it fails unsent; on again, it goes.
  const paused = (await api('POST', '/v1/webhooks', { name: 'Paused', url: again.url, events: ['later.*'] })).body.webhook;
  const sent = await api('POST', '/v1/events', { name: 'later', type: 'thing', payload: {}, delay: 2 });
  const [waiting] = sent.body.deliveries;
  assert.equal((await api('PATCH', `/v1/webhooks/${paused.id}`, { enabled: false })).status, 200);
  const status = async () => (await api('GET', `/v1/deliveries/${waiting}`)).body.delivery.status;
  await until('the waiting delivery to fail unsent', async () => (await status()) === 'failed');
  await page.goto(`${BASE}/console#/webhooks/${paused.id}`);
  const enable = page.getByRole('button', { name: 'Enable and replay failed since it was disabled' });
  await enable.click();
  await page.getByRole('dialog', { name: 'Enable and replay' }).getByRole('button', { name: 'Enable and replay' }).click();
  await page.getByRole('dialog', { name: 'Webhook enabled' }).getByText('1 failed delivery sent again.').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await enable.waitFor({ state: 'detached' });
  await until('the failed delivery sent', () => again.received.some((r) => r.headers['webhook-id'] === waiting));
  assert.equal((await webhookNamed('Paused')).enabled, true);
  for (const hook of [id, paused.id]) assert.equal((await api('DELETE', `/v1/webhooks/${hook}`)).status, 200);
  again.close();
});

test('a webhook\'s page charts its deliveries: outcomes, error rate, median', async () => {
  const { body } = await api('GET', '/v1/webhooks?limit=100');
  const hook = body.webhooks.find((w) => w.last_delivery_status === 'delivered');
  assert.ok(hook, 'a webhook with a delivery');
  const panel = page.getByRole('region', { name: 'Delivery stats' });
  const delivered = panel.locator('.stats-totals div', { hasText: 'Delivered' }).locator('dd');
  // Stats are written within a second of each attempt: look again until they show.
  const deadline = Date.now() + 15000;
  for (;;) {
    await page.goto(`${BASE}/console#/webhooks/${hook.id}`);
    await delivered.waitFor();
    if (Number(await delivered.textContent()) >= 1) break;
    assert.ok(Date.now() < deadline, 'stats never showed the delivery');
    await page.waitForTimeout(300);
  }
  assert.ok(await panel.locator('svg rect.bar.delivered').count() >= 1);
  assert.match(await panel.locator('svg g title').last().textContent(), /\d+ delivered, \d+ retrying, \d+ failed; error rate [0-9.]+ %; median/);
  await panel.getByRole('table').waitFor();
  assert.match(await panel.getByRole('row').nth(1).textContent(), /%.*ms/);
  await panel.getByRole('combobox', { name: 'Stats window' }).selectOption('day');
  await panel.locator('figcaption', { hasText: 'in one day' }).waitFor();
  assert.ok(await panel.locator('svg rect.bar.delivered').count() >= 1);
  await shot(page, 'webhook-stats');
});

test('a console link opens the console signed in; read-only and revoked links', async () => {
  await page.getByRole('link', { name: 'Share console' }).click();
  await page.getByLabel(/Read-only/).uncheck();
  await page.getByRole('button', { name: 'Create link' }).click();
  const full = await page.getByLabel('Console link').inputValue();
  assert.ok(full.startsWith(`${BASE}/console#token=hrc_`), full);
  await page.getByLabel(/Read-only/).check();
  await page.getByRole('button', { name: 'Create link' }).click();
  await page.waitForFunction((first) => document.querySelector('input[aria-label="Console link"]')?.value !== first, full);
  const readOnly = await page.getByLabel('Console link').inputValue();
  await shot(page, 'share-console');

  const guest = await newPage(browser);
  await guest.goto(full);
  await guest.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  assert.ok(!(await guest.evaluate(() => location.href)).includes('token='));
  assert.equal(await guest.getByRole('link', { name: 'Share console' }).count(), 0);
  await guest.getByRole('link', { name: 'Create webhook' }).waitFor();
  // Share console is for key holders: its address leads a link's holder back.
  await guest.goto(`${BASE}/console#/links`);
  await guest.waitForFunction(() => location.hash === '#/webhooks');

  const viewer = await newPage(browser);
  await viewer.goto(readOnly);
  await viewer.getByText('read-only', { exact: true }).waitFor();
  await viewer.getByRole('link', { name: NAME }).waitFor();
  // Read-only: what would change something is hidden or disabled ...
  assert.equal(await viewer.getByRole('link', { name: 'Create webhook' }).count(), 0);
  assert.equal(await viewer.getByRole('switch', { name: `${NAME} enabled` }).isDisabled(), true);
  await viewer.getByRole('link', { name: NAME }).click();
  await viewer.getByRole('heading', { name: NAME }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: 'Save' }).count(), 0);
  assert.equal(await viewer.getByRole('button', { name: 'Send test' }).isDisabled(), true);
  assert.equal(await viewer.getByRole('button', { name: 'Delete webhook' }).isDisabled(), true);
  assert.equal(await viewer.getByLabel('Name').isDisabled(), true);
  // ... and the API refuses it anyway.
  const { id } = await webhookNamed(NAME);
  const refused = await viewer.evaluate(async (path) => {
    const token = sessionStorage.getItem('hookrelay.credential');
    const r = await fetch(path, {
      method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    return r.status;
  }, `/v1/webhooks/${id}`);
  assert.equal(refused, 403);
  assert.equal((await webhookNamed(NAME)).enabled, true);

  // Revoked: its holder is signed out at the next step, and the link opens nothing.
  await page.getByRole('row', { name: /read-only/ }).getByRole('button', { name: /Revoke/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.waitForFunction(() => document.querySelectorAll('button[aria-label^="Revoke link"]').length === 1);
  await viewer.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await viewer.getByText('This console link has expired or was revoked').waitFor();
  await viewer.getByLabel('API key').waitFor();
  const late = await newPage(browser);
  await late.goto(readOnly);
  await late.getByText('This console link has expired or was revoked').waitFor();
  assert.equal(await late.evaluate(() => sessionStorage.length), 0);
  for (const p of [guest, viewer, late]) await p.context().close();
});

/**
 * A page of a product on another origin. Its problems count as any page's,
 * but for Chromium's word that it refused a frame, kept in `refusals`.
 */
async function productPage() {
  const context = await browser.newContext({ viewport: DESKTOP });
  const product = await context.newPage();
  product.setDefaultTimeout(10_000);
  product.refusals = [];
  product.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  product.on('console', (msg) => {
    if (msg.type() !== 'error' || msg.text().startsWith('Failed to load resource')) return;
    if (/^Framing '.*' violates .*"frame-ancestors/.test(msg.text())) product.refusals.push(msg.text());
    else problems.push(msg.text());
  });
  return product;
}

/** Opens the product's page framing `url`, once the frame has loaded (or been refused). */
async function framing(product, site, url) {
  await product.goto(site.page(url));
  await product.waitForFunction(() => document.body.dataset.framed === 'yes');
  return product.frameLocator('iframe[title="Webhooks"]');
}

test('a product frames the console through a link naming its origin; any other link is refused', async () => {
  const site = await embedder();
  // Made in the console: an origin with a path is refused beside its field; then the iframe to paste.
  await page.getByRole('link', { name: 'Share console' }).click();
  await page.getByLabel(/Read-only/).check();
  await page.getByLabel('Embeddable in').fill(`${site.origin}/settings`);
  await page.getByRole('button', { name: 'Create link' }).click();
  await page.locator('[data-field="embed_origins"] .field-error').getByText('without a path').waitFor();
  await page.getByLabel('Embeddable in').fill(site.origin);
  await page.getByRole('button', { name: 'Create link' }).click();
  const iframe = await page.getByLabel('Iframe').inputValue();
  const url = await page.getByLabel('Console link').inputValue();
  assert.ok(url.startsWith(`${BASE}/console?link=`) && url.includes('#token=hrc_'), url);
  assert.ok(iframe.startsWith(`<iframe src="${url}"`), iframe);
  await page.getByRole('row', { name: new RegExp(`read-only ${site.origin}`) }).waitFor();
  await shot(page, 'share-embeddable');

  const mint = async (body) => (await api('POST', '/v1/console-links', body)).body.console_link;
  const elsewhere = await mint({ embed_origins: ['https://elsewhere.example.com'] });
  const plain = await mint({});
  const product = await productPage();
  const frame = await framing(product, site, url);
  await frame.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  await frame.getByRole('link', { name: NAME }).waitFor();
  await frame.getByText('read-only', { exact: true }).waitFor();
  const inside = product.frames().find((f) => f !== product.mainFrame());
  // The token left the frame's address; the link's address stays, so a reload is still allowed.
  assert.ok(!inside.url().includes('token=') && inside.url().includes('?link='), inside.url());
  await inside.evaluate(() => location.reload());
  await frame.getByRole('link', { name: NAME }).waitFor();
  await shot(product, 'embedded-console');

  assert.deepEqual(product.refusals, []);

  // A link that names another origin, or none: Chromium refuses the frame, which shows no console.
  for (const [refused, directive] of [[elsewhere, '"frame-ancestors https://elsewhere.example.com"'],
    [plain, '"frame-ancestors \'none\'"']]) {
    const refusal = product.waitForEvent('console', (msg) => msg.text().includes(directive));
    const blocked = await framing(product, site, refused.url);
    await refusal;
    const shown = product.frames().find((f) => f !== product.mainFrame());
    assert.ok(!shown.url().startsWith(BASE), `${shown.url()} was framed`);
    assert.equal(await blocked.locator('#app').count(), 0);
  }
  assert.equal(product.refusals.length, 2);
  await shot(product, 'embedded-console-refused');
  await product.context().close();
  site.close();
});

// A small SVG logo (a green disc) and a PNG (8 bytes of signature suffice for the API; the
// browser shows a broken PNG as nothing, so the PNG is a real 1x1 image).
const SVG_LOGO = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><circle cx="16" cy="16" r="14" fill="#0a7c3f"/>'
  + '<rect x="38" y="8" width="54" height="16" rx="4" fill="#0a7c3f"/></svg>').toString('base64')}`;
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('branding: set through the API, shown in the header, on primary buttons and links, and in a framed console', async () => {
  const { status } = await api('PATCH', '/v1/account',
    { branding: { display_name: 'Acme Cloud', accent_color: '#0a7c3f', logo: SVG_LOGO } });
  assert.equal(status, 200);
  await page.reload();
  const brand = page.locator('header .brand');
  await brand.getByText('Acme Cloud').waitFor();
  assert.equal(await brand.locator('img.logo').getAttribute('src'), SVG_LOGO);
  // The logo is drawn (an image that failed would have no natural width).
  await page.waitForFunction(() => document.querySelector('header img.logo')?.naturalWidth > 0);
  const colour = (selector, property) => page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], property);
  assert.equal(await colour('button.primary', 'backgroundColor'), 'rgb(10, 124, 63)');
  assert.equal(await colour('button.primary', 'color'), 'rgb(255, 255, 255)');
  assert.equal(await page.title(), 'Acme Cloud · webhooks');
  await shot(page, 'branding');

  // The console a product frames shows the same.
  const site = await embedder();
  const { body } = await api('POST', '/v1/console-links', { embed_origins: [site.origin] });
  const product = await productPage();
  const frame = await framing(product, site, body.console_link.url);
  await frame.locator('header .brand').getByText('Acme Cloud').waitFor();
  await frame.getByRole('link', { name: 'Create webhook' }).waitFor();
  assert.equal(await frame.getByRole('link', { name: 'Create webhook' }).evaluate((el) => getComputedStyle(el).backgroundColor),
    'rgb(10, 124, 63)');
  await shot(product, 'embedded-console-branded');
  await product.context().close();
  site.close();

  // The form: a logo whose bytes are not its type is refused beside it; a real one is kept.
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Branding' }) });
  await form.getByLabel('Display name').fill('Acme');
  await form.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('<svg/>') });
  await form.locator('.logo-preview img').waitFor();
  await form.getByRole('button', { name: 'Save branding' }).click();
  await form.locator('[data-field="logo"] .field-error').getByText('does not hold PNG data').waitFor();
  await form.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await page.waitForFunction(() => document.querySelector('.logo-preview img')?.src.startsWith('data:image/png;base64,iVBOR'));
  await form.getByRole('button', { name: 'Save branding' }).click();
  await page.locator('header .brand').getByText('Acme', { exact: true }).waitFor();
  const { body: me } = await api('GET', '/v1/account');
  assert.equal(me.account.branding.display_name, 'Acme');
  assert.ok(me.account.branding.logo.startsWith('data:image/png;base64,iVBOR'));
  await api('PATCH', '/v1/account', { branding: null });
  await page.reload();
  await page.locator('header .brand').getByText('hookrelay').waitFor();
});

test('API keys: a new key is shown once and copied; a read key signs in read-only; revoked; the last full key stays', async () => {
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
  // The account's first key, which this console signed in with, is marked so.
  await page.getByRole('row', { name: /Initial key/ }).getByText('this console').waitFor();
  await page.getByLabel('Name').fill('Dashboards');
  await page.getByLabel('Scope').selectOption('read');
  await page.getByLabel('Expires after').selectOption('30');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.locator('.secret code').textContent();
  assert.match(key, /^hr_live_/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await page.getByRole('button', { name: 'Copy key' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
  const row = page.getByRole('row', { name: /Dashboards/ });
  await row.getByText('read', { exact: true }).waitFor();
  const { body } = await api('GET', '/v1/api-keys');
  const made = body.api_keys.find((k) => k.name === 'Dashboards');
  assert.ok(key.startsWith(made.prefix) && made.key === undefined, JSON.stringify(made));
  assert.match(await row.textContent(), new RegExp(`${made.prefix}…`));
  await shot(page, 'api-keys');
  // Shown once: back on the screen, only the prefix is left.
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('row', { name: /Dashboards/ }).waitFor();
  assert.equal(await page.locator('.secret code').count(), 0);

  const reader = await newPage(browser);
  await signIn(reader, key);
  await reader.getByText('read-only', { exact: true }).waitFor();
  await reader.getByRole('link', { name: NAME }).waitFor();
  assert.equal(await reader.getByRole('link', { name: 'API keys' }).count(), 0);
  assert.equal(await reader.getByRole('link', { name: 'Create webhook' }).count(), 0);
  // An ingest key reads nothing: signing in with it says which scope it lacks.
  const { body: producer } = await api('POST', '/v1/api-keys', { name: 'Producer', scope: 'ingest' });
  const ingest = await newPage(browser);
  await signIn(ingest, producer.api_key.key);
  await ingest.getByText("this API key's scope is `ingest`; this route needs `read` (or `full`)").waitFor();

  // The last full key stays; the dialog says why.
  await page.getByRole('button', { name: 'Revoke key Initial key' }).click();
  await page.getByRole('dialog').getByText('you will be signed out').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByText(/last full-scope API key/).waitFor();
  await page.keyboard.press('Escape');
  // Revoked: whoever signed in with it is signed out at their next step.
  await page.getByRole('button', { name: 'Revoke key Dashboards' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('row', { name: /Dashboards/ }).waitFor({ state: 'detached' });
  await reader.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await reader.getByText('Your session has ended').waitFor();
  for (const p of [reader, ingest]) await p.context().close();
});

test('at phone width the webhooks screen fits', async () => {
  const phone = await newPage(browser, PHONE);
  await signIn(phone);
  await phone.getByRole('link', { name: NAME }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await shot(phone, 'webhooks-phone');
  await phone.context().close();
});

test('the list pages by cursor', async () => {
  for (let i = 1; i <= 20; i += 1) {
    const made = await api('POST', '/v1/webhooks', { name: `Extra ${i}`, url: hook.url, events: ['other.thing'], enabled: false });
    assert.equal(made.status, 201);
  }
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.getByRole('link', { name: 'Extra 20' }).waitFor();
  assert.equal(await page.getByRole('link', { name: NAME }).count(), 0);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('link', { name: NAME }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByRole('link', { name: 'Extra 20', exact: true }).waitFor();
});

test('the audit log: who changed what, secrets masked, filtered, paged, and read-only sessions see it', async () => {
  const made = await api('POST', '/v1/webhooks', { name: 'Audited', url: `${hook.url}?v=1`, events: ['audit.*'] });
  assert.equal(made.status, 201);
  const { id, secret } = made.body.webhook;
  const path = `/v1/webhooks/${id}`;
  assert.equal((await api('PATCH', path, { url: `${hook.url}?v=2` })).status, 200);
  const rotated = await api('POST', `${path}/secret/rotate`, { grace_seconds: 60 });
  assert.equal(rotated.status, 200);
  const reader = await api('POST', '/v1/api-keys', { name: 'Auditor', scope: 'read' });
  assert.equal(reader.status, 201);

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  const rows = page.locator('table.audit tbody tr');
  // Newest first (records of one millisecond may stand either way round),
  // each by the key this console signed in with.
  await rows.nth(3).waitFor();
  const times = await page.locator('table.audit tbody time').evaluateAll((all) => all.map((t) => Date.parse(t.dateTime)));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  const row = (action) => rows.filter({ has: page.locator('td', { hasText: new RegExp(`^${action}$`) }) }).first();
  const actions = await rows.locator('td:nth-child(3)').allTextContents();
  assert.deepEqual(actions.slice(0, 4).sort(), ['api_key.created', 'webhook.created', 'webhook.secret_rotated', 'webhook.updated']);
  for (const action of actions.slice(0, 4)) assert.equal(await row(action).locator('td').nth(1).textContent(), 'Initial key · API key');
  assert.match(await row('webhook.updated').textContent(), new RegExp(`url: ${hook.url}\\?v=1 → ${hook.url}\\?v=2`));
  // The secret shows only its last characters, before and after; never whole.
  const lastOf = (s) => s.slice(-4).replace(/[+=]/g, '\\$&');
  assert.match(await row('webhook.secret_rotated').textContent(),
    new RegExp(`secret: whsec_\\*+${lastOf(secret)} → whsec_\\*+${lastOf(rotated.body.secret)}`));
  const text = await page.locator('body').innerText();
  for (const whole of [secret, rotated.body.secret, reader.body.api_key.key]) assert.ok(!text.includes(whole), 'a secret is shown whole');
  // A value the resource did not have yet shows as a dash.
  assert.match(await row('webhook.created').textContent(), /name: — → Audited/);
  await shot(page, 'audit');
  // The webhook's id opens its page.
  await row('webhook.secret_rotated').getByRole('link', { name: id }).click();
  await page.getByRole('heading', { name: 'Audited' }).waitFor();
  await page.goBack();

  // A filter narrows the rows, and is kept in the address.
  await page.getByLabel('Action').selectOption('webhook.updated');
  await page.waitForFunction(() => [...document.querySelectorAll('table.audit tbody tr')]
    .every((tr) => tr.cells[2]?.textContent === 'webhook.updated'));
  assert.equal(await page.locator('table.audit').getByText('api_key.created').count(), 0);
  assert.match(await page.evaluate(() => location.hash), /^#\/audit\?action=webhook\.updated$/);
  await page.getByLabel('Resource id').fill('no-such-resource');
  await page.getByLabel('Resource id').press('Enter');
  await page.getByText('No audit records match these filters.').waitFor();
  await page.getByLabel('Resource id').fill(id);
  await page.getByLabel('Resource id').press('Enter');
  await page.getByText('1 record shown.').waitFor();

  // More than a page (25): Load more adds the older ones below.
  for (let i = 1; i <= 25; i += 1) assert.equal((await api('PATCH', path, { description: `v${i}` })).status, 200);
  await page.reload();
  await page.getByText('25 records shown; more are older.').waitFor();
  assert.match(await rows.first().textContent(), /description: v\d+ → v\d+/);
  await page.getByRole('button', { name: 'Load more' }).click();
  await page.getByText('26 records shown.').waitFor();
  assert.equal(await rows.count(), 26);
  assert.match(await rows.last().textContent(), /url: .*\?v=1 → .*\?v=2/);
  assert.equal(await page.getByRole('button', { name: 'Load more' }).isVisible(), false);

  // A read-scope key sees the log too, and at phone width it fits.
  const phone = await newPage(browser, PHONE);
  await signIn(phone, reader.body.api_key.key);
  await phone.getByText('read-only', { exact: true }).waitFor();
  await phone.getByRole('link', { name: 'Audit log' }).click();
  await phone.locator('table.audit tbody tr').first().getByText(/description: v\d+ → v\d+/).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await shot(phone, 'audit-phone');
  await phone.context().close();
});

test('every screen passes axe-core without serious problems', async () => {
  const screens = ['#/webhooks', '#/webhooks/new', '#/deliveries', '#/event-types', '#/links', '#/api-keys', '#/audit'];
  const { body } = await api('GET', '/v1/webhooks?limit=1');
  screens.push(`#/webhooks/${body.webhooks[0].id}`);
  for (const screen of screens) {
    await page.goto(`${BASE}/console${screen}`);
    await page.locator('main h1').waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], screen);
  }
});

test('the keyboard alone signs in and reaches a webhook', async () => {
  const keys = await newPage(browser);
  await keys.goto(`${BASE}/console`);
  await keys.keyboard.type(KEY);
  await keys.keyboard.press('Enter');
  await keys.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  // Tab from the top until the focus is on a webhook's name, then open it.
  for (let i = 0; i < 40; i += 1) {
    await keys.keyboard.press('Tab');
    if (await keys.evaluate(() => document.activeElement?.classList.contains('hook-name'))) break;
  }
  await keys.keyboard.press('Enter');
  await keys.getByRole('button', { name: 'Send test' }).waitFor();
  await keys.context().close();
});

test('sign out forgets the key', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
});

test('no page had an uncaught error or a console error (CSP violations included)', () => {
  assert.deepEqual(problems, []);
});
