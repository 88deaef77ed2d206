// InfluxQL side by side: Debian's InfluxDB 1.x (influxd, started here on a free port) and
// factoryhub serve are given the same line protocol, then asked the same queries, in the
// forms Grafana's InfluxDB data source and node-influx send them. The answers must be the same
// bytes (InfluxDB's JSON: Go's number and string forms, the same series, columns and rows).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Influx from 'influx';
import { freePort, removeDir, sleep, startServe, tempDir } from './fixtures.mjs';

const INFLUXD = process.env.INFLUXD_BIN ?? '/usr/bin/influxd';
const T0 = 1767225600; // 2026-01-01T00:00:00Z, seconds
const FROM_MS = T0 * 1000;
const TO_MS = (T0 + 3600) * 1000 - 1;

let dir, fh, influxd, influxBase, influxVersion;

// Three machines on two lines and two presses, a point every 10 s for an hour; machine m2
// is silent from minute 20 to minute 26 (for fill), and every value is a multiple of 1/4 so
// that sums are exact whichever order they are added in.
function lineProtocol() {
  const lines = [];
  const machines = [
    { id: 'm1', line: '1', base: 60 },
    { id: 'm2', line: '1', base: 70 },
    { id: 'm3', line: '2', base: 80 },
  ];
  machines.forEach((m, k) => {
    for (let i = 0; i < 360; i++) {
      const t = T0 + i * 10;
      if (m.id === 'm2' && i >= 120 && i < 156) continue;
      const temperature = m.base + ((i * 7919 + k * 13) % 1009) * 0.25;
      const speed = 1400 + ((i * 31 + k) % 97) * 0.5;
      lines.push(`machine,id=${m.id},line=${m.line} temperature=${temperature},speed=${speed} ${t}`);
    }
  });
  for (const site of ['north', 'south']) {
    for (let i = 0; i < 120; i++) {
      const t = T0 + i * 30;
      const pressure = (site === 'north' ? 5 : 6) + ((i * 53) % 101) * 0.125;
      lines.push(`press,site=${site} pressure=${pressure} ${t}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function startInfluxd(work) {
  const http = await freePort();
  const rpc = await freePort();
  const data = path.join(work, 'influx');
  mkdirSync(data);
  const conf = path.join(work, 'influxdb.conf');
  writeFileSync(
    conf,
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${data}/meta"
[data]
  dir = "${data}/data"
  wal-dir = "${data}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${http}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`,
  );
  const proc = spawn(INFLUXD, ['-config', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const base = `http://127.0.0.1:${http}/`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`influxd exited ${proc.exitCode}: ${err}`);
    try {
      const r = await fetch(base + 'ping');
      if (r.status === 204) return { proc, base, version: r.headers.get('x-influxdb-version') };
    } catch {}
    if (Date.now() > deadline) throw new Error(`influxd does not answer on ${http}: ${err}`);
    await sleep(100);
  }
}

async function write(base, body) {
  const r = await fetch(`${base}write?db=plant&precision=s`, { method: 'POST', body });
  assert.equal(r.status, 204, `${base}: ${await r.text()}`);
}

async function query(base, q, params = {}) {
  const url = new URL(base + 'query');
  url.searchParams.set('db', 'plant');
  url.searchParams.set('q', q);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

before(async () => {
  dir = tempDir();
  const work = path.join(dir, 'work');
  mkdirSync(work);
  const started = await startInfluxd(work);
  influxd = started.proc;
  influxBase = started.base;
  influxVersion = started.version;
  fh = await startServe(dir, 'mqtt: []\n');
  const create = await query(influxBase, 'CREATE DATABASE plant');
  assert.equal(create.status, 200, create.body);
  const points = lineProtocol();
  await write(influxBase, points);
  await write(fh.base, points);
});

after(async () => {
  await fh?.stop();
  if (influxd && influxd.exitCode === null) {
    influxd.kill('SIGTERM');
    await new Promise((resolve) => influxd.once('exit', resolve));
  }
  removeDir(dir);
});

// Grafana's $timeFilter and interval, as its InfluxDB data source writes them.
const range = `time >= ${FROM_MS}ms and time <= ${TO_MS}ms`;

const QUERIES = [
  'SHOW MEASUREMENTS',
  'SHOW MEASUREMENTS LIMIT 1',
  'SHOW MEASUREMENTS WITH MEASUREMENT =~ /^mach/',
  'SHOW TAG KEYS',
  'SHOW TAG KEYS FROM "machine"',
  'SHOW TAG VALUES FROM "machine" WITH KEY = "id"',
  'SHOW TAG VALUES WITH KEY IN ("line", "site")',
  `SHOW TAG VALUES FROM "machine" WITH KEY = "id" WHERE "line" = '2'`,
  'SHOW TAG VALUES FROM "machine" WITH KEY =~ /i/',
  'SHOW FIELD KEYS',
  'SHOW FIELD KEYS FROM "press"',
  'SHOW SERIES',
  'SHOW RETENTION POLICIES ON "plant"',
  `SELECT mean("temperature") FROM "machine" WHERE ${range} GROUP BY time(5m) fill(null)`,
  `SELECT mean("temperature") FROM "autogen"."machine" WHERE ("id" =~ /^m[12]$/) AND ${range} GROUP BY time(2m), "id" fill(none)`,
  `SELECT count("temperature"), min("temperature"), max("temperature"), sum("temperature") FROM "machine" WHERE ${range} GROUP BY time(10m), * fill(0)`,
  `SELECT count("temperature") FROM "machine" WHERE "id" = 'm2' AND ${range} GROUP BY time(2m)`,
  `SELECT last("temperature") FROM "machine" WHERE "id" = 'm2' AND ${range} GROUP BY time(2m) fill(previous)`,
  `SELECT mean("temperature") FROM "machine" WHERE "id" = 'm2' AND ${range} GROUP BY time(2m) fill(linear)`,
  `SELECT max("temperature") FROM "machine" WHERE "id" = 'm1' AND ${range}`,
  `SELECT min("speed") FROM "machine" WHERE "line" = '1' AND ${range}`,
  `SELECT mean("temperature") AS "avg", max("speed") FROM "machine" WHERE ${range}`,
  `SELECT "temperature", "speed" FROM "machine" WHERE "id" = 'm1' AND time >= '2026-01-01T00:10:00Z' AND time < '2026-01-01T00:11:00Z'`,
  `SELECT * FROM "machine" WHERE "line" = '1' AND ${range} LIMIT 4`,
  `SELECT "pressure" FROM "press" WHERE ${range} ORDER BY time DESC LIMIT 3`,
  `SELECT mean("temperature") FROM "machine" WHERE ${range} GROUP BY time(5m) ORDER BY time DESC LIMIT 3`,
  `SELECT median("temperature"), percentile("temperature", 90), spread("temperature") FROM "machine" WHERE ${range} GROUP BY time(15m), "id"`,
  `SELECT first("temperature"), last("temperature") FROM "machine" WHERE ${range} GROUP BY time(20m)`,
  `SELECT mean("temperature") FROM "machine" WHERE time >= '2026-01-01T00:00:00Z' AND time < '2026-01-01T01:00:00Z' GROUP BY time(10m, 5m)`,
  `SELECT mean("pressure") FROM "press" WHERE ${range} GROUP BY time(30m), "site" SLIMIT 1`,
  `SELECT mean("pressure") FROM "press" WHERE "site" != 'north' AND ${range} GROUP BY time(20m) LIMIT 2 OFFSET 1`,
  `SELECT mean("value") FROM "nothing" WHERE ${range} GROUP BY time(1m)`,
  `SELECT mean("temperature") FROM /^mach/ WHERE ("id" = 'm1' OR "id" = 'm3') AND ${range} GROUP BY time(30m)`,
  `SELECT count(*) FROM "machine" WHERE ${range} GROUP BY "line"`,
  `SELECT max("pressure") FROM "press" WHERE ${range} GROUP BY "line"`,
  `SELECT mean("temperature") FROM "machine" WHERE time > now() - 1h GROUP BY time(10m) fill(null)`,
  `SELECT sum("speed") FROM "machine" WHERE "id" !~ /1/ AND time >= '2026-01-01 00:30:00' AND time < '2026-01-01 00:40:00' GROUP BY time(90s) fill(-1)`,
  'SHOW TAG VALUES FROM "machine" WITH KEY != "id"',
  'SELECT mean("temperature") FROM "machine" GROUP BY time(1m)',
  'SELECT mean("temperature"), "speed" FROM "machine"',
  `SHOW MEASUREMENTS; SELECT max("pressure") FROM "press" WHERE ${range} GROUP BY time(1h)`,
];

test(`every query answers as InfluxDB ${'1.x'} does, byte for byte`, async () => {
  assert.match(influxVersion ?? '', /^1\./);
  const differences = [];
  for (const q of QUERIES) {
    for (const params of [{}, { epoch: 'ms' }]) {
      let want, got;
      for (let attempt = 0; ; ++attempt) {
        want = await query(influxBase, q, params);
        got = await query(fh.base, q, params);
        // A query bounded by now() (written, or implied without an upper time) can cross a
        // bucket's edge between the two answers: influxd answering otherwise a moment later
        // says so, and the pair is asked for again.
        const after = await query(influxBase, q, params);
        if (after.body === want.body || attempt === 3) break;
      }
      assert.equal(want.status, 200, `influxd refused ${q}: ${want.body}`);
      if (got.status !== want.status || got.body !== want.body)
        differences.push(`${q} ${JSON.stringify(params)}\n  influxd:    ${want.body.slice(0, 600)}\n  factoryhub: ${got.body.slice(0, 600)}`);
    }
  }
  assert.deepEqual(differences, [], differences.join('\n'));
});

test('stddev agrees with InfluxDB to the last few bits', async () => {
  const q = `SELECT stddev("temperature") FROM "machine" WHERE ${range} GROUP BY time(15m), "id"`;
  const want = JSON.parse((await query(influxBase, q, { epoch: 's' })).body);
  const got = JSON.parse((await query(fh.base, q, { epoch: 's' })).body);
  const a = want.results[0].series;
  const b = got.results[0].series;
  assert.equal(b.length, a.length);
  a.forEach((s, i) => {
    assert.deepEqual(b[i].tags, s.tags);
    s.values.forEach(([t, v], r) => {
      assert.equal(b[i].values[r][0], t);
      assert.ok(Math.abs(b[i].values[r][1] - v) <= 1e-12 * Math.abs(v), `${t}: ${b[i].values[r][1]} vs ${v}`);
    });
  });
});

test('errors come as InfluxDB words them: a parse error is a 400, an unsupported statement says what to do', async () => {
  const bad = await query(fh.base, 'SELECT mean("temperature" FROM "machine"');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error, /^error parsing query: found FROM, expected \) at line 1, char \d+/);
  const drop = await query(fh.base, 'DROP MEASUREMENT "machine"');
  assert.equal(drop.status, 400);
  assert.match(JSON.parse(drop.body).error, /found DROP, expected SELECT, SHOW, CREATE/);
  const field = await query(fh.base, `SELECT mean("temperature") FROM "machine" WHERE "temperature" > 70 AND ${range}`);
  assert.equal(field.status, 400);
  assert.match(JSON.parse(field.body).error, /filters on tags .* not on field values/);
  const mixed = await query(fh.base, 'SELECT mean("temperature"), "speed" FROM "machine"');
  assert.equal(mixed.status, 200);
  assert.match(JSON.parse(mixed.body).results[0].error, /mixing aggregate and non-aggregate queries is not supported/);
});

test('node-influx reads grouped series through its query API', async () => {
  const client = new Influx.InfluxDB({ host: '127.0.0.1', port: Number(new URL(fh.base).port), database: 'plant' });
  const rows = await client.query(
    `SELECT mean("pressure") AS "p" FROM "press" WHERE ${range} GROUP BY time(30m), "site"`,
  );
  assert.deepEqual(
    rows.groups().map((g) => [g.tags.site, g.rows.length]),
    [
      ['north', 2],
      ['south', 2],
    ],
  );
  assert.equal(rows[0].time.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(typeof rows[0].p, 'number');
  const measurements = await client.getMeasurements();
  assert.deepEqual(measurements, ['machine', 'press']);
});
