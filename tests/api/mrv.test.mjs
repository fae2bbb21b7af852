// Goal: the MRV workflow of issue 3 works end to end through the API, with its rules and its
// security: an enterprise registers its facility and enters monthly data (JSON, CSV and XLSX in the
// published template), every revision is kept, the annual report is computed by the guideline's
// formula and versioned, the regulator assigns a verifier without a conflict of interest, the
// verifier raises findings and adjusts values (never editing raw data), the enterprise responds,
// the verifier concludes, the regulator confirms, and the verified emissions are locked.
// Expected figures are derived by hand in the comments (power-generation guideline formula:
// consumption × NCV × carbon content × oxidation × 44/12).
// Method: a real server on a fresh database (SQLite or PostgreSQL), demo users.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, expectStatus, startHarness } from './harness.mjs';

const YEAR = 2025;

function coalMonth(month, consumption = 1000) {
  return {
    unit_id: '#1', month, generation_mwh: 2000, supply_mwh: 1900, meter_evidence: `M1-${month}`,
    fuels: [{ fuel: 'bituminous', consumption, ncv: 20.908, ncv_evidence: `N-${month}`, carbon_tc_per_gj: 0.02758, carbon_evidence: `C-${month}` }],
  };
}
function gasMonth(month) {
  return { unit_id: '#2', month, generation_mwh: 1500, supply_mwh: 1450, fuels: [{ fuel: 'natural_gas', consumption: 100 }] };
}
const months = (make) => Array.from({ length: 12 }, (_, i) => make(i + 1));

