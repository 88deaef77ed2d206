// Captures the raw UA TCP bytes node-opcua's own client and server exchange, for factoryhub's
// OPC UA decoder tests: starts server.mjs, puts a recording TCP proxy (net) in front of it and
// runs client sessions through the proxy (security None unless said):
//   anon-*    connect, GetEndpoints, CreateSession/ActivateSession (anonymous), Browse of
//             Objects/Machine, Read of its variables, CreateSubscription + CreateMonitoredItems
//             (SpindleSpeed, PartCount, FaultySensor at 100 ms), Publish responses, close;
//   user-*    the same connect with a user name and password (operator:secret), one Read, close;
//   browse-*  Browse of Machine/Many with requestedMaxReferencesPerNode 100, then BrowseNext
//             until the continuation point is used up;
//   reject-*  a second server with --reject-unknown-client-cert, a client whose certificate it
//             does not know, on Basic256Sha256 SignAndEncrypt: HEL, ACK, OPN, ERR.
// Each UA TCP message (8-byte header: 3-byte type, 1-byte chunk type, UInt32 LE size) becomes one
// file <scenario>-NNN-<c2s|s2c>-<TYPE>.hex (lower-case hex, 32 bytes a line) in the output
// folder (default tests/connect_opcua/captured/), and README.md there lists them, decoded.
//
//   node tests/interop/opcua/capture.mjs [--out DIR]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// node-opcua writes warnings with console.log; keep our own stdout readable.
const say = (...a) => process.stdout.write(a.join(' ') + '\n');
console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const {
  OPCUAClient, OPCUACertificateManager, AttributeIds, BrowseDirection, ClientSubscription,
  ClientMonitoredItemGroup, DataType, MessageSecurityMode, SecurityPolicy, TimestampsToReturn,
  UserTokenType, BinaryStream, ObjectIds, StatusCodes,
} = await import('node-opcua');
const { getStandardDataTypeFactory } = require('node-opcua-factory');
const { decodeExpandedNodeId } = require('node-opcua-basic-types');

const args = process.argv.slice(2);
const outDir = path.resolve(
  args[0] === '--out' && args[1] ? args[1] : path.join(here, '../../connect_opcua/captured'),
);
const EPOCH = '2026-01-01T00:00:00.000Z';
const RATE_MS = 100;
const USER = { name: 'operator', password: 'secret' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- server ---------------------------------------------------------------------------------
async function startServerProcess(work, pkiName = 'server-pki', extra = []) {
  const proc = spawn(process.execPath, [
    path.join(here, 'server.mjs'), '--port', '0', '--rate-ms', String(RATE_MS),
    '--user', `${USER.name}:${USER.password}`, '--pki', path.join(work, pkiName), '--epoch', EPOCH,
    ...extra,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => proc.once('exit', r));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^READY (opc\.tcp:\/\/\S+)$/m);
      if (m) resolve(m[1]);
    });
    exited.then((c) => reject(new Error(`server exited ${c}: ${err}`)));
    setTimeout(() => reject(new Error(`server not READY in 30 s: ${err}`)), 30000);
  });
  return {
    url,
    port: Number(new URL(url.replace('opc.tcp:', 'http:')).port),
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

// ---- recording proxy ------------------------------------------------------------------------
// Splits each direction's byte stream into UA TCP messages; records them in arrival order.
function startProxy(targetPort) {
  const state = { messages: [], conns: 0, sockets: new Set() };
  const splitter = (conn, dir) => {
    let buf = Buffer.alloc(0);
    return (data) => {
      buf = Buffer.concat([buf, data]);
      while (buf.length >= 8) {
        const size = buf.readUInt32LE(4);
        if (size < 8) throw new Error(`bad UA TCP size ${size}`);
        if (buf.length < size) break;
        state.messages.push({ conn, dir, bytes: Buffer.from(buf.subarray(0, size)) });
        buf = buf.subarray(size);
      }
    };
  };
  const server = net.createServer((c) => {
    const conn = ++state.conns;
    const s = net.connect(targetPort, '127.0.0.1');
    state.sockets.add(c);
    state.sockets.add(s);
    const c2s = splitter(conn, 'c2s');
    const s2c = splitter(conn, 's2c');
    c.on('data', (d) => { c2s(d); s.write(d); });
    s.on('data', (d) => { s2c(d); c.write(d); });
    c.on('end', () => s.end());
    s.on('end', () => c.end());
    c.on('error', () => s.destroy());
    s.on('error', () => c.destroy());
    c.on('close', () => { s.destroy(); state.sockets.delete(c); });
    s.on('close', () => { c.destroy(); state.sockets.delete(s); });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.port = server.address().port;
      state.close = () => new Promise((r) => {
        for (const s of state.sockets) s.destroy();
        server.close(() => r());
      });
      resolve(state);
    });
  });
}

