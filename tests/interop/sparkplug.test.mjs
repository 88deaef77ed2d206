// factoryhub serve's Sparkplug B reader against sparkplug-client (Eclipse Tahu's Node edge
// node client) through a real mosquitto: births and data by alias reach their tags, the
// node's and device's online tags follow birth, death and rebirth, compressed payloads
// are read, and factoryhub asks for no rebirth a well-behaved edge node does not owe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import mqtt from 'mqtt';
import sparkplug from 'sparkplug-client';
import {
  tempDir, removeDir, startMosquitto, startServe, connected, connector, latest, latestValue,
  until,
} from './fixtures.mjs';

const GROUP = 'plant-a';
const NODE = 'node1';
const DEVICE = 'dev1';
const nodeTag = (m) => `${GROUP}/${NODE}/${m}`;
const deviceTag = (m) => `${GROUP}/${NODE}/${DEVICE}/${m}`;

let dir, broker, hub, watcher, edge;
const rebirthRequests = [];

// A sparkplug-client edge node, once connected and asked for its births.
async function startEdge() {
  const client = sparkplug.newClient({
    serverUrl: broker.url,
    username: '',
    password: '',
    groupId: GROUP,
    edgeNode: NODE,
    clientId: `interop-edge-${NODE}`,
    publishDeath: true,
  });
  await once(client, 'birth');
  return client;
}

function publishBirths(client, { temperature, pressure }) {
  const now = Date.now();
  client.publishNodeBirth({
    timestamp: now,
    metrics: [
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
      { name: 'Temperature', alias: 1, type: 'Double', value: temperature },
      { name: 'Count', alias: 2, type: 'Int32', value: -5 },
      { name: 'Running', alias: 3, type: 'Boolean', value: true },
      { name: 'Mode', alias: 4, type: 'String', value: 'auto' },
    ],
  });
  client.publishDeviceBirth(DEVICE, {
    timestamp: now,
    metrics: [
      { name: 'Inputs/Pressure', alias: 10, type: 'Double', value: pressure },
      { name: 'Cycles', alias: 11, type: 'Int32', value: 100 },
      { name: 'Open', alias: 12, type: 'Boolean', value: false },
      { name: 'Recipe', alias: 13, type: 'String', value: 'A-17' },
    ],
  });
}

// The edge node's MQTT connection ends (a clean stop after its NDEATH) and is gone.
async function stopEdge(client) {
  const closed = once(client, 'close');
  client.stop();
  await closed;
}

before(async () => {
  dir = tempDir();
  broker = await startMosquitto(dir);
  hub = await startServe(dir, `mqtt:
  - name: edge
    broker: 127.0.0.1:${broker.port}
    sparkplug: [${GROUP}]
    topics: []
`);
  const c = await connected(hub.base, 'edge');
  assert.equal(c?.state, 'connected', JSON.stringify(c));
  // Everything factoryhub commands the group's nodes: rebirth requests, if any.
  watcher = await mqtt.connectAsync(broker.url, { clientId: 'interop-ncmd-watcher' });
  watcher.on('message', (topic, payload) => rebirthRequests.push({ topic, bytes: payload.length }));
  await watcher.subscribeAsync(`spBv1.0/${GROUP}/NCMD/#`, { qos: 1 });
  await watcher.subscribeAsync(`spBv1.0/${GROUP}/DCMD/#`, { qos: 1 });
});

after(async () => {
  if (edge) await stopEdge(edge).catch(() => {});
  await watcher?.endAsync();
  await hub?.stop();
  await broker?.stop();
  removeDir(dir);
});

test('NBIRTH and DBIRTH: numeric metrics are tags, strings are skipped, both are online', async () => {
  edge = await startEdge();
  publishBirths(edge, { temperature: 20.5, pressure: 1.5 });
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 20.5))?.value, 20.5);
  assert.equal((await latestValue(hub.base, nodeTag('Count'), -5))?.value, -5);
  assert.equal((await latestValue(hub.base, nodeTag('Running'), 1))?.value, 1);
  assert.equal((await latestValue(hub.base, deviceTag('Inputs/Pressure'), 1.5))?.value, 1.5);
  assert.equal((await latestValue(hub.base, deviceTag('Cycles'), 100))?.value, 100);
  assert.equal((await latestValue(hub.base, deviceTag('Open'), 0))?.value, 0);
  assert.equal((await latestValue(hub.base, nodeTag('online'), 1))?.value, 1);
  assert.equal((await latestValue(hub.base, deviceTag('online'), 1))?.value, 1);
  // String metrics are no numbers: counted in skipped, not stored; nor is bdSeq.
  assert.equal(await latest(hub.base, nodeTag('Mode')), undefined);
  assert.equal(await latest(hub.base, deviceTag('Recipe')), undefined);
  assert.equal(await latest(hub.base, nodeTag('bdSeq')), undefined);
  const c = await connector(hub.base, 'edge');
  assert.ok(c.skipped >= 2, JSON.stringify(c));
  assert.equal(c.quarantined, 0, JSON.stringify(c));
});

test('NDATA and DDATA by alias only, without names', async () => {
  edge.publishNodeData({
    timestamp: Date.now(),
    metrics: [
      { alias: 1, type: 'Double', value: 21.75 },
      { alias: 2, type: 'Int32', value: -2147483648 },
      { alias: 3, type: 'Boolean', value: false },
      { alias: 4, type: 'String', value: 'manual' },
    ],
  });
  edge.publishDeviceData(DEVICE, {
    timestamp: Date.now(),
    metrics: [
      { alias: 10, type: 'Double', value: 2.5 },
      { alias: 11, type: 'Int32', value: 101 },
      { alias: 12, type: 'Boolean', value: true },
    ],
  });
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 21.75))?.value, 21.75);
  assert.equal((await latestValue(hub.base, nodeTag('Count'), -2147483648))?.value, -2147483648);
  assert.equal((await latestValue(hub.base, nodeTag('Running'), 0))?.value, 0);
  assert.equal((await latestValue(hub.base, deviceTag('Inputs/Pressure'), 2.5))?.value, 2.5);
  assert.equal((await latestValue(hub.base, deviceTag('Cycles'), 101))?.value, 101);
  assert.equal((await latestValue(hub.base, deviceTag('Open'), 1))?.value, 1);
  assert.equal(await latest(hub.base, nodeTag('Mode')), undefined);
});

