// The dashboard in a real browser: Debian's chromium, driven by playwright-core, against a
// real `factoryhub demo` (a live plant on a free port) started here. Every page loads with
// no console error; the language switches; once the hub has a user, a person logs in and an
// operator acknowledges an alarm. Screenshots of a failure are kept in FH_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launchBrowser, openPage as openPageIn } from './browser_page.mjs';
import { startDemo } from './demo.mjs';

const bin = process.env.FH_BIN;
let demo, dir, url, browser;

before(async () => {
  assert.ok(bin, 'FH_BIN names the factoryhub binary');
  demo = await startDemo(bin);
  ({ dir, url } = demo);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// openPage(t, {allow, dark}): browser_page.mjs's, on this file's browser.
const openPage = (t, options = {}) => openPageIn(browser, t, options);

test('the overview shows the live plant and switches language', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url);
  await page.locator('select[name=language]').selectOption('zh-CN');
  await page.getByRole('heading', { name: '工厂总览' }).waitFor();
  const machines = page.locator('article.machine:not(.site)');
  await machines.first().waitFor();
  // Line 1's four CNC machines, line 2's mill (the AI4I 2020 records, the failure model's),
  // and the second plant's two presses, placed by the records its edge forwards.
  assert.equal(await machines.count(), 7);
  const press = page.locator('article.machine[data-path="acme/suzhou/stamping/line-1/press-1"]');
  await press.locator('th', { hasText: 'temperature' }).waitFor();
  await press.locator('td.value', { hasText: '°C' }).waitFor();
  assert.match(await press.locator('td.value', { hasText: '°C' }).innerText(), /\d/);
  assert.match(await press.locator('.state').innerText(), /运行/);
  // The site forwarding here: how far behind, the records it sent.
  const site = page.locator('article.site[data-site=suzhou]');
  await site.waitFor();
  assert.match(await site.locator('.state').innerText(), /滞后 [\d.]+ 秒|尚未收到数据/);
  await site.locator('p', { hasText: '条记录' }).waitFor();
  // Each machine: its state in words (not only a colour), values and units of its signals.
  const first = machines.first();
  assert.match(await first.locator('.state').innerText(), /运行|空闲|故障停机|换型|待料|堵料|计划停机/);
  await first.locator('td.value', { hasText: 'kW' }).waitFor();
  await first.locator('.oee .big').waitFor();
  await first.locator('.sparkline canvas').first().waitFor();

  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Plant overview' }).waitFor();
  assert.match(await first.locator('.oee dt').first().innerText(), /OEE, this shift/);

  // The first load, as the browser measured it.
  const load = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    return nav.loadEventEnd - nav.startTime;
  });
  console.log(`dashboard: first load of the overview ${load.toFixed(0)} ms`);
  assert.deepEqual(problems, []);
});

test('the overview follows its signals live without polling them', async (t) => {
  const { page, problems } = await openPage(t);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('.page-head .live.on').waitFor();
  const first = page.locator('article.machine').first();
  await first.locator('td.value', { hasText: 'kW' }).waitFor();
  await first.locator('.sparkline canvas[data-drawn]').first().waitFor();
  // The demo sends a point per signal every second: the values change on their own.
  const before = (await first.locator('td.value').allInnerTexts()).join('|');
  let after = before;
  for (let i = 0; i < 50 && after === before; ++i) {
    await page.waitForTimeout(200);
    after = (await first.locator('td.value').allInnerTexts()).join('|');
  }
  assert.notEqual(after, before, 'the values did not change within 10 s');
  await page.waitForTimeout(6000); // longer than the old refresh (5 s)
  assert.equal(asked.filter((p) => p === '/api/v1/latest/stream').length, 1);
  assert.equal(asked.filter((p) => p === '/api/v1/latest').length, 0, 'the page polled /latest');
  // The half hour of the sparklines once, then only what the stream brings.
  assert.equal(asked.filter((p) => p === '/api/v1/query').length, 1);
  assert.deepEqual(problems, []);
});

