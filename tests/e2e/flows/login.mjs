// Logging in: the printed link (a one-use code) starts a session; without one every /api route
// answers 401 and the console shows its login page; the same link a second time is refused; the
// token pasted in the login form works too.

import * as S from '../lib/selectors.mjs';
import { check, loginByLink, need, type, until } from '../lib/ui.mjs';

export const loginScenario = {
  name: 'login',
  async run({ page, proxy, browser }) {
    for (const path of ['/api/profiles', '/api/sandbox', '/api/session']) {
      const bare = await fetch(proxy.origin + path);
      check(bare.status === 401, `${path} without a session answered ${bare.status}, not 401`);
    }
    const wrong = await fetch(proxy.origin + '/api/profiles', { headers: { 'x-cloudlink-token': 'not-the-token' } });
    check(wrong.status === 401, `a wrong token header answered ${wrong.status}, not 401`);
    const described = await proxy.dx('directconnect', 'us-east-1', 'DescribeConnections', {});
    check(described.status === 200, `the token header was refused: ${described.status}`);
    const unsigned = await fetch(proxy.origin + '/api/aws/directconnect/us-east-1/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'OvertureService.DescribeConnections' },
      body: '{}',
    });
    check(unsigned.status === 401, `a cloud call without a session answered ${unsigned.status}, not 401`);

    // A browser without a session gets the login page, and its own fetches are refused.
    await page.goto(proxy.origin + '/');
    await need(page, S.login.form, 'the login page for a browser without a session', { timeout: 20_000 });
    await browser.visit('login');
    const refused = await page.evaluate(() => fetch('/api/profiles').then((r) => r.status));
    check(refused === 401, `the browser's /api/profiles without a session answered ${refused}`);

    // The printed link logs in, and takes the code out of the address bar.
    check(!proxy.loginUrl.includes(proxy.token), 'the printed link carries the token');
    await loginByLink(page, proxy);
    check(!page.url().includes('code='), `the login code stays in the address bar: ${page.url()}`);
    await need(page, S.shell.sandboxBanner, 'the sandbox banner');
    await browser.visit('home');
    const allowed = await page.evaluate(() => fetch('/api/profiles').then((r) => r.status));
    check(allowed === 200, `/api/profiles with the session answered ${allowed}`);
    // The policy is on and its violations are caught: an inline script added to the page is
    // blocked and reported (then dropped from the findings: it was put there on purpose).
    const before = browser.cspViolations.length;
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.head.append(s);
    });
    await until(async () => browser.cspViolations.length > before, 'the policy to report a blocked inline script', { timeout: 5_000 });
    check(!(await page.evaluate(() => window.__inlineRan === true)), 'an inline script ran under the console policy');
    await new Promise((r) => setTimeout(r, 500));
    browser.cspViolations.splice(before);
    const cookies = await page.context().cookies(proxy.origin);
    check(cookies.length > 0 && cookies.every((c) => c.httpOnly), 'the session cookie is missing or readable by scripts');

    // Signing out ends the session; the login form takes the token.
    await (await need(page, S.shell.logout, 'the sign-out button')).click();
    await need(page, S.login.form, 'the login page after signing out');
    const after = await page.evaluate(() => fetch('/api/profiles').then((r) => r.status));
    check(after === 401, `/api/profiles after signing out answered ${after}`);
    // Sign-out from a script without the console's proof is refused.
    const bareLogout = await fetch(proxy.origin + '/api/logout', { method: 'POST' });
    check(bareLogout.status === 403, `a sign-out without Origin and X-Cloudlink-Request answered ${bareLogout.status}`);

    // The printed link works once: the second time it lands on the login page.
    await page.goto(proxy.loginUrl);
    await need(page, S.login.form, 'the login page after reusing the login link', { timeout: 20_000 });
    await until(async () => page.url().includes('failed=1'), 'the reused link to say so in the URL', { timeout: 5_000 });
    const reused = await page.evaluate(() => fetch('/api/profiles').then((r) => r.status));
    check(reused === 401, `a reused login link gave a session (${reused})`);
    await type(page, S.login.token, proxy.token, 'the access token field');
    await (await need(page, S.login.submit, 'the sign-in button')).click();
    await need(page, S.shell.home, 'the home page after signing in with the form');

    // A login link with a wrong token does not log in.
    const other = await page.context().newPage();
    await other.context().clearCookies();
    await other.goto(`${proxy.origin}/login?token=${'0'.repeat(48)}`);
    await need(other, S.login.form, 'the login page after a refused login link', { timeout: 20_000 });
    const stillOut = await other.evaluate(() => fetch('/api/profiles').then((r) => r.status));
    check(stillOut === 401, `a wrong login link gave a session (${stillOut})`);
    await until(async () => other.url().includes('failed=1'), 'the refused link to say so in the URL', { timeout: 5_000 });
    await other.close();
  },
};
