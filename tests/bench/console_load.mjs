// Console load times for `cargo xtask bench`, in Debian's headless Chromium through
// playwright-core (as tests/e2e does). Each cold run gets a fresh profile (empty cache), logs in
// with the token through `/login?token=` (the session cookie only, no page load), then times
// `goto /directconnect` until the Direct Connect page is usable: the connections table shows a
// row of the bench upstream's answer. A warm run then reloads that page (cache kept) and times
// the same. Prints `BENCH {json}` with every run's milliseconds and the bytes on the wire.
//
// env: CLOUDLINK_ORIGIN (http://127.0.0.1:PORT), CLOUDLINK_TOKEN, CLOUDLINK_RUNS (default 7),
// CLOUDLINK_CHROMIUM (default /usr/bin/chromium).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const origin = process.env.CLOUDLINK_ORIGIN;
const token = process.env.CLOUDLINK_TOKEN;
const runs = Number(process.env.CLOUDLINK_RUNS || 7);
const executablePath = process.env.CLOUDLINK_CHROMIUM || '/usr/bin/chromium';
if (!origin || !token) throw new Error('CLOUDLINK_ORIGIN and CLOUDLINK_TOKEN must be set');

const USABLE = '[data-testid="connection-row"][data-id="dxcon-bench001"]';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

async function timed(page, action) {
  const start = performance.now();
  await action();
  await page.locator(USABLE).first().waitFor({ state: 'visible', timeout: 30_000 });
  return performance.now() - start;
}

async function oneRun() {
  const profile = mkdtempSync(join(tmpdir(), 'cloudlink-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
  });
  try {
    const login = await context.request.get(`${origin}/login?token=${token}`, { maxRedirects: 0 });
    if (login.status() >= 400) throw new Error(`login answered ${login.status()}`);
    const page = context.pages()[0] ?? (await context.newPage());
    let bytes = 0;
    const sizes = [];
    page.on('requestfinished', (request) => {
      sizes.push(request.sizes().then((s) => { bytes += s.responseBodySize + s.responseHeadersSize; }).catch(() => {}));
    });
    const cold = await timed(page, () => page.goto(`${origin}/directconnect`, { waitUntil: 'commit' }));
    await Promise.all(sizes);
    const coldBytes = bytes;
    bytes = 0;
    sizes.length = 0;
    const warm = await timed(page, () => page.reload({ waitUntil: 'commit' }));
    await Promise.all(sizes);
    return { cold, warm, coldBytes, warmBytes: bytes };
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

const results = [];
for (let i = 0; i < runs; i += 1) results.push(await oneRun());
console.log('BENCH ' + JSON.stringify({
  cold_ms: results.map((r) => r.cold),
  warm_ms: results.map((r) => r.warm),
  cold_bytes: results.map((r) => r.coldBytes),
  warm_bytes: results.map((r) => r.warmBytes),
}));
