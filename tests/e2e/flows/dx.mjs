// Direct Connect and DirectLink (one set of components): create a connection, watch it become
// available, create a private virtual interface on it, allocate one to another account and
// confirm it, delete both, delete the connection, see it gone.

import * as S from '../lib/selectors.mjs';
import { check, choose, go, loginByLink, need, text, type, until, waitRowState } from '../lib/ui.mjs';

/** Seeded values of the sandbox (sandbox/src/seed.rs), as `GET /api/sandbox` lists them. */
export const DX_SEEDS = {
  directconnect: { region: 'us-east-1', location: 'EqDC2', bandwidth: '1Gbps' },
  directlink: { region: 'eu-west-2', location: 'PAR1', bandwidth: '1Gbps' },
};
export const GATEWAYS = ['vgw-0a1b2c3d', 'vgw-5e6f7a8b'];
export const OTHER_ACCOUNT = '444455556666';

const CONNECTION_ID = /^dxcon-[a-z0-9]{8}$/;
const VIF_ID = /^dxvif-[a-z0-9]{8}$/;

/** Fills and sends the create-connection form; returns the new connection's id. */
export async function createConnection(page, proxy, service, name, { twice = false } = {}) {
  const seeds = DX_SEEDS[service];
  const c = S.dx.create;
  await need(page, c.form, `the create-connection form on ${service}`);
  await choose(page, c.location, seeds.location, 'the location picker (fed by DescribeLocations)');
  await choose(page, c.bandwidth, seeds.bandwidth, 'the bandwidth picker');
  await type(page, c.name, name, 'the connection name field');
  const cli = await text(await need(page, c.cli, 'the CLI command of the create-connection form'));
  check(/create-?connection/i.test(cli), `${service}: the CLI box does not show a CreateConnection command: ${cli}`);
  check(cli.includes(name), `${service}: the CLI command does not carry the name: ${cli}`);
  const submit = await need(page, c.submit, 'the create-connection submit button');
  await until(async () => !(await submit.isDisabled()), 'the create-connection submit to be enabled');
  const mark = proxy.mark();
  if (twice) {
    await submit.dblclick();
  } else {
    await submit.click();
  }
  const created = await need(page, `${c.created} code`, 'the id of the requested connection', { timeout: 15_000 });
  const id = await text(created);
  check(CONNECTION_ID.test(id), `${service}: created connection id looks wrong: ${id}`);
  if (twice) {
    await page.waitForTimeout(500);
    const creates = proxy.callsSince(mark).filter((x) => x.operation === 'CreateConnection');
    check(creates.length === 1, `${service}: a double click sent ${creates.length} CreateConnection calls`);
  }
  return id;
}

/** Opens the virtual interfaces of a connection. */
export async function openVifs(page, connectionId) {
  const row = await need(page, S.dx.connectionRow(connectionId), `the row of connection ${connectionId}`);
  await (await need(page, row.locator(S.dx.showVifs), 'the "Virtual interfaces" button of a connection row')).click();
  return need(page, S.dx.vif.section, 'the virtual interfaces section');
}

/** Fills the VIF form in create or allocate mode and waits for its submit; returns the button. */
export async function fillVif(page, { mode, name, vlan, asn, gateway, owner }) {
  const v = S.dx.vif;
  await (await need(page, mode === 'allocate' ? v.modeAllocate : v.modeCreate, `the ${mode} mode of the VIF form`)).check();
  await type(page, v.name, name, 'the VIF name field');
  await type(page, v.vlan, String(vlan), 'the VLAN field');
  await type(page, v.asn, String(asn), 'the BGP ASN field');
  if (mode === 'allocate') {
    await type(page, v.owner, owner, 'the owner account field (allocate)');
  } else {
    await choose(page, v.gateway, gateway, 'the virtual gateway picker (fed by DescribeVirtualGateways)');
  }
  const submit = await need(page, v.submit, 'the VIF submit button');
  await until(async () => !(await submit.isDisabled()), `the VIF submit (${mode}) to be enabled`);
  return submit;
}

