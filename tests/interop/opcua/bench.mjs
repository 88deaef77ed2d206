// Throughput of server.mjs towards one node-opcua client subscription: starts the server
// (server options after --, default --fast), subscribes to Counters/* and Many/* (1300
// monitored items by default) and counts the values that arrive per second, and what each
// process spent in CPU.
//
//   node tests/interop/opcua/bench.mjs [--seconds 15] [--sampling-ms 10] [--publishing-ms 50]
//        [--queue 1] [--url opc.tcp://...] [-- server options, default: --fast]
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startOpcuaServer } from './spawn.mjs';

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');
const say = (s) => process.stdout.write(s + '\n');
const {
  OPCUAClient, OPCUACertificateManager, AttributeIds, ClientSubscription, ClientMonitoredItemGroup,
  MessageSecurityMode, SecurityPolicy, TimestampsToReturn,
} = await import('node-opcua');
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const serverArgs = dash >= 0 ? argv.slice(dash + 1) : ['--fast'];
const opt = (name, def) => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1] : def;
};
const seconds = Number(opt('--seconds', 15));
const sampling = Number(opt('--sampling-ms', 10));
const publishing = Number(opt('--publishing-ms', 50));
const queue = Number(opt('--queue', 1));
const counters = Number(opt('--counters', 100));
const manyN = Number(opt('--many', 1200));

const work = mkdtempSync(path.join(tmpdir(), 'fh-opcua-bench-'));
const server = opt('--url') ? null : await startOpcuaServer([...serverArgs, '--pki', path.join(work, 'pki')]);
const url = opt('--url') ?? server.url;

// CPU seconds (user+system) of a process from /proc.
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

const client = OPCUAClient.create({
  endpointMustExist: false,
  securityMode: MessageSecurityMode.None,
  securityPolicy: SecurityPolicy.None,
  connectionStrategy: { maxRetry: 0 },
  keepSessionAlive: false,
  clientCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(work, 'client-pki'), automaticallyAcceptUnknownCertificate: true }),
});
try {
  await client.connect(url);
  const session = await client.createSession();
  const sub = ClientSubscription.create(session, {
    requestedPublishingInterval: publishing,
    requestedLifetimeCount: 1000,
    requestedMaxKeepAliveCount: 20,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 0,
  });
  const ids = [];
  for (let n = 0; n < counters; n++) ids.push(`ns=1;s=Machine.Counters.C${String(n).padStart(3, '0')}`);
  for (let i = 0; i < manyN; i++) ids.push(`ns=1;s=Machine.Many.V${String(i).padStart(4, '0')}`);
  let values = 0;
  let notifications = 0;
  // Per item: the last source timestamp, how many ticks were skipped, how many came back in time.
  const lastTs = new Map();
  let skipped = 0;
  let backwards = 0;
  let rate = 10;
  sub.on('raw_notification', (nm) => {
    notifications++;
    for (const nd of nm.notificationData ?? []) {
      for (const mi of nd.monitoredItems ?? []) {
        values++;
        const t = mi.value.sourceTimestamp?.getTime();
        const prev = lastTs.get(mi.clientHandle);
        if (prev !== undefined) {
          if (t <= prev) backwards++;
          else skipped += Math.round((t - prev) / rate) - 1;
        }
        lastTs.set(mi.clientHandle, t);
      }
    }
  });
  const group = ClientMonitoredItemGroup.create(
    sub,
    ids.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
    { samplingInterval: sampling, queueSize: queue, discardOldest: true },
    TimestampsToReturn.Both,
  );
  await new Promise((r) => group.once('initialized', r));
  const revised = group.monitoredItems[0]?.monitoringParameters?.samplingInterval;
  say(`${ids.length} monitored items, sampling ${sampling} ms (revised ${revised}), publishing ${sub.publishingInterval} ms, queue ${queue}; server ${serverArgs.join(' ')}`);
  await new Promise((r) => setTimeout(r, 2000)); // warm-up
  const ri = serverArgs.indexOf('--rate-ms');
  rate = ri >= 0 ? Number(serverArgs[ri + 1]) : serverArgs.includes('--fast') ? 10 : 100;
  const v0 = values;
  const sk0 = skipped;
  const n0 = notifications;
  const t0 = performance.now();
  const s0 = server ? cpuOf(server.proc.pid) : 0;
  const c0 = process.cpuUsage();
  const perSecond = [];
  let last = values;
  for (let i = 0; i < seconds; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    perSecond.push(values - last);
    last = values;
  }
  const dt = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const s1 = server ? cpuOf(server.proc.pid) : 0;
  say(`values/s: ${Math.round((values - v0) / dt)} (per second: ${perSecond.join(' ')}); publish responses/s: ${Math.round((notifications - n0) / dt)}`);
  const sk = skipped - sk0;
  say(`ticks skipped between consecutive values of an item: ${sk} (${((100 * sk) / (sk + values - v0)).toFixed(1)}% of the ticks), values going back in time: ${backwards}`);
  say(`CPU: server ${(((s1 - s0) / dt) * 100).toFixed(0)}%, client ${(((c1.user + c1.system) / 1e6 / dt) * 100).toFixed(0)}% of one core`);
  await sub.terminate();
  await session.close();
} finally {
  await client.disconnect();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
