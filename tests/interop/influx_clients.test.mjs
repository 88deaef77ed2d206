// factoryhub serve against the InfluxDB client libraries plants run: node-influx (v1) and
// @influxdata/influxdb-client (v2). Each starts the way it starts against InfluxDB (ping,
// databases), writes, and what it wrote is read back through factoryhub's own API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Influx from 'influx';
import { InfluxDB, Point } from '@influxdata/influxdb-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const FH = process.env.FH_BIN ?? path.join(here, '../../build/release/src/factoryhub');
let dir, server, base, port;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fh-interop-'));
  execFileSync(FH, ['init', path.join(dir, 'hub')]);
  server = spawn(FH, ['serve', '--hub', path.join(dir, 'hub'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The first line printed holds the URL.
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[^\s/]+:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}/`);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  port = Number(new URL(base).port);
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function latest(tag) {
  const r = await fetch(`${base}api/v1/latest?tag=${encodeURIComponent(tag)}`);
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()).latest[0];
}

test('node-influx starts, creates its database and writes numbers, booleans and strings', async () => {
  const influx = new Influx.InfluxDB({ host: '127.0.0.1', port, database: 'plant' });
  const [host] = await influx.ping(5000);
  assert.equal(host.online, true);
  assert.match(host.version, /^1\./);
  const names = await influx.getDatabaseNames();
  if (!names.includes('plant')) await influx.createDatabase('plant');
  assert.ok((await influx.getDatabaseNames()).includes('plant'));
  await influx.writePoints(
    [
      {
        measurement: 'press',
        tags: { line: '1' },
        fields: { temp: 71.5, count: 12, running: true, status: 'running "fast"' },
        timestamp: new Date('2026-03-01T08:00:00Z'),
      },
    ],
    { precision: 's' },
  );
  assert.equal((await latest('press/line=1/temp')).value, 71.5);
  assert.equal((await latest('press/line=1/count')).value, 12);
  assert.equal((await latest('press/line=1/running')).value, 1);
  assert.equal((await latest('press/line=1/temp')).ts, '2026-03-01T08:00:00Z');
  // And reads them back through InfluxQL (the numbers: text values are not InfluxQL fields).
  const rows = await influx.query('SELECT * FROM press');
  assert.equal(rows.length, 1);
  assert.deepEqual(
    { count: rows[0].count, line: rows[0].line, running: rows[0].running, temp: rows[0].temp },
    { count: 12, line: '1', running: 1, temp: 71.5 },
  );
  assert.equal(rows[0].time.toISOString(), '2026-03-01T08:00:00.000Z');
});

test('influxdb-client (v2) writes batches, gzip-compressed above its threshold', async () => {
  const client = new InfluxDB({ url: base.replace(/\/$/, ''), token: 'unused' });
  const write = client.getWriteApi('acme', 'plant', 'ms', {
    gzipThreshold: 1000,
    maxRetries: 0,
    writeFailed(error) {
      failures.push(error);
    },
  });
  const failures = [];
  const t0 = Date.parse('2026-03-01T09:00:00Z');
  for (let i = 0; i < 2000; i++) {
    write.writePoint(
      new Point('spindle').tag('machine', `m${i % 4}`).floatField('speed', 1000 + i)
        .stringField('state', 'cutting').timestamp(new Date(t0 + i)),
    );
  }
  await write.close();
  // The client's promises settle before its batches' answers arrive: wait for the last.
  let last;
  for (let i = 0; i < 100 && last?.value !== 1000 + 1999; i++) {
    const r = await fetch(`${base}api/v1/latest?tag=spindle/machine=m3/speed`);
    if (r.status === 200) last = (await r.json()).latest[0];
    else await new Promise((done) => setTimeout(done, 100));
  }
  assert.deepEqual(failures, []);
  assert.equal(last?.value, 1000 + 1999);
  assert.equal(last.ts, '2026-03-01T09:00:01.999Z');
});

test('a line the v2 client cannot send well is refused with InfluxDB\'s error body', async () => {
  const r = await fetch(`${base}api/v2/write?bucket=plant&precision=s`, {
    method: 'POST',
    body: 'ok v=1 1\nbad v=1..2 2\n',
  });
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.code, 'invalid');
  assert.match(body.message, /line 2/);
});
