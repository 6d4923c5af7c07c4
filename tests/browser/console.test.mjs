// The console end to end in headless Chromium, against the local runner
// (started by run.sh), in the order a new user meets it. Each step waits
// for what the user would see, with Playwright's deadlines, never a sleep.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, api, shot, receiver, day, accessibilityProblems, BASE, KEY, PHONE } from './helpers.mjs';

let browser;
let page;
let hook;
const NAME = 'Orders to billing';

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  hook = await receiver();
});

after(async () => {
  await browser?.close();
  hook?.close();
});

test('a wrong key is refused and the right one signs in', async () => {
  await signIn(page, 'not-the-key-0123456789');
  await page.getByText('That API key is not valid.').waitFor();
  await signIn(page);
  await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Create your first webhook' }).waitFor();
  assert.equal(await page.evaluate(() => document.cookie), '');
});

test('event types are added to the catalogue', async () => {
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
});

test('a bad URL is shown beside its field, and a webhook is created from the catalogue', async () => {
  await page.getByRole('link', { name: 'Webhooks' }).click();
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
  const { body } = await api('GET', '/v1/webhooks');
  assert.deepEqual(body.webhooks[0].events, ['order.paid', 'user.*']);
});

test('a test send shows the endpoint\'s answer', async () => {
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.locator('.test-outcome').getByText('HTTP 200').waitFor();
  await page.locator('.test-outcome').getByText('{"ok":true}').waitFor();
  assert.equal(hook.received.length, 1);
});

test('the switch turns a webhook off and on, and it stays so', async () => {
  await page.getByRole('link', { name: 'Webhooks' }).click();
  const toggle = page.getByRole('switch', { name: `${NAME} enabled` });
  await toggle.click();
  await page.locator('.hook').getByText('disabled', { exact: true }).waitFor();
  await page.reload();
  assert.equal(await page.getByRole('switch', { name: `${NAME} enabled` }).isChecked(), false);
  await page.getByRole('switch', { name: `${NAME} enabled` }).click();
  await page.locator('.hook').getByText('enabled', { exact: true }).waitFor();
  const { body } = await api('GET', '/v1/webhooks');
  assert.equal(body.webhooks[0].enabled, true);
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

test('the creation date filter', async () => {
  await page.getByLabel('Created from').fill(await day(page, 1));
  await page.getByText('No webhooks match these filters.').waitFor();
  await page.getByLabel('Created from').fill(await day(page, 0));
  await page.getByLabel('Created to').fill(await day(page, 0));
  await page.getByRole('link', { name: NAME }).waitFor();
  await page.getByLabel('Created from').fill('');
  await page.getByLabel('Created to').fill('');
  await page.getByRole('link', { name: NAME }).waitFor();
  await shot(page, 'webhooks-list');
});

test('an event sent through the API appears in the log; its attempts; a retry', async () => {
  await page.getByRole('link', { name: 'Deliveries' }).click();
  await page.getByRole('heading', { name: 'Deliveries', exact: true }).waitFor();
  const sent = await api('POST', '/v1/events', { name: 'order', type: 'paid', payload: { id: 'o_42', amount: 1200 } });
  assert.equal(sent.status, 202);
  // No reload: the list refreshes itself.
  await page.getByRole('link', { name: 'order.paid' }).waitFor();
  await page.getByRole('row', { name: /order\.paid.*delivered/ }).waitFor();
  await shot(page, 'deliveries');
  await page.getByRole('link', { name: 'order.paid' }).click();
  await page.getByRole('table', { name: 'Attempts, oldest first' }).waitFor();
  assert.equal(await page.locator('table.attempts tbody tr').count(), 1);
  assert.match(await page.locator('pre.payload').textContent(), /"o_42"/);
  await page.getByRole('button', { name: 'Retry now' }).click();
  await page.getByText('Sent again: delivered, HTTP 200.').waitFor();
  assert.equal(await page.locator('table.attempts tbody tr').count(), 2);
  await shot(page, 'delivery');
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

  const viewer = await newPage(browser);
  await viewer.goto(readOnly);
  await viewer.getByText('read-only', { exact: true }).waitFor();
  await viewer.getByRole('link', { name: NAME }).waitFor();
  assert.equal(await viewer.getByRole('link', { name: 'Create webhook' }).count(), 0);
  assert.equal(await viewer.getByRole('switch', { name: `${NAME} enabled` }).isDisabled(), true);

  await page.getByRole('button', { name: /Revoke link/ }).last().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.waitForFunction(() => document.querySelectorAll('button[aria-label^="Revoke link"]').length === 1);
  await viewer.getByRole('link', { name: 'Deliveries' }).click();
  await viewer.getByText('Your session has ended').waitFor();
  await guest.context().close();
  await viewer.context().close();
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
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('link', { name: 'Extra 20' }).waitFor();
  assert.equal(await page.getByRole('link', { name: NAME }).count(), 0);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('link', { name: NAME }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByRole('link', { name: 'Extra 20', exact: true }).waitFor();
});

test('every screen passes axe-core without serious problems', async () => {
  const screens = ['#/webhooks', '#/webhooks/new', '#/deliveries', '#/event-types', '#/links'];
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
