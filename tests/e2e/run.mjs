#!/usr/bin/env node
// Browser end-to-end tests of the cloudlink console: each scenario starts its own
// `cloudlink-proxy --sandbox` on a free loopback port, logs a fresh headless Chromium in through
// the printed URL, and drives the console as a user would. Every page reached gets a
// screenshot in tests/artifacts/<scenario>/ and an axe-core check (serious or critical
// findings fail the scenario); any Content-Security-Policy violation fails the scenario too.
//
// Builds nothing: needs dist/index.html (`trunk build --release`) and the proxy binary
// (`cargo build -p cloudlink-proxy`). Environment:
//   CLOUDLINK_PROXY_BIN  the proxy binary (default target/debug/cloudlink-proxy)
//   CLOUDLINK_WEB_DIR    the console's files (default dist)
//   CLOUDLINK_CHROMIUM   the browser (default /usr/bin/chromium)
// Arguments: scenario names to run only those (default: all). Exit code 1 if any fails.

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Browser, CHROMIUM } from './lib/browser.mjs';
import { Proxy } from './lib/proxy.mjs';
import { Missing } from './lib/ui.mjs';
import { loginScenario } from './flows/login.mjs';
import { dxScenario } from './flows/dx.mjs';
import { outpostsScenario } from './flows/outposts.mjs';
import { ociScenario } from './flows/oci.mjs';
import { formSurvivesPollingScenario, validationScenario } from './flows/validation.mjs';
import { cloudErrorsScenario } from './flows/cloud-errors.mjs';
import { readOnlyScenario } from './flows/read-only.mjs';
import { narrowScenario } from './flows/narrow.mjs';
import { frontScenario } from './flows/fronts.mjs';
import { inventoryScenario } from './flows/inventory.mjs';
import { topologyScenario } from './flows/topology.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

const SCENARIOS = [
  loginScenario,
  inventoryScenario,
  topologyScenario,
  dxScenario('directconnect'),
  dxScenario('directlink'),
  outpostsScenario,
  ociScenario,
  validationScenario,
  formSurvivesPollingScenario,
  cloudErrorsScenario,
  readOnlyScenario,
  narrowScenario,
  frontScenario('nginx'),
  frontScenario('caddy'),
];

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

function prerequisites() {
  const bin = resolve(ROOT, process.env.CLOUDLINK_PROXY_BIN || 'target/debug/cloudlink-proxy');
  const webDir = resolve(ROOT, process.env.CLOUDLINK_WEB_DIR || 'dist');
  const axePath = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
  if (!existsSync(bin)) fail(`no proxy binary at ${bin}: run \`cargo build -p cloudlink-proxy\` or set CLOUDLINK_PROXY_BIN`);
  if (!existsSync(join(webDir, 'index.html'))) fail(`no ${join(webDir, 'index.html')}: run \`trunk build --release\` or set CLOUDLINK_WEB_DIR`);
  if (!existsSync(CHROMIUM)) fail(`no browser at ${CHROMIUM}: apt-get install chromium (or set CLOUDLINK_CHROMIUM)`);
  if (!existsSync(axePath)) fail(`no ${axePath}: run \`npm ci\` at the repository root`);
  return { bin, webDir, axePath };
}

async function runScenario(scenario, env) {
  const started = Date.now();
  const proxy = new Proxy({ bin: env.bin, webDir: env.webDir, extraArgs: scenario.proxyArgs ?? [] });
  const browser = new Browser({ artifacts: ARTIFACTS, axePath: env.axePath, name: scenario.name, contextOptions: scenario.contextOptions });
  let error = null;
  try {
    await proxy.start();
    const page = await browser.open();
    await scenario.run({ page, proxy, browser });
  } catch (e) {
    error = e;
    await browser.screenshot('failure').catch(() => {});
  } finally {
    await browser.close();
    await proxy.stop();
    mkdirSync(browser.artifacts, { recursive: true });
    proxy.saveLog(join(browser.artifacts, 'proxy.log'));
  }
  const problems = [...browser.problems, ...browser.cspSummary(), ...browser.axeSummary(), ...browser.pageErrors.map((e) => `page error: ${e}`)];
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = !error && problems.length === 0;
  const head = `${ok ? 'PASS' : 'FAIL'} ${scenario.name.padEnd(14)} ${seconds.padStart(5)} s, ${browser.shots} screenshot(s)`;
  console.log(head);
  if (error) {
    const kind = error instanceof Missing ? 'missing in the console' : 'failed';
    console.log(`     ${kind}: ${error.message.split('\n')[0]}`);
    if (!(error instanceof Missing) && process.env.E2E_VERBOSE) console.log(error.stack);
  }
  for (const p of problems) console.log(`     ${p}`);
  return { name: scenario.name, ok, missing: error instanceof Missing ? error.what : null };
}

async function main() {
  const env = prerequisites();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
  if (unknown.length) fail(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const chosen = wanted.length ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;
  for (const s of chosen) rmSync(join(ARTIFACTS, s.name), { recursive: true, force: true });
  console.log(`e2e: ${chosen.length} scenario(s), proxy ${env.bin}, console ${env.webDir}, artifacts ${ARTIFACTS}`);
  const results = [];
  for (const scenario of chosen) results.push(await runScenario(scenario, env));
  const failed = results.filter((r) => !r.ok);
  console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
