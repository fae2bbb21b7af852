// Goal: monthly energy reports of key energy-consuming units (docs/api.md, "Energy reports"): an
// enterprise submits its own month, accounted per GB/T 2589 before it is stored (figures worked by
// hand from the coefficients of data/energy/carriers.json); a correction is revision 2 and both
// are kept; the regulator sees every report, a league/city official those of its region, an
// enterprise only its own; bad input is a 400 naming the body's field and stores nothing; a
// repeated Idempotency-Key answers the first result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, assertServerHealthy, expectStatus, startHarness } from './harness.mjs';

describe('energy reports', { timeout: 120_000 }, () => {
  let h; let reg; let power; let alu; let baotou; let ordos; let verifier;
  let POWER; let ALU; let POWER_REGION;

  const month = (org, items, extra = {}) => ({ org_id: org, year: 2025, month: 3, electricity_equal_kgce_per_kwh: 0.3, items, ...extra });

  before(async () => {
    h = await startHarness('energy-reports');
    reg = await h.as('regulator');
    power = await h.as('ent-power');
    alu = await h.as('ent-alu');
    baotou = await h.as('region-baotou');
    ordos = await h.as('region-ordos');
    verifier = await h.as('verifier');
    POWER = (await h.me('ent-power')).org_id;
    ALU = (await h.me('ent-alu')).org_id;
    POWER_REGION = expectStatus(await h.api('GET', `/organizations/${POWER}`, { token: reg }), 200, 'org').region;
  });

  after(async () => {
    if (h) {
      assertServerHealthy(h);
      await h.close();
    }
  });

  it('accounts and keeps a month, and a correction as revision 2', async () => {
    // 2 × 10^4 t raw coal × 0.7143 = 14,286 tce; 500 × 10^4 kWh × 0.1229 = 614.5 tce (1,500 at 0.3);
    // 10,000 GJ heat supplied out × 0.03412 = 341.2 tce → 14,559.3 tce.
    const body = month(POWER, [
      { carrier: 'raw_coal', quantity: 2, unit: '10^4 t' },
      { carrier: 'electricity', quantity: 500, unit: '10^4 kWh' },
      { carrier: 'heat', use: 'supplied_out', quantity: 10000, unit: 'GJ' },
    ]);
    const first = expectStatus(await h.api('POST', '/energy/reports', { token: power, body, idempotencyKey: 'er-1' }), 201, 'submit');
    assert.equal(first.revision, 1);
    assert.equal(first.comprehensive_tce, 14559.3);
    assert.equal(first.comprehensive_equal_value_tce, 15444.8);  // 14,286 + 1,500 − 341.2
    assert.equal(first.accounting.months[0].items[0].coefficient, 0.7143);
    const again = expectStatus(await h.api('POST', '/energy/reports', { token: power, body, idempotencyKey: 'er-1' }), 201, 'replay');
    assert.equal(again.id, first.id);
    body.items[0].quantity = 2.1;  // + 1,000 t × 0.7143 = 714.3
    const second = expectStatus(await h.api('POST', '/energy/reports', { token: power, body }), 201, 'correction');
    assert.equal(second.revision, 2);
    assert.equal(second.comprehensive_tce, 15273.6);
    const latest = expectStatus(await h.api('GET', `/energy/reports?org=${POWER}&year=2025&month=3`, { token: reg }), 200, 'list');
    assert.deepEqual(latest.items.map((r) => [r.revision, r.comprehensive_tce]), [[2, 15273.6]]);
    const all = expectStatus(await h.api('GET', `/energy/reports?org=${POWER}&all_revisions=true`, { token: power }), 200, 'all');
    assert.deepEqual(all.items.map((r) => r.revision), [1, 2]);
    const one = expectStatus(await h.api('GET', `/energy/reports/${first.id}`, { token: power }), 200, 'one');
    assert.equal(one.report.months[0].items[0].quantity, 2);
  });

  it('shows each role what it may see', async () => {
    expectStatus(await h.api('POST', '/energy/reports', {
      token: alu, body: month(ALU, [{ carrier: 'diesel', quantity: 10, unit: 't' }]),
    }), 201, 'alu');
    const mine = expectStatus(await h.api('GET', '/energy/reports', { token: alu }), 200, 'alu list');
    assert.ok(mine.items.length >= 1 && mine.items.every((r) => r.org_id === ALU));
    assertError(await h.api('GET', `/energy/reports?org=${POWER}`, { token: alu }), 403, 'forbidden');
    const powerReport = expectStatus(await h.api('GET', `/energy/reports?org=${POWER}`, { token: reg }), 200, 'reg').items[0];
    assertError(await h.api('GET', `/energy/reports/${powerReport.id}`, { token: alu }), 404, 'not_found');
    const regional = POWER_REGION === '150200' ? baotou : ordos;
    const other = POWER_REGION === '150200' ? ordos : baotou;
    const seen = expectStatus(await h.api('GET', '/energy/reports', { token: regional }), 200, 'region');
    assert.ok(seen.items.some((r) => r.org_id === POWER));
    const notSeen = expectStatus(await h.api('GET', '/energy/reports', { token: other }), 200, 'other region');
    assert.ok(!notSeen.items.some((r) => r.org_id === POWER));
    assertError(await h.api('GET', '/energy/reports', { token: verifier }), 403, 'forbidden');
  });

  it('refuses bad reports naming the field, and stores nothing', async () => {
    const before = expectStatus(await h.api('GET', `/energy/reports?org=${POWER}&all_revisions=true`, { token: reg }), 200, 'before').items.length;
    assertError(await h.api('POST', '/energy/reports', { token: power, body: month(POWER, [{ carrier: 'electricity', quantity: 1, unit: 't' }]) }),
      400, 'invalid_unit', { field: 'items[0].unit' });
    assertError(await h.api('POST', '/energy/reports', { token: power, body: month(POWER, [{ carrier: 'natural_gas', quantity: 1, unit: 'm3' }]) }),
      400, 'ambiguous_carrier', { field: 'items[0].carrier' });
    assertError(await h.api('POST', '/energy/reports', { token: power, body: month(POWER, [{ carrier: 'diesel', quantity: -1, unit: 't' }]) }),
      400, 'out_of_range', { field: 'items[0].quantity' });
    assertError(await h.api('POST', '/energy/reports', { token: power, body: month(POWER, [], { month: 13 }) }), 400, 'out_of_range', { field: 'month' });
    assertError(await h.api('POST', '/energy/reports', { token: power, body: month(ALU, [{ carrier: 'diesel', quantity: 1, unit: 't' }]) }),
      403, 'forbidden');
    assertError(await h.api('POST', '/energy/reports', { token: reg, body: month(POWER, [{ carrier: 'diesel', quantity: 1, unit: 't' }]) }),
      403, 'forbidden');
    const after = expectStatus(await h.api('GET', `/energy/reports?org=${POWER}&all_revisions=true`, { token: reg }), 200, 'after').items.length;
    assert.equal(after, before);
  });
});
