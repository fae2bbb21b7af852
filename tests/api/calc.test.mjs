// Goal: `greenloop calc` works apart from the server, as issue 3 asks: --list names every
// calculator, each documented example input in docs/calc/ runs, results carry the figures a
// reader can check by hand, and bad input exits 2 with {"error": {code, field}} naming the field.
// Method: the real binary, no database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const bin = process.env.GREENLOOP_BIN;

function calc(args, stdin) {
  const r = spawnSync(bin, ['calc', ...args], { input: stdin, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: r.stdout ? JSON.parse(r.stdout) : null };
}

describe('greenloop calc', () => {
  it('--list names each calculator with its example, and every example runs', () => {
    const r = spawnSync(bin, ['calc', '--list'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const names = [...r.stdout.matchAll(/^(\S+)\t/gm)].map((m) => m[1]);
    assert.ok(names.includes('power-emissions') && names.includes('power-allocation'), r.stdout);
    for (const name of names) {
      const example = r.stdout.match(new RegExp(`calc ${name} --input (\\S+)`))[1];
      const run = calc([name, '--input', example]);
      assert.equal(run.status, 0, `${name}: ${run.stdout} ${run.stderr}`);
      assert.equal(run.json.error, undefined, name);
    }
  });

  it('power-emissions reproduces the guideline formula on a one-month input', () => {
    const input = {
      data_year: 2022, allow_partial_year: true,
      units: [{ id: '#1', fuel_type: 'coal_conventional', capacity_mw: 600 }],
      months: [{ unit_id: '#1', month: 3, generation_mwh: 2000, supply_mwh: 1900, purchased_electricity_mwh: 120,
        fuels: [{ fuel: 'bituminous', consumption: 1000, ncv: 20.908, ncv_evidence: 'N-1', carbon_tc_per_gj: 0.02758, carbon_evidence: 'C-1' }] }],
    };
    const r = calc(['power-emissions', '--input', '-'], JSON.stringify(input));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // 1000 × 20.908 × 0.02758 × 0.99 × 44/12 = 2093.2127832; 120 × 0.5703 = 68.436
    assert.equal(r.json.totals.combustion_t, 2093.21);
    assert.equal(r.json.totals.purchased_electricity_t, 68.44);
    assert.equal(r.json.totals.total_t, 2161.65);
    assert.equal(r.json.grid_factor.t_per_mwh, 0.5703);
    assert.deepEqual(r.json.unit_years[0].months_missing, [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.match(r.json.unit_months[0].fuels[0].calculation, /^1000 × 20\.908 × 0\.02758 × 0\.99 × 44\/12 = 2093\.21$/);
  });

  it('power-allocation applies the 2023 plan to the documented example', () => {
    const r = calc(['power-allocation', '--input', 'docs/calc/power-allocation.json']);
    assert.equal(r.status, 0, r.stderr);
    const example = JSON.parse(readFileSync('docs/calc/power-allocation.json', 'utf8'));
    assert.equal(r.json.plan.plan, '2023-2024');
    assert.equal(r.json.plan.basis, 'generation');
    assert.equal(r.json.units.length, example.units.length);
    // Unit #1: 2,950,000 MWh × 0.7950 × Ff 1.073665 + 2,500,000 GJ × 0.1038
    assert.equal(r.json.units[0].electricity_allowance_t, 2518012.84125);
    assert.equal(r.json.units[0].heat_allowance_t, 259500);
    // Gas unit #3 topped up to its verified emissions
    assert.equal(r.json.units[2].final_allowance_t, 120500.5);
    assert.equal(r.json.entity_allowance.final_t, Math.floor(r.json.entity_allowance.initial_t + r.json.entity_allowance.gap_cap_topup_t));
  });

  it('industry-allocation: 2024 final = verified emissions; 2025 pre = 70 % rounded down; 2025 final refused', () => {
    const facility = (t) => ({ name: 'F', sector: 'cement', verified_emissions_t: t });
    // 2024: 1,355,370.50 + 0.49 = 1,355,370.99 → 1,355,371 (half up to the tonne)
    const final = calc(['industry-allocation', '--input', '-'],
      JSON.stringify({ plan_year: 2024, facilities: [facility(1355370.5), facility(0.49)] }));
    assert.equal(final.status, 0, final.stdout);
    assert.equal(final.json.entity_allowance.final_t, 1355371);
    // 2025 pre: 0.70 × 1,000,000.99 = 700,000.693 → 700,000
    const pre = calc(['industry-allocation', '--input', '-'],
      JSON.stringify({ plan_year: 2025, kind: 'pre', facilities: [facility(1000000.99)] }));
    assert.equal(pre.status, 0, pre.stdout);
    assert.equal(pre.json.entity_allowance.pre_allocation_t, 700000);
    const final2025 = calc(['industry-allocation', '--input', '-'], JSON.stringify({ plan_year: 2025, facilities: [facility(1)] }));
    assert.equal(final2025.status, 2);
    assert.equal(final2025.json.error.code, 'not_computable');
    const sector = calc(['industry-allocation', '--input', '-'],
      JSON.stringify({ plan_year: 2024, facilities: [{ ...facility(1), sector: 'power' }] }));
    assert.equal(sector.status, 2);
    assert.equal(sector.json.error.field, 'facilities[0].sector');
  });

  it('bad input exits 2 and names the field; nothing is guessed', () => {
    const base = { data_year: 2022, allow_partial_year: true, units: [{ id: '#1', fuel_type: 'coal_conventional', capacity_mw: 600 }] };
    const month = (fuel, extra = {}) => ({ unit_id: '#1', month: 1, generation_mwh: 2000, supply_mwh: 1900, fuels: [fuel], ...extra });
    const coal = { fuel: 'bituminous', consumption: 1000, ncv: 20.908, carbon_tc_per_gj: 0.02758, carbon_evidence: 'C' };
    const cases = [
      [{ ...base, months: [month({ ...coal, consumption: -1 })] }, 'out_of_range', 'months[0].fuels[0].consumption'],
      [{ ...base, months: [month({ ...coal, oxidation_rate: 1.2 })] }, 'out_of_range', 'months[0].fuels[0].oxidation_rate'],
      [{ ...base, months: [month({ ...coal, ncv: 5200 })] }, 'out_of_range', 'months[0].fuels[0].ncv'],
      [{ ...base, months: [month(coal, { generation_mwh: 2000000000 })] }, 'out_of_range', 'months[0].generation_mwh'],
      [{ ...base, months: [month({ ...coal, consumption: 1 })] }, 'out_of_range', 'months[0].fuels[0].consumption'],
      [{ ...base, months: [month({ ...coal, colour: 'red' })] }, 'unknown_field', 'months[0].fuels[0].colour'],
      [{ ...base, months: [month({ ...coal, ncv: 'twenty' })] }, 'invalid_number', 'months[0].fuels[0].ncv'],
      [{ ...base, allow_partial_year: false, months: [month(coal)] }, 'missing_months', 'months'],
    ];
    for (const [input, code, field] of cases) {
      const r = calc(['power-emissions', '--input', '-'], JSON.stringify(input));
      assert.equal(r.status, 2, JSON.stringify(input));
      assert.equal(r.json.error.code, code, r.stdout);
      assert.equal(r.json.error.field, field, r.stdout);
    }
    const plan = calc(['power-allocation', '--input', '-'], JSON.stringify({ plan_year: 2017, units: [] }));
    assert.equal(plan.status, 2);
    assert.equal(plan.json.error.field, 'plan_year');
    const notJson = calc(['power-emissions', '--input', '-'], '{"data_year": ');
    assert.equal(notJson.status, 2);
    assert.equal(notJson.json.error.code, 'invalid_json');
    const unknown = spawnSync(bin, ['calc', 'no-such-calculator', '--input', '-'], { input: '{}', encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /calc --list/);
  });
});
