// The OPC UA peer factoryhub's OPC UA client is tested against (tests/interop/opcua/server.mjs,
// node-opcua 2.180.0) behaves as its README says, checked with node-opcua's own client: browse
// finds Machine and its variables, SpindleSpeed / PartCount follow their formulas tick by tick,
// FaultySensor goes Bad, the Many folder needs BrowseNext, Basic256Sha256 SignAndEncrypt and
// Aes128_Sha256_RsaOaep Sign with a user name work, and --reject-unknown-client-cert turns away
// a client certificate that is not in --trusted-client-dir; SIGTERM stops the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, copyFileSync } from 'node:fs';
import net from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { tempDir, removeDir, sleep } from './fixtures.mjs';
import { startOpcuaServer } from './opcua/spawn.mjs';

// node-opcua warns through console.log; the test runner's output stays readable without it.
console.log = console.info = console.warn = () => {};
const {
  OPCUAClient, OPCUACertificateManager, AttributeIds, BrowseDirection, ClientSubscription,
  ClientMonitoredItem, DataType, MessageSecurityMode, SecurityPolicy, StatusCodes,
  TimestampsToReturn, UserTokenType, makeBrowsePath,
} = await import('node-opcua');

const EPOCH = Date.parse('2026-01-01T00:00:00Z');
const RATE = 100;
const M = (s) => `ns=1;s=Machine.${s}`;
const tickOf = (dv) => (dv.sourceTimestamp.getTime() - EPOCH) / RATE;

let dir, server, strict;
const clients = [];

// The certificate of the 'trusted' client, made before the strict server starts (which trusts
// only it), where node-opcua's client looks for its own certificate.
async function makeTrustedClientCertificate() {
  const cm = new OPCUACertificateManager({ rootFolder: path.join(dir, 'client-pki-trusted') });
  await cm.initialize();
  const file = path.join(cm.rootDir, 'own', 'certs', 'client_certificate.pem');
  await cm.createSelfSignedCertificate({
    applicationUri: 'urn:factoryhub:opcua-server-test:trusted',
    dns: [hostname()],
    outputFile: file,
    subject: '/CN=opcua-server-test trusted client',
    startDate: new Date(Date.now() - 3600 * 1000),
    validity: 30,
  });
  const trusted = path.join(dir, 'trusted-clients');
  mkdirSync(trusted);
  copyFileSync(file, path.join(trusted, 'trusted_client.pem'));
  return trusted;
}

before(async () => {
  dir = tempDir();
  const trusted = await makeTrustedClientCertificate();
  const common = ['--rate-ms', String(RATE), '--epoch', '2026-01-01T00:00:00Z', '--user', 'operator:secret'];
  // Both at once: start-up is mostly node-opcua loading its nodeset.
  [server, strict] = await Promise.all([
    startOpcuaServer([...common, '--pki', path.join(dir, 'server-pki')]),
    startOpcuaServer([...common, '--no-anonymous', '--reject-unknown-client-cert',
      '--trusted-client-dir', trusted, '--pki', path.join(dir, 'strict-pki')]),
  ]);
});

after(async () => {
  for (const c of clients) await c.disconnect().catch(() => {});
  await server?.stop();
  await strict?.stop();
  removeDir(dir);
});

function client(name, security = {}) {
  const c = OPCUAClient.create({
    applicationName: `opcua-server-test-${name}`,
    applicationUri: `urn:factoryhub:opcua-server-test:${name}`,
    endpointMustExist: false,
    securityMode: security.mode ?? MessageSecurityMode.None,
    securityPolicy: security.policy ?? SecurityPolicy.None,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    keepSessionAlive: false,
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(dir, `client-pki-${name}`),
      automaticallyAcceptUnknownCertificate: true,
    }),
  });
  clients.push(c);
  return c;
}

async function anonSession(name = 'anon') {
  const c = client(name);
  await c.connect(server.url);
  return { c, s: await c.createSession() };
}

test('READY names the 127.0.0.1 endpoint, and the server listens there only', async () => {
  assert.match(server.url, /^opc\.tcp:\/\/127\.0\.0\.1:\d+\/factoryhub$/);
  const { c, s } = await anonSession('endpoints');
  const eps = await c.getEndpoints();
  const kinds = eps.map((e) => `${MessageSecurityMode[e.securityMode]}/${e.securityPolicyUri.split('#')[1]}`).sort();
  assert.deepEqual(kinds, [
    'None/None', 'Sign/Aes128_Sha256_RsaOaep', 'Sign/Basic256Sha256',
    'SignAndEncrypt/Aes128_Sha256_RsaOaep', 'SignAndEncrypt/Basic256Sha256',
  ]);
  for (const e of eps) assert.equal(e.endpointUrl, server.url);
  const nsa = await s.read({ nodeId: 'ns=0;i=2255', attributeId: AttributeIds.Value });
  assert.deepEqual(nsa.value.value, ['http://opcfoundation.org/UA/', 'urn:factoryhub:test-machine']);
  await s.close();
  await c.disconnect();
});