// ---- the client sessions ----------------------------------------------------------------------
function makeClient(work) {
  return OPCUAClient.create({
    applicationName: 'factoryhub-capture',
    applicationUri: 'urn:factoryhub:capture-client',
    clientName: 'capture',
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    keepSessionAlive: false,
    requestedSessionTimeout: 60000,
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(work, 'client-pki'),
      automaticallyAcceptUnknownCertificate: true,
    }),
  });
}

const M = (s) => `ns=1;s=Machine.${s}`;
const READ_IDS = [
  'SpindleSpeed', 'Temperature', 'PartCount', 'Running', 'Program', 'AxisPositions', 'Status',
  'FaultySensor', 'Axes.X.Position', 'Counters.C000', 'Counters.C099', 'Many.V0000',
];

async function anonScenario(url, work) {
  const client = makeClient(work);
  await client.connect(url); // node-opcua's connect sends the GetEndpoints itself
  const session = await client.createSession();
  await session.browse({
    nodeId: 'ns=1;s=Machine',
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    nodeClassMask: 0,
    resultMask: 63,
  });
  // Read while FaultySensor is Bad (tick k mod 20 in 15..19), so that the capture holds a Bad
  // value: one Read of PartCount (= k) says how long to wait for k mod 20 = 16. (Again, if a
  // busy machine made it miss.)
  for (let attempt = 0; ; attempt++) {
    const pc = await session.read({ nodeId: M('PartCount'), attributeId: AttributeIds.Value });
    await sleep(((36 - (pc.value.value % 20)) % 20) * RATE_MS + RATE_MS / 2);
    const dvs = await session.read(
      READ_IDS.map((id) => ({ nodeId: M(id), attributeId: AttributeIds.Value })),
      0, // maxAge
    );
    if (dvs[READ_IDS.indexOf('FaultySensor')].statusCode === StatusCodes.BadSensorFailure) break;
    if (attempt === 3) throw new Error('FaultySensor was never Bad when read');
  }
  const sub = ClientSubscription.create(session, {
    requestedPublishingInterval: 100,
    requestedLifetimeCount: 600,
    requestedMaxKeepAliveCount: 10,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 0,
  });
  await new Promise((resolve, reject) => {
    sub.once('started', resolve);
    sub.once('internal_error', reject);
  });
  const group = ClientMonitoredItemGroup.create(
    sub,
    ['SpindleSpeed', 'PartCount', 'FaultySensor'].map((id) => ({ nodeId: M(id), attributeId: AttributeIds.Value })),
    { samplingInterval: 100, queueSize: 10, discardOldest: true },
    TimestampsToReturn.Both,
  );
  let changes = 0;
  group.on('changed', () => changes++);
  await new Promise((r) => group.once('initialized', r));
  // 2.2 s: a whole FaultySensor cycle (20 ticks) including its Bad -> Good edge.
  await sleep(2200);
  await sub.terminate();
  await session.close(true);
  await client.disconnect();
  return changes;
}

async function userScenario(url, work) {
  const client = makeClient(work);
  await client.connect(url);
  const session = await client.createSession({
    type: UserTokenType.UserName, userName: USER.name, password: USER.password,
  });
  await session.read(['SpindleSpeed', 'PartCount'].map((id) => ({ nodeId: M(id), attributeId: AttributeIds.Value })));
  await session.close(true);
  await client.disconnect();
}

async function browseScenario(url, work) {
  const client = makeClient(work);
  await client.connect(url);
  const session = await client.createSession();
  session.requestedMaxReferencesPerNode = 100;
  let r = await session.browse({
    nodeId: M('Many'),
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    nodeClassMask: 0,
    resultMask: 63,
  });
  let n = r.references.length;
  let rounds = 0;
  while (r.continuationPoint && r.continuationPoint.length) {
    r = await session.browseNext(r.continuationPoint, false);
    n += r.references?.length ?? 0;
    rounds++;
  }
  await session.close(true);
  await client.disconnect();
  return { n, rounds };
}