test('the alarms console shows the alarms live', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/alarms');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Alarms console' }).waitFor();
  await page.locator('.live.on').waitFor();
  await page.getByLabel('Show normal ones too').check();
  const rows = page.locator('tbody tr[data-alarm]');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 5, 'the demo defines its alarms');
  // Filtered by priority: only that priority's rows stay.
  await page.locator('select[name=priority]').selectOption('high');
  const priorities = await page.locator('tbody tr[data-alarm] .priority').allInnerTexts();
  assert.ok(priorities.every((p) => p === 'High'), priorities.join(', '));
  await page.locator('select[name=priority]').selectOption('');
  // The alarm system's performance over the last day, with its figures.
  await page.getByRole('heading', { name: /Alarm system performance/ }).waitFor();
  assert.match(await page.locator('[data-figure=rate] dd').innerText(), /^\d/);
  assert.deepEqual(problems, []);
});

test('a machine: its signals zoom from buckets to points, its states, losses and SPC', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url);
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('article.machine h3 a', { hasText: 'cnc-01' }).click();
  await page.getByRole('heading', { name: 'cnc-01' }).waitFor();
  const chart = page.locator('figure.signal-chart').first();
  await chart.locator('canvas').waitFor();
  await chart.locator('figcaption', { hasText: 'means per' }).waitFor();
  // Zoom in on the last minutes with the wheel: the chart asks for finer data.
  const box = await chart.locator('.chart').boundingBox();
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  for (let i = 0; i < 60; ++i) await page.mouse.wheel(0, -300);
  await chart.locator('figcaption', { hasText: 'every point' }).waitFor({ timeout: 20000 });
  // What it was doing, where the time went, its bores' control chart.
  await page.locator('.timeline .span').first().waitFor();
  await page.getByRole('heading', { name: 'OEE and where the time went' }).waitFor();
  await page.locator('.oee-losses canvas').first().waitFor();
  await page.locator('figure.spc[data-characteristic="bore-cnc-01"] canvas').waitFor();
  await page.locator('figure.spc .capability dt', { hasText: 'Cpk' }).waitFor();
  // OEE by shift, then by day.
  await page.locator('figure.periods canvas').waitFor();
  assert.ok(Number(await page.locator('figure.periods').getAttribute('data-periods')) >= 1);
  await page.locator('select[name=oee-by]').selectOption('day');
  await page.locator('figure.periods[data-periods]').waitFor();
  assert.deepEqual(problems, []);
});

test("the mill: the failure model's predictions with their reasons beside its signals", async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/equipment/' + encodeURIComponent('acme/shanghai/machining/line-2/mill-01'));
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'mill-01' }).waitFor();
  await page.locator('figure.signal-chart canvas').first().waitFor();
  await page.getByRole('button', { name: 'Last 24h' }).click();
  const prediction = page.locator('.predictions li[data-prediction]').first();
  await prediction.waitFor();
  assert.match(await prediction.innerText(), /ai4i-machine-failure@\d+ · failure \d+(\.\d)? % · .*[▲▼]\d/);
  assert.deepEqual(problems, []);
});

test('the data page: the quarantine with its reasons, a record fixed and replayed', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/data');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Quarantine' }).waitFor();
  const rows = page.locator('tbody tr[data-id]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 4, "the demo's ERP export breaks three rules, its HR export one");
  const missing = rows.filter({ hasText: 'material_master:8' });
  await missing.click();
  await page.locator('aside.detail pre.raw', { hasText: 'RM-SEAL-50' }).waitFor();
  await page.locator('input[name="field-物料名称"]').fill('O 形圈 O-ring 50 mm');
  await page.getByRole('button', { name: 'Fix and replay' }).click();
  await page.getByRole('status').filter({ hasText: 'passed its mapping and is stored' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-id]').length === 3);
  const stored = await page.evaluate(async () =>
    (await fetch('/api/v1/records?entity=material&key=RM-SEAL-50')).json(),
  );
  assert.equal(stored.records[0]?.fields.name, 'O 形圈 O-ring 50 mm');
  assert.deepEqual(problems, []);
});

