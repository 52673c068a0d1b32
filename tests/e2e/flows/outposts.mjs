// Outposts: StartConnection with a valid WireGuard key shows the ConnectionId and the underlay
// IP; the lookup by id shows the connection's details.

import * as S from '../lib/selectors.mjs';
import { wireguardPublicKey } from '../lib/keys.mjs';
import { check, choose, go, loginByLink, need, text, type, until } from '../lib/ui.mjs';

export const OUTPOST_ASSET = 'JQPR4ZK8T2';
// The Outposts model's ConnectionId pattern.
const CONNECTION_ID = /^[a-zA-Z0-9+/=]{1,1024}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Fills and sends StartConnection; returns { connectionId, underlayIp }. */
export async function startConnection(page, key, asset = OUTPOST_ASSET) {
  const f = S.outposts.start;
  await need(page, f.form, 'the StartConnection form');
  await type(page, f.asset, asset, 'the asset id field');
  await type(page, f.key, key, 'the WireGuard public key field');
  await choose(page, f.index, '0', 'the network interface picker');
  const submit = await need(page, f.submit, 'the StartConnection submit button');
  await until(async () => !(await submit.isDisabled()), 'the StartConnection submit to be enabled');
  await submit.click();
  const idEl = await need(page, f.connectionId, 'the ConnectionId of the result', { timeout: 15_000 });
  const connectionId = await text(idEl);
  const underlayIp = await text(await need(page, f.underlayIp, 'the underlay IP of the result'));
  return { connectionId, underlayIp };
}

export const outpostsScenario = {
  name: 'outposts',
  async run({ page, proxy, browser }) {
    await loginByLink(page, proxy);
    await go(page, 'outposts');
    await browser.visit('outposts');
    const key = wireguardPublicKey();
    check(key.length === 44 && key.endsWith('='), `the generated WireGuard key is malformed: ${key}`);
    const mark = proxy.mark();
    const cli = await text(await need(page, S.outposts.start.cli, 'the CLI command of StartConnection'));
    check(/start-connection/.test(cli) || cli.length > 0, 'the StartConnection CLI box is empty');
    const { connectionId, underlayIp } = await startConnection(page, key);
    check(CONNECTION_ID.test(connectionId), `ConnectionId looks wrong: ${connectionId}`);
    const ip = IPV4.exec(underlayIp);
    check(ip && ip.slice(1).every((o) => Number(o) <= 255), `underlay IP is not an IPv4 address: ${underlayIp}`);
    await browser.visit('outposts-started');

    const l = S.outposts.lookup;
    await type(page, l.id, connectionId, 'the lookup connection id field');
    const lookupCli = await text(await need(page, l.cli, 'the CLI command of GetConnection'));
    check(lookupCli.includes(connectionId), `the GetConnection CLI command does not carry the id: ${lookupCli}`);
    const submit = await need(page, l.submit, 'the lookup submit button');
    await until(async () => !(await submit.isDisabled()), 'the lookup submit to be enabled');
    await submit.click();
    const result = await need(page, l.result, 'the looked-up connection details', { timeout: 15_000 });
    const details = await text(result);
    check(details.includes(connectionId), `the lookup result does not show the id: ${details}`);
    check(details.includes(key), 'the lookup result does not show the client public key that was sent');
    await browser.visit('outposts-lookup');

    const calls = proxy.forwardedSince(mark).map((c) => `${c.operation}:${c.status}`);
    check(
      JSON.stringify(calls) === JSON.stringify(['StartConnection:200', 'GetConnection:200']),
      `outposts calls were ${calls.join(', ')}`,
    );
  },
};
