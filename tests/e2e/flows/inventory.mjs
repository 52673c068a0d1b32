// The inventory, the console's home, on the sandbox's seeded estate: two AWS profiles
// (default and lab, two accounts) and several regions in one table, the region that answers
// access denied shown in place, the interface whose BGP session goes down flagged (on the
// inventory and on the Direct Connect page's interface rows), the Dublin connections on one
// device as a redundancy hint linking its rows, Seattle's 120 interfaces read over two pages,
// the filter kept in the address, the CSV and JSON exports checked line by line, and an OCI
// console connection the user listed on its page joining the table.


import { check, download, go, loginByLink, need, swept, text, until, untilBgpDown } from '../lib/ui.mjs';
import * as S from '../lib/selectors.mjs';
import { sshEd25519PublicKey } from '../lib/keys.mjs';
import { createConsoleConnection, listCompartment, OCI_INSTANCES } from './oci.mjs';

const I = S.inventory;


async function rowIds(page, selector = I.row) {
  return page.locator(selector).evaluateAll((rows) => rows.map((r) => r.dataset.id));
}

export const inventoryScenario = {
  name: 'inventory',
  async run({ page, proxy, browser }) {
    const started = Date.now();
    const mark = proxy.mark();
    await loginByLink(page, proxy);
    await need(page, I.table, 'the inventory table on the home page');
    const summary = await swept(page);
    const calls = proxy.callsSince(mark).filter((c) => ['DescribeConnections', 'DescribeVirtualInterfaces'].includes(c.operation));
    console.log(`     sweep: ${summary}; ${calls.length} list calls logged by the proxy`);

    // Several regions and both profiles in one table.
    const ids = await rowIds(page);
    for (const id of ['dxcon-dub0001a', 'dxcon-dub0002b', 'dxcon-sea0001a', 'dxcon-dub0009l', 'dxcon-fra0001l', 'dxvif-fra0001l']) {
      check(ids.includes(id), `the inventory lacks ${id} (rows: ${ids.length})`);
    }
    check(await page.locator(`${I.row}[data-id="dxcon-dub0009l"][data-profile="lab"]`).count() === 1, 'dxcon-dub0009l is not shown under the lab profile');
    check(await page.locator(`${I.row}[data-id="dxcon-dub0001a"][data-profile="default"]`).count() === 1, 'dxcon-dub0001a is not shown under the default profile');
    const regions = new Set(await page.locator(I.row).evaluateAll((rows) => rows.map((r) => r.dataset.region)));
    check(['eu-west-1', 'us-west-2', 'eu-central-1'].every((r) => regions.has(r)), `regions in the table: ${[...regions].join(', ')}`);

    // More than one page: Seattle's 120 interfaces, read with maxResults 100 and nextToken.
    const seattle = await page.locator(`${I.row}[data-kind="interface"][data-region="us-west-2"]`).count();
    check(seattle === 120, `us-west-2 shows ${seattle} interfaces, not the 120 seeded over two pages`);
    const seattlePages = calls.filter((c) => c.operation === 'DescribeVirtualInterfaces' && c.region === 'us-west-2' && c.status === 200);
    check(seattlePages.length >= 2, `us-west-2's interfaces came in ${seattlePages.length} call(s), not 2 pages`);

    // The failing region is shown in place; the others are not hidden by it.
    const denied = await need(page, `${I.scopeError}[data-region="ap-southeast-2"]`, 'the access-denied region shown in place');
    check((await text(denied)).includes('AccessDeniedException'), `ap-southeast-2 says "${await text(denied)}"`);

    // A redundancy hint names its reason and links the rows it is about.
    const hint = await need(page, `${I.hint}:has-text("EirGB-26ztwq5y")`, 'the shared-device redundancy hint');
    const links = await hint.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(links.includes('#inv-dxcon-dub0001a') && links.includes('#inv-dxcon-dub0002b'), `the hint links ${links.join(', ')}`);
    await hint.locator('a[href="#inv-dxcon-dub0001a"]').click();
    check((await page.evaluate(() => window.location.hash)) === '#inv-dxcon-dub0001a', 'the hint link does not lead to its row');
    await need(page, '#inv-dxcon-dub0001a', 'the row the hint links to');
    await browser.visit('inventory');

    // Link up, BGP down: the sandbox takes dxvif-dub0003c's session down 15 s after start.
    const flagged = `${I.row}[data-id="dxvif-dub0003c"][data-flagged="true"]`;
    await untilBgpDown(page, flagged, started, 'dxvif-dub0003c flagged "link up, BGP down"');
    const flag = await text(page.locator(`${flagged} ${I.bgpFlag}`));
    check(flag.includes('BGP down'), `the flag says "${flag}"`);
    check(await page.locator(`${I.row}[data-id="dxvif-dub0001a"][data-flagged="false"]`).count() === 1, 'a healthy interface is flagged too');

    // The filter lives in the address: typing changes it, and an address opens that view.
    await page.locator('#filter-text').fill('dublin');
    await until(async () => (await page.evaluate(() => window.location.search)).includes('q=dublin'), 'the search in the address');
    const dublin = await rowIds(page);
    check(dublin.length > 0 && !dublin.includes('dxcon-sea0001a'), `searching "dublin" shows ${dublin.join(', ')}`);
    await page.goto(`${proxy.origin}/?profile=lab&region=eu-west-1`);
    await need(page, I.table, 'the inventory after opening a shared address');
    await swept(page);
    const shared = await rowIds(page);
    check(JSON.stringify(shared) === JSON.stringify(['dxcon-dub0009l']), `?profile=lab&region=eu-west-1 shows ${shared.join(', ')}`);
    check((await page.locator('#filter-region').inputValue()) === 'eu-west-1', 'the region select does not show the address\'s filter');

    // Exports hold what the table shows.
    const csv = await download(page, I.exportCsv);
    check(csv.name.endsWith('.csv'), `the CSV file is named ${csv.name}`);
    const lines = csv.content.split('\r\n').filter((l) => l);
    check(lines[0] === 'provider,service,profile,region,kind,id,name,state,location,detail,bgp,flag,deleted', `CSV header: ${lines[0]}`);
    check(lines.length === 2 && lines[1].startsWith('aws,directconnect,lab,eu-west-1,connection,dxcon-dub0009l,lab-dublin,available,EirGB,500Mbps'),
      `CSV rows: ${JSON.stringify(lines.slice(1))}`);
    const json = JSON.parse((await download(page, I.exportJson)).content);
    check(Array.isArray(json) && json.length === 1 && json[0].id === 'dxcon-dub0009l' && json[0].profile === 'lab', `JSON export: ${JSON.stringify(json)}`);

    // The interface rows of the Direct Connect page carry the same BGP flag.
    await page.goto(`${proxy.origin}/`);
    await need(page, I.table, 'the inventory');
    const kept = await swept(page);
    await go(page, 'directconnect');
    const region = await need(page, S.shell.region, 'the region field');
    await region.fill('eu-west-1');
    await region.dispatchEvent('change');
    const row = await need(page, S.dx.connectionRow('dxcon-dub0001a'), 'dublin-a on the Direct Connect page', { timeout: 15_000 });
    await row.locator(S.dx.showVifs).click();
    const vif = await need(page, `${S.dx.vif.row('dxvif-dub0003c')} ${I.bgpFlag}`, 'the BGP flag on the interface row', { timeout: 15_000 });
    check((await text(vif)).includes('BGP down'), `the interface row says "${await text(vif)}"`);
    await browser.visit('directconnect-bgp-flag');

    // What the user asked for on the OCI page (OCI lists per compartment) joins the inventory.
    await go(page, 'oci');
    await listCompartment(page);
    const ocid = await createConsoleConnection(page, OCI_INSTANCES[0], sshEd25519PublicKey());
    await need(page, S.oci.list.row(ocid), 'the new console connection in the OCI list', { timeout: 15_000 });
    const back = proxy.mark();
    await page.locator(S.shell.nav.inventory).click();
    await need(page, I.table, 'the inventory again');
    // Coming back shows the last sweep (a few minutes old at most) without sweeping again.
    const again = await swept(page);
    check(again === kept, `coming back swept again: "${again}" after "${kept}"`);
    await page.waitForTimeout(500);
    const resent = proxy.callsSince(back).filter((c) => c.operation === 'DescribeConnections').length;
    check(resent === 0, `coming back to the inventory sent ${resent} DescribeConnections calls`);
    const oci = await need(page, `${I.row}[data-id="${ocid}"][data-kind="console connection"]`, 'the OCI console connection in the inventory');
    check((await text(oci)).includes(OCI_INSTANCES[0]), `the OCI row says "${await text(oci)}"`);
  },
};
