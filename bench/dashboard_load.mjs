// The dashboard's speed in a real browser (bench/run-dashboard): Debian's chromium, driven by
// playwright-core, against a `factoryhub demo` on this machine. Each of RUNS cold loads (a
// fresh browser context: nothing cached) of the plant overview: the browser's own load time
// (Performance API, navigation to loadEventEnd) and the time until the overview is drawn
// (every machine's card with its sparklines); then the size of the script a first visit
// downloads. Prints medians. Usage: node bench/dashboard_load.mjs URL [RUNS]
import { launchChromium, median } from './browser.mjs';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 7);

const browser = await launchChromium();
const loads = [];
const drawn = [];
let scriptBytes = 0;
for (let i = 0; i < runs; ++i) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', async (r) => {
    if (r.url().includes('/assets/') && r.url().endsWith('.js')) {
      bytes += Number((await r.allHeaders())['content-length'] ?? 0);
    }
  });
  const start = Date.now();
  await page.goto(url);
  // Every sparkline's canvas drawn with its data (SparkBoard marks it data-drawn).
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('article.machine .sparkline canvas');
    return all.length > 0 && [...all].every((c) => c.dataset.drawn);
  });
  drawn.push(Date.now() - start);
  loads.push(
    await page.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation');
      return nav.loadEventEnd - nav.startTime;
    }),
  );
  scriptBytes = bytes;
  await context.close();
}
await browser.close();
console.log(`| overview first load, browser's loadEventEnd (ms) | ${median(loads).toFixed(0)} | <= 1000 |`);
console.log(`| overview drawn: every machine with its sparklines (ms) | ${median(drawn).toFixed(0)} | |`);
console.log(`| script of a first visit, gzipped (KB) | ${(scriptBytes / 1024).toFixed(0)} | <= 400 |`);