test('importing a file from the browser: a dry run first, then the import', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/data');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Import a file' }).waitFor();
  // The quarantine loads after the heading shows: count it once it is there (the test before
  // left three records in it).
  await page.locator('tbody tr[data-id]').first().waitFor();
  const before = await page.locator('tbody tr[data-id]').count();
  await page.locator('select[name=mapping]').selectOption('erp-materials');
  await page.locator('input[name=file]').setInputFiles({
    name: 'new-materials.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('物料编码,物料名称,物料类型,基本单位,备注\nRM-GREASE,润滑脂 grease,原材料,千克,\nRM X 1,bad code,原材料,千克,\n'),
  });
  await page.getByRole('button', { name: 'Validate (dry run)' }).click();
  await page.locator('.import .report', { hasText: '2 read, 1 accepted, 1 quarantined' }).waitFor();
  await page.locator('.import .rejected', { hasText: 'line 3' }).waitFor();
  assert.equal(await page.locator('tbody tr[data-id]').count(), before, 'a dry run stores nothing');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.import .report', { hasText: 'Imported as batch' }).waitFor();
  await page.locator('tbody tr[data-id]', { hasText: 'new-materials.csv:3' }).waitFor();
  // The stored record's lineage: the file it came from, its line, the mapping and the batch.
  const records = page.locator('section.records');
  await records.locator('input[name=filter-records]').fill('RM-GREASE');
  const row = records.locator('tr[data-record="RM-GREASE"]');
  await row.click();
  const lineage = records.locator('aside.lineage');
  await lineage.locator('dd[data-field=source_object]', { hasText: 'new-materials.csv' }).waitFor();
  assert.equal(await lineage.locator('dd[data-field=line]').innerText(), '2');
  assert.match(await lineage.locator('dd[data-field=mapping_version]').innerText(), /^erp-materials@\d+$/);
  assert.match(await lineage.locator('dd[data-field=batch]').innerText(), /^\d+/);
  assert.deepEqual(problems, []);
});

test("models: the failure model's metrics, curves, confusion matrix and explained predictions", async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/models');
  await page.locator('select[name=language]').selectOption('en');
  const detail = page.locator('article.detail[data-model^="ai4i-machine-failure@"]');
  await detail.waitFor();
  const auc = Number(await detail.locator('[data-metric=roc_auc] dd').innerText());
  assert.ok(auc > 0.9 && auc <= 1, `cross-validated ROC AUC ${auc}`);
  await detail.locator('.curves canvas').waitFor();
  await detail.locator('.importance canvas').waitFor();
  // The confusion matrix adds up to the training rows.
  const cells = await detail.locator('.confusion td').allInnerTexts();
  assert.equal(cells.map(Number).reduce((a, b) => a + b, 0), 10000);
  // Predictions with their reasons, sortable, and exported as shown.
  const predictions = detail.locator('tr[data-prediction]');
  await predictions.first().waitFor();
  assert.match(await predictions.first().innerText(), /[▲▼]\d/);
  await detail.locator('th[data-column=probability] button').click();
  await detail.locator('th[data-column=probability] button').click();
  assert.equal(await detail.locator('th[data-column=probability]').getAttribute('aria-sort'), 'descending');
  const shown = await predictions.evaluateAll((rows) => rows.map((r) => parseFloat(r.cells[2].innerText)));
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    detail.locator('button[name=csv-predictions]').click(),
  ]);
  const csv = (await import('node:fs')).readFileSync(await download.path(), 'utf8');
  const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Time,Equipment,Probability,Why (contribution to the log-odds)');
  assert.equal(lines.length - 1, shown.length);
  assert.deepEqual(problems, []);
});

test('dark, and by keyboard alone: a table sorts and a row opens with Enter', async (t) => {
  const { page, problems } = await openPage(t);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url + '#/models');
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('article.detail').waitFor();
  // The page follows the system's dark scheme: a dark background, light text.
  const [bg, fg] = await page.evaluate(() => {
    const style = getComputedStyle(document.body.parentElement);
    return [style.backgroundColor, style.color];
  });
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  assert.ok(luminance(bg) < 0.2 && luminance(fg) > 0.7, `background ${bg}, text ${fg}`);
  // A header is a button: Enter sorts.
  const header = page.locator('.registry th[data-column=rows]');
  await header.locator('button').focus();
  await page.keyboard.press('Enter');
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  // A row takes the focus and Enter opens it.
  const detector = page.locator('.registry tr[data-model^="line-1-anomaly@"]');
  await detector.focus();
  await page.keyboard.press('Enter');
  await page.locator('article.detail[data-model^="line-1-anomaly@"]').waitFor();
  assert.deepEqual(problems, []);
});

