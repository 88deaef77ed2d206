// A small machine-tool OPC UA server (node-opcua 2.180.0): the independent peer factoryhub's
// OPC UA client is tested against. Listens on 127.0.0.1 only; prints
//   READY opc.tcp://127.0.0.1:<port>/factoryhub
// on stdout once it accepts connections; SIGTERM/SIGINT stop it cleanly. Its address space,
// the value formulas and the options are in README.md next to this file.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
// node-opcua prints its warnings with console.log: they go to stderr, so that stdout holds the
// READY line only. (Hence the dynamic import, after console is redirected.)
const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');
}
const {
  OPCUAServer,
  OPCUACertificateManager,
  MonitoredItem,
  Subscription,
  DataType,
  MessageSecurityMode,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  DataValue,
} = await import('node-opcua');

export const RESOURCE_PATH = '/factoryhub';
export const APPLICATION_URI = 'urn:factoryhub:test-machine';

const USAGE = `usage: node server.mjs --port N [--rate-ms 100] [--user NAME:PASSWORD] [--no-anonymous]
       [--pki DIR] [--accept-any-client-cert | --reject-unknown-client-cert] [--trusted-client-dir DIR]
       [--epoch ISO-TIME] [--counters 100] [--many 1200] [--many-changing] [--min-sampling-ms 10]
       [--max-notifications-per-publish 1000] [--fast] [--stop-on-stdin-eof]`;

function parseArgs(argv) {
  const o = {
    port: undefined,
    rateMs: 100,
    user: undefined,
    anonymous: true,
    pki: undefined,
    acceptAny: true,
    trustedClientDir: undefined,
    epoch: undefined,
    counters: 100,
    many: 1200,
    manyChanging: false,
    minSamplingMs: 10,
    maxNotificationsPerPublish: undefined,
    stopOnStdinEof: false,
  };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--port': o.port = Number(need(i)); i++; break;
      case '--rate-ms': o.rateMs = Number(need(i)); i++; break;
      case '--user': {
        const v = need(i); i++;
        const c = v.indexOf(':');
        if (c <= 0) throw new Error(`--user wants NAME:PASSWORD, not ${v}`);
        o.user = { name: v.slice(0, c), password: v.slice(c + 1) };
        break;
      }
      case '--no-anonymous': o.anonymous = false; break;
      case '--pki': o.pki = path.resolve(need(i)); i++; break;
      case '--accept-any-client-cert': o.acceptAny = true; break;
      case '--reject-unknown-client-cert': o.acceptAny = false; break;
      case '--trusted-client-dir': o.trustedClientDir = path.resolve(need(i)); i++; break;
      case '--epoch': o.epoch = need(i); i++; break;
      case '--counters': o.counters = Number(need(i)); i++; break;
      case '--many': o.many = Number(need(i)); i++; break;
      case '--many-changing': o.manyChanging = true; break;
      case '--min-sampling-ms': o.minSamplingMs = Number(need(i)); i++; break;
      case '--stop-on-stdin-eof': o.stopOnStdinEof = true; break;
      case '--max-notifications-per-publish': o.maxNotificationsPerPublish = Number(need(i)); i++; break;
      case '--fast':
        // The throughput set-up: 10 ms ticks, every Counters and Many variable changes on each.
        o.rateMs = 10;
        o.manyChanging = true;
        o.minSamplingMs = Math.min(o.minSamplingMs, 10);
        o.maxNotificationsPerPublish = o.maxNotificationsPerPublish ?? 20000;
        break;
      case '-h': case '--help': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`--port N is required\n${USAGE}`);
  if (!(o.rateMs >= 1)) throw new Error('--rate-ms must be >= 1');
  if (!Number.isInteger(o.counters) || o.counters < 0 || o.counters > 10000) throw new Error('--counters 0..10000');
  if (!Number.isInteger(o.many) || o.many < 0 || o.many > 10000) throw new Error('--many 0..10000');
  if (!o.anonymous && !o.user) throw new Error('--no-anonymous needs --user');
  if (o.epoch !== undefined) {
    const t = Date.parse(o.epoch);
    if (Number.isNaN(t)) throw new Error(`--epoch: not a time: ${o.epoch}`);
    o.epochMs = t;
  }
  return o;
}

