// The "Decide" pages in a real browser (Debian's chromium, playwright-core) against a real
// `factoryhub demo`: the roadmap's Gantt chart with each measure's justification, a weight
// moved re-plans it, the Pareto front; the skills matrix and its gaps; the mill's set-point
// recommendation on the models page. Screenshots of a failure are kept in FH_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPage as openPageIn } from './browser_page.mjs';
import { startDemo } from './demo.mjs';

const bin = process.env.FH_BIN;
const screenshots = process.env.FH_SCREENSHOTS; // a folder: each page as it looked, when set
let demo, url, browser;

before(async () => {
  assert.ok(bin, 'FH_BIN names the factoryhub binary');
  demo = await startDemo(bin);
  ({ url } = demo);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// openPage(t, {allow, dark}): browser_page.mjs's, on this file's browser.
const openPage = (t, options = {}) => openPageIn(browser, t, options);

test('the roadmap: Gantt by quarter, justified measures, weights that re-plan, the Pareto front', async (t) => {
  const { page, problems } = await openPage(t);
  const plans = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/plan') plans.push(u.searchParams.get('weights'));
  });
  await page.goto(url + '#/plan');
  await page.locator('select[name=language]').selectOption('en');
  await page.getByRole('heading', { name: 'Transformation roadmap' }).waitFor();
  const section = page.locator('section.plan');
  await section.locator('.gantt canvas').waitFor();
  // The demo's catalogue: several measures chosen, each with its bar and its justification.
  const chosen = Number(await section.getAttribute('data-chosen'));
  assert.ok(chosen >= 3, `${chosen} measures chosen`);
  assert.equal(await page.locator('article.measure[data-measure]').count(), chosen);
  // A measured effect's basis is a sentence with the hub's figures; estimates say so.
  await page.locator('article.measure .badge.measured').first().waitFor();
  const basis = await page.locator('article.measure li:has(.badge.measured) .basis').first().innerText();
  assert.match(basis, /\d/, basis);
  assert.match(
    await page.locator('article.measure li:has(.badge.estimate) .basis').first().innerText(),
    /estimate/,
  );
  // The measures left out, with their ranks.
  const left = page.locator('table.not-chosen tr[data-measure]');
  assert.ok((await left.count()) >= 1);
  assert.match(await left.first().locator('td').nth(2).innerText(), /^\d+/);
  // AHP weights with their consistency ratio; a stable band on every slider.
  assert.match(await page.locator('.weights .source').innerText(), /AHP.*consistency ratio 0\.0\d+/s);
  assert.equal(await page.locator('.slider .band').count(), 6);
  // Spend against the budget, and the Pareto front with the chosen plan.
  await page.locator('.spend canvas').waitFor();
  await page.locator('.pareto canvas').waitFor();
  assert.ok(Number(await page.locator('.pareto').getAttribute('data-points')) >= 3);
  assert.equal(await page.locator('a.html-link').getAttribute('href'), '/api/v1/plan.html');

  // Technology cost to the top: the plan is asked for again and does less.
  await page.locator('input[name=weight-technology_cost]').fill('90');
  await page.locator('.change.changed').waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('section.plan')?.dataset.planning === 'no');
  const fewer = Number(await section.getAttribute('data-chosen'));
  assert.ok(fewer < chosen, `${fewer} measures chosen after, ${chosen} before`);
  assert.match(await page.locator('.change').innerText(), /The plan changed.*−/s);
  const asked = plans.filter((w) => w && w.includes('technology_cost=0.9'));
  assert.equal(asked.length, 1, 'one request once the slider rests: ' + plans.join(' | '));
  assert.match(await page.locator('a.html-link').getAttribute('href'), /weights=.*technology_cost%3D0\.9/);
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'roadmap-replanned.png') });
  }
  // The keyboard moves a slider too; reset brings back the catalogue's plan.
  await page.locator('input[name=weight-efficiency]').focus();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: "Reset to the catalogue's weights" }).click();
  await page.waitForFunction((n) => Number(document.querySelector('section.plan')?.dataset.chosen) === n, chosen);
  assert.equal(await page.locator('.change').count(), 0);
  assert.deepEqual(problems, []);
});

