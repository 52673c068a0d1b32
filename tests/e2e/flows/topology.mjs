// What the console lets a user see and take away, on the sandbox's seeded estate:
// - the inventory's topology picture: its nodes are the table's rows (and follow the filter),
//   states and BGP health are coloured, the keyboard moves between boxes and selects a row,
//   focus shows details, the text alternative names every path, the SVG download is the picture;
// - a private interface's router configuration on the Direct Connect page: labelled as made
//   locally, the BGP key masked until revealed, the FRR download accepted by FRR's own parser
//   (`vtysh --dryrun`), a bad port refused by name;
// - the Terraform and CLI exports of the rows shown: import blocks and commands for them, the
//   BGP key never written, the script valid bash.

import { execFileSync } from 'node:child_process';

import { check, download, go, loginByLink, need, swept, text, until, untilBgpDown } from '../lib/ui.mjs';
import * as S from '../lib/selectors.mjs';

const I = S.inventory;


/** The ids of the table's connection and interface rows, and of the picture's boxes of those kinds. */
async function rowsAndNodes(page) {
  const rows = await page.locator(`${I.row}:is([data-kind="connection"], [data-kind="interface"])`)
    .evaluateAll((rs) => rs.map((r) => r.dataset.id).sort());
  const nodes = await page.locator(`${I.topologyNode}:is([data-kind="Connection"], [data-kind="Interface"])`)
    .evaluateAll((ns) => ns.map((n) => n.dataset.id).sort());
  return { rows, nodes };
}

/** Opens dxvif-dub0001a's router panel on the Direct Connect page; returns its revealed BGP key. */
async function routerPanel(page) {
  await go(page, 'directconnect');
  const region = await need(page, S.shell.region, 'the region field');
  await region.fill('eu-west-1');
  await region.dispatchEvent('change');
  const row = await need(page, S.dx.connectionRow('dxcon-dub0001a'), 'dublin-a on the Direct Connect page', { timeout: 15_000 });
  await row.locator(S.dx.showVifs).click();
  const vif = await need(page, S.dx.vif.row('dxvif-dub0001a'), 'the interface row', { timeout: 15_000 });
  await vif.locator('[data-testid="reveal-key"]').click();
  const key = (await text(vif.locator('[data-testid="bgp-key"]'))).trim();
  check(key.length >= 8 && !key.includes('•') && !key.includes('*'), `the revealed key reads "${key.length} characters"`);
  await vif.locator('[data-testid="reveal-key"]').click();
  await vif.locator(S.router.open).click();
  await need(page, S.router.panel, 'the router configuration panel');
  return key;
}

/** The router panel: masked until revealed, FRR's parser accepts the download, a bad port is named. */
async function routerConfig(page, browser) {
  const key = await routerPanel(page);
  check((await text(page.locator(S.router.local))).includes('Generated locally'), 'the configuration is not labelled as made locally');
  const masked = await text(page.locator(S.router.text));
  check(masked.includes('REPLACE-WITH-BGP-AUTH-KEY') && !masked.includes(key), 'the BGP key is not masked by default');
  check(/neighbor 169\.254\.10\.\d+ remote-as 64512/.test(masked), `the FRR text lacks the neighbor: ${masked.slice(0, 300)}`);
  await browser.visit('router-config');
  await page.locator(`${S.router.panel} input[value="Juniper Junos"]`).check();
  await until(async () => (await text(page.locator(S.router.text))).includes('protocols'), 'the Junos configuration');
  await page.locator(`${S.router.panel} input[value="FRR"]`).check();
  await page.locator(S.router.port).fill('eth0; reload');
  const error = await need(page, S.router.error, 'the error of a bad port');
  check((await text(error)).startsWith('interface '), `the port error says "${await text(error)}"`);
  await page.locator(S.router.port).fill('eth1');
  await page.locator(S.router.reveal).check();
  await until(async () => (await text(page.locator(S.router.text))).includes(key), 'the revealed key in the configuration');
  const frr = await download(page, S.router.download);
  check(frr.name === 'frr.conf' && frr.content.includes('interface eth1.10'), `the FRR download: ${frr.name}`);
  try {
    execFileSync('vtysh', ['--dryrun', '-f', frr.path], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`FRR's parser refused the downloaded configuration: ${e.stdout}${e.stderr}`);
  }
  return key;
}

/** The Terraform and CLI exports of `?region=eu-west-1`: import blocks, commands, no key. */
async function exports(page, proxy, key) {
  await page.goto(`${proxy.origin}/?region=eu-west-1`);
  await swept(page);
  const tf = await download(page, I.exportTerraform);
  check(tf.name === 'cloudlink-estate.tf', `the Terraform file is named ${tf.name}`);
  for (const id of ['dxcon-dub0001a', 'dxvif-dub0001a', 'dxcon-dub0009l']) {
    check(new RegExp(`id\\s*=\\s*"${id}"`).test(tf.content), `the Terraform export lacks an import of ${id}`);
  }
  check(tf.content.includes('resource "aws_dx_private_virtual_interface"') && /sensitive\s*=\s*true/.test(tf.content), `the Terraform export (${tf.path}) lacks the interface or its key variable`);
  check(/profile\s*=\s*"lab"/.test(tf.content), 'the Terraform export lacks the lab profile\'s provider');
  const sh = await download(page, I.exportCli);
  check(sh.name === 'cloudlink-estate.sh' && sh.content.includes('aws directconnect create-connection'), `the CLI export: ${sh.name}`);
  for (const file of [tf, sh]) {
    check(!file.content.includes(key), `${file.name} holds the BGP key`);
  }
  execFileSync('bash', ['-n', sh.path]);
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.dataset?.id ?? null);

