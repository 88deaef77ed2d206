// Edge to central on the sources page (docs/sync.md): two real hubs, an edge forwarding to a
// central one. The central hub's page lists the site with the points it received; the edge's
// page shows what it forwards, and, with the central hub stopped, what waits and why. The
// answer of GET /api/v1/sync is checked against its schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { launchBrowser, openPage } from './browser_page.mjs';
import { freePort } from '../../tests/interop/opcua/spawn.mjs';

const bin = process.env.FH_BIN;
let dir, browser, central, edge, centralPort, edgePort;

function serve(hub, port, env = {}) {
  const child = spawn(bin, ['serve', '--hub', hub, '--port', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + out)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

before(async () => {
  assert.ok(bin, 'FH_BIN names the factoryhub binary');
  dir = mkdtempSync(join(tmpdir(), 'fh-sites-'));
  centralPort = await freePort();
  edgePort = await freePort();
  execFileSync(bin, ['init', join(dir, 'central'), '--name', 'group']);
  execFileSync(bin, ['init', join(dir, 'edge'), '--name', 'shanghai']);
  appendFileSync(join(dir, 'edge', 'factoryhub.yaml'), `sync:\n  central: http://127.0.0.1:${centralPort}\n`);
  central = await serve(join(dir, 'central'), centralPort);
  edge = await serve(join(dir, 'edge'), edgePort);
  const lines = [];
  for (let i = 0; i < 300; i++) lines.push(`press,id=${i % 3} force=${i} ${1767225600 + i}000000000`);
  const res = await fetch(`http://127.0.0.1:${edgePort}/write`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stop(edge);
  await stop(central);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the central hub lists the site and what it received', async (t) => {
  const { page, problems } = await openPage(browser, t);
  await page.goto(`http://127.0.0.1:${centralPort}/#/sources`);
  await page.locator('select[name=language]').selectOption('en');
  const row = page.locator('table.site-list tr[data-site="shanghai"]');
  // The page refreshes every 5 s; the edge forwards within a second.
  await row.waitFor({ timeout: 30000 });
  await page.waitForFunction(
    () => document.querySelector('table.site-list tr[data-site="shanghai"] td.num')?.textContent === '300',
    null,
    { timeout: 30000 },
  );
  await page.getByRole('heading', { name: 'Sites forwarding to this hub' }).waitFor();
  await page.locator('select[name=language]').selectOption('zh-CN');
  await page.getByRole('heading', { name: '向本中心转发的站点' }).waitFor();
  assert.deepEqual(problems, []);

  const doc = await (await fetch(`http://127.0.0.1:${centralPort}/api/v1/openapi.json`)).json();
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
  const validate = ajv.compile({
    $ref: 'openapi.json#/paths/~1api~1v1~1sync/get/responses/200/content/application~1json/schema',
  });
  for (const port of [centralPort, edgePort]) {
    const body = await (await fetch(`http://127.0.0.1:${port}/api/v1/sync`)).json();
    assert.ok(validate(body), ajv.errorsText(validate.errors) + JSON.stringify(body));
  }
});

test('the edge shows what it forwards, and what waits while the central hub is away', async (t) => {
  const { page, problems } = await openPage(browser, t);
  await page.goto(`http://127.0.0.1:${edgePort}/#/sources`);
  await page.locator('select[name=language]').selectOption('en');
  const card = page.locator('[data-forwarding]');
  await card.waitFor();
  assert.match(await card.locator('h2').innerText(), new RegExp(`Forwarding to http://127.0.0.1:${centralPort} as site shanghai`));
  await page.waitForFunction(
    () => /^0 points/.test(document.querySelector('[data-backlog-points]')?.textContent?.trim() ?? ''),
    null,
    { timeout: 30000 },
  );
  await stop(central);
  central = null;
  const more = [];
  for (let i = 300; i < 350; i++) more.push(`press,id=0 force=${i} ${1767225600 + i}000000000`);
  assert.equal((await fetch(`http://127.0.0.1:${edgePort}/write`, { method: 'POST', body: more.join('\n') })).status, 204);
  await page.waitForFunction(
    () => /^50 points/.test(document.querySelector('[data-backlog-points]')?.textContent?.trim() ?? ''),
    null,
    { timeout: 30000 },
  );
  await page.locator('[data-forwarding-error]', { hasText: 'central hub' }).waitFor({ timeout: 30000 });
  assert.deepEqual(problems, []);
});
