// Bad input in every form: each field shows its error inline, the submit button stays
// disabled, a forced submit sends nothing, and the proxy's log shows no call from any form.
// The console's messages are the proxy's own (same rules from core): compared for Outposts.

import * as S from '../lib/selectors.mjs';
import { check, choose, fieldError, go, loginByLink, need, submitRefused, type, waitRowState } from '../lib/ui.mjs';
import { DX_SEEDS, OTHER_ACCOUNT, openVifs } from './dx.mjs';

/** Creates a connection (and optionally an allocated VIF) with the token, as a script would. */
export async function seedConnection(proxy, service, { allocate = false } = {}) {
  const { region, location, bandwidth } = DX_SEEDS[service];
  const c = await proxy.dx(service, region, 'CreateConnection', { location, bandwidth, connectionName: `seed-${service}` });
  check(c.status === 200, `seeding a ${service} connection failed: ${c.status} ${c.text}`);
  const connectionId = c.json.connectionId;
  let vifId = null;
  if (allocate) {
    const v = await proxy.dx(service, region, 'AllocatePrivateVirtualInterface', {
      connectionId,
      ownerAccount: OTHER_ACCOUNT,
      newPrivateVirtualInterfaceAllocation: { virtualInterfaceName: 'seed-hosted', vlan: 200, asn: 65010 },
    });
    check(v.status === 200, `seeding an allocated interface failed: ${v.status} ${v.text}`);
    vifId = v.json.virtualInterfaceId;
  }
  return { connectionId, vifId };
}

/** Each [field id, value] typed, then each listed field must show an error. */
async function expectErrors(page, entries, what) {
  for (const [id, value] of entries) await type(page, `#${id}`, value, `${what}: field #${id}`);
  const messages = {};
  for (const [id] of entries) messages[id] = await fieldError(page, id);
  return messages;
}

async function dxForms(page, proxy, browser, service, seeded) {
  await go(page, service);
  const c = S.dx.create;
  await need(page, c.form, `the create-connection form on ${service}`);
  // A required field emptied after typing, and an AWS-only malformed LAG id.
  await choose(page, c.location, DX_SEEDS[service].location, 'the location picker');
  await choose(page, c.bandwidth, DX_SEEDS[service].bandwidth, 'the bandwidth picker');
  await type(page, c.name, 'x', 'the connection name field');
  await type(page, c.name, '', 'the connection name field');
  const nameError = await fieldError(page, 'cc-name');
  check(/required/.test(nameError), `${service}: an empty name says "${nameError}"`);
  if (service === 'directconnect') {
    await type(page, c.name, 'valid name');
    const e = await expectErrors(page, [['cc-lag', 'lag-1']], 'create connection');
    check(e['cc-lag'].length > 0, 'no LAG id error');
  }
  await browser.visit(`validation-${service}-connection`);
  await submitRefused(page, proxy, c.form, c.submit, `${service} create connection`);

  // The VIF form, in both modes. Once the connection has settled: while the list polls, the
  // section is rebuilt (see the form-survives-polling scenario).
  await waitRowState(page, S.dx.connectionRow(seeded.connectionId), 'available', `seeded connection ${seeded.connectionId}`);
  await page.waitForTimeout(1_500);
  await openVifs(page, seeded.connectionId);
  const v = S.dx.vif;
  await (await need(page, v.modeCreate, 'the create mode of the VIF form')).check();
  const vlan = service === 'directlink' ? '1' : '5000';
  // AWS documents a 6 to 80 character BGP key; OUTSCALE documents no length.
  const bad = [['vif-vlan', vlan], ['vif-asn', '4294967295'], ['vif-amazon-address', '300.1.1.1/30']];
  if (service === 'directconnect') bad.push(['vif-auth-key', 'abc']);
  const create = await expectErrors(page, bad, 'create VIF');
  if (service === 'directconnect') check(!create['vif-auth-key'].includes('abc'), 'the BGP key error repeats the key');
  if (service === 'directlink') {
    check(create['vif-vlan'] === 'must be between 2 and 4094, not 1', `DirectLink VLAN 1 says "${create['vif-vlan']}"`);
  }
  await browser.visit(`validation-${service}-vif-create`);
  await submitRefused(page, proxy, v.form, v.submit, `${service} create VIF`);
  await (await need(page, v.modeAllocate, 'the allocate mode of the VIF form')).check();
  if (service === 'directconnect') {
    await expectErrors(page, [['vif-owner', '12']], 'allocate VIF'); // not a 12-digit AWS account
  } else {
    await type(page, v.owner, 'x');
    await type(page, v.owner, '');
    const owner = await fieldError(page, 'vif-owner');
    check(/required/.test(owner), `an empty owner account says "${owner}"`);
  }
  await browser.visit(`validation-${service}-vif-allocate`);
  await submitRefused(page, proxy, v.form, v.submit, `${service} allocate VIF`);

  // Confirm without a virtual gateway.
  const row = await need(page, v.row(seeded.vifId), 'the seeded allocated interface');
  await (await need(page, row.locator(v.confirm), 'the Confirm button of a VIF waiting for confirmation')).click();
  await need(page, v.confirmForm, 'the confirm-VIF form');
  await choose(page, v.confirmGateway, 'vgw-0a1b2c3d', 'the confirm gateway picker');
  await page.locator(v.confirmGateway).selectOption('');
  const gw = await fieldError(page, 'confirm-vgw');
  check(/required/.test(gw), `confirm without a gateway says "${gw}"`);
  await submitRefused(page, proxy, v.confirmForm, v.confirmSubmit, `${service} confirm VIF`);
}

