// OCI: a console connection from a pasted SSH key: its fingerprint before sending, ACTIVE with
// the SSH and VNC connection strings, then deleted.

import * as S from '../lib/selectors.mjs';
import { sshEd25519PublicKey } from '../lib/keys.mjs';
import { check, go, loginByLink, need, text, type, until, waitRowState } from '../lib/ui.mjs';

export const OCI_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaasandboxcompartment4cloudlinkdemo';
export const OCI_INSTANCES = [
  'ocid1.instance.oc1.iad.anuwcljtsandboxweb01',
  'ocid1.instance.oc1.iad.anuwcljtsandboxdb01',
  'ocid1.instance.oc1.iad.anuwcljtsandboxbastion',
];
const CONNECTION_ID = /^ocid1\.instanceconsoleconnection\.oc1\.[a-z0-9-]+\.[a-z0-9]+$/;

/** Lists the sandbox compartment's console connections. */
export async function listCompartment(page) {
  const l = S.oci.list;
  await type(page, l.compartment, OCI_COMPARTMENT, 'the compartment OCID field');
  const submit = await need(page, l.submit, 'the list submit button');
  await until(async () => !(await submit.isDisabled()), 'the list submit to be enabled');
  await submit.click();
  await need(page, `${l.table} tbody tr`, 'the console connections table');
}

/** Fills and sends the create form; returns the new connection's OCID. */
export async function createConsoleConnection(page, instance, key) {
  const c = S.oci.create;
  await need(page, c.form, 'the create console connection form');
  await type(page, c.instance, instance, 'the instance OCID field');
  await type(page, c.key, key.line, 'the SSH public key field');
  const shown = await text(await need(page, c.fingerprintSha256, 'the key fingerprint shown before sending'));
  check(shown === key.sha256, `the fingerprint shown (${shown}) is not the key's (${key.sha256})`);
  const submit = await need(page, c.submit, 'the create console connection submit button');
  await until(async () => !(await submit.isDisabled()), 'the OCI create submit to be enabled');
  const before = (await page.locator(`${c.created} code`).count()) ? await text(page.locator(`${c.created} code`)) : '';
  await submit.click();
  return until(async () => {
    const el = page.locator(`${c.created} code`);
    if (!(await el.count())) return false;
    const t = await text(el);
    return t && t !== before ? t : false;
  }, 'the OCID of the new console connection', { timeout: 15_000 });
}

export const ociScenario = {
  name: 'oci',
  async run({ page, proxy, browser }) {
    await loginByLink(page, proxy);
    await go(page, 'oci');
    await listCompartment(page);
    await need(page, S.oci.list.none, 'the empty console connections table');
    await browser.visit('oci-empty');
    const key = sshEd25519PublicKey();
    const mark = proxy.mark();
    const id = await createConsoleConnection(page, OCI_INSTANCES[0], key);
    check(CONNECTION_ID.test(id), `console connection OCID looks wrong: ${id}`);
    const rowSel = S.oci.list.row(id);
    await need(page, rowSel, 'the new console connection in the list (it refreshes after a create)');
    await waitRowState(page, rowSel, 'ACTIVE', `console connection ${id}`);
    const row = page.locator(rowSel);
    const ssh = await text(await need(page, row.locator(S.oci.sshString), 'the SSH connection string'));
    const vnc = await text(await need(page, row.locator(S.oci.vncString), 'the VNC connection string'));
    check(ssh.startsWith('ssh ') && ssh.includes(OCI_INSTANCES[0]), `SSH connection string looks wrong: ${ssh}`);
    check(vnc.includes('5900') && vnc.includes(OCI_INSTANCES[0]), `VNC connection string looks wrong: ${vnc}`);
    check((await text(row)).includes(key.md5), `the row does not show the key's MD5 fingerprint ${key.md5}`);
    await browser.visit('oci-active');

    await (await need(page, row.locator(S.oci.delete), 'the delete button of a console connection')).click();
    const panel = await need(page, S.confirm.panel, 'the delete confirmation');
    check((await text(panel)).includes(id), 'the delete confirmation does not name the connection');
    await (await need(page, panel.locator(S.confirm.yes), 'the delete confirm button')).click();
    await waitRowState(page, rowSel, ['DELETING', 'DELETED', null], `console connection ${id} after delete`);
    await waitRowState(page, rowSel, ['DELETED', null], `console connection ${id}`);
    await browser.visit('oci-deleted');

    const creates = proxy.forwardedSince(mark).filter((c) => c.operation === 'CreateInstanceConsoleConnection');
    const deletes = proxy.forwardedSince(mark).filter((c) => c.operation === 'DeleteInstanceConsoleConnection');
    check(creates.length === 1 && creates[0].status === 200, `CreateInstanceConsoleConnection calls: ${JSON.stringify(creates)}`);
    check(deletes.length === 1 && deletes[0].status < 300, `DeleteInstanceConsoleConnection calls: ${JSON.stringify(deletes)}`);
  },
};
