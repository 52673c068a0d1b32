// OCI: a console connection from a pasted SSH key: its fingerprint before sending, ACTIVE with
// the SSH and VNC connection strings, the OpenSSH command and ~/.ssh/config block made from them
// (read back by `ssh -G`) with the service host key fingerprint the API answered, then deleted.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    const answered = [];
    page.on('response', async (r) => {
      if (r.url().includes('instanceConsoleConnections')) answered.push(await r.text().catch(() => ''));
    });
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
    await openSshAccess(page, row, ssh, id, answered);
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

const SSH = '/usr/bin/ssh';
const IDENTITY = '~/.ssh/id_ed25519';

/** `ssh -G`'s settings (lowercase keys) for `alias` in a config file holding `block`. */
function sshSettings(block, alias) {
  check(existsSync(SSH), `${SSH} is missing: cargo xtask setup installs Debian's openssh-client`);
  const dir = mkdtempSync(join(tmpdir(), 'cloudlink-ssh-'));
  try {
    writeFileSync(join(dir, 'config'), block);
    const out = execFileSync(SSH, ['-G', '-F', join(dir, 'config'), alias], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    return new Map(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The host key fingerprint OCI's answer (as the browser received it) gives connection `id`. */
function answeredFingerprint(answered, id) {
  for (const body of answered.slice().reverse()) {
    let json;
    try {
      json = JSON.parse(body);
    } catch {
      continue;
    }
    const found = (Array.isArray(json) ? json : [json]).find((c) => c && c.id === id);
    if (found?.serviceHostKeyFingerprint) return found.serviceHostKeyFingerprint;
  }
  return null;
}

/** The row's OpenSSH command, config block and host key, then the identity file field's effect. */
async function openSshAccess(page, row, ssh, id, answered) {
  await (await need(page, row.locator(S.oci.sshAccessOpen), 'the OpenSSH disclosure of the row')).click();
  const command = await text(await need(page, row.locator(S.oci.sshCommand), 'the OpenSSH command'));
  const [, target, instance] = /^ssh -o ProxyCommand='ssh -W %h:%p -p 443 (\S+)' (\S+)$/.exec(ssh) ?? [];
  check(target && instance, `the SSH connection string has an unknown shape: ${ssh}`);
  const proxyCommand = `ssh -i ${IDENTITY} -W %h:%p -p 443 ${target}`;
  check(command === `ssh -i ${IDENTITY} -o ProxyCommand='${proxyCommand}' ${instance}`, `the OpenSSH command is ${command}`);
  const block = (await row.locator(S.oci.sshConfig).textContent()) ?? '';
  const alias = /^Host (\S+)$/m.exec(block)?.[1];
  check(alias?.startsWith('oci-console-'), `the config block defines no oci-console host:\n${block}`);
  const settings = sshSettings(block, alias);
  check(settings.get('hostname') === instance, `ssh -G reads hostname ${settings.get('hostname')}`);
  check(settings.get('proxycommand') === proxyCommand, `ssh -G reads proxycommand ${settings.get('proxycommand')}`);
  check(settings.get('identityfile') === IDENTITY, `ssh -G reads identityfile ${settings.get('identityfile')}`);
  const pinned = await text(row.locator(S.oci.sshHostKey));
  const fromApi = answeredFingerprint(answered, id);
  check(fromApi && pinned === fromApi, `the host key shown (${pinned}) is not the API's (${fromApi})`);
  check(block.includes(`must be ${fromApi}`), 'the config block does not name the host key fingerprint');

  // A hostile identity file is the field's error; a blank one leaves the keys to OpenSSH.
  await type(page, S.oci.identity, "~/.ssh/id'$(touch /tmp/x)", 'the identity file field');
  const error = await until(async () => text(page.locator('#oci-identity-error')), 'the identity file field error');
  check(error.startsWith('identityFile must be'), `the identity file error says: ${error}`);
  check((await text(row.locator(S.oci.sshAccessError))).includes('identity file field'), 'the row does not point at the identity file field');
  await type(page, S.oci.identity, '', 'the identity file field');
  const plain = await until(async () => {
    const t = await text(row.locator(S.oci.sshCommand));
    return t && !t.includes(' -i ') ? t : false;
  }, 'the OpenSSH command without -i');
  check(plain === ssh, `with no identity file the command (${plain}) differs from OCI's string (${ssh})`);
  await type(page, S.oci.identity, IDENTITY, 'the identity file field');
}
