// factoryhub serve's MQTT connector against MQTT.js, the client Node gateways publish with,
// through a real mosquitto: JSON and plain-number payloads at QoS 0 and 1 reach their tags,
// booleans read 1 and 0, and what is no number is quarantined and counted, not lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import {
  tempDir, removeDir, startMosquitto, startServe, connected, connector, latestValue, until,
} from './fixtures.mjs';

let dir, broker, hub, client;

before(async () => {
  dir = tempDir();
  broker = await startMosquitto(dir);
  hub = await startServe(dir, CONNECTORS());
  const c = await connected(hub.base, 'gw');
  assert.equal(c?.state, 'connected', JSON.stringify(c));
  client = await mqtt.connectAsync(broker.url, { clientId: 'interop-mqttjs', clean: true });
});

const CONNECTORS = () => `mqtt:
  - name: gw
    broker: 127.0.0.1:${broker.port}
    qos: 1
    keep_alive: 30
    topics:
      - topic: "plant/{line}/{machine}/{signal}"
        tag: "{line}.{machine}.{signal}"
        payload: number
      - topic: "sensors/{id}"
        tag: "sensor-{id}.temperature"
        payload: json
        value: data.temp
        time: ts
      - topic: "machines/{line}/{machine}"
        tag: "{line}.{machine}.{field}"
        value: ""
`;

after(async () => {
  await client?.endAsync();
  await hub?.stop();
  await broker?.stop();
  removeDir(dir);
});

test('plain numbers at QoS 0 and QoS 1 reach their tags', async () => {
  await client.publishAsync('plant/l1/press/temp', '71.5', { qos: 0 });
  await client.publishAsync('plant/l1/press/count', ' -12 \n', { qos: 1 });
  await client.publishAsync('plant/l1/press/flow', '+3e2', { qos: 1 });
  assert.equal((await latestValue(hub.base, 'l1.press.temp', 71.5))?.value, 71.5);
  assert.equal((await latestValue(hub.base, 'l1.press.count', -12))?.value, -12);
  assert.equal((await latestValue(hub.base, 'l1.press.flow', 300))?.value, 300);
});

test('QoS 2 publishes arrive too (the broker hands them on at the QoS 1 subscribed)', async () => {
  await client.publishAsync('plant/l1/press/torque', '17.25', { qos: 2 });
  assert.equal((await latestValue(hub.base, 'l1.press.torque', 17.25))?.value, 17.25);
});

test('true and false read 1 and 0, as text and as JSON', async () => {
  await client.publishAsync('plant/l1/press/running', 'true', { qos: 1 });
  await client.publishAsync('plant/l1/press/alarm', 'FALSE', { qos: 0 });
  await client.publishAsync('machines/l2/lathe', JSON.stringify({ running: true, door: false }), {
    qos: 1,
  });
  assert.equal((await latestValue(hub.base, 'l1.press.running', 1))?.value, 1);
  assert.equal((await latestValue(hub.base, 'l1.press.alarm', 0))?.value, 0);
  assert.equal((await latestValue(hub.base, 'l2.lathe.running', 1))?.value, 1);
  assert.equal((await latestValue(hub.base, 'l2.lathe.door', 0))?.value, 0);
  // A later false replaces the true.
  await client.publishAsync('plant/l1/press/running', 'false', { qos: 1 });
  assert.equal((await latestValue(hub.base, 'l1.press.running', 0))?.value, 0);
});

test('JSON at a path with its time, and objects of several signals', async () => {
  await client.publishAsync(
    'sensors/7',
    JSON.stringify({ data: { temp: 21.25 }, ts: '2026-03-01T08:00:00Z' }),
    { qos: 1 },
  );
  await client.publishAsync('sensors/8', JSON.stringify({ data: { temp: -4 }, ts: 1772352000000 }), {
    qos: 0,
  });
  await client.publishAsync(
    'machines/l2/mill',
    JSON.stringify({ temperature: 64.5, speed: 1480, state: 'cutting' }),
    { qos: 1 },
  );
  const s7 = await latestValue(hub.base, 'sensor-7.temperature', 21.25);
  assert.equal(s7?.value, 21.25);
  assert.equal(s7.ts, '2026-03-01T08:00:00Z');
  const s8 = await latestValue(hub.base, 'sensor-8.temperature', -4);
  assert.equal(s8?.value, -4);
  assert.equal(s8.ts, '2026-03-01T08:00:00Z');
  assert.equal((await latestValue(hub.base, 'l2.mill.temperature', 64.5))?.value, 64.5);
  assert.equal((await latestValue(hub.base, 'l2.mill.speed', 1480))?.value, 1480);
});

test('nan, text and a number as JSON text are quarantined and counted, the good ones stored', async () => {
  const before = await connector(hub.base, 'gw');
  await client.publishAsync('plant/l1/press/temp', 'nan', { qos: 1 });
  await client.publishAsync('plant/l1/press/temp', 'running', { qos: 1 });
  await client.publishAsync('sensors/9', JSON.stringify({ data: { temp: '71.5' } }), { qos: 1 });
  await client.publishAsync('sensors/9', '{"data": ', { qos: 0 });
  // A good message after them: once it is stored, the bad ones before it were handled.
  await client.publishAsync('plant/l1/press/temp', '72.5', { qos: 1 });
  assert.equal((await latestValue(hub.base, 'l1.press.temp', 72.5))?.value, 72.5);
  const after = await until(
    () => connector(hub.base, 'gw'),
    (c) => c.quarantined - before.quarantined >= 4,
  );
  assert.equal(after.quarantined - before.quarantined, 4, JSON.stringify(after));
  assert.equal(after.state, 'connected');
  // Nothing of them was stored as a value.
  assert.equal((await latestValue(hub.base, 'l1.press.temp', 72.5))?.value, 72.5);
  const q = await fetch(`${hub.base}api/v1/latest?tag=sensor-9.temperature`);
  assert.notEqual(q.status, 200, await q.text());
});

test('QoS 1 messages published while serve is down arrive when it returns (persistent session)', async () => {
  await hub.stop();
  for (let i = 1; i <= 50; i++) await client.publishAsync('plant/l3/oven/zone', String(i), { qos: 1 });
  hub = await startServe(dir, CONNECTORS());
  const last = await latestValue(hub.base, 'l3.oven.zone', 50);
  assert.equal(last?.value, 50);
  // All 50, in order, none twice.
  const r = await fetch(`${hub.base}api/v1/query?tag=l3.oven.zone`);
  const body = await r.text();
  assert.equal(r.status, 200, body);
  const values = JSON.parse(body).series?.[0]?.points?.map((p) => p[1]);
  assert.deepEqual(values, Array.from({ length: 50 }, (_, i) => i + 1), body.slice(0, 2000));
});
