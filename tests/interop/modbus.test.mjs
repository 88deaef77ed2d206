// factoryhub serve's Modbus TCP connector against modbus-serial's ServerTCP (the Node device
// simulators and gateways plants run): holding registers read as int16 with a scale and as
// a float32 over two registers, values that change are polled again, and a unit the server
// does not answer is named in the connector's status and counted as failed polls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import Modbus from 'modbus-serial';
import {
  tempDir, removeDir, freePort, startServe, connected, connector, latestValue, until,
} from './fixtures.mjs';

const UNIT = 1;
let dir, device, devicePort, hub;
const holding = new Map(); // address -> 16-bit word

function setInt16(address, value) {
  holding.set(address, value & 0xffff);
}

function setFloat32(address, value) {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value);
  holding.set(address, b.readUInt16BE(0)); // big word order: the high word first
  holding.set(address + 1, b.readUInt16BE(2));
}

// modbus-serial's TCP server on devicePort, serving the holding registers above.
async function startDevice() {
  const server = new Modbus.ServerTCP(
    {
      getHoldingRegister: (address) => holding.get(address) ?? 0,
      getInputRegister: () => 0,
      getCoil: () => false,
      getDiscreteInput: () => false,
    },
    // unitID: the server answers unit 1 only, and leaves requests for others unanswered.
    { host: '127.0.0.1', port: devicePort, unitID: UNIT },
  );
  await once(server, 'initialized');
  return server;
}

// The device goes away: its listening socket and every connection close.
async function stopDevice(server) {
  for (const sock of server.socks.keys()) sock.destroy();
  await new Promise((done) => server.close(done));
}

before(async () => {
  dir = tempDir();
  setInt16(100, -215);
  setInt16(101, 1480);
  setFloat32(110, 12.5);
  devicePort = await freePort();
  device = await startDevice();
  hub = await startServe(dir, `modbus:
  - name: press-01
    device: 127.0.0.1:${devicePort}
    unit: ${UNIT}
    poll: 200ms
    timeout: 1s
    tag_prefix: line-1.press-01.
    registers:
      - { name: temperature, address: 100, type: int16, scale: 0.1 }
      - { name: speed, address: 101, type: int16 }
      - { name: pressure, address: 110, type: float32 }
  - name: wrong-unit
    device: 127.0.0.1:${devicePort}
    unit: 7
    poll: 200ms
    timeout: 300ms
    tag_prefix: line-1.ghost.
    registers:
      - { name: temperature, address: 100, type: int16, scale: 0.1 }
`);
});

after(async () => {
  await hub?.stop();
  if (device) await stopDevice(device);
  removeDir(dir);
});

test('holding registers: int16 with a scale and a float32 over two registers', async () => {
  const c = await connected(hub.base, 'press-01');
  assert.equal(c?.state, 'connected', JSON.stringify(c));
  assert.equal((await latestValue(hub.base, 'line-1.press-01.temperature', -21.5))?.value, -21.5);
  assert.equal((await latestValue(hub.base, 'line-1.press-01.speed', 1480))?.value, 1480);
  assert.equal((await latestValue(hub.base, 'line-1.press-01.pressure', 12.5))?.value, 12.5);
  // Polled again: what the device holds now is read.
  setInt16(100, 734);
  setFloat32(110, -0.375);
  assert.equal((await latestValue(hub.base, 'line-1.press-01.temperature', 73.4))?.value, 73.4);
  assert.equal((await latestValue(hub.base, 'line-1.press-01.pressure', -0.375))?.value, -0.375);
  const after = await connector(hub.base, 'press-01');
  assert.equal(after.state, 'connected');
  assert.equal(after.failed_polls, 0, JSON.stringify(after));
  assert.ok(after.messages >= 2, JSON.stringify(after));
});

test('a unit the server does not answer: not connected, named in last_error, failed polls counted', async () => {
  const first = await until(
    () => connector(hub.base, 'wrong-unit'),
    (c) => c?.failed_polls >= 1 && /no answer from unit/.test(c.last_error ?? ''),
  );
  assert.ok(first, 'the connector wrong-unit is listed');
  assert.notEqual(first.state, 'connected', JSON.stringify(first));
  assert.match(first.last_error ?? '', /no answer from unit 7 within 300 ms/, JSON.stringify(first));
  assert.ok(first.failed_polls >= 1, JSON.stringify(first));
  // It keeps trying, and every try that gets no answer counts.
  const later = await until(
    () => connector(hub.base, 'wrong-unit'),
    (c) => c.failed_polls > first.failed_polls,
  );
  assert.ok(later.failed_polls > first.failed_polls, JSON.stringify(later));
  assert.notEqual(later.state, 'connected');
  assert.equal(later.points, 0, JSON.stringify(later));
  assert.equal(later.reconnects, 0, JSON.stringify(later));
  const none = await fetch(`${hub.base}api/v1/latest?tag=line-1.ghost.temperature`);
  assert.notEqual(none.status, 200, await none.text());
  // The unit that answers is not disturbed by its neighbour on the same device.
  assert.equal((await connector(hub.base, 'press-01')).state, 'connected');
});

test('/metrics counts the failed polls per connector', async () => {
  const c = await connector(hub.base, 'wrong-unit');
  const text = await (await fetch(`${hub.base}metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => /^factoryhub_connector_failed_polls_total\{/.test(l) && /name="wrong-unit"/.test(l));
  assert.ok(line, text.split('\n').filter((l) => /failed_polls/.test(l)).join('\n'));
  assert.ok(Number(line.split(' ').pop()) >= c.failed_polls, line);
  const up = text.split('\n').find((l) => /^factoryhub_connector_up\{/.test(l) && /name="wrong-unit"/.test(l));
  assert.match(up ?? '', / 0$/, up);
});

test('a device that goes away and comes back: failed polls while away, one reconnect, fresh values', async () => {
  const before = await connected(hub.base, 'press-01');
  assert.equal(before?.state, 'connected');
  await stopDevice(device);
  device = undefined;
  const away = await until(
    () => connector(hub.base, 'press-01'),
    (c) => c.state !== 'connected' && c.failed_polls > before.failed_polls,
  );
  assert.notEqual(away.state, 'connected', JSON.stringify(away));
  assert.ok(away.failed_polls > before.failed_polls, JSON.stringify(away));
  assert.ok(away.last_error, JSON.stringify(away));
  setInt16(100, 999);
  device = await startDevice();
  // Its backoff is at most 10 s; it doubles from 0.2 s, so a short absence is retried soon.
  assert.equal((await latestValue(hub.base, 'line-1.press-01.temperature', 99.9, 15000))?.value, 99.9);
  const back = await connector(hub.base, 'press-01');
  assert.equal(back.state, 'connected', JSON.stringify(back));
  assert.equal(back.reconnects, before.reconnects + 1, JSON.stringify(back));
});