test('the roadmap in Chinese and dark', async (t) => {
  const { page, problems } = await openPage(t, { dark: true });
  await page.goto(url + '#/plan');
  await page.locator('select[name=language]').selectOption('zh-CN');
  await page.getByRole('heading', { name: '数字化转型路线图' }).waitFor();
  await page.locator('section.plan .gantt canvas').waitFor();
  await page.locator('nav.top a[href="#/plan"]', { hasText: '路线图' }).waitFor();
  await page.locator('article.measure .badge', { hasText: /实测|估计/ }).first().waitFor();
  assert.deepEqual(problems, []);
});

test('people: the skills matrix of a line and its gaps', async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url);
  await page.locator('select[name=language]').selectOption('en');
  await page.locator('nav.top a', { hasText: 'People' }).click();
  await page.getByRole('heading', { name: 'People and qualifications' }).waitFor();
  const cells = page.locator('table.matrix td[data-status]');
  await cells.first().waitFor();
  // Line 1 first: its people, each certificate valid, expiring, expired or missing.
  const statuses = new Set(await cells.evaluateAll((tds) => tds.map((td) => td.dataset.status)));
  assert.ok(statuses.has('valid') && statuses.has('missing'), [...statuses].join(', '));
  // Names are masked.
  const name = await page.locator('table.matrix tr[data-person] td').nth(1).innerText();
  assert.match(name, /\*/);
  // A gap: a qualification short on a shift; and the certificates ending soon.
  const gap = page.locator('table.gaps tr.short').first();
  await gap.waitFor();
  assert.match(await gap.locator('td.shortfall').innerText(), /▲ [1-9]/);
  await page.locator('table.certificates tr[data-certificate]').first().waitFor();
  // Sorted by a qualification's column: the worst (expired or missing) first.
  await page.locator('table.matrix th[data-column^="q:"] button').first().click();
  assert.equal(await page.locator('table.matrix th[data-column^="q:"]').first().getAttribute('aria-sort'), 'ascending');
  // Line 2: the mill's line, with its own columns.
  await page.locator('select[name=line]').selectOption({ label: 'acme/shanghai/machining/line-2' });
  await page.locator('table.matrix th[data-column="q:milling"]').waitFor();
  assert.deepEqual(problems, []);
});

test("the mill's set-points: recommended against now, risk before and after, the drivers", async (t) => {
  const { page, problems } = await openPage(t);
  await page.goto(url + '#/models');
  await page.locator('select[name=language]').selectOption('en');
  const panel = page.locator('article.detail[data-model^="ai4i-machine-failure@"] section.setpoints');
  await panel.waitFor();
  // The demo's controls spec: the mill's speed and torque, a 5.5 kW floor.
  assert.match(await panel.locator('textarea[name=controls-spec]').inputValue(), /equipment: acme\/shanghai\/machining\/line-2\/mill-01/);
  await panel.getByRole('button', { name: 'Recommend set-points' }).click();
  const result = panel.locator('article.result');
  await result.waitFor({ timeout: 30000 });
  for (const control of ['rotational_speed_rpm', 'torque_Nm']) {
    const row = result.locator(`tr[data-control=${control}]`);
    assert.match(await row.locator('td.recommended').innerText(), /\d/);
  }
  assert.match(await result.locator('[data-figure=now] dd').innerText(), /^\d[\d.]* %$/);
  assert.match(await result.locator('[data-figure=recommended] dd').innerText(), /^\d[\d.]* %$/);
  // The power floor holds at the recommendation; the distance from the training data; drivers.
  assert.match(await result.locator('tr[data-constraint=mechanical_power_W]').innerText(), /✔ holds/);
  assert.match(await result.locator('li[data-point=recommended]').innerText(), /training data|unknown/);
  assert.ok((await result.locator('tr[data-driver]').count()) >= 2);
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    await panel.screenshot({ path: join(screenshots, 'set-points.png') });
  }
  // A spec that does not fit the model says why.
  await panel.locator('textarea[name=controls-spec]').fill('controls:\n  - { name: no_such_input, min: 0, max: 1 }\n');
  await panel.getByRole('button', { name: 'Recommend set-points' }).click();
  await panel.getByRole('alert').waitFor();
  assert.match(await panel.getByRole('alert').innerText(), /No recommendation: .*no_such_input/);
  await panel.getByRole('button', { name: 'Start again from the default spec' }).click();
  assert.match(await panel.locator('textarea[name=controls-spec]').inputValue(), /mill-01/);
  assert.equal(await panel.getByRole('alert').count(), 0);
  assert.deepEqual(
    problems.filter((p) => !p.includes('status of 400')), // the refused spec, as designed
    [],
  );
});
