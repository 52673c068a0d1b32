// The inventory's topology picture on the sandbox's seeded estate: its nodes are the table's
// rows (and follow the filter), states and BGP health are coloured, the keyboard moves between
// boxes and selects a row, focus shows details, the text alternative names every path, and the
// SVG download is the picture shown.

import { readFileSync } from 'node:fs';

import { check, loginByLink, need, text, until } from '../lib/ui.mjs';
import * as S from '../lib/selectors.mjs';

const I = S.inventory;

async function swept(page) {
  await until(async () => (await page.locator(`${I.status}[data-done="true"]`).count()) > 0, 'the sweep to end', { timeout: 90_000 });
}

/** The ids of the table's connection and interface rows, and of the picture's boxes of those kinds. */
async function rowsAndNodes(page) {
  const rows = await page.locator(`${I.row}:is([data-kind="connection"], [data-kind="interface"])`)
    .evaluateAll((rs) => rs.map((r) => r.dataset.id).sort());
  const nodes = await page.locator(`${I.topologyNode}:is([data-kind="Connection"], [data-kind="Interface"])`)
    .evaluateAll((ns) => ns.map((n) => n.dataset.id).sort());
  return { rows, nodes };
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
    await until(async () => {
      if ((await page.locator(down).count()) > 0) return true;
      if (Date.now() - started > 16_000) {
        await page.locator(I.sweep).click();
        await swept(page);
      }
      return (await page.locator(down).count()) > 0;
    }, 'dxvif-dub0003c marked BGP down in the picture', { timeout: 60_000, every: 2_000 });

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
    check(right?.startsWith('dxvif-dub0001'), `ArrowRight from dxcon-dub0001a went to ${right}`);
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
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(I.topologyDownload).click()]);
    const svg = readFileSync(await file.path(), 'utf8');
    check(file.suggestedFilename() === 'cloudlink-topology.svg', `the SVG is named ${file.suggestedFilename()}`);
    check(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'the download is not an SVG document');
    const shown = await page.locator(I.topologyNode).count();
    check((svg.match(/data-node=/g) ?? []).length === shown, `the download has ${(svg.match(/data-node=/g) ?? []).length} boxes, the page ${shown}`);

    // The filter narrows the picture: one profile only.
    await page.goto(`${proxy.origin}/?profile=lab&region=eu-west-1`);
    await swept(page);
    await until(async () => {
      const { rows: r, nodes: n } = await rowsAndNodes(page);
      return JSON.stringify(r) === JSON.stringify(['dxcon-dub0009l']) && JSON.stringify(n) === JSON.stringify(r);
    }, 'the picture to follow ?profile=lab&region=eu-west-1');
  },
};
