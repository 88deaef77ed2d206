// TLS with clients nobody here wrote: the InfluxDB v2 client writes to `factoryhub serve
// --tls-cert --tls-key` over HTTPS with a token, trusting only the test's CA; and the
// `mqtt` client publishes over TLS to a mosquitto that asks for client certificates, read
// by serve's MQTT connector over TLS. The certificates are made here with openssl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import mqtt from 'mqtt';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { FH, MOSQUITTO, freePort, removeDir, tempDir, until } from './fixtures.mjs';

let dir, serve, broker, base, token, ca;

function openssl(...args) {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

// A CA, and a certificate it signed for `name` (127.0.0.1, localhost) with `usage`.
function makeCertificates() {
  const f = (name) => path.join(dir, name);
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '2', '-subj', '/CN=interop CA', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  for (const [name, usage] of [['server', 'serverAuth'], ['client', 'clientAuth']]) {
    writeFileSync(f(`${name}.ext`),
      `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=${usage}\n`);
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj',
      `/CN=${name}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`));
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'),
      '-CAcreateserial', '-days', '2', '-out', f(`${name}.crt`), '-extfile', f(`${name}.ext`));
  }
  return f;
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, headers: { Authorization: `Token ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    }).on('error', reject);
  });
}

async function latest(tag) {
  const r = await getJson(`${base}api/v1/latest?tag=${encodeURIComponent(tag)}`);
  return r.status === 200 ? r.body.latest?.[0] : undefined;
}

before(async () => {
  dir = tempDir();
  const f = makeCertificates();
  ca = readFileSync(f('ca.crt'));
  const brokerPort = await freePort();
  writeFileSync(f('mosquitto.conf'), `listener ${brokerPort} 127.0.0.1\nallow_anonymous true\n` +
    `persistence false\ncafile ${f('ca.crt')}\ncertfile ${f('server.crt')}\n` +
    `keyfile ${f('server.key')}\nrequire_certificate true\n` +
    (process.getuid() === 0 ? 'user root\n' : ''));
  broker = spawn(MOSQUITTO, ['-c', f('mosquitto.conf')], { stdio: 'ignore' });

  const hub = f('hub');
  execFileSync(FH, ['init', hub]);
  token = execFileSync(FH, ['token', 'create', '--hub', hub, '--role', 'operator'],
    { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  writeFileSync(path.join(hub, 'connectors.yaml'), `mqtt:
  - name: line-4
    broker: 127.0.0.1:${brokerPort}
    tls: { ca: ${f('ca.crt')}, cert: ${f('client.crt')}, key: ${f('client.key')} }
    topics: [{ topic: "plant/{line}/{signal}", tag: "{line}.{signal}", payload: number }]
`);
  serve = spawn(FH, ['serve', '--hub', hub, '--port', '0', '--tls-cert', f('server.crt'),
    '--tls-key', f('server.key')], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/https:\/\/[^\s/]+:(\d+)\//);
      if (m) resolve(`https://127.0.0.1:${m[1]}/`);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  serve.stdout.resume();
});

after(() => {
  serve?.kill('SIGTERM');
  broker?.kill('SIGTERM');
  removeDir(dir);
});

test('influxdb-client (v2) writes over HTTPS with a token, trusting only the CA', async () => {
  const client = new InfluxDB({ url: base.replace(/\/$/, ''), token, transportOptions: { ca } });
  const failures = [];
  const write = client.getWriteApi('acme', 'plant', 'ms', {
    maxRetries: 0,
    writeFailed(error) {
      failures.push(error);
    },
  });
  const t0 = Date.parse('2026-03-01T09:00:00Z');
  for (let i = 0; i < 500; i++) {
    write.writePoint(new Point('oven').tag('line', '4').floatField('temp', 180 + i / 100)
      .timestamp(new Date(t0 + i)));
  }
  await write.close();
  const last = await until(() => latest('oven/line=4/temp'), (p) => p?.value === 184.99);
  assert.deepEqual(failures, []);
  assert.equal(last?.value, 184.99);

  // The same client without the CA refuses the server: the certificate is what was given.
  const untrusting = new InfluxDB({ url: base.replace(/\/$/, ''), token });
  const refused = [];
  const w2 = untrusting.getWriteApi('acme', 'plant', 'ms', {
    maxRetries: 0,
    writeFailed(error) {
      refused.push(error);
    },
  });
  w2.writePoint(new Point('oven').tag('line', '4').floatField('temp', 1));
  await w2.close().catch(() => {});
  assert.equal(refused.length, 1);
  assert.match(String(refused[0]), /certificate/);
});

test('the mqtt client publishes over TLS; the connector reads over TLS', async () => {
  const f = (name) => path.join(dir, name);
  const url = base.replace('https', 'mqtts').replace(/:\d+\/$/, '');
  const connectors = await until(
    () => getJson(`${base}api/v1/connectors`),
    (r) => r.body.connectors?.find((c) => c.name === 'line-4')?.state === 'connected');
  const c = connectors.body.connectors.find((x) => x.name === 'line-4');
  assert.equal(c?.state, 'connected', JSON.stringify(c));
  const port = Number(c.endpoint.match(/:(\d+)/)[1]);
  const client = mqtt.connect(`${url}:${port}`, {
    ca, cert: readFileSync(f('client.crt')), key: readFileSync(f('client.key')),
  });
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  for (let i = 0; i < 5; i++) {
    await client.publishAsync('plant/line-4/pressure', String(2 + i), { qos: 1 });
  }
  await client.endAsync();
  const last = await until(() => latest("line-4.pressure"), (p) => p?.value === 6);
  assert.equal(last?.value, 6);
});