// ---- the value formulas (README.md says the same) -------------------------------------------
// k is the tick number: 0 at start, +1 every --rate-ms. All values of tick k carry the source
// timestamp epoch + k * rateMs.
const pad = (n, w) => String(n).padStart(w, '0');
export const formulas = {
  spindleSpeed: (k) => 1000 + (k % 100),
  temperature: (k) => 20 + (k % 40) * 0.25, // exact in Float
  partCount: (k) => k >>> 0,
  running: (k) => Math.floor(k / 10) % 2 === 0,
  program: (k) => `O${pad(Math.floor(k / 20) % 10000, 4)}`,
  axis: (k) => [(k % 1000) * 0.5, -(k % 1000) * 0.25, 100 + (k % 10)],
  status: (k) => (Math.floor(k / 10) % 5) - 2,
  faultyBad: (k) => k % 20 >= 15,
  faulty: (k) => 50 + (k % 20),
  counter: (n, k) => n * 1000000 + k,
  many: (i, k, changing) => (changing ? i * 1000000 + k : i),
};

export async function startServer(opts) {
  const pki = opts.pki ?? mkdtempSync(path.join(tmpdir(), 'fh-opcua-pki-'));
  const ownPki = !opts.pki;
  try {
    return await startServerIn(opts, pki, ownPki);
  } catch (e) {
    if (ownPki) rmSync(pki, { recursive: true, force: true });
    throw e;
  }
}