/** Fills and sends the VIF form in create or allocate mode; returns the new interface's id. */
export async function sendVif(page, fields) {
  const { mode } = fields;
  const v = S.dx.vif;
  const section = page.locator(v.section);
  const submit = await fillVif(page, fields);
  const before = (await section.locator(`${v.created} code`).count()) ? await text(section.locator(`${v.created} code`)) : '';
  await submit.click();
  const id = await until(async () => {
    const done = section.locator(`${v.created} code`);
    if (!(await done.count())) return false;
    const t = await text(done);
    return t && t !== before ? t : false;
  }, `the id of the ${mode}d virtual interface`, { timeout: 15_000 });
  check(VIF_ID.test(id), `virtual interface id looks wrong: ${id}`);
  return id;
}

async function confirmPanelYes(page, scope, what) {
  const panel = await need(page, `${scope} ${S.confirm.panel}`, `the confirmation panel for ${what}`);
  await (await need(page, panel.locator(S.confirm.yes), `the confirm button of ${what}`)).click();
}

export async function deleteVif(page, vifId) {
  const row = await need(page, S.dx.vif.row(vifId), `the row of virtual interface ${vifId}`);
  await (await need(page, row.locator(S.dx.vif.delete), 'the delete button of a VIF row')).click();
  await confirmPanelYes(page, S.dx.vif.section, `deleting ${vifId}`);
}

export async function deleteConnection(page, connectionId) {
  const row = await need(page, S.dx.connectionRow(connectionId), `the row of connection ${connectionId}`);
  await (await need(page, row.locator(S.dx.deleteConnection), 'the delete button of a connection row')).click();
  const panel = await need(page, `${S.dx.connectionsCard} ${S.confirm.panel}`, 'the delete-connection confirmation');
  const message = await text(panel);
  check(message.includes(connectionId), `the delete confirmation does not name the connection: ${message}`);
  await (await need(page, panel.locator(S.confirm.yes), 'the delete-connection confirm button')).click();
}

/** Adds two tags to a connection, then renames one: the chips follow, and only the
 * difference is sent (TagResource; then UntagResource + TagResource). */
async function editTags(page, connectionId, browser) {
  const t = S.dx.tags;
  const row = () => page.locator(S.dx.connectionRow(connectionId));
  const openPanel = async () => {
    await (await need(page, row().locator(S.dx.editTags), 'the Tags button of a connection row')).click();
    return need(page, t.form, 'the tags editor');
  };
  await openPanel();
  const submit = await need(page, t.submit, 'the save-tags button');
  check(await submit.isDisabled(), 'saving unchanged tags is offered');
  for (const [i, key, value] of [[0, 'team', 'netops'], [1, 'env', 'prod']]) {
    await (await need(page, t.add, 'the Add tag button of the tags editor')).click();
    await type(page, t.key(i), key, `tag ${i} key`);
    await type(page, t.value(i), value, `tag ${i} value`);
  }
  const cli = await text(await need(page, t.cli, 'the CLI command of the tags editor'));
  check(cli.includes('tag-resource') && cli.includes(`dxcon/${connectionId}`), `the tags CLI command is wrong: ${cli}`);
  await browser.visit('directconnect-tags');
  await until(async () => !(await submit.isDisabled()), 'the save-tags button to be enabled');
  await submit.click();
  await until(async () => (await page.locator(t.form).count()) === 0, 'the tags editor to close after saving');
  const chips = async () => (await row().locator(S.dx.resourceTags).count()) ? text(row().locator(S.dx.resourceTags)) : '';
  await until(async () => (await chips()).includes('team=netops') && (await chips()).includes('env=prod'), 'the new tags in the connection row');

  // Rename env to stage: one untag, one tag.
  await openPanel();
  await type(page, t.key(1), 'stage', 'tag 1 key');
  const cli2 = await text(await need(page, t.cli, 'the CLI command of the tags editor'));
  check(cli2.includes('untag-resource') && cli2.includes('tag-resource'), `renaming a key should untag and tag: ${cli2}`);
  await until(async () => !(await submit.isDisabled()), 'the save-tags button to be enabled');
  await submit.click();
  await until(async () => (await page.locator(t.form).count()) === 0, 'the tags editor to close after saving');
  await until(async () => (await chips()).includes('stage=prod') && !(await chips()).includes('env='), 'the renamed tag in the connection row');
}

