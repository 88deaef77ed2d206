// The dashboard's client types are the API's description: src/api-types.ts is what
// openapi-typescript makes of src/api/openapi.yaml today (`npm run types` after changing it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString } from 'openapi-typescript';

describe('api-types.ts', () => {
  it('is generated from the OpenAPI description as it is now', async () => {
    const spec = readFileSync(join(__dirname, '../../src/api/openapi.yaml'), 'utf8');
    const fresh = astToString(await openapiTS(spec));
    const committed = readFileSync(join(__dirname, '../src/api-types.ts'), 'utf8');
    // The committed file has the generator's banner; the rest must be the same.
    expect(committed.endsWith(fresh)).toBe(true);
  });
});