test('trace: a steel bar forward to the customers who got it, and the data quality', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/trace');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Lot genealogy' }).waitFor();
  await page.locator('input[name=lot]').fill('BAR-0001');
  await page.getByLabel('Forward (where it went)').check();
  await page.getByRole('button', { name: 'Trace' }).click();
  await page.locator('table.lots tr[data-lot^="PAL-"]').first().waitFor();
  await page.locator('.graph canvas').waitFor();
  await page.locator('.recall tr[data-customer]').first().waitFor();
  // The data page's quality report: the ERP import's dimensions and its failed rules.
  await page.goto(url + '#/data');
  await page.getByRole('heading', { name: 'Data quality' }).waitFor();
  await page.locator('article.source[data-mapping="erp-materials"] .checks li').first().waitFor();
  assert.match(
    await page.locator('[data-dimension=validity] dd').innerText(),
    /\d+(\.\d)?%/,
  );
  assert.deepEqual(problems, []);
});

test('a person logs in and acknowledges an alarm', async (t) => {
  // From its first user on, the hub asks who is there.
  execFileSync(bin, ['user', 'add', '--hub', join(dir, 'hub'), 'li.wei', '--role', 'operator',
    '--password-stdin'], { input: 'a long passphrase for li\n' });
  // The server notices within two seconds (it remembers who is set up that long).
  for (let i = 0; i < 100; ++i) {
    if ((await fetch(url + 'api/v1/session')).status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { page, problems } = await openPage(t, {
    allow: ['status of 401'], // the session check before the login, as designed
  });
  await page.goto(url + '#/alarms');
  await page.locator('select[name=language]').selectOption('en');
  const login = page.locator('form.login');
  await login.waitFor({ timeout: 15000 });
  await page.locator('input[name=user]').fill('li.wei');
  await page.locator('input[name=password]').fill('a long passphrase for li');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Alarms console' }).waitFor();
  await page.locator('.who', { hasText: 'li.wei (operator)' }).waitFor();
  await page.getByLabel('Show normal ones too').check();
  const ack = page.getByRole('button', { name: 'Acknowledge' }).first();
  await ack.waitFor({ timeout: 60000 });
  const alarm = await ack.locator('xpath=ancestor::tr').getAttribute('data-alarm');
  await page.locator('input[name=comment]').fill('checked on the floor');
  await ack.click();
  await page.getByRole('status').filter({ hasText: `${alarm}: acknowledged` }).waitFor();
  // The journal names who did it.
  const journal = await page.evaluate(async (name) => {
    const r = await fetch('/api/v1/alarms/journal?alarm=' + encodeURIComponent(name));
    return r.json();
  }, alarm);
  const acked = journal.events.find((e) => e.event === 'acknowledged');
  assert.equal(acked?.user, 'li.wei');
  assert.deepEqual(problems, []);
});

test('an admin logs in: the ledger verifies, a token is created, works once shown, is revoked', async (t) => {
  execFileSync(bin, ['user', 'add', '--hub', join(dir, 'hub'), 'wang.fang', '--role', 'admin',
    '--password-stdin'], { input: 'the admin passphrase\n' });
  const { page, problems } = await openPage(t, { allow: ['status of 401'] });
  await page.goto(url + '#/admin');
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('form.login').waitFor({ timeout: 15000 });
  await page.locator('input[name=user]').fill('wang.fang');
  await page.locator('input[name=password]').fill('the admin passphrase');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Administration' }).waitFor();
  // The people: the operator of the test before and this admin.
  await page.locator('.users tr[data-user="li.wei"]', { hasText: 'operator' }).waitFor();
  await page.getByRole('button', { name: 'Verify the ledger' }).click();
  await page.locator('.ledger .check.ok', { hasText: 'Intact' }).waitFor();
  // The demo's own doings are in it: the model it trained, what it shared.
  await page.locator('.ledger tr[data-entry]', { hasText: 'model.train' }).first().waitFor();
  await page.locator('.sharing li[data-share="tool-life-study"]').first().waitFor();
  await page.locator('input[name=token-description]').fill('line 1 gateway');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.locator('code[data-secret]').innerText();
  assert.match(secret, /^fh_/);
  const row = page.locator('.tokens tr[data-token]', { hasText: 'line 1 gateway' });
  assert.match(await row.innerText(), /valid/);
  // The secret works as a client sends it, until revoked.
  const ask = () => fetch(url + 'api/v1/info', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal((await ask()).status, 200);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.locator('.tokens tr[data-token]', { hasText: 'revoked' }).waitFor();
  let status = 200;
  for (let i = 0; i < 50 && status !== 401; ++i) {
    status = (await ask()).status;
    if (status !== 401) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 401, 'a revoked token is refused');
  assert.deepEqual(problems, []);
});