/** Tags a virtual interface from its row; the chip shows after the save. */
/**
 * OUTSCALE does not say its side's ASN: the router panel of a new DirectLink interface asks for
 * it, names it while it is missing, and uses what the user gives.
 */
async function outscaleRouterConfig(page, vifId) {
  await page.locator(S.dx.vif.row(vifId)).locator(S.router.open).click();
  await need(page, S.router.panel, 'the router configuration panel');
  const missing = await need(page, S.router.error, 'the error of the missing provider ASN');
  check((await text(missing)).startsWith('amazonSideAsn'), `without the provider's ASN the panel says "${await text(missing)}"`);
  await page.locator(S.router.remoteAsn).fill('65100');
  await until(async () => (await text(page.locator(S.router.text))).includes('remote-as 65100'), 'the configuration with the ASN given');
  check((await page.locator(S.router.error).count()) === 0, 'the error stays once the ASN is given');
  await page.locator(S.router.close).click();
}

async function tagVif(page, vifId) {
  const t = S.dx.tags;
  const row = () => page.locator(S.dx.vif.row(vifId));
  await (await need(page, row().locator(S.dx.editTags), 'the Tags button of a VIF row')).click();
  await need(page, t.form, 'the tags editor of a virtual interface');
  await (await need(page, t.add, 'the Add tag button')).click();
  await type(page, t.key(0), 'billing', 'tag 0 key');
  await type(page, t.value(0), 'cc-42', 'tag 0 value');
  const cli = await text(await need(page, t.cli, 'the CLI command of the tags editor'));
  check(cli.includes(`dxvif/${vifId}`), `the VIF tags command names no VIF ARN: ${cli}`);
  const submit = await need(page, t.submit, 'the save-tags button');
  await until(async () => !(await submit.isDisabled()), 'the save-tags button to be enabled');
  await submit.click();
  await until(async () => (await page.locator(t.form).count()) === 0, 'the tags editor to close after saving');
  await until(async () => (await row().locator(S.dx.resourceTags).count()) > 0
    && (await text(row().locator(S.dx.resourceTags))).includes('billing=cc-42'), 'the tag chip on the VIF row');
}

