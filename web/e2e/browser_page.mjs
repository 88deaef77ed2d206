// What every end-to-end test of the dashboard needs of chromium: the browser itself
// (Debian's, driven by playwright-core), and a page that records what the console and the
// page's scripts complain about, with a screenshot of it kept when its test fails
// (FH_ARTIFACTS) or always (FH_SCREENSHOTS).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const artifacts = process.env.FH_ARTIFACTS ?? join(tmpdir(), 'fh-web-artifacts');
const screenshots = process.env.FH_SCREENSHOTS; // a folder: each page as it looked, when set

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
}

// `allow`: console errors expected by the test (substrings); `dark`: the dark scheme;
// `clipboardFor`: the origin allowed to read and write the clipboard.
export async function openPage(browser, t, { allow = [], dark = false, clipboardFor } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (clipboardFor) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: clipboardFor });
  }
  const page = await context.newPage();
  if (dark) await page.emulateMedia({ colorScheme: 'dark' });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((a) => m.text().includes(a))) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  t.after(async () => {
    const name = t.name.replace(/\W+/g, '-');
    const folder = t.passed === false || problems.length ? artifacts : screenshots;
    if (folder) {
      mkdirSync(folder, { recursive: true });
      await page.screenshot({ path: join(folder, name + '.png'), fullPage: true }).catch(() => {});
    }
    await context.close();
  });
  return { page, problems };
}