// A client certificate the server does not trust (--reject-unknown-client-cert), on a
// Basic256Sha256 SignAndEncrypt channel. The client is given the server certificate, so that
// it opens that channel straight away (no GetEndpoints connection first).
async function rejectScenario(url, work, serverCertificate) {
  const client = OPCUAClient.create({
    applicationName: 'factoryhub-capture-stranger',
    applicationUri: 'urn:factoryhub:capture-client-stranger',
    endpointMustExist: false,
    securityMode: MessageSecurityMode.SignAndEncrypt,
    securityPolicy: SecurityPolicy.Basic256Sha256,
    serverCertificate,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    keepSessionAlive: false,
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(work, 'stranger-pki'),
      automaticallyAcceptUnknownCertificate: true,
    }),
  });
  try {
    await client.connect(url);
    throw new Error('the untrusted client certificate was accepted');
  } catch (e) {
    if (/was accepted/.test(e.message)) throw e;
    return e.message.split('\n')[0];
  } finally {
    await client.disconnect();
  }
}

// ---- decoding (for README.md) -------------------------------------------------------------------
const idNames = new Map(Object.entries(ObjectIds).map(([k, v]) => [v, k]));
const factory = getStandardDataTypeFactory();

function decodeMessage(bytes) {
  const type = bytes.toString('ascii', 0, 3);
  const chunk = bytes.toString('ascii', 3, 4);
  const out = { type, chunk, size: bytes.length };
  if (type === 'HEL' || type === 'ACK') {
    const f = (i) => bytes.readUInt32LE(8 + 4 * i);
    out.hello = { protocolVersion: f(0), receiveBufferSize: f(1), sendBufferSize: f(2), maxMessageSize: f(3), maxChunkCount: f(4) };
    if (type === 'HEL') {
      const len = bytes.readInt32LE(28);
      out.hello.endpointUrl = len > 0 ? bytes.toString('utf8', 32, 32 + len) : null;
    }
    return out;
  }
  const st = new BinaryStream(bytes);
  st.length = 8;
  if (type === 'ERR') {
    // UA Part 6: Error (UInt32 StatusCode) and Reason (String). node-opcua 2.180 answers an
    // OPN it refuses for its certificate otherwise: an ERR chunk with an OPN's body
    // (SecureChannelId, the request's asymmetric security header echoed, sequence header,
    // ServiceFault; unsigned and unencrypted).
    const code = bytes.readUInt32LE(8);
    const len = bytes.readInt32LE(12);
    if ((code & 0x80000000) !== 0 && 16 + Math.max(len, 0) === bytes.length) {
      out.error = { code, reason: len > 0 ? bytes.toString('utf8', 16) : null };
      return out;
    }
    out.opnStyle = true;
  }
  out.secureChannelId = st.readUInt32();
  if (type === 'OPN' || type === 'ERR') {
    const len = st.readInteger();
    out.securityPolicyUri = len > 0 ? bytes.toString('utf8', st.length, st.length + len) : null;
    st.length += Math.max(len, 0);
    const cl = st.readInteger();
    out.senderCertificateLength = cl;
    st.length += Math.max(cl, 0);
    const tl = st.readInteger();
    st.length += Math.max(tl, 0);
  } else {
    out.tokenId = st.readUInt32();
  }
  if (type === 'OPN' && out.securityPolicyUri && !out.securityPolicyUri.endsWith('#None') && bytes.length > 600 && out.senderCertificateLength > 0 && !out.opnStyle && isEncryptedOpn(bytes, st.length)) {
    out.encrypted = true;
    out.service = 'OpenSecureChannelRequest';
    return out;
  }
  out.sequenceNumber = st.readUInt32();
  out.requestId = st.readUInt32();
  const bodyStart = st.length;
  const id = decodeExpandedNodeId(st);
  out.encodingId = id.value;
  out.service = (idNames.get(id.value) ?? `i=${id.value}`).replace(/_Encoding_DefaultBinary$/, '');
  out.bodyOffset = bodyStart;
  if (chunk === 'F') {
    try {
      const obj = factory.constructObject(id);
      obj.decode(st);
      out.obj = obj;
    } catch (e) {
      out.decodeError = e.message;
    }
  }
  return out;
}

