// Goal: the calculators of `greenloop calc` answer over the API as docs/api.md ("Calculators")
// says: GET /calc lists them, POST /calc/{name} runs one on the body and gives the same result as
// the command line, bad input is a 4xx naming the field, and nothing is written.
// Method: one server on the demo data; every calculator's documented example in docs/calc/,
// compared with `greenloop calc` on the same file; the compliance and energy examples' figures
// worked by hand.
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

  it('accounts energy and assesses dual control over the API with the worked figures of docs/calc/energy.md', async () => {
    const energy = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/energy.json'), 'utf8'));
    const e = expectStatus(await h.api('POST', '/calc/energy', { token: ent, body: energy }), 200, 'energy');
    // Month 1: 8,571.6 + 24,000 + 900 + 242.86 + 50.9985 + 1,843.5 + 98.32 consumed, 853 supplied out.
    assert.equal(e.months[0].totals.consumed_tce, 35707.2785);
    assert.equal(e.months[0].totals.comprehensive_tce, 34854.2785);
    assert.equal(e.months[0].totals.feedstock_tce, 24000);
    const dual = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/dual-control.json'), 'utf8'));
    const d = expectStatus(await h.api('POST', '/calc/dual-control', { token: reg, body: dual }), 200, 'dual-control');
    // (2,090 − 170) ÷ 3,010 = 0.6379 against (2,000 − 150) ÷ 2,800 = 0.6607: −3.45 %, on the 2.8 % path.
    assert.deepEqual([d.years[0].year, d.years[0].intensity, d.years[0].change_pct, d.years[0].grade], [2021, 0.6379, -3.45, 3]);
    assert.equal(d.years[1].grade, 2);  // 2022: −3.77 % against 5.6 % required
  });

  it('refuses energy figures in the wrong unit, natural gas of no stated kind and current-price GDP', async () => {
    const energy = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/energy.json'), 'utf8'));
    const wrongUnit = structuredClone(energy);
    wrongUnit.months[0].items[5].unit = 't';  // electricity in tonnes
    assertError(await h.api('POST', '/calc/energy', { token: ent, body: wrongUnit }), 400, 'invalid_unit',
      { field: 'months[0].items[5].unit' });
    const gas = structuredClone(energy);
    gas.months[0].items[3].carrier = 'natural_gas';
    assertError(await h.api('POST', '/calc/energy', { token: ent, body: gas }), 400, 'ambiguous_carrier',
      { field: 'months[0].items[3].carrier' });
    const dual = JSON.parse(readFileSync(path.join(REPO, 'docs/calc/dual-control.json'), 'utf8'));
    dual.years[2].gdp.prices = 'current';
    assertError(await h.api('POST', '/calc/dual-control', { token: reg, body: dual }), 400, 'gdp_not_constant_prices',
      { field: 'years[2].gdp.prices' });
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
