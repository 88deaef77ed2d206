// What the connector interop tests start for themselves on 127.0.0.1: a free port, a real
// mosquitto broker, factoryhub serve on a hub whose connectors.yaml is written before it
// starts, and bounded polls of its HTTP API (no fixed sleeps).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FH = process.env.FH_BIN ?? path.join(here, '../../build/release/src/factoryhub');
export const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function tempDir() {
  return mkdtempSync(path.join(tmpdir(), 'fh-interop-'));
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// A port free on 127.0.0.1 now (the OS picks it; the caller binds it right after).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Waits until something accepts TCP connections on port.
async function waitForPort(port, what, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} does not listen on ${port}`);
    await sleep(50);
  }
}

// A mosquitto broker on its own port; stop() ends it.
export async function startMosquitto(dir) {
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await Promise.race([
    waitForPort(port, 'mosquitto'),
    exited.then((code) => {
      throw new Error(`mosquitto exited ${code}: ${err}`);
    }),
  ]);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

// factoryhub serve on the hub in dir (made on first use) whose connectors.yaml is
// connectorsYaml; started again on the same dir, it opens the same hub.
export async function startServe(dir, connectorsYaml) {
  const hub = path.join(dir, 'hub');
  if (!existsSync(hub)) execFileSync(FH, ['init', hub]);
  writeFileSync(path.join(hub, 'connectors.yaml'), connectorsYaml);
  const proc = spawn(FH, ['serve', '--hub', hub, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  // The first line printed holds the URL.
  const base = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^\s/]+:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}/`);
    });
    exited.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  proc.stdout.resume();
  return {
    base,
    hub,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export async function getJson(base, pathAndQuery) {
  const r = await fetch(base + pathAndQuery);
  return { status: r.status, body: r.status === 200 ? await r.json() : await r.text() };
}

// The latest point of tag, or undefined while it has none.
export async function latest(base, tag) {
  const r = await getJson(base, `api/v1/latest?tag=${encodeURIComponent(tag)}`);
  return r.status === 200 ? r.body.latest?.[0] : undefined;
}

// The connector named name as /api/v1/connectors lists it.
export async function connector(base, name) {
  const r = await getJson(base, 'api/v1/connectors');
  if (r.status !== 200) throw new Error(`/api/v1/connectors: ${r.status} ${r.body}`);
  return r.body.connectors.find((c) => c.name === name);
}

// Calls probe until pass(value) holds, for at most ms; returns the last value either way,
// so the caller's assertion says what was there instead.
export async function until(probe, pass, ms = 10000) {
  const deadline = Date.now() + ms;
  let value;
  for (;;) {
    value = await probe();
    if (pass(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

// Waits until tag's latest value is want (or the time is up) and returns the latest point.
export function latestValue(base, tag, want, ms) {
  return until(() => latest(base, tag), (p) => p?.value === want, ms);
}

// Waits until the connector is connected.
export function connected(base, name, ms) {
  return until(() => connector(base, name), (c) => c?.state === 'connected', ms);
}
