// Starts tests/interop/opcua/server.mjs as a child process on a free 127.0.0.1 port (or the
// one given), waits for its READY line and returns { url, port, pki, stop() }; stop() sends
// SIGTERM and waits for the exit (SIGKILL after 5 s). For tests, the hub's included.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SERVER = path.join(here, 'server.mjs');

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

// args: the server's options other than --port (e.g. ['--user', 'operator:secret']).
export async function startOpcuaServer(args = [], { port, readyMs = 30000 } = {}) {
  port = port ?? (await freePort());
  const proc = spawn(process.execPath, [SERVER, '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d;
    if (err.length > 65536) err = err.slice(-32768);
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig)));
  let timer;
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^READY (opc\.tcp:\/\/\S+)$/m);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`opcua server exited ${code}: ${err}`)));
    timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`opcua server not READY in ${readyMs} ms: ${err}`));
    }, readyMs);
  }).finally(() => clearTimeout(timer));
  proc.stdout.resume();
  return {
    url,
    port,
    proc,
    stderr: () => err,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      return proc.exitCode;
    },
  };
}
