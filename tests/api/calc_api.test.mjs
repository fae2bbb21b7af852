// Goal: the calculators of `greenloop calc` answer over the API as docs/api.md ("Calculators")
// says: GET /calc lists them, POST /calc/{name} runs one on the body and gives the same result as
// the command line, bad input is a 4xx naming the field, and nothing is written.
// Method: one server on the demo data; the compliance calculator's documented example and the
// energy calculators' examples in docs/calc/, compared with `greenloop calc` on the same file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, REPO, assertError, assertServerHealthy, expectStatus, startHarness } from './harness.mjs';

function cli(name, file) {
  const r = spawnSync(BIN, ['calc', name, '--input', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('calculators over the API', { timeout: 120_000 }, () => {
  let h; let reg; let ent;

  before(async () => {
    h = await startHarness('calc-api');
    reg = await h.as('regulator');
    ent = await h.as('ent-power');
  });

  after(async () => {
    if (h) {
      assertServerHealthy(h);
      await h.close();
    }
  });

  it('lists every calculator with its titles, and runs each documented example as the CLI does', async () => {
    const list = expectStatus(await h.api('GET', '/calc', { token: ent }), 200, 'list');
    const names = list.items.map((c) => c.name);
    for (const name of ['power-emissions', 'power-allocation', 'compliance']) assert.ok(names.includes(name), name);
    for (const c of list.items) {
      assert.ok(c.title_zh && c.title_en && c.description, c.name);
      const file = path.join(REPO, c.example_file);
      const body = JSON.parse(readFileSync(file, 'utf8'));
      const viaApi = expectStatus(await h.api('POST', `/calc/${c.name}`, { token: ent, body }), 200, c.name);
      assert.deepEqual(viaApi, cli(c.name, file), c.name);
    }
  });

  it('computes the compliance example by the rule: obligation rounded half up, outstanding what is left', async () => {
    const body = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/compliance.json'), 'utf8'));
    const r = expectStatus(await h.api('POST', '/calc/compliance', { token: reg, body }), 200, 'compliance');
    // 4,517,591.51 t verified → 4,517,592 allowances; surrendered 4,100,000 + 200,000 + 150,000.
    assert.equal(r.obligation_t, 4_517_592);
    assert.equal(r.outstanding_t, 4_517_592 - 4_450_000);
  });

  it('refuses bad input with a 4xx that names what is wrong, and changes nothing', async () => {
    const before = expectStatus(await h.api('GET', '/health'), 200, 'health');
    assertError(await h.api('POST', '/calc/no-such-calculator', { token: ent, body: {} }), 404, 'not_found', { field: 'name' });
    assertError(await h.api('POST', '/calc/compliance', { token: ent, rawBody: '{"year": 2024,' }), 400, 'invalid_json');
    assertError(await h.api('POST', '/calc/compliance', { token: ent, rawBody: '[1, 2]' }), 400, 'invalid_json');
    const body = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/compliance.json'), 'utf8'));
    assertError(await h.api('POST', '/calc/compliance', { token: ent, body: { ...body, verified_emissions_t: -1 } }),
      400, 'out_of_range', { field: 'verified_emissions_t' });
    assertError(await h.api('POST', '/calc/compliance', { token: ent, body: { ...body, year: 1999 } }), 400,
      ['out_of_range', 'invalid_field']);
    assertError(await h.api('POST', '/calc/compliance', { body }), 401, 'unauthenticated');
    assertError(await h.api('GET', '/calc'), 401, 'unauthenticated');
    const afterwards = expectStatus(await h.api('GET', '/health'), 200, 'health');
    assert.equal(afterwards.entries, before.entries);
  });
});