// Past the asymmetric security header of a secured OPN from the client, the rest is RSA
// encrypted: a plain one would go on with a sequence header and the NodeId 01 00 be 01.
function isEncryptedOpn(bytes, at) {
  return !(bytes[at + 8] === 0x01 && bytes[at + 9] === 0x00 && bytes.readUInt16LE(at + 10) === 446);
}

const hex = (b) => {
  const lines = [];
  for (let i = 0; i < b.length; i += 32) lines.push(b.subarray(i, i + 32).toString('hex'));
  return lines.join('\n') + '\n';
};

const fmtVariant = (v) => {
  if (!v || v.dataType === DataType.Null) return 'null';
  const val = v.value;
  const s = ArrayLike(val) ? `[${Array.from(val).join(', ')}]` : typeof val === 'string' ? JSON.stringify(val) : String(val);
  return `${s} (${DataType[v.dataType]}${ArrayLike(val) ? ` array[${val.length}]` : ''})`;
};
function ArrayLike(v) {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}
const iso = (d) => (d ? d.toISOString() : '-');
const tick = (d) => (d ? (d.getTime() - Date.parse(EPOCH)) / RATE_MS : undefined);
const fmtDataValue = (dv) => {
  const sc = dv.statusCode?.name ?? 'Good';
  const k = tick(dv.sourceTimestamp);
  return `${fmtVariant(dv.value)}, ${sc}, source ${iso(dv.sourceTimestamp)}${k !== undefined ? ` (k=${k})` : ''}`;
};
const nodeName = (n) => {
  const s = n.toString();
  return s.startsWith('ns=1;s=Machine.') ? s.slice('ns=1;s=Machine.'.length) : s;
};

