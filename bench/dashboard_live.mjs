// Is the plant overview smooth while its signals are live? (bench/run-dashboard) Debian's
// chromium, driven by playwright-core, opens the overview of a hub whose signals each get a
// new point every second, waits until every machine's sparklines are drawn, lets it settle,
// then watches it for SECONDS: frames per second and the longest gap between two frames
// (requestAnimationFrame), long tasks (PerformanceObserver 'longtask': main-thread tasks over
// 50 ms), the main thread's busy fraction (Chrome's own TaskDuration from the DevTools
// Performance domain, over the wall time), and how many times the page's values were updated:
// the events of its live stream (GET /api/v1/latest/stream, counted in the page) plus any
// poll of GET /api/v1/latest (the overview before the stream polled every 5 s). RUNS times,
// each in a fresh browser context; prints one table row of medians, LABEL first.
//   node bench/dashboard_live.mjs URL LABEL [RUNS=3] [SECONDS=20]
import { launchChromium, median } from './browser.mjs';

const [url, label, runsText = '3', secondsText = '20'] = process.argv.slice(2);
if (!url || !label) {
  console.error('usage: node bench/dashboard_live.mjs URL LABEL [RUNS] [SECONDS]');
  process.exit(2);
}
const runs = Number(runsText);
const seconds = Number(secondsText);
const SETTLE_MS = 2000;
const TIMEOUT_MS = 60000;

async function watch(browser) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The stream's events, counted as the page receives them.
    await page.addInitScript(() => {
      window.__fhLatestEvents = 0;
      const Native = window.EventSource;
      window.EventSource = class extends Native {
        constructor(target, init) {
          super(target, init);
          if (String(target).includes('/api/v1/latest/stream')) {
            this.addEventListener('latest', () => (window.__fhLatestEvents += 1));
          }
        }
      };
    });
    let polls = 0;
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/latest') ++polls;
    });
    const updates = async () => polls + (await page.evaluate(() => window.__fhLatestEvents));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const metrics = async () => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((m) => [m.name, m.value]));
    };

    await page.goto(url, { timeout: TIMEOUT_MS });
    // Drawn: every signal of every machine has its sparkline's canvas.
    const signals = await page.waitForFunction(
      () => {
        const rows = document.querySelectorAll('article.machine table.signals tr').length;
        const drawn = document.querySelectorAll('article.machine .sparkline canvas[data-drawn]').length;
        return rows > 0 && drawn === rows ? rows : 0;
      },
      null,
      { timeout: TIMEOUT_MS },
    );
    const shown = await signals.jsonValue();
    const machines = await page.locator('article.machine').count();
    await page.waitForTimeout(SETTLE_MS);

    await page.evaluate(() => {
      const w = (window.__fhBench = { longtasks: [], frames: 0, maxGap: 0, janky: 0, stop: false });
      w.observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longtasks.push(e.duration);
      });
      w.observer.observe({ type: 'longtask' });
      w.start = performance.now();
      let last = w.start;
      const tick = (t) => {
        const gap = t - last;
        last = t;
        w.frames += 1;
        w.maxGap = Math.max(w.maxGap, gap);
        if (gap > 50) w.janky += 1; // three frames or more missed at 60 Hz
        if (!w.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const before = await metrics();
    const updatesBefore = await updates();
    await page.waitForTimeout(seconds * 1000);
    const after = await metrics();
    const w = await page.evaluate(() => {
      const b = window.__fhBench;
      b.stop = true;
      b.observer.takeRecords().forEach((e) => b.longtasks.push(e.duration));
      b.observer.disconnect();
      const elapsed = performance.now() - b.start;
      return { ...b, observer: undefined, elapsed };
    });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const wall = after.Timestamp - before.Timestamp;
    return {
      shown,
      machines,
      fps: (w.frames / w.elapsed) * 1000,
      maxGap: w.maxGap,
      janky: w.janky,
      longCount: w.longtasks.length,
      longTotal: w.longtasks.reduce((a, b) => a + b, 0),
      longMax: Math.max(0, ...w.longtasks),
      busy: (after.TaskDuration - before.TaskDuration) / wall,
      updates: (await updates()) - updatesBefore,
    };
  } finally {
    await context.close();
  }
}

const browser = await launchChromium();
try {
  const results = [];
  for (let i = 0; i < runs; ++i) results.push(await watch(browser));
  const m = (k) => median(results.map((r) => r[k]));
  // One row of run-dashboard's table: | overview | signals | updates | frames/s | longest
  // frame ms | frames > 50 ms | long tasks | long tasks' ms | longest task ms | busy |
  console.log(
    `| ${label} | ${m('shown')} (${m('machines')} machines) | ${m('updates')} | ` +
      `${m('fps').toFixed(1)} | ${m('maxGap').toFixed(0)} | ${m('janky')} | ${m('longCount')} | ` +
      `${m('longTotal').toFixed(0)} | ${m('longMax').toFixed(0)} | ${(m('busy') * 100).toFixed(1)}% |`,
  );
} catch (e) {
  console.error(`bench: dashboard live (${label}): ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
