#!/usr/bin/env node
// Takes the screenshots the README shows (docs/screenshots/inventory*.png, topology.png,
// router-config.png, outposts-wireguard.png, oci-openssh.png) from a fresh `cloudlink-proxy --sandbox`: the seeded estate after its BGP
// session went down, filtered to eu-west-1 so the hints, the flag and the picture are in view. Not a test; run it after a
// change to the inventory's look: `node tests/e2e/readme-shots.mjs` (same environment as run.mjs).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { CHROMIUM } from './lib/browser.mjs';
import { Proxy } from './lib/proxy.mjs';
import * as S from './lib/selectors.mjs';
import { go } from './lib/ui.mjs';
import { startConnection } from './flows/outposts.mjs';
import { createConsoleConnection, listCompartment, OCI_INSTANCES } from './flows/oci.mjs';
import { sshEd25519PublicKey } from './lib/keys.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'docs', 'screenshots');

async function swept(page) {
  await page.locator(`${S.inventory.status}[data-done="true"]`).waitFor({ timeout: 60_000 });
}

const proxy = new Proxy({
  bin: resolve(ROOT, process.env.CLOUDLINK_PROXY_BIN || 'target/debug/cloudlink-proxy'),
  webDir: resolve(ROOT, process.env.CLOUDLINK_WEB_DIR || 'dist'),
});
await proxy.start();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
  await page.goto(proxy.nextLoginUrl());
  await page.locator(S.inventory.table).waitFor();
  // The seeded interface's BGP session goes down 15 s after the sandbox started.
  await page.waitForTimeout(16_000);
  await page.goto(`${proxy.origin}/?region=eu-west-1`);
  await swept(page);
  await page.screenshot({ path: join(OUT, 'inventory.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(OUT, 'inventory-dark-360px.png') });
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.locator(S.inventory.topology).screenshot({ path: join(OUT, 'topology.png') });
  await go(page, 'directconnect');
  await page.locator(S.shell.region).fill('eu-west-1');
  await page.locator(S.shell.region).dispatchEvent('change');
  await page.locator(S.dx.connectionRow('dxcon-dub0001a')).locator(S.dx.showVifs).click();
  await page.locator(S.dx.vif.row('dxvif-dub0001a')).locator(S.router.open).click();
  await page.locator(`${S.router.text}:has-text("router bgp")`).waitFor();
  await page.locator(S.router.panel).screenshot({ path: join(OUT, 'router-config.png') });
  // Outposts: a key pair made in the browser, then the wg-quick file of the started connection.
  await go(page, 'outposts');
  await page.locator(S.outposts.start.generate).click();
  await page.waitForFunction((sel) => document.querySelector(sel)?.value.length === 44, S.outposts.start.key);
  const publicKey = await page.locator(S.outposts.start.key).inputValue();
  await startConnection(page, publicKey);
  await page.locator(S.outposts.lookup.submit).click();
  await page.locator(S.outposts.lookup.wgQuickText).waitFor();
  await page.locator(S.outposts.lookup.wgQuick).screenshot({ path: join(OUT, 'outposts-wireguard.png') });
  // OCI: the OpenSSH command and config block of a listed console connection.
  await go(page, 'oci');
  await listCompartment(page);
  const id = await createConsoleConnection(page, OCI_INSTANCES[0], sshEd25519PublicKey());
  const row = page.locator(S.oci.list.row(id));
  await row.locator(S.oci.sshAccessOpen).click({ timeout: 60_000 });
  await row.locator(S.oci.sshAccess).screenshot({ path: join(OUT, 'oci-openssh.png') });
  console.log(`written: inventory.png, inventory-dark-360px.png, topology.png, router-config.png, outposts-wireguard.png, oci-openssh.png in ${OUT}`);
} finally {
  await browser.close();
  await proxy.stop();
}
