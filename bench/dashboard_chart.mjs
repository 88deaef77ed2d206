// A machine's signal chart over a long range in a real browser (bench/run-dashboard): Debian's
// chromium, driven by playwright-core, against `factoryhub serve` of a hub holding one year of
// one signal at 1-minute resolution (bench/gen_signal_year.mjs). On the machine's page
// (#/equipment/PATH) only that signal's chart is left chosen; each run clicks "Last 1h", waits
// for its chart, then clicks the measured range and times, inside the page (performance.now()),
// from the click to the frame after the chart is drawn: the chart's request
// (/api/v1/query at its resolution), ECharts' setOption (which draws the canvas before it
// returns; the caption's "means per ..." is set in the same task, so the caption's change
// marks a drawn chart), then the next animation frame. The page's state timeline and OEE
// losses reload for the new range at the same time, as they do for anyone.
//
// The page offers ranges up to 30 d and a year (RANGES in web/src/pages/Equipment.vue): 7 d,
// 30 d and the year are measured. Prints table rows of medians of RUNS clicks.
//   node bench/dashboard_chart.mjs URL EQUIPMENT_PATH TAG [RUNS=7]
import { launchChromium, median } from './browser.mjs';

const [url, equipmentPath, tag, runsText = '7'] = process.argv.slice(2);
if (!url || !equipmentPath || !tag) {
  console.error('usage: node bench/dashboard_chart.mjs URL EQUIPMENT_PATH TAG [RUNS]');
  process.exit(2);
}
const runs = Number(runsText);
const TIMEOUT_MS = 30000;
const RANGE_MS = { '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3, '1y': 365 * 24 * 3600e3 };
const fail = (message) => {
  console.error(`bench: dashboard chart: ${message}`);
  process.exitCode = 1;
};

// Clicks the range button whose label ends with `key` and resolves with { frame: the
// milliseconds from the click to the frame after the chart of `tag` is drawn again } (a new
// chart: the range is part of its key), or rejects with the chart's error.
function clickAndTime({ tag, key, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const figure = () => document.querySelector(`figure.signal-chart[data-tag="${CSS.escape(tag)}"]`);
    const button = [...document.querySelectorAll('.toolbar button')].find((b) =>
      b.textContent.trim().endsWith(key),
    );
    if (!button) return reject(new Error(`no range button "${key}"`));
    const old = figure();
    let observer;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`the chart over ${key} was not drawn within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      const f = figure();
      if (!f || f === old) return;
      const error = f.querySelector('.error');
      const caption = f.querySelector('figcaption .muted')?.textContent ?? '';
      const detail = caption.slice(caption.indexOf('·') + 1).trim();
      if (!error && !detail) return;
      observer.disconnect();
      clearTimeout(timer);
      if (error) return reject(new Error(`the chart says: ${error.textContent}`));
      requestAnimationFrame(() => resolve({ frame: performance.now() - start }));
    };
    observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const start = performance.now();
    button.click();
  });
}

async function measure(browser, key) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The chart's own requests: their range, answer's size and buckets, and time on the wire.
    const queries = [];
    page.on('requestfinished', async (request) => {
      try {
        const u = new URL(request.url());
        if (u.pathname !== '/api/v1/query' || u.searchParams.get('tag') !== tag) return;
        const body = await (await request.response()).body();
        const series = JSON.parse(body.toString()).series?.[0] ?? {};
        queries.push({
          span: Date.parse(u.searchParams.get('to')) - Date.parse(u.searchParams.get('from')),
          every: u.searchParams.get('every') ?? 'raw',
          count: (series.buckets ?? series.points ?? []).length,
          bytes: body.length,
          ms: request.timing().responseEnd,
        });
      } catch {
        // the page closed first
      }
    });
    await page.goto(`${url}#/equipment/${encodeURIComponent(equipmentPath)}`, { timeout: TIMEOUT_MS });
    const chart = page.locator(`figure.signal-chart[data-tag="${tag}"]`);
    const box = page.locator(`fieldset.tags input[value="${tag}"]`);
    await box.waitFor({ timeout: TIMEOUT_MS }).catch(() => {
      throw new Error(`the page #/equipment/${equipmentPath} shows no signal ${tag} within ${TIMEOUT_MS} ms`);
    });
    if (!(await box.isChecked())) await box.check();
    // Only the measured signal's chart: the page chooses its first two signals.
    const others = page.locator(`fieldset.tags input:checked:not([value="${tag}"])`);
    while (await others.count()) await others.first().uncheck({ timeout: TIMEOUT_MS });
    await chart.locator('canvas').first().waitFor({ timeout: TIMEOUT_MS });
    if (!(await page.locator('.toolbar button', { hasText: key }).count())) {
      return { missing: true };
    }
    const frames = [];
    const seen = [];
    for (let i = 0; i < runs; ++i) {
      await page.evaluate(clickAndTime, { tag, key: '1h', timeoutMs: TIMEOUT_MS });
      const t = await page.evaluate(clickAndTime, { tag, key, timeoutMs: TIMEOUT_MS });
      frames.push(t.frame);
      let q;
      for (let w = 0; !q && w < 250; ++w) {
        q = queries.find((x) => x.span >= 0.9 * RANGE_MS[key] && !seen.includes(x));
        if (!q) await page.waitForTimeout(20);
      }
      if (!q) throw new Error(`no /api/v1/query request over ${key} for ${tag} seen`);
      seen.push(q);
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { frame: median(frames), queries: seen };
  } finally {
    await context.close();
  }
}

const browser = await launchChromium();
try {
  const week = await measure(browser, '7d');
  const month = await measure(browser, '30d');
  const year = await measure(browser, '1y');
  // Rows of run-dashboard's table: | range | its request | answer | query ms | drawn ms | target |
  const row = (what, r, target) => {
    const q = r.queries;
    const asked = q[0].every === 'raw' ? `${q[0].count.toLocaleString('en')} points` :
      `${q[0].count.toLocaleString('en')} buckets of ${q[0].every}`;
    console.log(
      `| ${what} | ${asked} | ${(q[0].bytes / 1024).toFixed(0)} KB | ` +
        `${median(q.map((x) => x.ms)).toFixed(1)} | ${r.frame.toFixed(0)} |${target ? ` ${target} ` : ' '}|`,
    );
  };
  for (const [what, r, target] of [['7 d', week, ''], ['30 d', month, ''], ['1 year', year, '<= 300']]) {
    if (r.missing) fail(`the machine page has no range button for ${what}`);
    else row(what, r, target);
  }
} catch (e) {
  fail(e.message);
} finally {
  await browser.close();
}