export function dxScenario(service) {
  return {
    name: service,
    async run({ page, proxy, browser }) {
      await loginByLink(page, proxy);
      await go(page, service);
      await need(page, S.dx.noConnections, 'the empty connections table', { timeout: 15_000 });
      await browser.visit(`${service}-empty`);
      // A fresh load of the page asks for each of its lists once (the profiles arriving must
      // not load them again): one call each, not two.
      const loadMark = proxy.mark();
      await page.reload();
      await need(page, S.dx.noConnections, 'the empty connections table after a reload', { timeout: 15_000 });
      await page.waitForTimeout(800);
      for (const op of ['DescribeConnections', 'DescribeLocations', 'DescribeVirtualGateways']) {
        const sent = proxy.callsSince(loadMark).filter((x) => x.operation === op).length;
        check(sent === 1, `${service}: a fresh load of the page sent ${sent} ${op} calls, not 1`);
      }
      if (service === 'directconnect') {
        // Another region lists its own connections: the sandbox seeds two in eu-west-1.
        const region = await need(page, S.shell.region, 'the region field');
        await region.fill('eu-west-1');
        await region.dispatchEvent('change');
        await need(page, S.dx.connectionRow('dxcon-dub0001a'), 'a seeded eu-west-1 connection after switching region');
        const listed = proxy.callsSince(loadMark).filter((x) => x.operation === 'DescribeConnections' && x.region === 'eu-west-1');
        check(listed.length === 1, `switching to eu-west-1 sent ${listed.length} DescribeConnections calls there, not 1`);
        await region.fill(DX_SEEDS[service].region);
        await region.dispatchEvent('change');
        await need(page, S.dx.noConnections, 'the empty us-east-1 table again', { timeout: 15_000 });
      }
      const mark = proxy.mark();

      const connectionId = await createConnection(page, proxy, service, `e2e-${service}-1`, { twice: true });
      const rowSel = S.dx.connectionRow(connectionId);
      await need(page, rowSel, 'the new connection in the table (the list refreshes after a create)');
      await waitRowState(page, rowSel, 'available', `connection ${connectionId}`);
      await browser.visit(`${service}-available`);
      if (service === 'directconnect') {
        await editTags(page, connectionId, browser);
      } else {
        check((await page.locator(S.dx.editTags).count()) === 0, 'directlink offers tag editing, which OUTSCALE has no call for');
      }

      await openVifs(page, connectionId);
      const own = await sendVif(page, { mode: 'create', name: 'e2e-private', vlan: 101, asn: 65000, gateway: GATEWAYS[0] });
      await need(page, S.dx.vif.row(own), 'the new private virtual interface in the table');
      if (service === 'directconnect') {
        await tagVif(page, own);
      } else {
        check((await page.locator(`${S.dx.vif.section} ${S.dx.editTags}`).count()) === 0, 'directlink offers VIF tag editing');
        await outscaleRouterConfig(page, own);
      }
      const allocated = await sendVif(page, { mode: 'allocate', name: 'e2e-hosted', vlan: 102, asn: 65001, owner: OTHER_ACCOUNT });
      const allocatedRow = S.dx.vif.row(allocated);
      await need(page, allocatedRow, 'the allocated virtual interface in the table');
      await waitRowState(page, allocatedRow, 'confirming', `allocated interface ${allocated}`);
      await browser.visit(`${service}-vifs`);

      const row = page.locator(allocatedRow);
      await (await need(page, row.locator(S.dx.vif.confirm), 'the Confirm button of a VIF waiting for confirmation')).click();
      await need(page, S.dx.vif.confirmForm, 'the confirm-VIF form');
      await choose(page, S.dx.vif.confirmGateway, GATEWAYS[1], 'the virtual gateway picker of the confirm form');
      await browser.visit(`${service}-confirm`);
      const confirmSubmit = await need(page, S.dx.vif.confirmSubmit, 'the confirm-VIF submit button');
      await until(async () => !(await confirmSubmit.isDisabled()), 'the confirm submit to be enabled');
      await confirmSubmit.click();
      await waitRowState(page, allocatedRow, ['pending', 'available'], `confirmed interface ${allocated}`);

      await deleteVif(page, own);
      await waitRowState(page, S.dx.vif.row(own), ['deleting', 'deleted', null], `interface ${own} after delete`);
      await deleteVif(page, allocated);
      for (const id of [own, allocated]) {
        await waitRowState(page, S.dx.vif.row(id), ['deleted', null], `interface ${id}`);
      }

      await deleteConnection(page, connectionId);
      await waitRowState(page, rowSel, ['deleted', null], `connection ${connectionId} after delete`);
      await browser.visit(`${service}-deleted`);

      const writes = proxy
        .forwardedSince(mark)
        .filter((c) => c.operation !== '-' && !c.operation.startsWith('Describe'))
        .map((c) => `${c.operation}:${c.status}`);
      const wanted = [
        'CreateConnection:200',
        ...(service === 'directconnect' ? ['TagResource:200', 'UntagResource:200', 'TagResource:200'] : []),
        'CreatePrivateVirtualInterface:200',
        ...(service === 'directconnect' ? ['TagResource:200'] : []),
        'AllocatePrivateVirtualInterface:200',
        'ConfirmPrivateVirtualInterface:200',
        'DeleteVirtualInterface:200',
        'DeleteVirtualInterface:200',
        'DeleteConnection:200',
      ];
      check(JSON.stringify(writes) === JSON.stringify(wanted), `${service}: calls made were ${writes.join(', ')}; wanted ${wanted.join(', ')}`);
      check(proxy.forwardedSince(mark).every((c) => c.service === service), `${service}: a call went to another service`);
    },
  };
}