// One line (or a few) saying what a decoded message holds; ctx carries request -> response facts.
function describe(m, ctx) {
  const o = m.obj;
  if (m.type === 'HEL' || m.type === 'ACK') {
    const h = m.hello;
    return `protocolVersion ${h.protocolVersion}, receiveBufferSize ${h.receiveBufferSize}, sendBufferSize ${h.sendBufferSize}, maxMessageSize ${h.maxMessageSize}, maxChunkCount ${h.maxChunkCount}${h.endpointUrl ? `, endpointUrl ${h.endpointUrl}` : ''}`;
  }
  if (m.type === 'ERR' && m.error) return `Error ${m.error.code.toString(16)}: ${m.error.reason}`;
  if (m.encrypted) {
    return `${m.securityPolicyUri.split('#')[1]}: senderCertificate ${m.senderCertificateLength} bytes; the rest RSA-OAEP encrypted (not decoded here)`;
  }
  if (m.type === 'ERR' && m.opnStyle && o) {
    return `NOT the Part 6 Error layout: an OPN-style body (SecureChannelId ${m.secureChannelId}, the refused request's asymmetric security header echoed: policy ${m.securityPolicyUri?.split('#')[1]}, the client's own certificate (${m.senderCertificateLength} bytes), the server certificate's thumbprint; sequence header) holding a ServiceFault: ${o.responseHeader.serviceResult.name} (0x${o.responseHeader.serviceResult.value.toString(16)}), handle ${o.responseHeader.requestHandle}, stringTable ${JSON.stringify(o.responseHeader.stringTable)}`;
  }
  if (!o) return m.decodeError ? `(not decoded: ${m.decodeError})` : '';
  const rh = o.requestHeader ? `handle ${o.requestHeader.requestHandle}` : o.responseHeader ? `handle ${o.responseHeader.requestHandle}, ${o.responseHeader.serviceResult.name}` : '';
  const parts = [];
  switch (m.service) {
    case 'OpenSecureChannelRequest':
      parts.push(`requestType ${o.requestType}, securityMode ${MessageSecurityMode[o.securityMode]}, lifetime ${o.requestedLifetime} ms`);
      break;
    case 'OpenSecureChannelResponse':
      parts.push(`channelId ${o.securityToken.channelId}, tokenId ${o.securityToken.tokenId}, revisedLifetime ${o.securityToken.revisedLifetime} ms`);
      break;
    case 'GetEndpointsResponse':
      parts.push(`${o.endpoints.length} endpoints: ${o.endpoints.map((e) => `${MessageSecurityMode[e.securityMode]}/${e.securityPolicyUri.split('#')[1]}`).join(', ')}`);
      break;
    case 'CreateSessionRequest':
      parts.push(`endpointUrl ${o.endpointUrl}, sessionName ${o.sessionName}, requestedSessionTimeout ${o.requestedSessionTimeout}, clientCertificate ${o.clientCertificate?.length ?? 0} bytes`);
      break;
    case 'CreateSessionResponse':
      parts.push(`sessionId ${o.sessionId.toString()}, revisedSessionTimeout ${o.revisedSessionTimeout}, ${o.serverEndpoints.length} serverEndpoints, serverCertificate ${o.serverCertificate?.length ?? 0} bytes`);
      break;
    case 'ActivateSessionRequest': {
      const t = o.userIdentityToken;
      const tn = t?.constructor?.name ?? 'none';
      if (tn === 'UserNameIdentityToken') {
        parts.push(`UserNameIdentityToken policyId ${t.policyId}, userName ${t.userName}, password ${t.password?.length} bytes encrypted with ${t.encryptionAlgorithm}`);
      } else parts.push(`${tn}${t?.policyId ? ` policyId ${t.policyId}` : ''}`);
      break;
    }
    case 'BrowseRequest':
      ctx.browse = o.nodesToBrowse.map((n) => nodeName(n.nodeId));
      parts.push(`${ctx.browse.join(', ')}; requestedMaxReferencesPerNode ${o.requestedMaxReferencesPerNode}, resultMask ${o.nodesToBrowse[0]?.resultMask}`);
      break;
    case 'BrowseNextRequest':
      parts.push(`${o.continuationPoints.length} continuation point(s), releaseContinuationPoints ${o.releaseContinuationPoints}`);
      break;
    case 'BrowseResponse':
    case 'BrowseNextResponse':
      for (const r of o.results) {
        const refs = r.references ?? [];
        const names = refs.map((x) => x.browseName.name);
        const shown = names.length > 12 ? `${names.slice(0, 3).join(', ')} ... ${names.slice(-2).join(', ')}` : names.join(', ');
        parts.push(`${r.statusCode.name}: ${refs.length} references (${shown}), continuationPoint ${r.continuationPoint?.length ? `${r.continuationPoint.length} bytes` : 'none'}`);
      }
      break;
    case 'ReadRequest':
      ctx.read = o.nodesToRead.map((n) => `${nodeName(n.nodeId)}${n.attributeId !== AttributeIds.Value ? `@${AttributeIds[n.attributeId]}` : ''}`);
      ctx.readByHandle = ctx.readByHandle ?? new Map();
      ctx.readByHandle.set(o.requestHeader.requestHandle, ctx.read);
      parts.push(`${ctx.read.join(', ')}; maxAge ${o.maxAge}, timestampsToReturn ${TimestampsToReturn[o.timestampsToReturn]}`);
      break;
    case 'ReadResponse': {
      const names = ctx.readByHandle?.get(o.responseHeader.requestHandle) ?? [];
      o.results.forEach((dv, i) => parts.push(`${names[i] ?? i} = ${fmtDataValue(dv)}`));
      break;
    }
    case 'CreateSubscriptionRequest':
      parts.push(`publishingInterval ${o.requestedPublishingInterval}, lifetime ${o.requestedLifetimeCount}, keepAlive ${o.requestedMaxKeepAliveCount}`);
      break;
    case 'CreateSubscriptionResponse':
      parts.push(`subscriptionId ${o.subscriptionId}, revisedPublishingInterval ${o.revisedPublishingInterval}, revisedLifetimeCount ${o.revisedLifetimeCount}, revisedMaxKeepAliveCount ${o.revisedMaxKeepAliveCount}`);
      break;
    case 'CreateMonitoredItemsRequest':
      ctx.handles = ctx.handles ?? new Map();
      for (const it of o.itemsToCreate) ctx.handles.set(it.requestedParameters.clientHandle, nodeName(it.itemToMonitor.nodeId));
      parts.push(`subscriptionId ${o.subscriptionId}, timestampsToReturn ${TimestampsToReturn[o.timestampsToReturn]}: ${o.itemsToCreate.map((it) => `${nodeName(it.itemToMonitor.nodeId)} (clientHandle ${it.requestedParameters.clientHandle}, sampling ${it.requestedParameters.samplingInterval} ms, queue ${it.requestedParameters.queueSize})`).join(', ')}`);
      break;
    case 'CreateMonitoredItemsResponse':
      parts.push(o.results.map((r) => `${r.statusCode.name} id ${r.monitoredItemId} revisedSampling ${r.revisedSamplingInterval} revisedQueue ${r.revisedQueueSize}`).join('; '));
      break;
    case 'PublishRequest':
      parts.push(`acks: ${o.subscriptionAcknowledgements.map((a) => `${a.subscriptionId}/${a.sequenceNumber}`).join(', ') || 'none'}`);
      break;
    case 'PublishResponse': {
      const nm = o.notificationMessage;
      parts.push(`subscriptionId ${o.subscriptionId}, sequenceNumber ${nm.sequenceNumber}, moreNotifications ${o.moreNotifications}, available [${o.availableSequenceNumbers.join(', ')}]${nm.notificationData?.length ? '' : ' (keep-alive)'}`);
      for (const nd of nm.notificationData ?? []) {
        if (nd.constructor.name === 'DataChangeNotification') {
          for (const mi of nd.monitoredItems) parts.push(`${ctx.handles?.get(mi.clientHandle) ?? `handle ${mi.clientHandle}`} = ${fmtDataValue(mi.value)}`);
        } else parts.push(nd.constructor.name);
      }
      break;
    }
    case 'DeleteSubscriptionsRequest':
    case 'DeleteSubscriptionsResponse':
    case 'CloseSessionRequest':
    case 'CloseSessionResponse':
    case 'CloseSecureChannelRequest':
    case 'GetEndpointsRequest':
    default:
      break;
  }
  return [rh, ...parts].filter(Boolean).join('; ');
}