async function startServerIn(opts, pki, ownPki) {
  mkdirSync(pki, { recursive: true });

  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pki, 'server'),
    automaticallyAcceptUnknownCertificate: opts.acceptAny,
  });
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pki, 'user'),
    automaticallyAcceptUnknownCertificate: false,
  });
  await serverCertificateManager.initialize();
  // The server certificate, made here (and kept in --pki for the next start) rather than by
  // node-opcua, so that it names 127.0.0.1 and localhost, where the server listens. No
  // network, no openssl command: node-opcua-pki makes the RSA 2048 key and the certificate.
  const certificateFile = path.join(serverCertificateManager.rootDir, 'own', 'certs', 'certificate.pem');
  if (!existsSync(certificateFile)) {
    await serverCertificateManager.createSelfSignedCertificate({
      applicationUri: APPLICATION_URI,
      dns: ['localhost', hostname()],
      ip: ['127.0.0.1'],
      outputFile: certificateFile,
      subject: '/CN=factoryhub test machine/O=factoryhub interop tests',
      startDate: new Date(Date.now() - 24 * 3600 * 1000),
      validity: 3650,
    });
  }
  if (opts.trustedClientDir) {
    // Client certificates (DER .der/.cer or PEM .pem/.crt) that are trusted from the start.
    const into = path.join(serverCertificateManager.rootDir, 'trusted', 'certs');
    mkdirSync(into, { recursive: true });
    for (const f of readdirSync(opts.trustedClientDir)) {
      if (/\.(der|cer|pem|crt)$/i.test(f)) copyFileSync(path.join(opts.trustedClientDir, f), path.join(into, f));
    }
  }

  MonitoredItem.minimumSamplingInterval = opts.minSamplingMs;
  // The most notifications one PublishResponse carries (node-opcua's default: 1000).
  if (opts.maxNotificationsPerPublish) Subscription.maxNotificationPerPublishHighLimit = opts.maxNotificationsPerPublish;

  const server = new OPCUAServer({
    port: opts.port,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    resourcePath: RESOURCE_PATH,
    serverCertificateManager,
    userCertificateManager,
    certificateFile,
    privateKeyFile: serverCertificateManager.privateKey,
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep],
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: opts.anonymous,
    userManager: {
      isValidUser: (name, password) =>
        !!opts.user && name === opts.user.name && password === opts.user.password,
    },
    serverInfo: {
      applicationUri: APPLICATION_URI,
      productUri: 'urn:factoryhub:test-machine:product',
      applicationName: { text: 'factoryhub test machine', locale: 'en' },
    },
    buildInfo: {
      productName: 'factoryhub test machine',
      manufacturerName: 'factoryhub interop tests',
      softwareVersion: '1.0.0',
    },
    serverCapabilities: {
      maxBrowseContinuationPoints: 20,
      operationLimits: { maxNodesPerRead: 5000, maxNodesPerBrowse: 1000, maxMonitoredItemsPerCall: 5000 },
    },
    maxConnectionsPerEndpoint: 100,
    maxSessions: 100,
    disableDiscovery: true,
  });
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.getOwnNamespace();
  const objects = addressSpace.rootFolder.objects;

  const machine = ns.addObject({ organizedBy: objects, browseName: 'Machine', nodeId: 's=Machine' });
  const addVar = (parent, rel, name, id, dataType, valueRank) => {
    const v = ns.addVariable({
      [rel]: parent,
      browseName: name,
      nodeId: `s=${id}`,
      dataType,
      valueRank: valueRank ?? -1,
      ...(valueRank === 1 ? { arrayDimensions: [3] } : {}),
      minimumSamplingInterval: 0,
      accessLevel: 'CurrentRead',
      userAccessLevel: 'CurrentRead',
    });
    return v;
  };
  const m = {
    spindleSpeed: addVar(machine, 'componentOf', 'SpindleSpeed', 'Machine.SpindleSpeed', 'Double'),
    temperature: addVar(machine, 'componentOf', 'Temperature', 'Machine.Temperature', 'Float'),
    partCount: addVar(machine, 'componentOf', 'PartCount', 'Machine.PartCount', 'UInt32'),
    running: addVar(machine, 'componentOf', 'Running', 'Machine.Running', 'Boolean'),
    program: addVar(machine, 'componentOf', 'Program', 'Machine.Program', 'String'),
    axisPositions: addVar(machine, 'componentOf', 'AxisPositions', 'Machine.AxisPositions', 'Double', 1),
    status: addVar(machine, 'componentOf', 'Status', 'Machine.Status', 'Int32'),
    faulty: addVar(machine, 'componentOf', 'FaultySensor', 'Machine.FaultySensor', 'Double'),
  };
  const axes = ns.addObject({ componentOf: machine, browseName: 'Axes', nodeId: 's=Machine.Axes' });
  const axisPos = ['X', 'Y', 'Z'].map((a) => {
    const o = ns.addObject({ componentOf: axes, browseName: a, nodeId: `s=Machine.Axes.${a}` });
    return addVar(o, 'componentOf', 'Position', `Machine.Axes.${a}.Position`, 'Double');
  });
  const countersFolder = ns.addObject({
    organizedBy: machine, typeDefinition: 'FolderType', browseName: 'Counters', nodeId: 's=Machine.Counters',
  });
  const counters = [];
  for (let n = 0; n < opts.counters; n++) {
    const name = `C${pad(n, opts.counters > 1000 ? 4 : 3)}`;
    counters.push(addVar(countersFolder, 'organizedBy', name, `Machine.Counters.${name}`, 'Double'));
  }
  const manyFolder = ns.addObject({
    organizedBy: machine, typeDefinition: 'FolderType', browseName: 'Many', nodeId: 's=Machine.Many',
  });
  const many = [];
  for (let i = 0; i < opts.many; i++) {
    const name = `V${pad(i, 4)}`;
    many.push(addVar(manyFolder, 'organizedBy', name, `Machine.Many.${name}`, 'Double'));
  }

  // ---- ticks ----
  // Tick 0 is now; its source timestamp is --epoch (default: now, in whole milliseconds).
  const t0 = performance.now();
  const epochMs = opts.epochMs ?? Date.now();
  const rate = opts.rateMs;
  const good = StatusCodes.Good;
  const bad = StatusCodes.BadSensorFailure;
  const dbl = (value) => new Variant({ dataType: DataType.Double, value });
  let k = 0;
  let last = {}; // what changed is set again; what did not keeps its timestamp

  const apply = (k, first) => {
    const ts = new Date(epochMs + k * rate);
    const set = (v, variant, sc = good) => v.setValueFromSource(variant, sc, ts);
    const changed = (key, value) => {
      if (!first && last[key] === value) return false;
      last[key] = value;
      return true;
    };
    set(m.spindleSpeed, dbl(formulas.spindleSpeed(k)));
    const t = formulas.temperature(k);
    if (changed('t', t)) set(m.temperature, new Variant({ dataType: DataType.Float, value: t }));
    set(m.partCount, new Variant({ dataType: DataType.UInt32, value: formulas.partCount(k) }));
    const r = formulas.running(k);
    if (changed('r', r)) set(m.running, new Variant({ dataType: DataType.Boolean, value: r }));
    const p = formulas.program(k);
    if (changed('p', p)) set(m.program, new Variant({ dataType: DataType.String, value: p }));
    const ax = formulas.axis(k);
    set(m.axisPositions, new Variant({
      dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(ax),
    }));
    for (let i = 0; i < 3; i++) set(axisPos[i], dbl(ax[i]));
    const s = formulas.status(k);
    if (changed('s', s)) set(m.status, new Variant({ dataType: DataType.Int32, value: s }));
    if (formulas.faultyBad(k)) {
      if (changed('f', 'bad')) set(m.faulty, new Variant({ dataType: DataType.Null }), bad);
    } else {
      last.f = 'good';
      set(m.faulty, dbl(formulas.faulty(k)));
    }
    };
  apply(0, true);

  // Counters and Many are many: their values are made when read or sampled (one DataValue a
  // variable and tick, kept for the tick), not pushed every tick, which keeps --fast cheap.
  // Their minimumSamplingInterval is the tick: a monitored item of theirs is sampled.
  const bindTicking = (v, valueOf, changes) => {
    let at = -1;
    let dv;
    v.minimumSamplingInterval = rate;
    v.bindVariable({
      timestamped_get: () => {
        const kk = changes ? k : 0;
        if (kk !== at) {
          at = kk;
          dv = new DataValue({
            value: dbl(valueOf(kk)),
            statusCode: good,
            sourceTimestamp: new Date(epochMs + kk * rate),
            sourcePicoseconds: 0,
          });
        }
        return dv;
      },
    }, true);
  };
  counters.forEach((v, n) => bindTicking(v, (kk) => formulas.counter(n, kk), true));
  many.forEach((v, i) => bindTicking(v, (kk) => formulas.many(i, kk, opts.manyChanging), opts.manyChanging));

  await server.start();
  const port = server.endpoints[0].port;
  const url = `opc.tcp://127.0.0.1:${port}${RESOURCE_PATH}`;

  let timer;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const due = t0 + (k + 1) * rate;
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  const tick = () => {
    k++;
    apply(k, false);
    schedule();
  };
  schedule();

  return {
    url,
    port,
    pki,
    server,
    epochMs,
    tick: () => k,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await server.shutdown(0);
      if (ownPki) rmSync(pki, { recursive: true, force: true });
    },
  };
}

// Run as a program (not when imported).
if (isMain) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  let s;
  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    try {
      await s?.stop();
    } finally {
      process.stderr.write(`opcua server: stopped (${sig})\n`);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    s = await startServer(opts);
  } catch (e) {
    process.stderr.write(`opcua server: ${e.stack ?? e}\n`);
    process.exit(1);
  }
  process.stdout.write(`READY ${s.url}\n`);
  if (opts.stopOnStdinEof) {
    // A parent that dies without SIGTERM closes our stdin: no orphaned server.
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin closed'));
    process.stdin.resume();
  }
}
