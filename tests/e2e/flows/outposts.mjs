// Outposts: StartConnection with a valid WireGuard key shows the ConnectionId and the underlay
// IP; the lookup by id shows the connection's details. Then a key pair made in the browser:
// its public key is filled in and sent, its private key never is, is downloaded once and
// derives (by Debian's `wg pubkey`) exactly the public key sent; the lookup's wg-quick file
// carries it with the sandbox's server key and endpoint.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

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
  const shown = page.locator(f.connectionId);
  const before = (await shown.count()) > 0 ? await text(shown) : null;
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('ClientPublicKey'), { timeout: 15_000 });
  await submit.click();
  if (before !== null) {
    const now = (await shown.count()) > 0 ? await text(shown) : null;
    check(now !== before, `the last connection's id ${before} is still shown as the new one's`);
  }
  const answer = await answered;
  check(answer.status() === 200, `StartConnection answered ${answer.status()}`);
  const sentId = JSON.parse(await answer.text()).ConnectionId;
  await until(async () => (await shown.count()) > 0 && (await text(shown)) === sentId, `the result to show the ConnectionId ${sentId}`, { timeout: 15_000 });
  const connectionId = await text(shown);
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

    await browserKeyPair({ page, proxy, browser });
  },
};

const WG = '/usr/bin/wg';
const WG_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** The public key `wg pubkey` derives from a private key. */
function wgPubkey(privateKey) {
  check(existsSync(WG), `${WG} is missing: cargo xtask setup installs Debian's wireguard-tools`);
  return execFileSync(WG, ['pubkey'], { input: privateKey }).toString().trim();
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return { name: file.suggestedFilename(), content: readFileSync(await file.path(), 'utf8') };
}

/** What the console names a connection's wg-quick file (logic::wireguard::conf_file_name). */
const confName = (id) => `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.conf`;

/** Generate, download once, send, look up, download the wg-quick file. */
async function browserKeyPair({ page, proxy, browser }) {
  const f = S.outposts.start;
  const bodies = [];
  const listen = (request) => bodies.push(request.postData() ?? '');
  page.on('request', listen);
  const mark = proxy.mark();
  const lines = proxy.lines.length;

  await (await need(page, f.generate, 'the generate key pair button')).click();
  const publicKey = await until(async () => {
    const v = await page.locator(f.key).inputValue();
    return WG_KEY.test(v) ? v : false;
  }, 'the generated public key in the ClientPublicKey field');
  const status = () => text(page.locator(f.keyStatus));
  check((await status()).includes('offered once'), `the key status says: ${await status()}`);
  await need(page, f.downloadPrivate, 'the private key download button');
  const saved = await download(page, f.downloadPrivate);
  check(saved.name === 'wireguard-private.key', `the private key is offered as ${saved.name}`);
  const privateKey = saved.content.trim();
  check(WG_KEY.test(privateKey), 'the downloaded private key is not a WireGuard key');
  const derived = wgPubkey(privateKey);
  check(derived === publicKey, `wg pubkey derives ${derived} from the download, the field holds ${publicKey}`);
  await until(async () => (await page.locator(f.downloadPrivate).count()) === 0, 'the private key download button to go away');
  check((await status()).includes('not offered again'), `after the download the key status says: ${await status()}`);

  const { connectionId } = await startConnection(page, publicKey);
  const sent = bodies.filter((b) => b.includes('ClientPublicKey'));
  check(sent.length === 1 && JSON.parse(sent[0]).ClientPublicKey === publicKey, `StartConnection bodies: ${sent.join(' | ')}`);

  const l = S.outposts.lookup;
  check((await page.locator(l.id).inputValue()) === connectionId, 'the lookup form does not hold the started connection id');
  await (await need(page, l.submit, 'the lookup submit button')).click();
  await until(async () => (await text(page.locator(l.result))).includes(connectionId), 'the lookup of the started connection', { timeout: 15_000 });
  const serverKey = await text(page.locator(l.detail('Server public key')));
  const endpoint = await text(page.locator(l.detail('Server endpoint')));
  check(WG_KEY.test(serverKey) && /^203\.0\.113\.\d+:51820$/.test(endpoint), `server key ${serverKey}, endpoint ${endpoint}`);
  const shown = await text(await need(page, l.wgQuickText, 'the wg-quick configuration'));
  check(!shown.includes(privateKey) && shown.includes('PrivateKey = (made in this browser'), `the page shows the private key: ${shown}`);
  check((await text(page.locator(l.wgQuick))).includes('generated locally by cloudlink'), 'the wg-quick file is not labelled as generated locally');
  const conf = await download(page, l.wgQuickDownload);
  check(conf.name === confName(connectionId), `the wg-quick file is offered as ${conf.name}, not ${confName(connectionId)}`);
  for (const line of [`PrivateKey = ${privateKey}`, `PublicKey = ${serverKey}`, `Endpoint = ${endpoint}`, 'PersistentKeepalive = 25']) {
    check(conf.content.includes(`\n${line}\n`), `the wg-quick file lacks "${line}":\n${conf.content.replace(privateKey, '<private>')}`);
  }
  await browser.visit('outposts-wireguard');
  page.off('request', listen);

  check(!bodies.some((b) => b.includes(privateKey)), 'a request body carried the private key');
  check(!proxy.lines.slice(lines).some((line) => line.includes(privateKey)), 'the proxy log shows the private key');
  const calls = proxy.forwardedSince(mark).map((c) => `${c.operation}:${c.status}`);
  check(JSON.stringify(calls) === JSON.stringify(['StartConnection:200', 'GetConnection:200']), `outposts calls were ${calls.join(', ')}`);
}
