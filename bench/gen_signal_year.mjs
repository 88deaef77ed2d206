// One signal's year at 1-minute resolution as long CSV (timestamp,tag,value) for the
// dashboard's one-year chart (bench/run-dashboard): a CNC machine's power in kW, seeded and
// deterministic — two shifts a day on weekdays (about 9 kW cutting, 1.5 kW idle at night and
// at weekends), a slow drift, noise and short stops, printed with 2 decimals as the demo
// plant prints power. The last point is the minute before END.
//   node bench/gen_signal_year.mjs TAG END_RFC3339 [MINUTES=525600] [SEED=42] > year.csv
const [tag, endText, minutesText = '525600', seedText = '42'] = process.argv.slice(2);
if (!tag || !endText) {
  console.error('usage: node bench/gen_signal_year.mjs TAG END_RFC3339 [MINUTES] [SEED]');
  process.exit(2);
}
const end = Math.floor(Date.parse(endText) / 60000) * 60000;
if (!Number.isFinite(end)) {
  console.error(`gen_signal_year: not a time: ${endText}`);
  process.exit(2);
}
const minutes = Number(minutesText);

// mulberry32: small, seeded, good enough for test data.
let state = Number(seedText) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const out = [];
let chunk = 'timestamp,tag,value\n';
let drift = 0;
let stopLeft = 0;
for (let i = minutes; i >= 1; --i) {
  const t = end - i * 60000;
  const d = new Date(t);
  const hour = d.getUTCHours();
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  const working = weekday && hour >= 6 && hour < 22;
  drift = Math.max(-2, Math.min(2, drift + (random() - 0.5) * 0.05));
  if (stopLeft > 0) --stopLeft;
  else if (working && random() < 0.004) stopLeft = 3 + Math.floor(random() * 40);
  const base = working && stopLeft === 0 ? 9 + drift : 1.5;
  const value = Math.max(0, base + (random() - 0.5) * (working ? 1.6 : 0.3));
  chunk += `${d.toISOString().slice(0, 19)}Z,${tag},${value.toFixed(2)}\n`;
  if (chunk.length > 1 << 20) {
    out.push(chunk);
    chunk = '';
  }
}
out.push(chunk);
process.stdout.write(out.join(''));
