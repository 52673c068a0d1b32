// One `cloudlink-proxy --sandbox` per scenario, on a free loopback port, started with a fresh
// random token: the login link it prints on stderr (a one-use code, not the token), the token
// (for scripted calls, the login form and later logins), and its `cloudlink::call` log lines (one per call the proxy answered), which tell
// whether a call reached the sandbox (`attempts >= 1`) or was never sent at all.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const LOGIN_LINE = /cloudlink console: (http:\/\/\S+\/login\?code=(\S+))/;
const CALL_LINE = /cloudlink::call: (.*)$/;
const ANSI = /\x1b\[[0-9;]*m/g;

/** Operations that change something; the rest are reads the console polls with. */
export const WRITE_OPERATIONS = new Set([
  'CreateConnection',
  'DeleteConnection',
  'AllocatePrivateVirtualInterface',
  'ConfirmPrivateVirtualInterface',
  'CreatePrivateVirtualInterface',
  'DeleteVirtualInterface',
  'TagResource',
  'UntagResource',
  'StartConnection',
  'CreateInstanceConsoleConnection',
  'DeleteInstanceConsoleConnection',
]);

/** A port nobody listens on now (bound then released: a tiny race, fine on loopback). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `key=value key="value"` pairs of a tracing line. */
function fields(text) {
  const out = {};
  for (const m of text.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  }
  return out;
}

export class Proxy {
  constructor({ bin, webDir, extraArgs = [] }) {
    this.bin = bin;
    this.webDir = webDir;
    this.extraArgs = extraArgs;
    this.lines = [];
    /** Parsed `cloudlink::call` lines: service, operation, status, attempts, … */
    this.calls = [];
  }

  async start() {
    const port = await freePort();
    this.origin = `http://127.0.0.1:${port}`;
    const env = { ...process.env, NO_COLOR: '1', RUST_LOG: 'info' };
    this.token = randomBytes(32).toString('hex');
    env.CLOUDLINK_TOKEN = this.token;
    delete env.CLOUDLINK_SESSION_KEY;
    const args = ['--sandbox', '--web-dir', this.webDir, '--listen', `127.0.0.1:${port}`, ...this.extraArgs];
    this.child = spawn(this.bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    let announce;
    const announced = new Promise((resolve) => (announce = resolve));
    const take = (stream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        rest += chunk;
        const parts = rest.split('\n');
        rest = parts.pop();
        for (const raw of parts) {
          const line = raw.replace(ANSI, '');
          this.lines.push(line);
          const login = LOGIN_LINE.exec(line);
          if (login) {
            this.loginUrl = login[1];
            this.loginCode = login[2];
            this.codeUsed = false;
            announce();
          }
          const call = CALL_LINE.exec(line);
          if (call) {
            const f = fields(call[1]);
            this.calls.push({ ...f, status: Number(f.status), attempts: Number(f.attempts) });
          }
        }
      });
    };
    take(this.child.stdout);
    take(this.child.stderr);
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the proxy printed no login URL within 20 s')), 20_000).unref(),
    );
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`the proxy exited (code ${code}, signal ${signal}) before printing its login URL:\n${this.tail()}`);
    });
    await Promise.race([announced, timeout, died]);
    return this;
  }

  /**
   * A login link for a browser: the printed one-use code link the first time, then the
   * `/login?token=` link scripts use (the code works only once).
   */
  nextLoginUrl() {
    if (!this.codeUsed) {
      this.codeUsed = true;
      return this.loginUrl;
    }
    return this.loginUrl.replace(/\/login\?code=.*$/, `/login?token=${this.token}`);
  }

  /** The last lines the proxy printed, for failure messages. */
  tail(n = 30) {
    return this.lines.slice(-n).join('\n');
  }

  /** A mark to count calls from. */
  mark() {
    return this.calls.length;
  }

  callsSince(mark) {
    return this.calls.slice(mark);
  }

  /**
   * Calls since `mark` that a form would have made: a write operation, or a request the
   * proxy itself refused as invalid (operation `-`, never forwarded).
   */
  formCallsSince(mark) {
    return this.callsSince(mark).filter((c) => WRITE_OPERATIONS.has(c.operation) || c.operation === '-');
  }

  /** Calls since `mark` that reached the sandbox. */
  forwardedSince(mark) {
    return this.callsSince(mark).filter((c) => c.attempts >= 1);
  }

  saveLog(path) {
    writeFileSync(path, this.lines.join('\n') + '\n');
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A call with the token header, as a script would make it. */
  async api(path, { method = 'GET', headers = {}, body } = {}) {
    return fetch(this.origin + path, {
      method,
      headers: { 'x-cloudlink-token': this.token, ...headers },
      body,
    });
  }

  /** An AWS JSON 1.1 call (Direct Connect or DirectLink) with the token header. */
  async dx(service, region, operation, payload) {
    const prefix = service === 'directlink' ? '/api/outscale/directlink' : '/api/aws/directconnect';
    const response = await this.api(`${prefix}/${region}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `OvertureService.${operation}`,
      },
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // left null: the caller looks at the status
    }
    return { status: response.status, json, text, headers: response.headers };
  }
}
