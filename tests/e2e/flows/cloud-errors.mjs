// Errors from the cloud reach the user with their code and request id, and the page stays
// usable: a VLAN already in use on the connection, OCI's one console connection per instance,
// and throttling (the sandbox's rate limit, drained by a script while the user clicks).

import * as S from '../lib/selectors.mjs';
import { sshEd25519PublicKey } from '../lib/keys.mjs';
import { check, go, loginByLink, need, providerError, type, until, waitRowState } from '../lib/ui.mjs';
import { createConnection, fillVif, openVifs, sendVif, GATEWAYS, DX_SEEDS } from './dx.mjs';
import { createConsoleConnection, listCompartment, OCI_INSTANCES } from './oci.mjs';

const AWS_REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps the AWS key's rate limit exhausted with read calls until `stop()`. */
function hammer(proxy, service, { workers = 24 } = {}) {
  let running = true;
  let calls = 0;
  const { region } = DX_SEEDS[service];
  const loop = async () => {
    while (running) {
      await proxy.dx(service, region, 'DescribeLocations', {}).catch(() => {});
      calls += 1;
    }
  };
  const done = Promise.all(Array.from({ length: workers }, loop));
  return {
    get calls() {
      return calls;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

async function vlanInUse(page, proxy, browser) {
  await go(page, 'directconnect');
  const connectionId = await createConnection(page, proxy, 'directconnect', 'e2e-errors');
  // Settled first: while the connection moves, the VIF section is rebuilt on every refresh
  // (the form-survives-polling scenario covers that).
  await waitRowState(page, S.dx.connectionRow(connectionId), 'available', `connection ${connectionId}`);
  await page.waitForTimeout(1_500);
  await openVifs(page, connectionId);
  await sendVif(page, { mode: 'create', name: 'first', vlan: 300, asn: 65000, gateway: GATEWAYS[0] });
  const mark = proxy.mark();
  const v = S.dx.vif;
  const submit = await fillVif(page, { mode: 'create', name: 'second', vlan: 300, asn: 65000, gateway: GATEWAYS[1] });
  await submit.click();
  const error = await providerError(page, v.error, 'the VIF form error box');
  check(error.code === 'DirectConnectClientException', `VLAN in use shows code "${error.code}"`);
  check(/VLAN 300/.test(error.message), `VLAN in use shows message "${error.message}"`);
  check(error.requestId && AWS_REQUEST_ID.test(error.requestId), `VLAN in use shows request id "${error.requestId}"`);
  const logged = proxy.callsSince(mark).find((c) => c.operation === 'CreatePrivateVirtualInterface');
  check(logged && logged.upstream_request_id === error.requestId, `the request id shown is not the sandbox's (${logged?.upstream_request_id})`);
  await browser.visit('error-vlan-in-use');
  // Still usable: another VLAN goes through, and the error goes away.
  await type(page, v.vlan, '301', 'the VLAN field');
  await until(async () => !(await submit.isDisabled()), 'the VIF submit to be enabled after an error');
  await submit.click();
  await until(async () => (await page.locator(`${v.created} code`).count()) > 0 && (await page.locator(`${v.error} ${S.errorBox.code}`).count()) === 0,
    'the second interface to be created and the error cleared', { timeout: 15_000 });
}

async function ociLimit(page, proxy, browser) {
  await go(page, 'oci');
  await listCompartment(page);
  const first = await createConsoleConnection(page, OCI_INSTANCES[1], sshEd25519PublicKey());
  await need(page, S.oci.list.row(first), 'the first console connection in the list');
  const c = S.oci.create;
  await type(page, c.instance, OCI_INSTANCES[1], 'the instance OCID field');
  await type(page, c.key, sshEd25519PublicKey().line, 'the SSH public key field');
  const submit = await need(page, c.submit, 'the OCI create submit');
  await until(async () => !(await submit.isDisabled()), 'the OCI create submit to be enabled');
  await submit.click();
  const error = await providerError(page, c.error, 'the OCI create error box');
  check(error.code === 'Conflict', `the per-instance limit shows code "${error.code}"`);
  check(error.requestId && error.requestId.length >= 16, `the per-instance limit shows request id "${error.requestId}"`);
  await browser.visit('error-oci-limit');
  await type(page, c.instance, OCI_INSTANCES[2], 'the instance OCID field');
  await type(page, c.key, sshEd25519PublicKey().line, 'the SSH public key field');
  await until(async () => !(await submit.isDisabled()), 'the OCI create submit to be enabled after an error');
  await submit.click();
  await until(async () => (await page.locator(`${c.error} ${S.errorBox.code}`).count()) === 0 && (await page.locator(`${c.created} code`).count()) > 0,
    'a console connection on another instance after the error', { timeout: 15_000 });
}

async function throttling(page, proxy, browser) {
  await go(page, 'directconnect');
  const c = S.dx.create;
  let error = null;
  for (let attempt = 1; attempt <= 4 && !error; attempt++) {
    const { location, bandwidth } = DX_SEEDS.directconnect;
    await page.locator(c.location).selectOption(location);
    await page.locator(c.bandwidth).selectOption(bandwidth);
    await type(page, c.name, `e2e-throttled-${attempt}`, 'the connection name field');
    const submit = await need(page, c.submit, 'the create-connection submit');
    await until(async () => !(await submit.isDisabled()), 'the create submit to be enabled');
    const load = hammer(proxy, 'directconnect');
    await page.waitForTimeout(1_500);
    await submit.click();
    const seen = await until(async () => {
      if ((await page.locator(`${c.error} ${S.errorBox.code}`).count()) > 0) return 'error';
      return false;
    }, 'an answer to the create under load', { timeout: 20_000 }).catch(() => 'none');
    if (seen === 'error') error = await providerError(page, c.error, 'the create-connection error box');
    await load.stop();
  }
  check(error, 'four creates under a drained rate limit were never throttled');
  check(error.code === 'ThrottlingException', `throttling shows code "${error.code}"`);
  check(error.requestId && AWS_REQUEST_ID.test(error.requestId), `throttling shows request id "${error.requestId}"`);
  await browser.visit('error-throttled');
  // Once the rate limit refills, the same form sends.
  await page.waitForTimeout(3_000);
  const submit = page.locator(c.submit);
  await until(async () => !(await submit.isDisabled()), 'the create submit to be enabled after throttling');
  await submit.click();
  await until(async () => (await page.locator(`${c.created} code`).count()) > 0, 'a create after the throttling passed', { timeout: 15_000 });
  check((await page.locator(`${c.error} ${S.errorBox.code}`).count()) === 0, 'the throttling error stays after a success');
}

export const cloudErrorsScenario = {
  name: 'cloud-errors',
  async run({ page, proxy, browser }) {
    await loginByLink(page, proxy);
    await vlanInUse(page, proxy, browser);
    await ociLimit(page, proxy, browser);
    await throttling(page, proxy, browser);
  },
};