// ---- main ----------------------------------------------------------------------------------------
const work = mkdtempSync(path.join(tmpdir(), 'fh-opcua-capture-'));
let server, strict, proxy;
const files = [];
try {
  server = await startServerProcess(work);
  say(`server ${server.url}`);
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.hex')) rmSync(path.join(outDir, f));

  const scenarios = [
    ['anon', anonScenario],
    ['user', userScenario],
    ['browse', browseScenario],
    ['reject', rejectScenario],
  ];
  const sections = [];
  for (const [name, run] of scenarios) {
    let target = server;
    let serverCertificate;
    if (name === 'reject') {
      strict = await startServerProcess(work, 'strict-pki', ['--reject-unknown-client-cert']);
      target = strict;
      const pem = readFileSync(path.join(work, 'strict-pki', 'server', 'own', 'certs', 'certificate.pem'), 'utf8');
      serverCertificate = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    }
    proxy = await startProxy(target.port);
    const url = `opc.tcp://127.0.0.1:${proxy.port}/factoryhub`;
    const res = await run(url, work, serverCertificate);
    await sleep(200);
    await proxy.close();
    const ctx = {};
    const rows = [];
    proxy.messages.forEach((m, i) => {
      const d = decodeMessage(m.bytes);
      const file = `${name}-${String(i + 1).padStart(3, '0')}-${m.dir}-${d.type}.hex`;
      writeFileSync(path.join(outDir, file), hex(m.bytes));
      files.push(file);
      rows.push({ file, conn: m.conn, dir: m.dir, d, what: describe(d, ctx) });
    });
    say(`${name}: ${proxy.messages.length} messages on ${proxy.conns} connection(s) ${res !== undefined ? JSON.stringify(res) : ''}`);
    sections.push({ name, rows, conns: proxy.conns });
    proxy = undefined;
  }
  writeFileSync(path.join(outDir, 'README.md'), readme(sections));
  say(`wrote ${files.length} files to ${outDir}`);
} finally {
  await proxy?.close();
  await server?.stop();
  await strict?.stop();
  rmSync(work, { recursive: true, force: true });
}

