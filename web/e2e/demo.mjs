// A real `factoryhub demo` (a live plant on a free port) for the end-to-end tests: started in
// a scratch folder, its URL once it says what to open, stopped with Ctrl-C (await stop()). `extra`: more
// options of `factoryhub demo` (e.g. ['--opcua', 'opc.tcp://127.0.0.1:4840/factoryhub']).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startDemo(bin, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'fh-web-'));
  const demo = spawn(bin, ['demo', '--dir', join(dir, 'hub'), '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the demo did not start: ' + out)), 240000);
    demo.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Open (http:\/\/localhost:\d+\/)/);
      if (m && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    demo.on('exit', (code) => reject(new Error(`the demo exited (${code}): ${out}`)));
  });
  return {
    dir,
    url,
    hub: join(dir, 'hub'),
    // Stops the demo and waits for it to exit before removing its folder: its threads (the
    // edge hub's forwarder, the live plant) write there until it has stopped.
    async stop() {
      if (demo.exitCode === null && demo.signalCode === null) {
        const exited = new Promise((resolve) => demo.once('exit', resolve));
        demo.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