describe('MRV: facilities, monthly data, reports and verification', () => {
  let h;
  let reg, power, alu, verifier, baotou, ordos, pub;
  let powerOrg, aluOrg, v1, v2;
  let facility;

  before(async () => {
    h = await startHarness('mrv');
    [reg, power, alu, verifier, baotou, ordos, pub] = await Promise.all(
      ['regulator', 'ent-power', 'ent-alu', 'verifier', 'region-baotou', 'region-ordos', 'public'].map((n) => h.as(n)));
    powerOrg = (await h.me('ent-power')).org_id;
    aluOrg = (await h.me('ent-alu')).org_id;
    v1 = (await h.me('verifier')).org_id;
    const verifiers = expectStatus(await h.api('GET', '/organizations?kind=verifier', { token: reg }), 200).items;
    v2 = verifiers.find((o) => o.id !== v1).id;
  });
  after(async () => { await h?.close(); });

  it('an enterprise registers its own facility; others may not, and bad units are refused', async () => {
    const body = {
      org_id: powerOrg, name: '示范电厂 MRV test plant',
      units: [{ id: '#1', fuel_type: 'coal_conventional', capacity_mw: 600, cooling: 'air', supplies_heat: true },
        { id: '#2', fuel_type: 'gas', capacity_mw: 200 }],
    };
    assertError(await h.api('POST', '/mrv/facilities', { token: power, body: { ...body, org_id: aluOrg } }), 403, 'forbidden');
    assertError(await h.api('POST', '/mrv/facilities', { token: verifier, body }), 403, 'forbidden');
    assertError(await h.api('POST', '/mrv/facilities', { token: power, body: { ...body, units: [{ ...body.units[0], capacity_mw: 600000 }] } }),
      400, 'out_of_range', { field: 'units[0].capacity_mw' });
    assertError(await h.api('POST', '/mrv/facilities', { token: power, body: { ...body, colour: 'red' } }), 400, 'unknown_field', { field: 'colour' });
    facility = expectStatus(await h.api('POST', '/mrv/facilities', { token: power, body }), 201, 'create');
    assert.equal(facility.org_id, powerOrg);
    assert.equal(facility.region, '150200');
    assert.equal(facility.units.length, 2);
  });

  it('only the owner, its league/city and the regulator see the facility', async () => {
    expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}`, { token: power }), 200);
    expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}`, { token: reg }), 200);
    expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}`, { token: baotou }), 200);
    for (const t of [alu, ordos, pub, verifier]) {
      assertError(await h.api('GET', `/mrv/facilities/${facility.id}`, { token: t }), 404, 'not_found');
      assertError(await h.api('GET', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: t }), 404, 'not_found');
    }
    const list = expectStatus(await h.api('GET', '/mrv/facilities', { token: alu }), 200).items;
    assert.ok(!list.some((f) => f.id === facility.id));
    assertError(await h.api('GET', `/mrv/facilities/${facility.id}`), 401, 'unauthenticated');
  });

  it('monthly data by JSON: validated by the accounting rules, stored as revision 1', async () => {
    const path = `/mrv/facilities/${facility.id}/data/${YEAR}`;
    const bad = [
      [{ ...coalMonth(1), fuels: [{ ...coalMonth(1).fuels[0], ncv: 5000 }] }, 'out_of_range', 'months[0].fuels[0].ncv'],
      [{ ...coalMonth(1), generation_mwh: 2000000000 }, 'out_of_range', 'months[0].generation_mwh'],
      [{ ...coalMonth(1), unit_id: '#9' }, 'unknown_unit', 'months[0].unit_id'],
      [{ ...coalMonth(1), fuels: [{ ...coalMonth(1).fuels[0], consumption: -1 }] }, 'out_of_range', 'months[0].fuels[0].consumption'],
      [{ ...coalMonth(1), fuels: [{ ...coalMonth(1).fuels[0], oxidation_rate: 99 }] }, 'out_of_range', 'months[0].fuels[0].oxidation_rate'],
      [{ ...coalMonth(1), month: 13 }, 'out_of_range', 'months[0].month'],
    ];
    for (const [month, code, field] of bad) {
      assertError(await h.api('PUT', path, { token: power, body: { months: [month] } }), 400, code, { field });
    }
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/2026`, { token: power, body: { months: [coalMonth(12)] } }),
      400, 'out_of_range', { field: 'months[0].month' });
    assertError(await h.api('PUT', path, { token: verifier, body: { months: [coalMonth(1)] } }), 404, 'not_found');
    assertError(await h.api('PUT', path, { token: alu, body: { months: [coalMonth(1)] } }), 404, 'not_found');
    assertError(await h.api('PUT', path, { token: baotou, body: { months: [coalMonth(1)] } }), 403, 'forbidden');
    const empty = expectStatus(await h.api('GET', path, { token: power }), 200);
    assert.equal(empty.months.length, 0, 'refused writes changed nothing');

    const put = expectStatus(await h.api('PUT', path, { token: power, body: { months: [...months(coalMonth), ...months(gasMonth)], channel: 'form' } }), 200);
    assert.equal(put.stored.length, 24);
    assert.ok(put.stored.every((s) => s.revision === 1));
    const data = expectStatus(await h.api('GET', path, { token: power }), 200);
    assert.equal(data.months.length, 24);
    // #1: 12 × 1000 × 20.908 × 0.02758 × 0.99 × 44/12 = 25,118.5533984
    // #2: 12 × 100 × 389.31 (default) × 0.01532 (default) × 0.99 × 44/12 = 25,980.1823952
    assert.equal(data.preview.totals.total_t, 51098.74);
    assert.equal(data.editable, true);
  });

  it('CSV upload revises a month; errors name the row; every revision is kept', async () => {
    const path = `/mrv/facilities/${facility.id}/data/${YEAR}`;
    const header = 'unit_id,month,generation_mwh,supply_mwh,heat_supplied_gj,purchased_electricity_mwh,load_rate,meter_evidence,fuel,consumption,ncv,ncv_evidence,carbon_tc_per_gj,carbon_evidence,oxidation_rate';
    const badCsv = `${header}\r\n#1,3,2000,1900,,,,M1-3,bituminous,1100,20.908,N-3b,0.02758,C-3b,\r\n#1,4,2000,1900,,,,M1-4,bituminous,1,000,20.908,N-4,0.02758,C-4,\r\n`;
    const e = assertError(await h.api('POST', `${path}/upload?file=march.csv`, { token: power, rawBody: badCsv, headers: { 'content-type': 'text/csv' } }), 400);
    assert.match(e.message, /row 3/);
    const scaleCsv = `${header}\r\n#1,3,2000,1900,,,,M1-3,bituminous,1.1,20.908,N-3b,0.02758,C-3b,\r\n`;
    const s = assertError(await h.api('POST', `${path}/upload?file=march.csv`, { token: power, rawBody: scaleCsv, headers: { 'content-type': 'text/csv' } }), 400, 'out_of_range');
    assert.match(s.message, /row 2/);
    assert.match(s.message, /kt/);
    const csv = `${header}\r\n#1,3,2000,1900,,,,M1-3,bituminous,1100,20.908,N-3b,0.02758,C-3b,\r\n`;
    const up = expectStatus(await h.api('POST', `${path}/upload?file=march.csv`, { token: power, rawBody: csv, headers: { 'content-type': 'text/csv' } }), 200);
    assert.deepEqual(up.stored, [{ unit_id: '#1', month: 3, revision: 2 }]);
    assert.equal(up.channel, 'upload:march.csv');
    const versions = expectStatus(await h.api('GET', `${path}/versions`, { token: power }), 200).items;
    assert.equal(versions.length, 25);
    const march = versions.filter((v) => v.unit_id === '#1' && v.month === 3);
    assert.deepEqual(march.map((v) => [v.revision, v.channel]), [[1, 'form'], [2, 'upload:march.csv']]);
    assert.equal(march[0].data.fuels[0].consumption, 1000);
    assert.equal(march[1].data.fuels[0].consumption, 1100);
  });

  it('the XLSX template is published and an upload in it is read back', async () => {
    const tpl = await fetch(`${h.baseUrl}/api/v1/mrv/template.xlsx`);
    assert.equal(tpl.status, 200);
    const bytes = Buffer.from(await tpl.arrayBuffer());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    const csvTpl = await (await fetch(`${h.baseUrl}/api/v1/mrv/template.csv`)).text();
    assert.match(csvTpl, /^unit_id,month,generation_mwh/);
    const second = expectStatus(await h.api('POST', '/mrv/facilities', { token: power, body: {
      org_id: powerOrg, name: 'XLSX plant', units: [{ id: '#1', fuel_type: 'coal_conventional', capacity_mw: 600 }] } }), 201);
    const r = await h.api('POST', `/mrv/facilities/${second.id}/data/${YEAR}/upload?file=template.xlsx`, {
      token: power, rawBody: bytes, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expectStatus(r, 200, 'xlsx upload');
    const data = expectStatus(await h.api('GET', `/mrv/facilities/${second.id}/data/${YEAR}`, { token: power }), 200);
    assert.equal(data.months.length, 1);
    assert.deepEqual(data.months[0].fuels.map((f) => f.fuel).sort(), ['bituminous', 'diesel']);
    assert.equal(data.months[0].fuels.find((f) => f.fuel === 'bituminous').ncv, 20.908);
    const garbage = await h.api('POST', `/mrv/facilities/${second.id}/data/${YEAR}/upload`, {
      token: power, rawBody: Buffer.from('PK\x03\x04not really a zip'), headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    assertError(garbage, 400, 'invalid_xlsx');
  });

  let submitted;
  it('the enterprise submits the annual report; the figure follows the guideline formula', async () => {
    const path = `/mrv/facilities/${facility.id}/reports/${YEAR}`;
    assertError(await h.api('POST', path, { token: reg, body: {} }), 403, 'forbidden');
    assertError(await h.api('POST', `/mrv/facilities/${facility.id}/reports/2024`, { token: power, body: {} }), 400, 'missing_months');
    const key = `submit-${facility.id}`;
    const r = await h.api('POST', path, { token: power, body: {}, idempotencyKey: key });
    submitted = expectStatus(r, 201, 'submit');
    // 51,098.7357936 + 0.1 × 2,093.2127832 (March: 1,100 t instead of 1,000) = 51,308.05707192
    assert.equal(submitted.report.total_t, 51308.06);
    assert.equal(submitted.report.scope_t, 51308.06);
    assert.equal(submitted.report.version, 1);
    assert.equal(submitted.case.status, 'submitted');
    const again = await h.api('POST', path, { token: power, body: {}, idempotencyKey: key });
    assert.equal(again.status, 201);
    assert.deepEqual(again.json, submitted, 'a retry answers the first result');
    const v = expectStatus(await h.api('GET', `${path}/versions/1`, { token: power }), 200);
    assert.equal(v.calculation.unit_months.length, 24);
    assert.match(v.calculation.unit_months.find((m) => m.unit_id === '#1' && m.month === 3).fuels[0].calculation,
      /^1100 × 20\.908 × 0\.02758 × 0\.99 × 44\/12 = 2302\.53$/);
  });

  it('assignment refuses a verifier with a conflict of interest', async () => {
    const path = `/mrv/facilities/${facility.id}/reports/${YEAR}`;
    assertError(await h.api('POST', '/mrv/conflicts', { token: power, body: { verifier_org_id: v2, enterprise_org_id: powerOrg, reason: 'x' } }), 403);
    expectStatus(await h.api('POST', '/mrv/conflicts', { token: reg, body: { verifier_org_id: v2, enterprise_org_id: powerOrg, reason: '2024年为该企业提供碳资产咨询' } }), 201);
    assertError(await h.api('POST', `${path}/assign`, { token: reg, body: { verifier_org_id: v2 } }), 422, 'conflict_of_interest', { field: 'verifier_org_id' });
    assertError(await h.api('POST', `${path}/assign`, { token: reg, body: { verifier_org_id: powerOrg } }), 400, 'invalid_field');
    assertError(await h.api('POST', `${path}/assign`, { token: power, body: { verifier_org_id: v1 } }), 403, 'forbidden');
    const c = expectStatus(await h.api('POST', `${path}/assign`, { token: reg, body: { verifier_org_id: v1 } }), 200);
    assert.equal(c.status, 'assigned');
    assert.equal(c.verifier_org_id, v1);
  });

  it('the verifier sees its assignment, cannot edit raw data, and adjusts through findings', async () => {
    const path = `/mrv/facilities/${facility.id}/reports/${YEAR}`;
    expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: verifier }), 200);
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: verifier, body: { months: [coalMonth(3, 900)] } }),
      403, 'forbidden');
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/units/%231`, { token: verifier, body: { fuel_type: 'gas', capacity_mw: 600 } }),
      403, 'forbidden');
    assertError(await h.api('POST', `${path}/findings`, { token: power, body: { description: 'self review' } }), 403, 'forbidden');
    assertError(await h.api('POST', `${path}/findings`, { token: verifier, body: { description: 'NCV', adjustment: { unit_id: '#1', month: 3, fuel: 'bituminous', field: 'ncv', value: 5000 } } }),
      400, 'out_of_range');
    assertError(await h.api('POST', `${path}/findings`, { token: verifier, body: { description: 'x', adjustment: { unit_id: '#1', month: 3, fuel: 'peat', field: 'ncv', value: 21 } } }),
      400, 'not_found', { field: 'adjustment.fuel' });
    const f = expectStatus(await h.api('POST', `${path}/findings`, { token: verifier, body: {
      description: '3月入炉煤低位发热量与化验报告 N-3b 不符，按报告调整为 21.5 GJ/t',
      adjustment: { unit_id: '#1', month: 3, fuel: 'bituminous', field: 'ncv', value: 21.5 } } }), 201);
    assert.equal(f.status, 'open');
    const report = expectStatus(await h.api('GET', path, { token: verifier }), 200);
    assert.equal(report.case.status, 'in_review');
    assertError(await h.api('POST', `${path}/conclude`, { token: verifier, body: { conclusion: '同意' } }), 409, 'open_findings');
    assertError(await h.api('POST', `${path}/findings/${f.id}/response`, { token: verifier, body: { response: 'x' } }), 403);
    const resp = expectStatus(await h.api('POST', `${path}/findings/${f.id}/response`, { token: power, body: { response: '认可，已更正化验台账' } }), 200);
    assert.equal(resp.status, 'responded');
    // The raw data are unchanged by the adjustment.
    const data = expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: power }), 200);
    assert.equal(data.months.find((m) => m.unit_id === '#1' && m.month === 3).fuels[0].ncv, 20.908);
  });

  it('conclusion makes the adjusted version the verified one; confirmation locks it', async () => {
    const path = `/mrv/facilities/${facility.id}/reports/${YEAR}`;
    assertError(await h.api('POST', `${path}/conclude`, { token: power, body: { conclusion: 'ok' } }), 403);
    assertError(await h.api('POST', `${path}/confirm`, { token: reg, body: {} }), 409, 'invalid_state');
    const done = expectStatus(await h.api('POST', `${path}/conclude`, { token: verifier, body: { conclusion: '核查结论：排放量经调整后属实' } }), 200);
    // March #1 with NCV 21.5: 1,100 × 21.5 × 0.02758 × 0.99 × 44/12 = 2,367.72921 instead of
    // 2,302.53406152: 51,308.05707192 + 65.19514848 = 51,373.2522204
    assert.equal(done.verified_report.kind, 'adjusted');
    assert.equal(done.verified_report.version, 2);
    assert.equal(done.case.verified_total_t, 51373.25);
    assert.equal(done.case.status, 'concluded');
    assert.equal(done.case.locked, true);
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: power, body: { months: [coalMonth(3, 900)] } }), 409, 'locked');
    assertError(await h.api('POST', path, { token: power, body: {} }), 409, 'locked');
    const confirmed = expectStatus(await h.api('POST', `${path}/confirm`, { token: reg, body: {} }), 200);
    assert.equal(confirmed.status, 'confirmed');
    const report = expectStatus(await h.api('GET', path, { token: power }), 200);
    assert.deepEqual(report.versions.map((v) => [v.version, v.kind]), [[1, 'submitted'], [2, 'adjusted']]);
    assert.equal(report.findings[0].status, 'closed');
    // The assignment has ended: the verifier no longer sees the facility.
    assertError(await h.api('GET', `/mrv/facilities/${facility.id}`, { token: verifier }), 404);
    const cases = expectStatus(await h.api('GET', `/mrv/cases?year=${YEAR}&status=confirmed`, { token: baotou }), 200).items;
    assert.ok(cases.some((c) => c.facility_id === facility.id && c.verified_total_t === 51373.25));
    assert.equal(expectStatus(await h.api('GET', '/mrv/cases', { token: ordos }), 200).items.some((c) => c.facility_id === facility.id), false);
  });

  it('the reporting calendar shows due dates and what is done', async () => {
    const cal = expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/calendar/${YEAR}`, { token: power }), 200).items;
    assert.equal(cal.length, 14);
    const jan = cal.find((i) => i.item === 'month' && i.month === 1);
    assert.equal(jan.due_date, '2025-03-12');  // 40 natural days after 31 January
    const dec = cal.find((i) => i.item === 'month' && i.month === 12);
    assert.equal(dec.due_date, '2026-02-09');
    assert.equal(cal.find((i) => i.item === 'annual_report').due_date, '2026-03-31');
    assert.equal(cal.find((i) => i.item === 'verification').due_date, '2026-06-30');
    // The data were entered now, long after their due dates.
    assert.equal(jan.status, 'done_late');
  });
});
