// Goal: the industrial sectors of the national ETS (steel, aluminium, cement) go through the same
// MRV workflow as power through the API: registration with the sector's profile, monthly data as
// month documents checked by the sector's engine (errors name the document's field, nothing is
// stored on error, every revision kept), the annual report, verification with adjustments by path
// (the verifier never edits raw data), confirmation, the sector's reporting calendar, and the
// industry allocation rule (2024 = verified emissions; 2025 pre-allocation = 70 %, rounded down).
// Expected figures come from `greenloop calc aluminium-emissions` run here on the same data, and
// from the plan's rule applied with BigInt arithmetic — never from what the server printed.
// Method: a real server on a fresh database (SQLite or PostgreSQL), demo users.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, REPO, assertError, expectStatus, startHarness } from './harness.mjs';

const YEAR = 2025;
const EXAMPLE = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'calc', 'aluminium-emissions.json'), 'utf8'));

/** The aluminium calculator's result for the example's months (optionally changed) in YEAR. */
function calcAluminium(change = (m) => m) {
  const input = { data_year: YEAR, allow_partial_year: false, months: change(structuredClone(EXAMPLE.months)) };
  const r = spawnSync(BIN, ['calc', 'aluminium-emissions', '--input', '-'], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Whole tonnes from a decimal string, half up or down (non-negative figures). */
function tonnes(text, mode) {
  const [whole, frac = ''] = String(text).split('.');
  const units = BigInt(whole);
  if (mode === 'down' || frac === '') return units;
  return Number(frac[0]) >= 5 ? units + 1n : units;
}
/** 0.70 × figure, rounded down to the tonne, in exact arithmetic over hundredths. */
function seventyPercentDown(text) {
  const [whole, frac = ''] = String(text).split('.');
  const hundredths = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return (hundredths * 70n) / 10000n;
}

describe('MRV: industrial sectors in the workflow', () => {
  let h;
  let reg, alu, power, verifier;
  let aluOrg, verifierOrg;
  let facility, cement;

  before(async () => {
    h = await startHarness('industry');
    [reg, alu, power, verifier] = await Promise.all(['regulator', 'ent-alu', 'ent-power', 'verifier'].map((n) => h.as(n)));
    aluOrg = (await h.me('ent-alu')).org_id;
    verifierOrg = (await h.me('verifier')).org_id;
  });
  after(async () => { await h?.close(); });

  it('registration takes the sector profile and refuses what does not fit the sector', async () => {
    const base = { org_id: aluOrg, name: '示范水泥熟料线 test cement' };
    assertError(await h.api('POST', '/mrv/facilities', { token: alu, body: { ...base, sector: 'cement' } }),
      400, 'missing_field', { field: 'profile.lines' });
    assertError(await h.api('POST', '/mrv/facilities', {
      token: alu, body: { ...base, sector: 'cement', profile: { lines: [{ id: 'L1', name: 'x', clinker_type: 'purple' }] } },
    }), 400, null, { field: 'profile.lines[0].clinker_type' });
    assertError(await h.api('POST', '/mrv/facilities', {
      token: alu, body: { ...base, sector: 'aluminium', units: [{ id: '#1', fuel_type: 'gas', capacity_mw: 100 }] },
    }), 400, 'invalid_field', { field: 'units' });
    assertError(await h.api('POST', '/mrv/facilities', {
      token: alu, body: { ...base, sector: 'aluminium', profile: { parameters: { net_anode_t_per_t_al: 410 } } },
    }), 400, 'out_of_range', { field: 'profile.parameters.net_anode_t_per_t_al' });
    assertError(await h.api('POST', '/mrv/facilities', { token: alu, body: { ...base, sector: 'power', profile: {} } }),
      400, 'invalid_field', { field: 'profile' });
    cement = expectStatus(await h.api('POST', '/mrv/facilities', {
      token: alu, body: { ...base, sector: 'cement', profile: { lines: [{ id: 'L1', name: '熟料线', clinker_type: 'portland' }] } },
    }), 201);
    assert.equal(cement.sector, 'cement');
    assert.deepEqual(cement.profile.lines.map((l) => l.id), ['L1']);
    facility = expectStatus(await h.api('POST', '/mrv/facilities', {
      token: alu, body: { org_id: aluOrg, name: '示范电解铝 test smelter', sector: 'aluminium' },
    }), 201);
    assert.equal(facility.sector, 'aluminium');
    assert.equal(facility.profile, null);
  });

  it('monthly documents are checked by the engine; an error names the field and stores nothing', async () => {
    const url = `/mrv/facilities/${facility.id}/data/${YEAR}`;
    const bad = structuredClone(EXAMPLE.months.slice(0, 2));
    bad[1].fuels[0].consumption = -5;
    assertError(await h.api('PUT', url, { token: alu, body: { months: bad } }), 400, null, { field: 'months[1].fuels[0].consumption' });
    const twice = [EXAMPLE.months[0], EXAMPLE.months[0]];
    assertError(await h.api('PUT', url, { token: alu, body: { months: twice } }), 400, 'duplicate', { field: 'months[1].month' });
    const unknown = [{ ...EXAMPLE.months[0], colour: 'red' }];
    assertError(await h.api('PUT', url, { token: alu, body: { months: unknown } }), 400, 'unknown_field', { field: 'months[0].colour' });
    const empty = expectStatus(await h.api('GET', url, { token: alu }), 200);
    assert.equal(empty.months.length, 0, 'nothing stored after refusals');

    const stored = expectStatus(await h.api('PUT', url, { token: alu, body: { months: EXAMPLE.months, channel: 'form' } }), 200);
    assert.equal(stored.stored.length, 12);
    assert.ok(stored.stored.every((s) => s.revision === 1));
    // A correction is revision 2 of that month; the earlier version stays.
    const corrected = structuredClone(EXAMPLE.months[2]);
    corrected.liquid_aluminium_t = EXAMPLE.months[2].liquid_aluminium_t + 100;
    expectStatus(await h.api('PUT', url, { token: alu, body: { months: [corrected] } }), 200);
    const data = expectStatus(await h.api('GET', url, { token: alu }), 200);
    assert.equal(data.sector, 'aluminium');
    assert.equal(data.months.find((m) => m.month === 3).revision, 2);
    assert.equal(data.months.find((m) => m.month === 3).data.liquid_aluminium_t, corrected.liquid_aluminium_t);
    const versions = expectStatus(await h.api('GET', `${url}/versions`, { token: alu }), 200).items;
    assert.deepEqual(versions.filter((v) => v.month === 3).map((v) => v.revision), [1, 2]);
    // The preview is the sector calculator's result on the same months.
    const expected = calcAluminium((m) => { m[2].liquid_aluminium_t = corrected.liquid_aluminium_t; return m; });
    assert.equal(data.preview.total_t, expected.total_t);
    assert.equal(data.preview.liquid_aluminium_t, expected.liquid_aluminium_t);
    // An upload in the power template is refused: industrial facilities use the long template.
    assertError(await h.api('POST', `${url}/upload?file=a.csv`, { token: alu, rawBody: 'unit_id,month,generation_mwh\n#1,1,5\n', headers: { 'content-type': 'text/csv' } }),
      400, 'missing_column');
  });

  it('CSV upload in the long template: one row per value, errors name the sheet rows, the engine checks the months', async () => {
    const template = Buffer.from(await (await fetch(`${h.baseUrl}/api/v1/mrv/template.csv?sector=cement`)).arrayBuffer());
    assert.deepEqual([...template.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheet programs');
    assert.match(template.subarray(3).toString('utf8'), /^month,part,section,item,field,value,evidence\r\n3,L1,/);
    const xlsx = await fetch(`${h.baseUrl}/api/v1/mrv/template.xlsx?sector=steel`);
    assert.deepEqual([...Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2)], [0x50, 0x4b], 'a zip (XLSX)');
    assertError(await h.api('GET', '/mrv/template.csv?sector=wood'), 400, 'invalid_field', { field: 'sector' });

    const url = `/mrv/facilities/${cement.id}/data/${YEAR}/upload?file=cement.csv`;
    const upload = (text) => h.api('POST', url, { token: alu, rawBody: text, headers: { 'content-type': 'text/csv' } });
    const header = 'month,part,section,item,field,value,evidence\n';
    const rows = [
      '3,L1,,,clinker_t,144150,',
      '3,L1,fuels,bituminous,consumption,20212,',
      '3,L1,fuels,bituminous,ncv,22.615,YS-03',
      '3,L1,alternative_materials,carbide_slag,quantity_t,9455,',
      '4,L1,,,clinker_t,139500,',
      '4,L1,fuels,diesel,consumption,19.22,',
    ];
    assertError(await upload(header + rows.join('\n').replace('20212', '"20,212"')), 400, 'invalid_number', { field: 'row 3.value' });
    assertError(await upload(header + rows.join('\n').replace('3,L1,,,clinker_t', '3,,,,clinker_t')), 400, 'missing_field', { field: 'row 2.part' });
    assertError(await upload(header + [...rows, rows[0]].join('\n')), 400, 'duplicate', { field: 'row 8.field' });
    // The engine's error names the rows of the month and the document's field.
    const e = assertError(await upload(header + rows.join('\n').replace('19.22', '-19.22')), 400);
    assert.equal(e.field, 'rows 6–7.lines[0].fuels[0].consumption');
    assert.equal(expectStatus(await h.api('GET', `/mrv/facilities/${cement.id}/data/${YEAR}`, { token: alu }), 200).months.length, 0);

    const stored = expectStatus(await upload(header + rows.join('\n')), 200);
    assert.deepEqual(stored.stored, [{ month: 3, revision: 1 }, { month: 4, revision: 1 }]);
    assert.equal(stored.channel, 'upload:cement.csv');
    const data = expectStatus(await h.api('GET', `/mrv/facilities/${cement.id}/data/${YEAR}`, { token: alu }), 200);
    const march = data.months.find((m) => m.month === 3).data;
    assert.deepEqual(march, { month: 3, lines: [{ line_id: 'L1', clinker_t: 144150,
      fuels: [{ fuel: 'bituminous', consumption: 20212, ncv: 22.615, ncv_evidence: 'YS-03' }],
      alternative_materials: [{ material: 'carbide_slag', quantity_t: 9455 }] }] });
    // The preview is the cement calculator's result on the same months (flat input, partial year).
    const flat = { data_year: YEAR, allow_partial_year: true, lines: cement.profile.lines,
      months: data.months.flatMap((m) => m.data.lines.map((l) => ({ ...l, month: m.month }))) };
    const r = spawnSync(BIN, ['calc', 'cement-emissions', '--input', '-'], { input: JSON.stringify(flat), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(data.preview.total_t, JSON.parse(r.stdout).total_t);
    assert.ok(data.preview.total_t > 0);
  });

  it('others cannot read or write the facility; the verifier cannot edit data', async () => {
    const url = `/mrv/facilities/${facility.id}/data/${YEAR}`;
    assertError(await h.api('GET', url, { token: power }), 404, 'not_found');
    assertError(await h.api('PUT', url, { token: power, body: { months: [EXAMPLE.months[0]] } }), 404, 'not_found');
    assertError(await h.api('PUT', url, { token: verifier, body: { months: [EXAMPLE.months[0]] } }), 404, 'not_found');
  });

  it('the sector calendar: monthly data from July 2025, Jan–Jun back-filled by 31 Oct, report by 31 March', async () => {
    const cal = expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/calendar/${YEAR}`, { token: alu }), 200).items;
    const month = (m) => cal.find((i) => i.item === 'month' && i.month === m);
    assert.equal(month(1).due_date, '2025-10-31');
    assert.equal(month(6).due_date, '2025-10-31');
    assert.equal(month(7).due_date, '2025-09-09'); // 1 Aug + 39 days
    assert.equal(cal.find((i) => i.item === 'annual_report').due_date, '2026-03-31');
    assert.equal(cal.find((i) => i.item === 'verification').due_date, '2026-07-31');
    const cal2024 = expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/calendar/2024`, { token: alu }), 200).items;
    assert.ok(cal2024.filter((i) => i.item === 'month').every((i) => i.status === 'not_required' && i.due_date === null));
    assert.equal(cal2024.find((i) => i.item === 'annual_report').due_date, '2025-06-30');
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/2023`, { token: alu, body: { months: [EXAMPLE.months[0]] } }),
      422, 'not_covered', { field: 'year' });
  });

  it('report, verification with an adjustment by path, confirmation', async () => {
    const base = `/mrv/facilities/${facility.id}/reports/${YEAR}`;
    const submitted = expectStatus(await h.api('POST', base, { token: alu, body: {} }), 201);
    // Accepted after the deadline of the 2026 notice, and said to be late by the days since it.
    const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    const daysSince = Math.round((today - new Date('2026-03-31T00:00:00Z')) / 86_400_000);
    assert.deepEqual(submitted.deadline, { due_date: '2026-03-31', late: daysSince > 0, days_late: Math.max(daysSince, 0) });
    const corrected = (m) => { m[2].liquid_aluminium_t = EXAMPLE.months[2].liquid_aluminium_t + 100; return m; };
    assert.equal(submitted.report.total_t, calcAluminium(corrected).total_t);
    assert.equal(submitted.report.scope_t, submitted.report.total_t, 'direct emissions are the covered scope');
    expectStatus(await h.api('POST', `${base}/assign`, { token: reg, body: { verifier_org_id: verifierOrg } }), 200);

    // A power-style adjustment, or a path that does not exist, is refused.
    assertError(await h.api('POST', `${base}/findings`, {
      token: verifier, body: { description: 'x', adjustment: { unit_id: '#1', month: 3, field: 'consumption', value: 1 } },
    }), 400, 'invalid_field', { field: 'adjustment' });
    assertError(await h.api('POST', `${base}/findings`, {
      token: verifier, body: { description: 'x', adjustment: { month: 3, path: 'fuels[9].consumption', value: 1 } },
    }), 400, 'not_found', { field: 'adjustment.path' });
    // The gas meter of March read 10 % high: the verifier corrects the consumption.
    const gas = Math.round(EXAMPLE.months[2].fuels[0].consumption * 0.9 * 100) / 100;
    const finding = expectStatus(await h.api('POST', `${base}/findings`, {
      token: verifier, body: { description: '3月天然气计量偏高，按校准报告调整', adjustment: { month: 3, path: 'fuels[0].consumption', value: gas } },
    }), 201);
    assert.deepEqual(finding.adjustment, { month: 3, path: 'fuels[0].consumption', value: gas });
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: verifier, body: { months: [EXAMPLE.months[0]] } }),
      403, 'forbidden');
    expectStatus(await h.api('POST', `${base}/findings/${finding.id}/response`, { token: alu, body: { response: '认可' } }), 200);
    const concluded = expectStatus(await h.api('POST', `${base}/conclude`, { token: verifier, body: { conclusion: '数据经调整后真实准确' } }), 200);
    const expected = calcAluminium((m) => { corrected(m); m[2].fuels[0].consumption = gas; return m; });
    assert.equal(concluded.case.verified_total_t, expected.total_t);
    assert.notEqual(expected.total_t, submitted.report.total_t);
    // Raw data stay as entered.
    const data = expectStatus(await h.api('GET', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: alu }), 200);
    assert.equal(data.months.find((m) => m.month === 3).data.fuels[0].consumption, EXAMPLE.months[2].fuels[0].consumption);
    expectStatus(await h.api('POST', `${base}/confirm`, { token: reg, body: {} }), 200);
    assertError(await h.api('PUT', `/mrv/facilities/${facility.id}/data/${YEAR}`, { token: alu, body: { months: [EXAMPLE.months[0]] } }),
      409, null);
  });

  it('allocation: 2024 final = verified emissions; 2025 pre = 70 % of 2024, rounded down; 2025 final not computable', async () => {
    const cases = expectStatus(await h.api('GET', '/mrv/cases?year=2024&status=confirmed', { token: reg }), 200).items;
    const steel = cases.find((c) => c.facility_name.includes('钢铁'));
    assert.ok(steel, 'the demo steel facility is confirmed for 2024');
    const final2024 = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview?kind=final', { token: reg }), 200).items;
    const steelItem = final2024.find((i) => i.org_id === steel.org_id);
    assert.equal(steelItem.ready, true);
    assert.equal(BigInt(steelItem.target_t), tonnes(steel.verified_total_t, 'half_up'));
    assert.equal(steelItem.calculation.calculator, 'industry-allocation');
    const pre2025 = expectStatus(await h.api('GET', '/carbon/allocations/2025/preview?kind=pre', { token: reg }), 200).items;
    assert.equal(BigInt(pre2025.find((i) => i.org_id === steel.org_id).target_t), seventyPercentDown(steel.verified_total_t));
    const pre2024 = expectStatus(await h.api('GET', '/carbon/allocations/2024/preview?kind=pre', { token: reg }), 200).items;
    assert.match(pre2024.find((i) => i.org_id === steel.org_id).not_ready_reason, /no pre-allocation/);
    const final2025 = expectStatus(await h.api('GET', '/carbon/allocations/2025/preview?kind=final', { token: reg }), 200).items;
    const steel2025 = final2025.find((i) => i.org_id === steel.org_id);
    assert.equal(steel2025.ready, false);
    assert.match(steel2025.not_ready_reason, /benchmark/);
    // The compliance view counts the industrial enterprise with its sector.
    const compliance = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: reg }), 200);
    const row = compliance.items.find((i) => i.org_id === steel.org_id);
    assert.equal(BigInt(row.obligation_t), tonnes(steel.verified_scope_t, 'half_up'));
    assert.ok(compliance.by_industry.some((b) => b.industry === 'steel'));
  });

  it('reminders: each role gets the deadlines it acts on, most urgent first, with days left from today', async () => {
    const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    const daysLeft = (due) => Math.round((new Date(due + 'T00:00:00Z') - today) / 86_400_000);
    assertError(await h.api('GET', '/reminders?within_days=abc', { token: alu }), 400, 'out_of_range', { field: 'within_days' });
    assertError(await h.api('GET', '/reminders?within_days=400', { token: alu }), 400, 'out_of_range', { field: 'within_days' });
    assertError(await h.api('GET', '/reminders'), 401, 'unauthenticated');

    const mine = expectStatus(await h.api('GET', '/reminders?within_days=30', { token: alu }), 200);
    assert.equal(mine.within_days, 30);
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((r) => r.org_id === aluOrg), 'only its own');
    assert.ok(mine.items.every((r) => r.kind !== 'verification'), 'the verifier verifies, not the enterprise');
    for (const r of mine.items) {
      assert.equal(r.days_left, daysLeft(r.due_date), JSON.stringify(r));
      assert.equal(r.overdue, r.days_left < 0);
      assert.ok(r.days_left <= 30);
    }
    assert.deepEqual(mine.items.map((r) => r.days_left), [...mine.items.map((r) => r.days_left)].sort((a, b) => a - b));
    // The demo smelter's 2025 report is not submitted: due 31 March 2026 under the 2026 notice.
    const demo = expectStatus(await h.api('GET', '/mrv/facilities?sector=aluminium', { token: alu }), 200).items
      .find((f) => f.id !== facility.id);
    const report = mine.items.find((r) => r.kind === 'annual_report' && r.facility_id === demo.id && r.year === 2025);
    if (daysLeft('2026-03-31') <= 30) assert.equal(report?.due_date, '2026-03-31');
    // The test smelter's 2025 year is confirmed: nothing is owed for it.
    assert.ok(!mine.items.some((r) => r.facility_id === facility.id && r.year === 2025));

    const assigned = expectStatus(await h.api('GET', '/reminders?within_days=366', { token: verifier }), 200).items;
    assert.ok(assigned.length > 0 && assigned.every((r) => r.kind === 'verification'));
    const cases = expectStatus(await h.api('GET', '/mrv/cases', { token: verifier }), 200).items;
    assert.ok(assigned.every((r) => cases.some((c) => c.facility_id === r.facility_id && c.year === r.year)));

    // Surrenders owed: ent-power's 2024 position, with what the compliance view says is outstanding.
    const powerOrg = (await h.me('ent-power')).org_id;
    const owed = expectStatus(await h.api('GET', '/reminders?within_days=0', { token: power }), 200).items
      .find((r) => r.kind === 'compliance' && r.year === 2024);
    const row = expectStatus(await h.api('GET', '/carbon/compliance/2024', { token: power }), 200).items.find((i) => i.org_id === powerOrg);
    assert.equal(owed.outstanding_t, row.outstanding_t);
    assert.equal(owed.due_date, '2025-12-31');
    assert.equal(owed.overdue, daysLeft('2025-12-31') < 0);
  });
});