export const topologyScenario = {
  name: 'topology',
  async run({ page, proxy, browser }) {
    const started = Date.now();
    await loginByLink(page, proxy);
    await page.goto(`${proxy.origin}/?region=eu-west-1`);
    await need(page, I.table, 'the inventory');
    await swept(page);
    await need(page, I.topologyNode, 'the topology picture');

    // The boxes are the rows the table shows: both profiles' Dublin connections and interfaces.
    const { rows, nodes } = await rowsAndNodes(page);
    check(rows.length >= 4 && JSON.stringify(rows) === JSON.stringify(nodes), `rows ${rows.join(', ')} vs boxes ${nodes.join(', ')}`);
    check(nodes.includes('dxcon-dub0009l'), 'the lab profile\'s connection is not drawn');
    const groups = await page.locator(`${I.topology} text.gt`).allTextContents();
    check(groups.some((g) => g.includes('lab')) && groups.some((g) => g.includes('default')), `groups: ${groups.join(' | ')}`);
    const gateways = await page.locator(`${I.topologyNode}:is([data-kind="VirtualGateway"], [data-kind="DirectConnectGateway"])`).count();
    check(gateways > 0, 'no gateway is drawn');

    // States are coloured: an available connection green, by class and by computed fill.
    const up = page.locator(`${I.topologyNode}[data-id="dxcon-dub0001a"]`);
    check((await up.getAttribute('data-tone')) === 't-up', `dxcon-dub0001a's tone is ${await up.getAttribute('data-tone')}`);
    const fill = await up.locator('rect').evaluate((r) => getComputedStyle(r).fill);
    check(fill === 'rgb(198, 240, 208)', `an available connection is filled ${fill}`);
    // BGP down (the sandbox takes dxvif-dub0003c's session down 15 s after start) is marked.
    const down = `${I.topologyNode}[data-id="dxvif-dub0003c"].bgp-down`;
    await untilBgpDown(page, down, started, 'dxvif-dub0003c marked BGP down in the picture');

    // Keyboard: Tab reaches a box; arrows move; focus shows details; Enter selects the row.
    await page.locator(I.topologyDownload).focus();
    let first = null;
    for (let i = 0; i < 10 && !first; i++) {
      await page.keyboard.press('Tab');
      const id = await focusedId(page);
      if (id && (await page.locator(`${I.topologyNode}[data-id="${id}"]`).count()) > 0) first = id;
    }
    check(first !== null, 'Tab does not reach a box of the picture');
    await page.locator(`${I.topologyNode}[data-id="dxcon-dub0001a"]`).focus();
    await until(async () => (await text(page.locator(I.topologyDetails))).includes('dxcon-dub0001a'), 'the details of the focused box');
    await page.keyboard.press('ArrowRight');
    const right = await focusedId(page);
    check(['dxvif-dub0001a', 'dxvif-dub0003c'].includes(right), `ArrowRight from dxcon-dub0001a went to ${right}`);
    await page.keyboard.press('ArrowLeft');
    check((await focusedId(page)) === 'dxcon-dub0001a', 'ArrowLeft does not come back to the connection');
    await page.keyboard.press('ArrowDown');
    const below = await focusedId(page);
    check(below && below !== 'dxcon-dub0001a' && below.startsWith('dxcon-'), `ArrowDown went to ${below}`);
    await page.keyboard.press('Enter');
    await until(async () => (await page.evaluate(() => window.location.hash)) === `#inv-${below}`, `Enter to select ${below}'s row`);
    check((await page.locator(`${I.topologyNode}[data-id="${below}"]`).getAttribute('aria-pressed')) === 'true', 'the selected box is not pressed');
    // A click selects too.
    await page.locator(`${I.topologyNode}[data-id="dxvif-dub0003c"]`).click();
    await until(async () => (await page.evaluate(() => window.location.hash)) === '#inv-dxvif-dub0003c', 'a click to select the row');
    check((await text(page.locator(I.topologyDetails))).includes('BGP down'), `the details say "${await text(page.locator(I.topologyDetails))}"`);

    // The text alternative names each path.
    await page.locator(`${I.topologyText} summary`).click();
    const alt = await text(page.locator(I.topologyText));
    check(alt.includes('dxcon-dub0001a') && alt.includes('dxvif-dub0003c') && alt.includes('to '), `the text alternative says "${alt.slice(0, 200)}…"`);
    await browser.visit('topology');

    // The download is the picture shown.
    const { name, content: svg } = await download(page, I.topologyDownload);
    check(name === 'cloudlink-topology.svg', `the SVG is named ${name}`);
    check(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'the download is not an SVG document');
    const shown = await page.locator(I.topologyNode).count();
    check((svg.match(/data-node=/g) ?? []).length === shown, `the download has ${(svg.match(/data-node=/g) ?? []).length} boxes, the page ${shown}`);

    const key = await routerConfig(page, browser);
    await exports(page, proxy, key);

    // The filter narrows the picture: one profile only.
    await page.goto(`${proxy.origin}/?profile=lab&region=eu-west-1`);
    await swept(page);
    await until(async () => {
      const { rows: r, nodes: n } = await rowsAndNodes(page);
      return JSON.stringify(r) === JSON.stringify(['dxcon-dub0009l']) && JSON.stringify(n) === JSON.stringify(r);
    }, 'the picture to follow ?profile=lab&region=eu-west-1');
  },
};
