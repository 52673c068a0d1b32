// `--read-only`: the console offers no create or delete, and the proxy refuses them even from
// the console's own origin with a valid session and the same-origin header.

import * as S from '../lib/selectors.mjs';
import { check, go, loginByLink, need } from '../lib/ui.mjs';

const OCI_BASE = '/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections';

export const readOnlyScenario = {
  name: 'read-only',
  proxyArgs: ['--read-only'],
  async run({ page, proxy, browser }) {
    await loginByLink(page, proxy);
    const profiles = await page.evaluate(() => fetch('/api/profiles').then((r) => r.json()));
    check(profiles.readOnly === true, '/api/profiles does not say read-only');

    for (const service of ['directconnect', 'directlink']) {
      await go(page, service);
      await need(page, S.shell.readOnlyNotice, `the read-only notice on ${service}`);
      await need(page, S.dx.noConnections, `the (read) connections list on ${service}`, { timeout: 15_000 });
      check((await page.locator(S.dx.create.form).count()) === 0, `${service}: the create-connection form is offered`);
      check((await page.locator(S.dx.deleteConnection).count()) === 0, `${service}: a delete button is offered`);
      check((await page.locator(S.dx.editTags).count()) === 0, `${service}: tag editing is offered`);
      await browser.visit(`read-only-${service}`);
    }
    await go(page, 'outposts');
    await need(page, S.shell.readOnlyNotice, 'the read-only notice on outposts');
    check((await page.locator(S.outposts.start.form).count()) === 0, 'outposts: StartConnection is offered');
    await need(page, S.outposts.lookup.form, 'the (read) lookup form on outposts');
    await browser.visit('read-only-outposts');
    await go(page, 'oci');
    await need(page, S.shell.readOnlyNotice, 'the read-only notice on oci');
    check((await page.locator(S.oci.create.form).count()) === 0, 'oci: the create form is offered');
    check((await page.locator(S.oci.delete).count()) === 0, 'oci: a delete button is offered');
    await browser.visit('read-only-oci');

    // The proxy refuses changes from the console's own origin with a live session.
    const cookie = (await page.context().cookies(proxy.origin)).map((c) => `${c.name}=${c.value}`).join('; ');
    check(cookie.length > 0, 'no session cookie after login');
    const asConsole = { cookie, origin: proxy.origin, 'x-cloudlink-request': '1' };
    const amz = (op) => ({ ...asConsole, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `OvertureService.${op}` });
    const send = (path, method, headers, body) =>
      fetch(proxy.origin + path, { method, headers, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const mark = proxy.mark();
    const cases = [
      ['DescribeConnections (control)', '/api/aws/directconnect/us-east-1/', 'POST', amz('DescribeConnections'), '{}', 200],
      ['CreateConnection', '/api/aws/directconnect/us-east-1/', 'POST', amz('CreateConnection'),
        JSON.stringify({ location: 'EqDC2', bandwidth: '1Gbps', connectionName: 'nope' }), 403],
      ['DeleteConnection', '/api/aws/directconnect/us-east-1/', 'POST', amz('DeleteConnection'), JSON.stringify({ connectionId: 'dxcon-abcd1234' }), 403],
      ['DeleteVirtualInterface', '/api/aws/directconnect/us-east-1/', 'POST', amz('DeleteVirtualInterface'), JSON.stringify({ virtualInterfaceId: 'dxvif-abcd1234' }), 403],
      ['TagResource', '/api/aws/directconnect/us-east-1/', 'POST', amz('TagResource'),
        JSON.stringify({ resourceArn: 'arn:aws:directconnect:us-east-1:111122223333:dxcon/dxcon-abcd1234', tags: [{ key: 'k', value: 'v' }] }), 403],
      ['DirectLink CreateConnection', '/api/outscale/directlink/eu-west-2/', 'POST', amz('CreateConnection'),
        JSON.stringify({ location: 'PAR1', bandwidth: '1Gbps', connectionName: 'nope' }), 403],
      ['StartConnection', '/api/aws/outposts/us-east-1/connections', 'POST', { ...asConsole, 'content-type': 'application/json' },
        JSON.stringify({ AssetId: 'JQPR4ZK8T2', ClientPublicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', NetworkInterfaceDeviceIndex: 0 }), 403],
      ['CreateInstanceConsoleConnection', OCI_BASE, 'POST', { ...asConsole, 'content-type': 'application/json' },
        JSON.stringify({ instanceId: 'ocid1.instance.oc1.iad.anuwcljtsandboxweb01', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR x' }), 403],
      ['DeleteInstanceConsoleConnection', `${OCI_BASE}/ocid1.instanceconsoleconnection.oc1.iad.anuwcljtabc`, 'DELETE', asConsole, undefined, 403],
    ];
    for (const [what, path, method, headers, body, wanted] of cases) {
      const r = await send(path, method, headers, body);
      check(r.status === wanted, `read-only ${what}: ${r.status} (wanted ${wanted}): ${r.body.slice(0, 200)}`);
    }
    const reached = proxy.forwardedSince(mark).filter((c) => !/^(Describe|List|Get)/.test(c.operation));
    check(reached.length === 0, `read-only changes reached the sandbox: ${JSON.stringify(reached)}`);
  },
};
