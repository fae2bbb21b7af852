// Goal: allocation and compliance happen in the registry as issue 3 asks: allowances computed from
// confirmed verified reports under the year's plan are issued as CEA of the vintage into each
// enterprise's holding account with the calculation kept beside the journal entry; pre-allocation
// then the final true-up move exactly the difference; surrender follows the vintage and CCER rules
// and retires into the retirement account; penalties stay within the rules' range; verified
// emissions are published. Method: a real server on the demo data (2024 reports confirmed for five
// of the eight demo power enterprises).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, expectStatus, startHarness } from './harness.mjs';

describe('carbon market: allocation, surrender, penalties, disclosure', () => {
  let h, reg, power, alu, baotou, verifier, pub;
  let powerOrg, powerAccount;

  const holding = async (account, instrument) => {
    const items = expectStatus(await h.api('GET', `/accounts/${account}/holdings`, { token: reg }), 200).items;
    return items.find((x) => x.instrument === instrument)?.balance ?? 0;
  };

  before(async () => {
    h = await startHarness('carbon');
    [reg, power, alu, baotou, verifier, pub] = await Promise.all(
      ['regulator', 'ent-power', 'ent-alu', 'region-baotou', 'verifier', 'public'].map((n) => h.as(n)));
    powerOrg = (await h.me('ent-power')).org_id;
    const accounts = expectStatus(await h.api('GET', `/accounts?org=${powerOrg}&kind=holding`, { token: power }), 200).items;
    powerAccount = accounts[0].id;
  });
  after(async () => { await h?.close(); });

  it('the preview computes each enterprise from its confirmed reports, and says who is not ready', async () => {
    const all = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview?kind=final', { token: reg }), 200).items;
    // One item per enterprise with a facility; ready exactly where every facility's 2024 report is confirmed.
    const facilities = expectStatus(await h.api('GET', '/mrv/facilities', { token: reg }), 200).items;
    const confirmed = expectStatus(await h.api('GET', '/mrv/cases?year=2024&status=confirmed', { token: reg }), 200).items;
    const orgs = new Set(facilities.map((f) => f.org_id));
    const readyOrgs = [...orgs].filter((o) => facilities.filter((f) => f.org_id === o)
      .every((f) => confirmed.some((c) => c.facility_id === f.id)));
    assert.equal(all.length, orgs.size);
    assert.deepEqual(all.filter((i) => i.ready).map((i) => i.org_id).sort(), readyOrgs.sort());
    assert.ok(readyOrgs.length >= 5);
    for (const i of all.filter((x) => !x.ready)) assert.match(i.not_ready_reason, /report is (concluded|assigned|submitted)/);
    const mine = all.find((i) => i.org_id === powerOrg);
    assert.equal(mine.ready, true);
    const e = mine.calculation.entity_allowance;
    assert.equal(mine.calculation.plan.plan, '2023-2024');
    assert.equal(mine.target_t, e.final_t);
    assert.equal(e.final_t, Math.floor(e.initial_t + e.gap_cap_topup_t - e.deduction_t));
    // Every unit's electricity allowance is its generation × the 2024 benchmark of its category × Ff.
    const bench = { I: 0.791, II: 0.8049, III: 0.8244, IV: 0.3288 };
    for (const u of mine.calculation.units) {
      const ff = u.factors.length ? u.factors[0].value : 1;
      assert.ok(Math.abs(u.electricity_allowance_t - u.output_mwh * bench[u.category] * ff) < 0.01, JSON.stringify(u));
    }
    const own = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview', { token: power }), 200).items;
    assert.deepEqual(own.map((i) => i.org_id), [powerOrg]);
    const region = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview', { token: baotou }), 200).items;
    assert.ok(region.length >= 1 && region.every((i) => i.region === '150200'));
    for (const t of [verifier, pub]) assertError(await h.api('GET', '/carbon/allocations/2024/preview', { token: t }), 403, 'forbidden');
    assertError(await h.api('GET', '/carbon/allocations/2031x/preview', { token: reg }), 400, 'invalid_field');
  });

  it('pre-allocation for 2025: half of the 2024 verified emissions (2025-2026 draft), once, to the provincial account while 2024 is unsettled', async () => {
    assertError(await h.api('POST', '/carbon/allocations/2025/issue', { token: power, body: { kind: 'pre' } }), 403, 'forbidden');
    assertError(await h.api('POST', '/carbon/allocations/2025/issue', { token: reg, body: { kind: 'all' } }), 400, 'invalid_field');
    const preview = expectStatus(await h.api('GET', '/carbon/allocations/2025/preview?kind=pre', { token: reg }), 200).items;
    const mine = preview.find((i) => i.org_id === powerOrg);
    // 50 % of each unit's 2024 verified emissions, rounded down to whole tonnes (the draft's rule).
    const expected = mine.calculation.units.reduce((s, u) => s + Math.floor(u.verified_emissions_t * 0.5), 0);
    assert.equal(mine.target_t, expected);
    // Nothing of 2024 is surrendered and its deadline (2025-12-31) has passed: differentiated issuance.
    assert.equal(mine.differentiated, true);
    assert.match(mine.differentiated_reason, /2024/);
    const before2025 = await holding(powerAccount, 'CEA-2025');
    const issued = expectStatus(await h.api('POST', '/carbon/allocations/2025/issue', { token: reg, body: { kind: 'pre', org_ids: [powerOrg] } }), 200);
    assert.equal(issued.items.length, 1);
    assert.equal(issued.items[0].kind, 'pre_allocation');
    assert.equal(issued.items[0].quantity, expected);
    assert.equal(issued.items[0].differentiated, true);
    assert.notEqual(issued.items[0].account_id, powerAccount);
    assert.equal(await holding(powerAccount, 'CEA-2025'), before2025, 'not into the enterprise account');
    const reserve = expectStatus(await h.api('GET', `/accounts/${issued.items[0].account_id}`, { token: reg }), 200);
    assert.equal(reserve.kind, 'reserve');
    assert.equal(await holding(issued.items[0].account_id, 'CEA-2025'), expected);
    const again = expectStatus(await h.api('POST', '/carbon/allocations/2025/issue', { token: reg, body: { kind: 'pre', org_ids: [powerOrg] } }), 200);
    assert.equal(again.items.length, 0, 'nothing more to issue');
    const entry = expectStatus(await h.api('GET', `/journal/${issued.items[0].entry_id}`, { token: reg }), 200);
    assert.equal(entry.kind, 'issue');
    assert.match(entry.memo, new RegExp(`allocation record ${issued.items[0].id}`));
  });

  it('the final 2024 allocation issues the true-up into each ready enterprise with its calculation', async () => {
    const preview = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview', { token: reg }), 200).items;
    const ready = preview.filter((i) => i.ready);
    const mine = ready.find((i) => i.org_id === powerOrg);
    const before2024 = await holding(powerAccount, 'CEA-2024');
    const issued = expectStatus(await h.api('POST', '/carbon/allocations/2024/issue', { token: reg, body: { kind: 'final' } }), 200);
    assert.equal(issued.items.length, ready.filter((i) => i.to_issue_t !== 0).length);
    const record = issued.items.find((i) => i.org_id === powerOrg);
    assert.equal(record.kind, 'true_up');
    assert.equal(record.quantity, mine.to_issue_t);
    assert.equal(await holding(powerAccount, 'CEA-2024'), before2024 + mine.to_issue_t);
    const full = expectStatus(await h.api('GET', `/carbon/allocations/records/${record.id}`, { token: power }), 200);
    assert.equal(full.calculation.entity_allowance.final_t, mine.target_t);
    assertError(await h.api('GET', `/carbon/allocations/records/${record.id}`, { token: alu }), 404, 'not_found');
    const list = expectStatus(await h.api('GET', '/carbon/allocations?year=2024', { token: power }), 200).items;
    assert.ok(list.every((a) => a.org_id === powerOrg));
    const again = expectStatus(await h.api('POST', '/carbon/allocations/2024/issue', { token: reg, body: { kind: 'final' } }), 200);
    assert.equal(again.items.length, 0, 'a second run finds nothing to true up');
    const notReady = preview.find((i) => !i.ready);
    assertError(await h.api('POST', '/carbon/allocations/2024/issue', { token: reg, body: { kind: 'final', org_ids: [notReady.org_id] } }),
      422, 'not_ready', { field: 'org_ids' });
  });

  it('surrender follows the vintage and CCER rules and retires the allowances', async () => {
    const status = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: power }), 200);
    const row = status.items.find((r) => r.org_id === powerOrg);
    assert.equal(row.obligation_t, Math.round(row.verified_emissions_t));
    assert.equal(status.deadline, '2025-12-31');
    const base = { year: 2024, account: powerAccount };
    assertError(await h.api('POST', '/carbon/surrenders', { token: power, body: { ...base, instrument: 'CEA-2025', quantity: 10 } }),
      422, 'ineligible_vintage', { field: 'instrument' });
    assertError(await h.api('POST', '/carbon/surrenders', { token: power, body: { ...base, instrument: 'CCER-2024', quantity: Math.floor(row.obligation_t * 0.05) + 1 } }),
      422, 'ccer_limit_exceeded', { field: 'quantity' });
    assertError(await h.api('POST', '/carbon/surrenders', { token: power, body: { ...base, instrument: 'CEA-2024', quantity: row.obligation_t + 1 } }),
      422, 'over_surrender');
    assertError(await h.api('POST', '/carbon/surrenders', { token: alu, body: { ...base, instrument: 'CEA-2024', quantity: 10 } }), 404, 'not_found');
    assertError(await h.api('POST', '/carbon/surrenders', { token: power, body: { ...base, instrument: 'CEA-2024', quantity: 1.5 } }), 400);
    const before = await holding(powerAccount, 'CEA-2024');
    const part = row.obligation_t - 1000;
    const s = expectStatus(await h.api('POST', '/carbon/surrenders', { token: power, body: { ...base, instrument: 'CEA-2024', quantity: part } }), 201);
    assert.equal(s.family, 'CEA');
    assert.equal(await holding(powerAccount, 'CEA-2024'), before - part);
    const entry = expectStatus(await h.api('GET', `/journal/${s.entry_id}`, { token: reg }), 200);
    assert.equal(entry.kind, 'retire');
    const after = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: reg }), 200);
    const mine = after.items.find((r) => r.org_id === powerOrg);
    assert.equal(mine.surrendered_cea_t, part);
    assert.equal(mine.outstanding_t, 1000);
    // 2025-12-31 has passed: what is left is overdue.
    assert.equal(mine.standing, 'overdue');
    assert.ok(after.by_region.some((r) => r.region === '150200' && r.outstanding_t >= 1000));
  });

  it('a penalty is recorded within the range of the 2024 Regulations, once', async () => {
    // 5–10 × 80.00 yuan × 1,000 t = 400,000 – 800,000 yuan
    const base = { org_id: powerOrg, year: 2024, average_price_yuan: 80 };
    assertError(await h.api('POST', '/carbon/penalties', { token: power, body: { ...base, amount_yuan: 500000 } }), 403, 'forbidden');
    assertError(await h.api('POST', '/carbon/penalties', { token: reg, body: { ...base, amount_yuan: 399999.99 } }), 422, 'out_of_range', { field: 'amount_yuan' });
    assertError(await h.api('POST', '/carbon/penalties', { token: reg, body: { org_id: powerOrg, year: 2024, amount_yuan: 500000 } }), 400, 'missing_field', { field: 'average_price_yuan' });
    const p = expectStatus(await h.api('POST', '/carbon/penalties', { token: reg, body: { ...base, amount_yuan: 800000 } }), 201);
    assert.equal(p.shortfall_t, 1000);
    assert.equal(p.deduction_t, 1000);
    assertError(await h.api('POST', '/carbon/penalties', { token: reg, body: { ...base, amount_yuan: 600000 } }), 409, 'duplicate');
  });

  it('differentiated 2025 allowances are released to the enterprise once 2024 is settled, once', async () => {
    const preview = expectStatus(await h.api('GET', '/carbon/allocations/2025/preview?kind=pre', { token: reg }), 200).items;
    const parked = preview.find((i) => i.org_id === powerOrg).parked_t;
    const records = expectStatus(await h.api('GET', `/carbon/allocations?year=2025&org=${powerOrg}`, { token: reg }), 200).items;
    assert.equal(parked, records.filter((a) => a.differentiated).reduce((s, a) => s + a.quantity, 0));
    assert.ok(parked > 0);
    // 1,000 t of 2024 are still owed: the cause of the differentiated issuance is not gone.
    assertError(await h.api('POST', '/carbon/allocations/2025/release', { token: reg, body: { org_id: powerOrg } }), 409, 'still_unsettled');
    assertError(await h.api('POST', '/carbon/allocations/2025/release', { token: power, body: { org_id: powerOrg } }), 403, 'forbidden');
    assertError(await h.api('POST', '/carbon/allocations/2025/release', { token: reg, body: { org_id: 'x' } }), 400, null, { field: 'org_id' });
    // The compliance view carries the year's rules for forms.
    const status = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: power }), 200);
    assert.ok(status.rules.cea_vintages.includes(2024));
    assert.equal(status.rules.penalty.needs_average_price, true);
    const owed = status.items.find((r) => r.org_id === powerOrg).outstanding_t;
    assert.ok(await holding(powerAccount, 'CEA-2024') >= owed);
    expectStatus(await h.api('POST', '/carbon/surrenders', { token: power, body: { year: 2024, account: powerAccount, instrument: 'CEA-2024', quantity: owed } }), 201);

    const reserveAccount = records.find((a) => a.differentiated).account_id;
    const [before, reserveBefore] = [await holding(powerAccount, 'CEA-2025'), await holding(reserveAccount, 'CEA-2025')];
    const released = expectStatus(await h.api('POST', '/carbon/allocations/2025/release', { token: reg, body: { org_id: powerOrg } }), 201);
    assert.equal(released.items.length, 1);
    assert.equal(released.items[0].quantity, parked);
    assert.equal(released.items[0].to_account_id, powerAccount);
    assert.equal(await holding(powerAccount, 'CEA-2025'), before + parked);
    assert.equal(await holding(reserveAccount, 'CEA-2025'), reserveBefore - parked);
    const entry = expectStatus(await h.api('GET', `/journal/${released.items[0].entry_id}`, { token: power }), 200);
    assert.equal(entry.kind, 'transfer');
    assertError(await h.api('POST', '/carbon/allocations/2025/release', { token: reg, body: { org_id: powerOrg } }), 409, 'nothing_parked');
    const after = expectStatus(await h.api('GET', '/carbon/allocations/2025/preview?kind=pre', { token: reg }), 200).items;
    assert.equal(after.find((i) => i.org_id === powerOrg).parked_t, 0);
    assert.deepEqual(expectStatus(await h.api('GET', '/carbon/releases?year=2025', { token: power }), 200).items.map((r) => r.id),
      [released.items[0].id]);
    assert.equal(expectStatus(await h.api('GET', '/carbon/releases?year=2025', { token: alu }), 200).items.length, 0);
  });

  it('verified emissions are published without signing in, also as CSV open data', async () => {
    const res = await fetch(`${h.baseUrl}/api/v1/public/disclosures?year=2024`);
    assert.equal(res.status, 200);
    const body = await res.json();
    const confirmed = expectStatus(await h.api('GET', '/mrv/cases?year=2024&status=confirmed', { token: reg }), 200).items;
    assert.ok(confirmed.length >= 5);
    assert.deepEqual(body.items.map((i) => i.facility_id).sort(), confirmed.map((c) => c.facility_id).sort(),
      'every confirmed 2024 report, and only those');
    const mine = body.items.find((i) => i.org_id === powerOrg);
    const standing = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: reg }), 200).items
      .find((r) => r.org_id === powerOrg).standing;
    assert.equal(mine.compliance, standing);
    assert.equal(standing, 'compliant', 'settled in full (late) before this test');
    const bytes = Buffer.from(await (await fetch(`${h.baseUrl}/api/v1/public/disclosures?year=2024&format=csv`)).arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so that spreadsheet programs read UTF-8');
    const csv = bytes.subarray(3).toString('utf8');
    assert.match(csv, /^year,enterprise,uscc,region,facility,verified_emissions_t,compliance\r\n/);
    assert.equal(csv.trim().split('\r\n').length, confirmed.length + 1);
    const history = expectStatus(await h.api('GET', `/carbon/enterprises/${powerOrg}/history`, { token: power }), 200).items;
    const y2024 = history.find((y) => y.year === 2024);
    assert.ok(y2024.allocated_t > 0 && y2024.surrendered_t > 0);
    assertError(await h.api('GET', `/carbon/enterprises/${powerOrg}/history`, { token: alu }), 404);
  });
});
