// The sources page against a real OPC UA server: node-opcua's machine-tool test server
// (tests/interop/opcua) and a `factoryhub demo --opcua` collecting line 2's cnc-ua-01 from it.
// The connector is listed and connects with its counters; an engineer (everyone, on a hub
// without users) browses the server by clicks and keys, ticks variables and gets their
// connectors.yaml lines; a server that is not there says why. The answers of
// GET /api/v1/connectors and /api/v1/opcua/browse are checked against their schemas too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import { launchBrowser, openPage as openPageIn } from './browser_page.mjs';
import { startDemo } from './demo.mjs';
import { freePort, startOpcuaServer } from '../../tests/interop/opcua/spawn.mjs';

const bin = process.env.FH_BIN;
let server, demo, url, browser;

before(async () => {
  assert.ok(bin, 'FH_BIN names the factoryhub binary');
  server = await startOpcuaServer();
  demo = await startDemo(bin, ['--opcua', server.url]);
  ({ url } = demo);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await server?.stop();
});

// openPage(t, {allow, dark}): browser_page.mjs's, on this file's browser, with the demo's
// clipboard.
const openPage = (t, options = {}) =>
  openPageIn(browser, t, { clipboardFor: url, ...options });

// A GET answer checked against the served OpenAPI description.
async function validator() {
  const doc = await (await fetch(url + 'api/v1/openapi.json')).json();
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
  return (path, body) => {
    const ref = `openapi.json#/paths/${path.replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema`;
    const validate = ajv.compile({ $ref: ref });
    assert.ok(validate(body), `${path}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
  };
}

test('the OPC UA connector is listed, connects and counts its points', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/sources');
  await page.locator('select[name=language]').selectOption('zh-CN');
  await page.locator('nav.top a[href="#/sources"]', { hasText: '数据源' }).waitFor();
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Sources', exact: true }).waitFor();
  const row = page.locator('table.connectors tr[data-connector="cnc-ua-01"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-kind'), 'opcua');
  assert.match(await row.locator('td.endpoint').innerText(), /^opc\.tcp:\/\/127\.0\.0\.1:\d+/);
  // Connected, with points stored (the page refreshes every 5 s by itself).
  await page.waitForFunction(
    () => {
      const r = document.querySelector('table.connectors tr[data-connector="cnc-ua-01"]');
      return r?.getAttribute('data-state') === 'connected' && Number(r.querySelector('[data-field=points]')?.textContent) > 0;
    },
    null,
    { timeout: 90000 },
  );
  const badge = row.locator('.badge');
  assert.equal(await badge.getAttribute('data-tone'), 'ok');
  assert.match(await badge.innerText(), /●\s*Connected/);
  assert.notEqual(await row.locator('td.time').innerText(), '–');
  // The demo's other live parts: the SPC and alarm monitors.
  await page.locator('table.connectors tr[data-kind=spc] .badge[data-tone=ok]').first().waitFor();
  await page.locator('[data-http]', { hasText: 'HTTP writes:' }).waitFor();
  // Sorting and the filter work on it as on every table.
  await page.locator('input[name=filter-connectors]').fill('opc.tcp');
  assert.equal(await page.locator('table.connectors tbody tr[data-connector]').count(), 1);

  const check = await validator();
  const answer = await (await fetch(url + 'api/v1/connectors')).json();
  check('/api/v1/connectors', answer);
  const ua = answer.connectors.find((c) => c.name === 'cnc-ua-01');
  assert.equal(typeof ua.connected_since, 'string');
  assert.deepEqual(problems, []);
});

test('an engineer browses the server, ticks variables and gets their connectors.yaml lines', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/sources');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: /OPC UA: pick/ }).waitFor();
  const select = page.locator('select[name=opcua-connector]');
  await select.locator('option[value="cnc-ua-01"]').waitFor({ state: 'attached' });
  await select.selectOption('cnc-ua-01');
  await page.getByRole('button', { name: 'Browse', exact: true }).click();

  const tree = page.getByRole('tree');
  const machine = tree.locator('li[role=treeitem][data-node="ns=1;s=Machine"]');
  await machine.waitFor({ timeout: 30000 });
  assert.equal(await tree.locator('li[data-node="i=85"]').getAttribute('aria-expanded'), 'true');
  assert.equal(await machine.getAttribute('aria-expanded'), 'false');
  await machine.click();
  const speed = tree.locator('li[data-node="ns=1;s=Machine.SpindleSpeed"]');
  await speed.waitFor({ timeout: 30000 });
  assert.equal(await machine.getAttribute('aria-expanded'), 'true');
  assert.equal(await speed.getAttribute('aria-level'), '3');
  const value = Number(await speed.locator('[data-value]').innerText());
  assert.ok(value >= 1000 && value < 1100, `SpindleSpeed ${value}`);
  await speed.locator('input[type=checkbox]').check();
  assert.equal(await speed.getAttribute('aria-checked'), 'true');

  // By keyboard: down to PartCount (past Temperature), Space ticks it.
  await speed.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const parts = tree.locator('li[data-node="ns=1;s=Machine.PartCount"]');
  assert.equal(await parts.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press(' ');
  assert.equal(await parts.getAttribute('aria-checked'), 'true');

  const snippet = page.locator('pre[data-snippet]');
  assert.equal(
    await snippet.textContent(),
    'nodes:\n' +
      '  - { node: "ns=1;s=Machine.SpindleSpeed", tag: SpindleSpeed }\n' +
      '  - { node: "ns=1;s=Machine.PartCount", tag: PartCount }\n',
  );
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Copied: 2 nodes' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /node: "ns=1;s=Machine\.SpindleSpeed", tag: SpindleSpeed/);

  // ArrowLeft goes up to Machine, then shuts it; ArrowRight opens it again (no new request:
  // its children are kept), Enter on an object opens and shuts it too.
  await parts.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await machine.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await machine.getAttribute('aria-expanded'), 'false');
  assert.equal(await speed.count(), 0);
  await page.keyboard.press('ArrowRight');
  assert.equal(await machine.getAttribute('aria-expanded'), 'true');
  assert.equal(await speed.getAttribute('aria-checked'), 'true', 'the ticks stay');

  // An object further down opens by keyboard, fetching its children then.
  const axes = tree.locator('li[data-node="ns=1;s=Machine.Axes"]');
  await axes.focus();
  await page.keyboard.press('Enter');
  await tree.locator('li[data-node="ns=1;s=Machine.Axes.X"]').waitFor();
  assert.equal(await axes.getAttribute('aria-expanded'), 'true');

  // The browse answer as the schema says.
  const check = await validator();
  const answer = await (
    await fetch(url + 'api/v1/opcua/browse?connector=cnc-ua-01&node=' + encodeURIComponent('ns=1;s=Machine'))
  ).json();
  check('/api/v1/opcua/browse', answer);
  assert.deepEqual(
    answer.nodes.slice(0, 3).map((n) => n.browse_name),
    ['SpindleSpeed', 'Temperature', 'PartCount'],
  );
  assert.deepEqual(problems, []);
});

test('a server that is not there: the browser says why (in Chinese, dark)', async (t) => {
  const { page, problems } = await openPage(t, { allow: ['status of 502'], dark: true });
  await page.goto(url + '#/sources');
  await page.locator('select[name=language]').selectOption('zh-CN');
  await page.getByRole('heading', { name: '数据源', exact: true }).waitFor();
  const select = page.locator('select[name=opcua-connector]');
  await select.locator('option[value="cnc-ua-01"]').waitFor({ state: 'attached' });
  await select.selectOption('');
  const port = await freePort(); // nobody listens there
  await page.locator('input[name=opcua-endpoint]').fill(`opc.tcp://127.0.0.1:${port}`);
  await page.getByRole('button', { name: '浏览', exact: true }).click();
  const error = page.locator('[data-browse-error]');
  await error.waitFor({ timeout: 30000 });
  assert.match(await error.innerText(), new RegExp(`opc\\.tcp://127\\.0\\.0\\.1:${port}`));
  assert.equal(await page.getByRole('tree').count(), 0);
  assert.deepEqual(problems, []);
});

test('a server that goes away: the connector waits to connect again and says why', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/sources');
  await page.locator('select[name=language]').selectOption('en');
  const row = page.locator('table.connectors tr[data-connector="cnc-ua-01"]');
  await row.locator('.badge[data-tone=ok]').waitFor();
  await server.stop();
  // Within a refresh or two (every 5 s): amber, and the error in full on its own line.
  await row.locator('.badge[data-tone=warn]').waitFor({ timeout: 60000 });
  assert.match(await row.getAttribute('data-state'), /^(connecting|backoff)$/);
  const error = page.locator('table.connectors tr[data-error-of="cnc-ua-01"]');
  await error.waitFor({ timeout: 30000 });
  assert.match(await error.innerText(), /Last error: .+/);
  assert.deepEqual(problems, []);
});

test('a viewer sees the sources but not the OPC UA browser', async (t) => {
  // From its first user on, the hub asks who is there (it notices within two seconds).
  execFileSync(bin, ['user', 'add', '--hub', demo.hub, 'zhao.min', '--role', 'viewer', '--password-stdin'], {
    input: 'a viewer passphrase\n',
  });
  for (let i = 0; i < 100; ++i) {
    if ((await fetch(url + 'api/v1/session')).status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { page, problems } = await openPage(t, { allow: ['status of 401'] });
  await page.goto(url + '#/sources');
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('form.login').waitFor({ timeout: 15000 });
  await page.locator('input[name=user]').fill('zhao.min');
  await page.locator('input[name=password]').fill('a viewer passphrase');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.who', { hasText: 'zhao.min (viewer)' }).waitFor();
  await page.locator('table.connectors tr[data-connector="cnc-ua-01"]').waitFor();
  assert.equal(await page.locator('.opcua-browser').count(), 0);
  assert.equal(await page.locator('select[name=opcua-connector]').count(), 0);
  assert.deepEqual(problems, []);
});