export const validationScenario = {
  name: 'validation',
  async run({ page, proxy, browser }) {
    const seeded = {
      directconnect: await seedConnection(proxy, 'directconnect', { allocate: true }),
      directlink: await seedConnection(proxy, 'directlink', { allocate: true }),
    };
    // What the proxy answers for bad Outposts input, to compare with the console's messages.
    const direct = await proxy.api('/api/aws/outposts/us-east-1/connections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AssetId: 'asset-1', ClientPublicKey: 'short', NetworkInterfaceDeviceIndex: 0 }),
    });
    const proxyErrors = (await direct.json()).fieldErrors ?? [];
    check(direct.status === 400 && proxyErrors.length >= 2, `the proxy accepted bad Outposts input: ${direct.status}`);

    await loginByLink(page, proxy);
    const mark = proxy.mark();
    for (const service of ['directconnect', 'directlink']) {
      await dxForms(page, proxy, browser, service, seeded[service]);
    }

    await go(page, 'outposts');
    const sc = S.outposts.start;
    const start = await expectErrors(page, [['sc-asset', 'asset-1'], ['sc-key', 'short']], 'StartConnection');
    for (const [id, field] of [['sc-asset', 'AssetId'], ['sc-key', 'ClientPublicKey']]) {
      const fromProxy = proxyErrors.find((e) => e.field === field)?.message;
      check(start[id] === fromProxy, `${field}: the console says "${start[id]}", the proxy "${fromProxy}"`);
    }
    await type(page, sc.key, 'A'.repeat(43) + '!', 'the WireGuard key field');
    check((await fieldError(page, 'sc-key')).length > 0, 'a 44-character key with a bad character shows no error');
    await browser.visit('validation-outposts');
    await submitRefused(page, proxy, sc.form, sc.submit, 'StartConnection');
    const l = S.outposts.lookup;
    await type(page, l.id, 'x', 'the lookup id field');
    await type(page, l.id, '', 'the lookup id field');
    check(/required/.test(await fieldError(page, 'gc-id')), 'an empty lookup id shows no error');
    await submitRefused(page, proxy, l.form, l.submit, 'GetConnection');

    await go(page, 'oci');
    const list = S.oci.list;
    await expectErrors(page, [['oci-compartment', 'nope'], ['oci-filter-instance', 'i-123']], 'OCI list');
    await submitRefused(page, proxy, list.form, list.submit, 'OCI list');
    const create = S.oci.create;
    await expectErrors(page, [['oci-instance', 'i-123'], ['oci-key', 'ssh-rsa garbage']], 'OCI create');
    await need(page, create.fingerprintSha256, 'no fingerprint for a bad key', { state: 'detached', timeout: 2_000 });
    await browser.visit('validation-oci');
    await submitRefused(page, proxy, create.form, create.submit, 'OCI create');

    // A half-filled form survives a reload; its errors come back with it.
    await page.reload();
    await need(page, S.oci.page, 'the OCI page after a reload', { timeout: 20_000 });
    const kept = await page.locator(create.instance).inputValue();
    check(kept === 'i-123', `the OCI create form lost its instance after a reload (${kept})`);
    check((await fieldError(page, 'oci-instance')).length > 0, 'the restored bad instance shows no error');

    const sent = proxy.formCallsSince(mark);
    check(sent.length === 0, `forms with bad input made calls: ${JSON.stringify(sent)}`);
    const forwarded = proxy.forwardedSince(mark).filter((c) => !/^(Describe|List|Get)/.test(c.operation));
    check(forwarded.length === 0, `the sandbox received changes: ${JSON.stringify(forwarded)}`);
  },
};

/**
 * What a user types in the VIF form stays there while the connections list refreshes itself
 * (the connection is still moving): nothing is lost to a background poll.
 */
export const formSurvivesPollingScenario = {
  name: 'form-survives-polling',
  async run({ page, proxy, browser }) {
    await loginByLink(page, proxy);
    const { connectionId } = await seedConnection(proxy, 'directconnect');
    await go(page, 'directconnect');
    await need(page, S.dx.connectionRow(connectionId), 'the seeded connection in the table');
    await openVifs(page, connectionId);
    const v = S.dx.vif;
    await (await need(page, v.modeCreate, 'the create mode of the VIF form')).check();
    const typed = [[v.name, 'typed while polling'], [v.vlan, '123'], [v.asn, '65123'], [v.authKey, 'a-bgp-key-0123']];
    for (const [sel, value] of typed) await type(page, sel, value);
    await waitRowState(page, S.dx.connectionRow(connectionId), 'available', `connection ${connectionId}`);
    await page.waitForTimeout(1_500);
    const lost = [];
    for (const [sel, value] of typed) {
      const now = (await page.locator(sel).count()) ? await page.locator(sel).inputValue() : '(field gone)';
      if (now !== value) lost.push(`${sel} "${value}" became "${now}"`);
    }
    await browser.visit('form-after-polling');
    check(lost.length === 0, `the VIF form lost input while the connections list refreshed: ${lost.join('; ')}`);
  },
};
