// Debian's headless Chromium through playwright-core, one fresh profile per scenario, and the
// checks every page gets: a screenshot kept in tests/artifacts/, axe-core, where a serious
// or critical finding fails the scenario, and the proxy's Content-Security-Policy: any
// violation (a `securitypolicyviolation` event or Chromium's "Refused to ..." console error)
// fails the scenario. axe itself is evaluated through the DevTools protocol, which the policy
// does not govern, rather than added as an inline <script> the policy would (rightly) block.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CLOUDLINK_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Impacts that fail a page. */
const BLOCKING = new Set(['serious', 'critical']);

export class Browser {
  constructor({ artifacts, axePath, name, contextOptions = {} }) {
    this.artifacts = join(artifacts, name);
    /** Extra playwright context options of a scenario (e.g. a self-signed certificate). */
    this.contextOptions = contextOptions;
    this.axePath = axePath;
    this.shots = 0;
    /** Problems found along the way that do not stop the flow: axe findings, page errors. */
    this.problems = [];
    /** Serious or critical axe findings, one per rule and page. */
    this.axeFindings = [];
    this.pageErrors = [];
    this.consoleLines = [];
    /** Content-Security-Policy violations seen on any page of the scenario. */
    this.cspViolations = [];
  }

  async open() {
    mkdirSync(this.artifacts, { recursive: true });
    this.profile = mkdtempSync(join(tmpdir(), 'cloudlink-e2e-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      ...this.contextOptions,
    });
    this.context.setDefaultTimeout(10_000);
    await this.context.exposeBinding('__cloudlinkCspViolation', (_source, what) => this.cspViolations.push(what));
    await this.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : '';
        window.__cloudlinkCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'}${where}`);
      });
    });
    const watch = (page) => {
      page.on('pageerror', (e) => this.pageErrors.push(String(e)));
      page.on('console', (m) => {
        const text = m.text();
        this.consoleLines.push(`[${m.type()}] ${text}`);
        if (m.type() === 'error' && /Content Security Policy/i.test(text)) this.cspViolations.push(text);
      });
    };
    const existing = this.context.pages()[0];
    this.context.on('page', watch);
    if (existing) watch(existing);
    this.page = existing ?? (await this.context.newPage());
    return this.page;
  }

  async close() {
    if (this.consoleLines.length) {
      writeFileSync(join(this.artifacts, 'console.log'), this.consoleLines.join('\n') + '\n');
    }
    await this.context?.close().catch(() => {});
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
  }

  /** One line per distinct policy violation. */
  cspSummary() {
    return [...new Set(this.cspViolations)].map((v) => `CSP violation: ${v}`);
  }

  /** The axe findings grouped by rule and first detail: one line each, with the pages. */
  axeSummary() {
    const groups = new Map();
    for (const f of this.axeFindings) {
      const detail = (f.details[0] ?? '').replace(/, font size.*$/, ')');
      const key = `${f.impact} ${f.id}: ${detail}`;
      const g = groups.get(key) ?? { pages: [], nodes: new Set() };
      g.pages.push(f.page);
      f.nodes.forEach((n) => g.nodes.add(n));
      groups.set(key, g);
    }
    return [...groups].map(
      ([key, g]) => `axe ${key} on ${[...g.nodes].slice(0, 4).join(', ')} (pages: ${g.pages.join(', ')})`,
    );
  }

  /** A full-page screenshot named `NN-name.png`; returns its path. */
  async screenshot(name) {
    this.shots += 1;
    const file = join(this.artifacts, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** axe-core on the page as it is now; serious and critical findings are recorded. */
  async axe(name) {
    const page = this.page;
    const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!loaded) {
      this.axeSource ??= readFileSync(this.axePath, 'utf8');
      await page.evaluate(this.axeSource);
    }
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
        details: v.nodes.slice(0, 5).map((n) => (n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? ''),
        count: v.nodes.length,
      }));
    });
    writeFileSync(join(this.artifacts, `axe-${name}.json`), JSON.stringify(result, null, 2) + '\n');
    for (const v of result.filter((v) => BLOCKING.has(v.impact))) {
      this.axeFindings.push({ page: name, ...v });
    }
    return result;
  }

  /**
   * Every page the flows reach: a screenshot, and an accessibility check in the light and the
   * dark colour scheme (the console follows the system setting).
   */
  async visit(name) {
    await this.screenshot(name);
    await this.axe(name);
    await this.page.emulateMedia({ colorScheme: 'dark' });
    try {
      await this.axe(`${name}-dark`);
    } finally {
      await this.page.emulateMedia({ colorScheme: 'light' });
    }
  }
}
