// Behind a TLS reverse proxy under a sub-path: Debian's nginx (scenario `nginx`) or Caddy
// (`caddy`) with the site file docs/SECURITY.md shows, forwarding
// https://127.0.0.1:<port>/cloudlink/ to `cloudlink-proxy --base-path /cloudlink`. Log in
// through it, create and delete a connection, reload a deep link; the session cookie is
// Secure, and neither login links nor the token header reach the front's access log.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as S from '../lib/selectors.mjs';
import { FRONTS, Front } from '../lib/fronts.mjs';
import { check, go, need, waitRowState } from '../lib/ui.mjs';
import { createConnection, deleteConnection } from './dx.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PREFIX = '/cloudlink';

export function frontScenario(kind) {
  return {
    name: kind,
    proxyArgs: ['--base-path', PREFIX],
    // The certificate is made for this run; the browser is told to accept it.
    contextOptions: { ignoreHTTPSErrors: true },
    async run({ page, proxy, browser }) {
      // The configuration in the docs is the one tested here.
      const docs = readFileSync(join(ROOT, 'docs', 'SECURITY.md'), 'utf8');
      const site = readFileSync(FRONTS[kind].template, 'utf8').trim();
      check(docs.includes(site), `docs/SECURITY.md does not show ${FRONTS[kind].template} as it is`);

      const front = await new Front(kind, { upstream: new URL(proxy.origin).host }).start();
      try {
        await behindFront({ page, proxy, browser, front });
      } catch (e) {
        e.message += `\n${kind}: ${front.log()}`;
        throw e;
      } finally {
        await front.stop();
      }
    },
  };
}

async function behindFront({ page, proxy, browser, front }) {
  const base = `${front.origin}${PREFIX}`;
  check(proxy.loginUrl.startsWith(`${proxy.origin}${PREFIX}/login?`), `the printed login URL is not under the prefix: ${proxy.loginUrl}`);
  const loginPath = proxy.loginUrl.slice(proxy.origin.length);

  // No session: the console's login page, served under the prefix.
  const mark = proxy.mark();
  await page.goto(`${base}/`);
  await need(page, S.login.form, 'the login page through the front', { timeout: 20_000 });

  // The printed link, through the front: back to the console under the prefix.
  await page.goto(`${front.origin}${loginPath}`);
  await need(page, S.shell.home, 'the home page after logging in through the front', { timeout: 20_000 });
  check(page.url() === `${base}/`, `the login link did not land on ${base}/: ${page.url()}`);
  await need(page, S.shell.sandboxBanner, 'the sandbox banner (GET /api/sandbox under the prefix)');
  await browser.visit('home');
  const cookies = await page.context().cookies(front.origin);
  check(cookies.length > 0, 'no session cookie through the front');
  for (const c of cookies) {
    check(c.secure, `cookie ${c.name} lacks Secure behind https (X-Forwarded-Proto)`);
    check(c.httpOnly, `cookie ${c.name} is readable by scripts`);
  }

  // The console's links and calls stay under the prefix.
  await go(page, 'directconnect');
  check(page.url() === `${base}/directconnect`, `the Direct Connect link left the prefix: ${page.url()}`);
  const id = await createConnection(page, proxy, 'directconnect', 'behind-a-front');
  await waitRowState(page, S.dx.connectionRow(id), 'available', `connection ${id} to become available`);
  await browser.visit('directconnect');
  await deleteConnection(page, id);
  await waitRowState(page, S.dx.connectionRow(id), ['deleting', 'deleted', null], `connection ${id} after delete`);
  const writes = proxy
    .forwardedSince(mark)
    .filter((c) => c.operation === 'CreateConnection' || c.operation === 'DeleteConnection');
  check(
    writes.map((c) => `${c.operation}:${c.status}`).join(' ') === 'CreateConnection:200 DeleteConnection:200',
    `the sandbox did not get one create and one delete: ${JSON.stringify(writes)}`,
  );

  // A deep link reloads: the page's assets are absolute under the prefix.
  await page.goto(`${base}/directconnect`);
  await need(page, S.dx.page('directconnect'), 'the Direct Connect page from a deep link', { timeout: 20_000 });

  // The prefix without its slash leads to the console.
  const bare = await page.context().request.get(`${front.origin}${PREFIX}`, { maxRedirects: 0 });
  const location = bare.headers()['location'] ?? '';
  check([301, 307, 308].includes(bare.status()) && [`${base}/`, `${PREFIX}/`].includes(location),
    `${PREFIX} answered ${bare.status()} ${location}`);

  // A script's call with the token header, through the front (boto3 with endpoint_url).
  const scripted = await page.context().request.post(`${base}/api/aws/directconnect/us-east-1`, {
    headers: {
      'x-cloudlink-token': proxy.token,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'OvertureService.DescribeLocations',
    },
    data: '{}',
  });
  check(scripted.status() === 200, `a token-header call through the front answered ${scripted.status()}`);

  // The front logged the console's calls, and no secret.
  const log = front.access();
  check(log.includes(`${PREFIX}/api/aws/directconnect/us-east-1/`), `the access log lacks the console's calls:\n${log}`);
  check(!/\/login\?/.test(log), `a login link is in the access log:\n${log}`);
  check(!log.includes(proxy.token), 'the token is in the access log');
}