test('browse finds Objects/Machine, its variables and Axes/X/Position', async () => {
  const { c, s } = await anonSession('browse');
  const objects = await s.browse('ns=0;i=85');
  assert.ok(objects.references.some((r) => r.nodeId.toString() === 'ns=1;s=Machine' && r.browseName.toString() === '1:Machine'));
  const machine = await s.browse({
    nodeId: 'ns=1;s=Machine', browseDirection: BrowseDirection.Forward,
    referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, resultMask: 63,
  });
  assert.deepEqual(machine.references.map((r) => r.nodeId.toString()), [
    'SpindleSpeed', 'Temperature', 'PartCount', 'Running', 'Program', 'AxisPositions', 'Status',
    'FaultySensor', 'Axes', 'Counters', 'Many',
  ].map(M));
  const [tr] = await s.translateBrowsePath([makeBrowsePath('ns=1;s=Machine', '/1:Axes/1:X/1:Position')]);
  assert.equal(tr.statusCode, StatusCodes.Good);
  assert.equal(tr.targets[0].targetId.toString(), M('Axes.X.Position'));
  const counters = await s.browse(M('Counters'));
  assert.equal(counters.references.filter((r) => r.browseName.name.startsWith('C')).length, 100);
  await s.close();
  await c.disconnect();
});

test('a Read gives every variable of one tick by its formula, with its data type', async () => {
  const { c, s } = await anonSession('read');
  const ids = ['PartCount', 'SpindleSpeed', 'Temperature', 'Running', 'Program', 'AxisPositions',
    'Status', 'FaultySensor', 'Axes.Y.Position', 'Counters.C042', 'Many.V1199'];
  const dvs = await s.read(ids.map((id) => ({ nodeId: M(id), attributeId: AttributeIds.Value })));
  const v = Object.fromEntries(ids.map((id, i) => [id, dvs[i]]));
  const k = v.PartCount.value.value;
  assert.equal(v.PartCount.value.dataType, DataType.UInt32);
  assert.equal(tickOf(v.PartCount), k);
  assert.equal(v.SpindleSpeed.value.dataType, DataType.Double);
  assert.equal(v.SpindleSpeed.value.value, 1000 + (k % 100));
  assert.equal(tickOf(v.SpindleSpeed), k);
  assert.equal(v.Temperature.value.dataType, DataType.Float);
  assert.equal(v.Temperature.value.value, 20 + (k % 40) * 0.25);
  assert.equal(v.Running.value.value, Math.floor(k / 10) % 2 === 0);
  assert.equal(tickOf(v.Running), Math.floor(k / 10) * 10, 'Running keeps the timestamp of its last change');
  assert.equal(v.Program.value.value, `O${String(Math.floor(k / 20)).padStart(4, '0')}`);
  assert.deepEqual(Array.from(v.AxisPositions.value.value), [(k % 1000) * 0.5, -(k % 1000) * 0.25, 100 + (k % 10)]);
  assert.equal(v.Status.value.dataType, DataType.Int32);
  assert.equal(v.Status.value.value, (Math.floor(k / 10) % 5) - 2);
  assert.equal(v['Axes.Y.Position'].value.value, -(k % 1000) * 0.25);
  assert.equal(v['Counters.C042'].value.value, 42000000 + k);
  assert.equal(v['Many.V1199'].value.value, 1199);
  if (k % 20 >= 15) assert.equal(v.FaultySensor.statusCode, StatusCodes.BadSensorFailure);
  else assert.equal(v.FaultySensor.value.value, 50 + (k % 20));
  await s.close();
  await c.disconnect();
});

test('subscribed SpindleSpeed changes every tick, exactly and in order; FaultySensor goes Bad and back', async () => {
  const { c, s } = await anonSession('subscribe');
  const sub = ClientSubscription.create(s, {
    requestedPublishingInterval: 100, requestedLifetimeCount: 100, requestedMaxKeepAliveCount: 10,
    maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 0,
  });
  const spindle = [];
  const faulty = [];
  const monitor = async (id, into) => {
    const item = await ClientMonitoredItem.create(sub, { nodeId: M(id), attributeId: AttributeIds.Value },
      { samplingInterval: 0, queueSize: 100, discardOldest: false }, TimestampsToReturn.Both);
    item.on('changed', (dv) => into.push(dv));
  };
  await monitor('SpindleSpeed', spindle);
  await monitor('FaultySensor', faulty);
  // Long enough for one whole FaultySensor cycle (20 ticks) after the first value.
  const deadline = Date.now() + 5000;
  const seenCycle = () => faulty.some((d) => d.statusCode === StatusCodes.BadSensorFailure) &&
    faulty.some((d, i) => i > 0 && d.statusCode === StatusCodes.Good && faulty[i - 1].statusCode !== StatusCodes.Good);
  while ((!seenCycle() || spindle.length < 25) && Date.now() < deadline) await sleep(50);
  await sub.terminate();
  await s.close();
  await c.disconnect();

  assert.ok(spindle.length >= 25, `${spindle.length} SpindleSpeed changes`);
  const ks = spindle.map(tickOf);
  for (let i = 1; i < spindle.length; i++) assert.equal(ks[i], ks[i - 1] + 1, `ticks ${ks.slice(0, i + 1)}`);
  for (const [i, dv] of spindle.entries()) assert.equal(dv.value.value, 1000 + (ks[i] % 100));

  assert.ok(seenCycle(), faulty.map((d) => `${tickOf(d)}:${d.statusCode.name}`).join(' '));
  for (const dv of faulty) {
    const k = tickOf(dv);
    if (k % 20 >= 15) {
      assert.equal(dv.statusCode, StatusCodes.BadSensorFailure);
      assert.equal(k % 20, 15, 'a Bad value is reported once, at the first Bad tick');
    } else {
      assert.equal(dv.statusCode, StatusCodes.Good);
      assert.equal(dv.value.value, 50 + (k % 20));
    }
  }
});