test('compressed NDATA (DEFLATE, the default) and DDATA (GZIP) are inflated and read', async () => {
  edge.publishNodeData(
    { timestamp: Date.now(), metrics: [{ alias: 1, type: 'Double', value: 22.125 }] },
    { compress: true },
  );
  edge.publishDeviceData(
    DEVICE,
    { timestamp: Date.now(), metrics: [{ alias: 10, type: 'Double', value: 3.25 }] },
    { compress: true, algorithm: 'GZIP' },
  );
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 22.125))?.value, 22.125);
  assert.equal((await latestValue(hub.base, deviceTag('Inputs/Pressure'), 3.25))?.value, 3.25);
  const c = await connector(hub.base, 'edge');
  assert.equal(c.quarantined, 0, JSON.stringify(c));
});

test('DDEATH takes the device offline, the stopping node\'s NDEATH the node', async () => {
  edge.publishDeviceDeath(DEVICE, { timestamp: Date.now() });
  assert.equal((await latestValue(hub.base, deviceTag('online'), 0))?.value, 0);
  assert.equal((await latest(hub.base, nodeTag('online')))?.value, 1);
  await stopEdge(edge);
  edge = undefined;
  assert.equal((await latestValue(hub.base, nodeTag('online'), 0))?.value, 0);
  assert.equal((await latest(hub.base, deviceTag('online')))?.value, 0);
});

test('a restarted node\'s new births bring it and its device online again', async () => {
  edge = await startEdge();
  publishBirths(edge, { temperature: 30.5, pressure: 4.5 });
  assert.equal((await latestValue(hub.base, nodeTag('online'), 1))?.value, 1);
  assert.equal((await latestValue(hub.base, deviceTag('online'), 1))?.value, 1);
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 30.5))?.value, 30.5);
  assert.equal((await latestValue(hub.base, deviceTag('Inputs/Pressure'), 4.5))?.value, 4.5);
  // Data after the rebirth follows the new session's sequence.
  edge.publishDeviceData(DEVICE, {
    timestamp: Date.now(),
    metrics: [{ alias: 11, type: 'Int32', value: 555 }],
  });
  assert.equal((await latestValue(hub.base, deviceTag('Cycles'), 555))?.value, 555);
});

test('a node whose connection drops dies by its will (the broker\'s NDEATH)', async () => {
  // No DISCONNECT: the broker publishes the will sparkplug-client set at connect.
  const closed = once(edge, 'close');
  edge.client.options.reconnectPeriod = 0;
  edge.client.stream.destroy();
  await closed;
  edge.client.end(true);
  edge = undefined;
  assert.equal((await latestValue(hub.base, nodeTag('online'), 0))?.value, 0);
  assert.equal((await latest(hub.base, deviceTag('online')))?.value, 0);
});

test('no rebirth was requested: every message came in sequence after its birth', async () => {
  // A last round trip through the broker: what factoryhub published before it has arrived.
  const probe = 'interop/probe';
  await watcher.subscribeAsync(probe, { qos: 1 });
  const seen = until(
    async () => rebirthRequests.some((r) => r.topic === probe),
    (ok) => ok,
  );
  await watcher.publishAsync(probe, 'probe', { qos: 1 });
  assert.equal(await seen, true);
  const others = rebirthRequests.filter((r) => r.topic !== probe);
  assert.deepEqual(others, []);
  const c = await connector(hub.base, 'edge');
  assert.equal(c.quarantined, 0, JSON.stringify(c));
});

test('a gap in the sequence gets one rebirth request, which sparkplug-client hears', async () => {
  edge = await startEdge();
  const commands = [];
  edge.on('ncmd', (payload) => {
    commands.push(payload);
    if (payload.metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) {
      publishBirths(edge, { temperature: 40.5, pressure: 6.5 });
    }
  });
  publishBirths(edge, { temperature: 35.5, pressure: 5.5 });
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 35.5))?.value, 35.5);
  const asked = rebirthRequests.length;
  // Three messages lost on the way: the next NDATA's seq is not the one factoryhub expects.
  edge.seq += 3;
  edge.publishNodeData({
    timestamp: Date.now(),
    metrics: [{ alias: 1, type: 'Double', value: 99 }],
  });
  // The request reaches the node, whose answer (new births) factoryhub stores.
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 40.5))?.value, 40.5);
  assert.equal(commands.length, 1, JSON.stringify(commands));
  await until(async () => rebirthRequests.length, (n) => n > asked);
  assert.deepEqual(
    rebirthRequests.slice(asked).map((r) => r.topic),
    [`spBv1.0/${GROUP}/NCMD/${NODE}`],
  );
  // In sequence again: data is stored, and no further request comes.
  edge.publishNodeData({
    timestamp: Date.now(),
    metrics: [{ alias: 1, type: 'Double', value: 41.5 }],
  });
  assert.equal((await latestValue(hub.base, nodeTag('Temperature'), 41.5))?.value, 41.5);
  assert.equal(rebirthRequests.length, asked + 1);
  assert.equal((await latest(hub.base, nodeTag('online')))?.value, 1);
});
