// Fresh keys for the forms, made with Node's crypto so the tests need no other tool:
// a WireGuard public key (X25519, 32 bytes, base64: 44 characters ending in '=') and an
// OpenSSH ed25519 public key line with its SHA256 and MD5 fingerprints.

import { createHash, generateKeyPairSync } from 'node:crypto';

/** The raw 32-byte public key at the end of an X25519 or Ed25519 SPKI DER. */
function rawPublic(publicKey) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** What `wg pubkey` prints for a new private key. */
export function wireguardPublicKey() {
  const { publicKey } = generateKeyPairSync('x25519');
  return rawPublic(publicKey).toString('base64');
}

/** An SSH wire `string`: a big-endian u32 length, then the bytes. */
function sshString(bytes) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** A new `ssh-ed25519 AAAA… comment` line and its fingerprints, as ssh-keygen -l shows them. */
export function sshEd25519PublicKey(comment = 'e2e@cloudlink') {
  const { publicKey } = generateKeyPairSync('ed25519');
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(rawPublic(publicKey))]);
  const sha256 = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  const md5 = createHash('md5')
    .update(blob)
    .digest('hex')
    .match(/../g)
    .join(':');
  return { line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, sha256, md5 };
}
