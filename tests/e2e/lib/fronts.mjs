// A TLS reverse proxy in front of cloudlink-proxy, as a self-hoster runs it: Debian's nginx
// or Caddy with the site file that docs/SECURITY.md shows (tests/e2e/nginx/cloudlink.conf,
// tests/e2e/caddy/Caddyfile), a self-signed certificate made by openssl for this run, as the
// current user on a free port, with its pid, logs, state and temp files in a fresh temp dir.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './proxy.mjs';

const E2E = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const FRONTS = {
  nginx: {
    bin: process.env.CLOUDLINK_NGINX || '/usr/sbin/nginx',
    template: join(E2E, 'nginx', 'cloudlink.conf'),
    /** The whole nginx.conf around the site file: one process, in the foreground. */
    prepare(dir) {
      const d = (name) => join(dir, name);
      writeFileSync(d('nginx.conf'), [
        'daemon off;',
        // No master/worker split, so no switch to `nobody`: it all runs as this user.
        'master_process off;',
        `pid ${d('nginx.pid')};`,
        `error_log ${d('error.log')} info;`,
        'events { worker_connections 64; }',
        'http {',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${d(t)};`),
        `  include ${d('site')};`,
        '}',
        '',
      ].join('\n'));
      return { args: ['-p', dir, '-c', d('nginx.conf'), '-e', d('error.log')], env: {} };
    },
  },
  caddy: {
    bin: process.env.CLOUDLINK_CADDY || '/usr/bin/caddy',
    template: join(E2E, 'caddy', 'Caddyfile'),
    prepare(dir) {
      const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
      return { args: ['run', '--adapter', 'caddyfile', '--config', join(dir, 'site')], env };
    },
  },
};

export class Front {
  /** `kind`: a key of FRONTS; `upstream`: the proxy's `host:port`. */
  constructor(kind, { upstream }) {
    this.kind = kind;
    this.spec = FRONTS[kind];
    this.upstream = upstream;
    this.output = '';
  }

  async start() {
    const { bin, template } = this.spec;
    if (!existsSync(bin)) throw new Error(`no ${this.kind} at ${bin}: \`cargo xtask setup\` installs it`);
    this.dir = mkdtempSync(join(tmpdir(), `cloudlink-${this.kind}-`));
    const d = (name) => join(this.dir, name);
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', d('key.pem'), '-out', d('cert.pem'),
    ], { stdio: 'ignore' });
    const port = await freePort();
    this.origin = `https://127.0.0.1:${port}`;
    this.accessLog = d('access.log');
    writeFileSync(d('site'), readFileSync(template, 'utf8')
      .replaceAll('@LISTEN@', `127.0.0.1:${port}`)
      .replaceAll('@CERT@', d('cert.pem'))
      .replaceAll('@KEY@', d('key.pem'))
      .replaceAll('@ACCESS_LOG@', this.accessLog)
      .replaceAll('@UPSTREAM@', this.upstream));
    const { args, env } = this.spec.prepare(this.dir);
    this.child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [this.child.stdout, this.child.stderr]) {
      s.setEncoding('utf8');
      s.on('data', (c) => (this.output += c));
    }
    this.exited = new Promise((r) => this.child.on('exit', (code, signal) => r({ code, signal })));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`${this.kind} exited (${this.child.exitCode}): ${this.log()}`);
      if (await listening(port)) return this;
      if (Date.now() > deadline) throw new Error(`${this.kind} did not listen on ${port} within 15 s: ${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** What the front printed, and nginx's error log, for failure messages. */
  log() {
    const errors = join(this.dir, 'error.log');
    return [this.output.slice(-3000), existsSync(errors) ? readFileSync(errors, 'utf8').slice(-3000) : ''].join('\n');
  }

  access() {
    return existsSync(this.accessLog) ? readFileSync(this.accessLog, 'utf8') : '';
  }

  async stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

function listening(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