function readme(sections) {
  const total = files.reduce((n, f) => n + readFileSync(path.join(outDir, f)).length, 0);
  const L = [];
  L.push('# Captured OPC UA binary messages (node-opcua 2.180.0 client <-> server)');
  L.push('');
  L.push('Generated by `node tests/interop/opcua/capture.mjs` (do not edit by hand; run it again).');
  L.push('A recording TCP proxy sat between node-opcua\'s `OPCUAClient` and');
  L.push('`tests/interop/opcua/server.mjs --rate-ms 100 --user operator:secret --epoch ' + EPOCH + '`');
  L.push('(see tests/interop/opcua/README.md for the address space). Security mode None, policy None (but for the reject-* files).');
  L.push('');
  L.push('Each file is one UA TCP message exactly as it went over the wire: the 8-byte header (3-byte');
  L.push('message type, 1-byte chunk type, UInt32 LE size) and the rest, as lower-case hex, 32 bytes a');
  L.push('line. Name: `<scenario>-<NNN>-<c2s|s2c>-<TYPE>.hex`, NNN = order of arrival at the proxy over');
  L.push('both directions (a response can come after a later request: Publish requests are queued).');
  L.push('All messages are single chunks (`F`).');
  L.push('');
  L.push('Body layout: OPN = header, SecureChannelId, asymmetric security header (SecurityPolicyUri,');
  L.push('SenderCertificate, ReceiverCertificateThumbprint: all -1/None here), sequence header');
  L.push('(SequenceNumber, RequestId), then the ExpandedNodeId of the encoding (e.g. `01 00 be 01` =');
  L.push('i=446 OpenSecureChannelRequest) and the request. MSG/CLO = header, SecureChannelId, TokenId,');
  L.push('sequence header, encoding NodeId, body. The "service" column is that NodeId decoded.');
  L.push('');
  L.push('Values are deterministic given the tick number k: every value a tick sets carries the source');
  L.push(`timestamp ${EPOCH} + k * ${RATE_MS} ms, so k = (sourceTimestamp - epoch) / ${RATE_MS} ms (shown as k=);`);
  L.push('the formulas (SpindleSpeed = 1000 + k mod 100, PartCount = k, ...) are in');
  L.push('tests/interop/opcua/README.md. Which k a capture hit depends on timing, so the values below are');
  L.push('the ones in these files; they satisfy the formulas. Server timestamps, session ids, nonces,');
  L.push('authentication tokens, the encrypted password and certificates differ from run to run.');
  L.push('');
  L.push(`${files.length} files, ${total} bytes of hex.`);
  for (const s of sections) {
    L.push('');
    L.push(`## ${s.name} (${s.conns} TCP connection${s.conns > 1 ? 's' : ''})`);
    L.push('');
    L.push(({
      anon: 'connect, GetEndpoints, CreateSession + ActivateSession (anonymous), Browse Objects/Machine, Read of the variables (taken while FaultySensor is Bad), CreateSubscription + CreateMonitoredItems on SpindleSpeed / PartCount / FaultySensor (100 ms), about 2 s of Publish, DeleteSubscriptions, CloseSession, CloseSecureChannel.',
      user: 'connect, CreateSession + ActivateSession with UserNameIdentityToken operator / secret (the password encrypted with the server certificate as the None endpoint\'s user token policy says), Read, close.',
      reject: 'a second server, `--reject-unknown-client-cert` (no trusted client certificates), and a client with a certificate of its own on a Basic256Sha256 SignAndEncrypt channel, given the server certificate up front (so no GetEndpoints connection first). The server refuses the OpenSecureChannel with BadSecurityChecksFailed and closes the connection. **Note the ERR message: node-opcua 2.180 does not send the Part 6 Error body (UInt32 error + String reason) but an OPN-style one holding a ServiceFault** — the UInt32 after the header is the SecureChannelId, not a status code; a client should treat any ERR as fatal and not trust its layout.',
      browse: 'anonymous session; Browse of Machine/Many (1200 variables + HasTypeDefinition) with requestedMaxReferencesPerNode 100, then BrowseNext with each continuation point until none is returned; close.',
    })[s.name]);
    L.push('');
    L.push('| file | conn | dir | type | bytes | service | what |');
    L.push('|---|---|---|---|---|---|---|');
    for (const r of s.rows) {
      const what = r.what.replace(/\|/g, '\\|');
      L.push(`| ${r.file} | ${r.conn} | ${r.dir} | ${r.d.type}/${r.d.chunk} | ${r.d.size} | ${r.d.service ?? (r.d.type === 'HEL' ? 'Hello' : r.d.type === 'ACK' ? 'Acknowledge' : '')}${r.d.encodingId ? ` (i=${r.d.encodingId})` : ''} | ${what} |`);
    }
  }
  L.push('');
  return L.join('\n');
}
