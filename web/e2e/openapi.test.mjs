// Every answer the API gives on a live demo plant matches its OpenAPI description: each GET
// endpoint that answers JSON is called (with the demo's own lots, tags and models) and its
// body validated against the described schema with Ajv (JSON Schema 2020-12, which OpenAPI
// 3.1 uses); so are the answers of an import's dry run, a model's promotion and an error.
// A field renamed, dropped or retyped in the server fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import { startDemo } from './demo.mjs';

let demo, url, doc, ajv;

before(async () => {
  assert.ok(process.env.FH_BIN, 'FH_BIN names the factoryhub binary');
  demo = await startDemo(process.env.FH_BIN);
  url = demo.url;
  doc = await (await fetch(url + 'api/v1/openapi.json')).json();
  // The document is the schemas' home: "#/components/..." references resolve in it.
  ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
});

after(() => demo?.stop());

const pointer = (...parts) =>
  'openapi.json#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function check(path, method, status, body) {
  const schemaRef = pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema');
  const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
  if (!validate(body)) {
    assert.fail(`${method.toUpperCase()} ${path}: ${ajv.errorsText(validate.errors)}\n` +
      JSON.stringify(body).slice(0, 400));
  }
}

// Targets on the demo plant where the route table's example names another hub's data.
const demoTargets = {
  '/api/v1/equipment/states': '/api/v1/equipment/states?path=acme/shanghai/machining/line-1/cnc-01&from=now-1h',
  '/api/v1/records': '/api/v1/records?entity=material',
  '/api/v1/lineage': '/api/v1/lineage?entity=material&key=RM-COOLANT',
  '/api/v1/trace/backward': '/api/v1/trace/backward?lot=BAR-0001',
  '/api/v1/trace/forward': '/api/v1/trace/forward?lot=BAR-0001',
  '/api/v1/trace/recall': '/api/v1/trace/recall?lot=BAR-0001',
  '/api/v1/models/show': '/api/v1/models/show?model=ai4i-machine-failure',
  '/api/v1/alarms': '/api/v1/alarms?model=ai4i-machine-failure&limit=5',
  '/api/v1/spc/events': '/api/v1/spc/events?from=now-4h',
};

// Answers that need a peer the plain demo does not have, validated where they have one:
// the OPC UA browser's in sources.test.mjs, against node-opcua's server.
const elsewhere = new Set(['/api/v1/opcua/browse']);

test('every JSON answer of every GET endpoint matches its schema', async () => {
  const index = await (await fetch(url, { headers: { Accept: 'application/json' } })).json();
  let checked = 0;
  for (const e of index.endpoints) {
    if (e.method !== 'GET') continue;
    const op = doc.paths[e.path]?.get;
    assert.ok(op, `GET ${e.path} is described`);
    if (!op.responses['200']?.content?.['application/json']) continue; // a page, text, a stream
    if (elsewhere.has(e.path)) continue;
    const target = demoTargets[e.path] ?? e.example;
    const r = await fetch(url + target.replace(/^\//, ''), { headers: { Accept: 'application/json' } });
    assert.equal(r.status, 200, `GET ${target}: ${r.status} ${await r.clone().text()}`);
    check(e.path, 'get', '200', await r.json());
    checked += 1;
  }
  assert.ok(checked >= 37, `${checked} endpoints checked`);
});

test('the answers of an import, a promotion and an error match theirs', async () => {
  const csv = '物料编码,物料名称,物料类型,基本单位,备注\nRM-GREASE,润滑脂,原材料,千克,\nRM X,bad,原材料,千克,\n';
  const dry = await fetch(url + 'api/v1/import?mapping=erp-materials&dry_run=true&name=x.csv', {
    method: 'POST',
    body: csv,
  });
  assert.equal(dry.status, 200);
  const report = await dry.json();
  check('/api/v1/import', 'post', '200', report);
  assert.equal(report.quarantined, 1);

  const promoted = await fetch(url + 'api/v1/models/promote', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'ai4i-machine-failure' }),
  });
  assert.equal(promoted.status, 200);
  check('/api/v1/models/promote', 'post', '200', await promoted.json());

  // The mill's set-points, as the demo's controls spec asks for them.
  const optimized = await fetch(url + 'api/v1/optimize', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'ai4i-machine-failure',
      controls: [
        { name: 'rotational_speed_rpm', min: 1300, max: 2200, step: 10 },
        { name: 'torque_Nm', min: 25, max: 60 },
      ],
      context: { equipment: 'acme/shanghai/machining/line-2/mill-01' },
      constraints: [{ name: 'power', expr: 'torque_Nm * rotational_speed_rpm * 2 * pi / 60', min: 5500 }],
    }),
  });
  assert.equal(optimized.status, 200, await optimized.clone().text());
  check('/api/v1/optimize', 'post', '200', await optimized.json());

  // An error answer has its shape too.
  const bad = await fetch(url + 'api/v1/lineage?entity=material&key=NOPE');
  assert.equal(bad.status, 404);
  check404(await bad.json());
});

function check404(body) {
  const validate = ajv.compile({ $ref: 'openapi.json#/components/schemas/Error' });
  assert.ok(validate(body), ajv.errorsText(validate.errors));
  assert.equal(body.field, 'key');
}