test('the Many folder (1200 variables) needs BrowseNext when at most 100 references a node are asked', async () => {
  const { c, s } = await anonSession('browsenext');
  s.requestedMaxReferencesPerNode = 100;
  let r = await s.browse({
    nodeId: M('Many'), browseDirection: BrowseDirection.Forward,
    referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, resultMask: 63,
  });
  assert.equal(r.references.length, 100);
  assert.ok(r.continuationPoint?.length > 0, 'a continuation point');
  const names = r.references.map((x) => x.browseName.name);
  let rounds = 0;
  while (r.continuationPoint?.length) {
    r = await s.browseNext(r.continuationPoint, false);
    assert.equal(r.statusCode, StatusCodes.Good);
    names.push(...r.references.map((x) => x.browseName.name));
    rounds++;
  }
  assert.equal(rounds, 11);
  assert.deepEqual(names, Array.from({ length: 1200 }, (_, i) => `V${String(i).padStart(4, '0')}`));
  // Released before its end, a continuation point is gone.
  r = await s.browse(M('Many'));
  const released = await s.browseNext(r.continuationPoint, true);
  assert.equal(released.statusCode, StatusCodes.Good);
  const again = await s.browseNext(r.continuationPoint, false);
  assert.equal(again.statusCode, StatusCodes.BadContinuationPointInvalid);
  await s.close();
  await c.disconnect();
});

async function secureRead(name, mode, policy, identity) {
  const c = client(name, { mode, policy });
  await c.connect(server.url);
  try {
    const s = await c.createSession(identity);
    const dv = await s.read({ nodeId: M('SpindleSpeed'), attributeId: AttributeIds.Value });
    await s.close();
    return dv;
  } finally {
    await c.disconnect();
  }
}

const OPERATOR = { type: UserTokenType.UserName, userName: 'operator', password: 'secret' };

test('Basic256Sha256 SignAndEncrypt and Aes128_Sha256_RsaOaep Sign with a user name; a wrong password is refused', async () => {
  let dv = await secureRead('b256', MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256, OPERATOR);
  assert.equal(dv.statusCode, StatusCodes.Good);
  assert.equal(dv.value.value, 1000 + (tickOf(dv) % 100));
  dv = await secureRead('aes', MessageSecurityMode.Sign, SecurityPolicy.Aes128_Sha256_RsaOaep, OPERATOR);
  assert.equal(dv.statusCode, StatusCodes.Good);
  await assert.rejects(
    secureRead('b256', MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256,
      { ...OPERATOR, password: 'wrong' }),
    /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/,
  );
  // A user name on the None endpoint: the password goes encrypted with the server certificate.
  dv = await secureRead('none-user', MessageSecurityMode.None, SecurityPolicy.None, OPERATOR);
  assert.equal(dv.statusCode, StatusCodes.Good);
});

test('--reject-unknown-client-cert: a certificate of --trusted-client-dir passes, another does not; --no-anonymous', async () => {
  const read = async (name, identity) => {
    const c = client(name, { mode: MessageSecurityMode.SignAndEncrypt, policy: SecurityPolicy.Basic256Sha256 });
    try {
      await c.connect(strict.url);
      const s = await c.createSession(identity);
      const dv = await s.read({ nodeId: M('PartCount'), attributeId: AttributeIds.Value });
      await s.close();
      return dv;
    } finally {
      await c.disconnect();
    }
  };
  const dv = await read('trusted', OPERATOR);
  assert.equal(dv.statusCode, StatusCodes.Good);
  await assert.rejects(read('trusted', undefined), /anonymous/i);
  // The server drops the secure channel of an untrusted certificate.
  await assert.rejects(read('stranger', OPERATOR), /rejected|disconnected|BadSecurityChecksFailed|BadCertificate/);
  const rejected = path.join(dir, 'strict-pki', 'server', 'rejected');
  assert.equal(readdirSync(rejected).length, 1, 'the stranger certificate lands in rejected/');
  assert.equal(await strict.stop(), 0);
});

test('SIGTERM stops the server: exit code 0 and the port is closed', async () => {
  const port = server.port;
  assert.equal(await server.stop(), 0);
  const refused = await new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
  assert.ok(refused);
});
