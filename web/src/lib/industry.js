// Helpers of the MRV pages for industrial facilities (钢铁 steel, 铝冶炼 aluminium, 水泥熟料 cement).
// Their guidelines account the facility as a whole, so a month is one document in the sector
// calculator's month format (docs/calc/industry.md), with the changes of docs/api.md "Industrial
// sectors": a steel month carries its captive power units' months (`power_units`), a cement month is
// `{"month","lines":[…]}`. This module holds the code lists, the shape of a month document (which the
// month form is built from), the conversion between a document and the form's strings, and the
// figures the pages take from a sector calculator's result.
import { i18n } from '../i18n.js'
import { decimalText, parseDecimalInput, sumDecimals } from './mrv.js'
// The sectors' code lists come from the defaults the engines embed, so the form offers exactly
// the codes the API accepts (names in Chinese and English included).
import steelFactors from '../../../data/carbon/steel-factors.json'
import aluminiumFactors from '../../../data/carbon/aluminium-factors.json'
import cementFactors from '../../../data/carbon/cement-factors.json'

export const INDUSTRY_SECTORS = ['steel', 'aluminium', 'cement']
export const SECTORS = ['power', ...INDUSTRY_SECTORS]
export const isIndustrial = (sector) => INDUSTRY_SECTORS.includes(sector)

// ---------- code lists ----------

function codes(file, kind, pred = () => true) {
  const seen = new Set()
  const out = []
  for (const r of file.items || []) {
    if (r.kind !== kind || !r.code || seen.has(r.code) || !pred(r)) continue
    seen.add(r.code)
    out.push({ code: r.code, name_zh: r.name_zh || r.code, name_en: r.name_en || '', unit: r.unit || '' })
  }
  return out
}
const steelMaterials = (role) => codes(steelFactors, 'material', (r) => (r.roles || []).includes(role))

/** Fuels of each sector (the three files list the same codes; each sector's own file is used). */
export const FUEL_CODES = {
  steel: codes(steelFactors, 'fuel'),
  aluminium: codes(aluminiumFactors, 'fuel'),
  cement: codes(cementFactors, 'fuel'),
}
/** Clinker types of cement lines (kind `clinker_type` of data/carbon/cement-factors.json). */
export const CLINKER_TYPES = codes(cementFactors, 'clinker_type')
export const MATERIAL_CODES = {
  steel_carbonates: steelMaterials('carbonate'),
  steel_carbon_inputs: steelMaterials('carbon_input'),
  steel_carbon_products: steelMaterials('carbon_product'),
  aluminium_carbonates: codes(aluminiumFactors, 'carbonate'),
  cement_alternative_materials: codes(cementFactors, 'alternative_material'),
}
const ALL_CODES = [
  ...FUEL_CODES.steel, ...CLINKER_TYPES, ...Object.values(MATERIAL_CODES).flat(),
]

/**
 * Display name of a fuel/material/clinker code: "烟煤" in Chinese, "bituminous coal 烟煤" in English
 * ("bituminous coal" when `short`, for dense tables).
 */
export function codeName(code, row = null, { short = false } = {}) {
  const r = row && row.name_zh ? row : ALL_CODES.find((x) => x.code === code)
  if (!r) return code || ''
  if (i18n.global.locale.value === 'zh-CN') return r.name_zh
  return short ? r.name_en || r.code : `${r.name_en || r.code} ${r.name_zh}`
}

/** Unit of a fuel's consumption: "t" or "1e4Nm3". */
export function fuelUnitOf(sector, code) {
  const f = (FUEL_CODES[sector] || FUEL_CODES.steel).find((x) => x.code === code)
  return f ? f.unit : ''
}

// ---------- the month document ----------
// A group is a part of the document with figures, fuels and material lists: the month itself
// (steel, aluminium), a captive power unit's month (steel) or a clinker line's month (cement).

const FUEL_ALL = ['consumption', 'ncv', 'ncv_evidence', 'carbon_tc_per_gj', 'carbon_evidence', 'oxidation_rate']
// Steel takes the default carbon content and oxidation rate always (§6.2.3): no field for them.
const FUEL_STEEL = ['consumption', 'ncv', 'ncv_evidence']
/** Fuel fields that are text (the others are figures). */
export const TEXT_FIELDS = new Set(['ncv_evidence', 'carbon_evidence'])

export const MONTH_SCHEMA = {
  aluminium: {
    numbers: ['liquid_aluminium_t', 'anode_effect_minutes', 'net_anode_t_per_t_al', 'anode_sulfur_fraction', 'anode_ash_fraction', 'purchased_electricity_mwh', 'electrolysis_ac_mwh'],
    required: ['liquid_aluminium_t'],
    fuels: FUEL_ALL,
    lists: [{ key: 'carbonates', codes: 'aluminium_carbonates' }],
  },
  steel: {
    numbers: ['crude_steel_t', 'electrodes_t'],
    required: ['crude_steel_t'],
    fuels: FUEL_STEEL,
    lists: [
      { key: 'carbonates', codes: 'steel_carbonates' },
      { key: 'carbon_inputs', codes: 'steel_carbon_inputs' },
      { key: 'carbon_products', codes: 'steel_carbon_products' },
    ],
    // One part per captive power unit of the profile, identified by `id`.
    parts: { key: 'power_units', profile: 'power_units', idKey: 'id', numbers: ['generation_mwh', 'heat_supplied_gj'], required: ['generation_mwh'], fuels: FUEL_STEEL, lists: [] },
  },
  cement: {
    numbers: [],
    required: [],
    fuels: null,
    lists: [],
    // One part per clinker line of the profile, identified by `line_id`.
    parts: { key: 'lines', profile: 'lines', idKey: 'line_id', numbers: ['clinker_t'], required: ['clinker_t'], fuels: FUEL_ALL, lists: [{ key: 'alternative_materials', codes: 'cement_alternative_materials' }] },
  },
}

/** The parts of the profile (power units, clinker lines) a month document has one entry for. */
export function profileParts(facility) {
  const s = MONTH_SCHEMA[facility.sector]
  if (!s || !s.parts) return []
  return ((facility.profile && facility.profile[s.parts.profile]) || []).map((p) => ({ id: p.id, name: p.name || '' }))
}

const str = (v) => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'bigint' ? decimalText(v) : String(v))
const emptyFuel = (fields) => Object.fromEntries([['fuel', ''], ...fields.map((f) => [f, ''])])
export const newFuelRow = (fields) => emptyFuel(fields)
export const newMaterialRow = () => ({ material: '', quantity_t: '' })

function groupKeys(g) {
  return new Set([...g.numbers, ...(g.fuels ? ['fuels'] : []), ...g.lists.map((l) => l.key)])
}

/** Form state (strings) of one group of a document; fields the form does not know are kept aside. */
function groupToForm(g, doc, skip) {
  const known = groupKeys(g)
  const state = { numbers: {}, fuels: [], lists: {}, extra: {} }
  for (const k of g.numbers) state.numbers[k] = str(doc[k])
  if (g.fuels) {
    state.fuels = (doc.fuels || []).map((f) => {
      const row = emptyFuel(g.fuels)
      for (const [k, v] of Object.entries(f)) {
        if (k === 'fuel' || g.fuels.includes(k)) row[k] = str(v)
        else (row.extra ||= {})[k] = v
      }
      return row
    })
  }
  for (const l of g.lists) state.lists[l.key] = (doc[l.key] || []).map((m) => ({ material: m.material || '', quantity_t: str(m.quantity_t) }))
  for (const [k, v] of Object.entries(doc)) if (!known.has(k) && !skip.includes(k)) state.extra[k] = v
  return state
}

/**
 * The form state of a month document (the stored one, or an empty month): the month's own group and
 * one group per profile part, in the profile's order (a stored part not in the profile is kept too).
 */
export function documentToForm(facility, doc) {
  const s = MONTH_SCHEMA[facility.sector]
  const d = doc || {}
  const state = { month: d.month || null, main: groupToForm(s, d, ['month', ...(s.parts ? [s.parts.key] : [])]), parts: [] }
  if (s.parts) {
    const stored = d[s.parts.key] || []
    const ids = profileParts(facility).map((p) => p.id)
    for (const p of stored) if (!ids.includes(p[s.parts.idKey])) ids.push(p[s.parts.idKey])
    state.parts = ids.map((id) => ({ id, ...groupToForm(s.parts, stored.find((p) => p[s.parts.idKey] === id) || {}, [s.parts.idKey]) }))
  }
  return state
}

function groupFromForm(g, state, prefix, errs, { lenient }) {
  const out = { ...state.extra }
  const num = (text, key, required) => {
    try {
      return parseDecimalInput(text, { required, signed: true })
    } catch (e) {
      if (lenient) return text === '' ? undefined : text
      errs[key] = e.code
      return undefined
    }
  }
  for (const k of g.numbers) {
    const v = num(state.numbers[k], `${prefix}${k}`, g.required.includes(k))
    if (v !== undefined) out[k] = v
  }
  if (g.fuels) {
    out.fuels = state.fuels.map((row, i) => {
      const p = `${prefix}fuels[${i}].`
      const f = { fuel: row.fuel, ...(row.extra || {}) }
      if (!row.fuel && !lenient) errs[`${p}fuel`] = 'need_code'
      for (const k of g.fuels) {
        if (TEXT_FIELDS.has(k)) {
          if (String(row[k] || '').trim()) f[k] = String(row[k]).trim()
        } else {
          const v = num(row[k], `${p}${k}`, k === 'consumption')
          if (v !== undefined) f[k] = v
        }
      }
      return f
    })
  }
  for (const l of g.lists) {
    out[l.key] = state.lists[l.key].map((row, i) => {
      const p = `${prefix}${l.key}[${i}].`
      if (!row.material && !lenient) errs[`${p}material`] = 'need_code'
      const m = { material: row.material }
      const v = num(row.quantity_t, `${p}quantity_t`, true)
      if (v !== undefined) m.quantity_t = v
      return m
    })
  }
  return out
}

/**
 * The month document from the form state. Figures are parsed exactly (lib/mrv.js parseDecimalInput;
 * signs are allowed: ranges are the API's to check, and its message names the field). Local mistakes
 * go to `errs` (document path → decimal error code, or `need_code`); `lenient` keeps what cannot be
 * parsed as text (to show the document being edited as JSON).
 */
export function formToDocument(facility, state, { lenient = false } = {}) {
  const s = MONTH_SCHEMA[facility.sector]
  const errs = {}
  const doc = { month: state.month, ...groupFromForm(s, state.main, '', errs, { lenient }) }
  if (s.parts) {
    doc[s.parts.key] = state.parts.map((p, i) => ({ [s.parts.idKey]: p.id, ...groupFromForm(s.parts, p, `${s.parts.key}[${i}].`, errs, { lenient }) }))
  }
  return { doc, errs }
}

/**
 * Every numeric value of a month document with its path ("fuels[0].consumption",
 * "lines[1].clinker_t"): what a verifier's adjustment may name. `month` itself is not a value.
 */
export function numericPaths(doc) {
  const out = []
  const walk = (v, path) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`))
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!(path === '' && k === 'month')) walk(x, path ? `${path}.${k}` : k)
    } else if (typeof v === 'number' || typeof v === 'bigint') out.push({ path, value: v })
  }
  walk(doc || {}, '')
  return out
}

/** The value at a path of a document ("fuels[0].consumption"); undefined when absent. */
export function valueAt(doc, path) {
  let v = doc
  for (const part of String(path).match(/[^.[\]]+/g) || []) {
    if (v === null || v === undefined) return undefined
    v = v[/^\d+$/.test(part) ? Number(part) : part]
  }
  return v
}

/** What a path points at, for people: the fuel, material or part of the list item it is in. */
export function pathContext(doc, path) {
  const bits = []
  const re = /([a-z_]+)\[(\d+)\]/g
  let m
  let cur = doc
  while ((m = re.exec(path))) {
    const item = cur && cur[m[1]] ? cur[m[1]][Number(m[2])] : null
    if (!item) break
    bits.push(item.fuel ? codeName(item.fuel) : item.material ? codeName(item.material) : item.line_id || item.id || '')
    cur = item
  }
  return bits.filter(Boolean).join(' · ')
}

// ---------- the calculator's result ----------

/** Output quantity and intensity of a sector result: keys and units. */
export const RESULT_KEYS = {
  steel: { output: 'crude_steel_t', intensity: 'intensity_t_per_t_crude_steel' },
  aluminium: { output: 'liquid_aluminium_t', intensity: 'intensity_t_per_t_al' },
  cement: { output: 'clinker_t', intensity: 'intensity_t_per_t_clinker' },
}

/** The sector calculator of a result ("steel-emissions" → "steel"). */
export function resultSector(result) {
  const c = result && result.calculator ? String(result.calculator) : ''
  return INDUSTRY_SECTORS.find((s) => c === `${s}-emissions`) || null
}

/** Emissions of one month in a result (cement: the exact sum of its lines' months); null if absent. */
export function monthEmissions(sector, result, month) {
  const months = ((result && result.months) || []).filter((m) => m.month === month)
  if (!months.length) return null
  if (sector === 'cement') return sumDecimals(months.map((m) => m.total_t))
  const m = months[0]
  return m.total_t ?? (m.sources ? m.sources.total_t : null)
}

/** Emissions per cement line of one month: { L1: "115297.37", … }. */
export function lineMonthEmissions(result, month) {
  const out = {}
  for (const m of (result && result.months) || []) if (m.month === month) out[m.line_id] = m.total_t
  return out
}

/**
 * The result's sources as rows { key, value, deducted }: steel and aluminium list flat sums,
 * cement its fuel and process (gross clinker, deductions, net process) sums.
 */
export function sourceRows(sector, result) {
  const s = (result && result.sources) || {}
  if (sector === 'cement') {
    const p = s.process || {}
    return [
      { key: 'fuel_t', value: s.fuel_t },
      { key: 'process_clinker_t', value: p.clinker_t },
      { key: 'process_deduction_t', value: p.deduction_t, deducted: true },
      { key: 'process_t', value: p.process_t },
    ]
  }
  return Object.entries(s)
    .filter(([k]) => k !== 'total_t')
    .map(([k, v]) => ({ key: k, value: v, deducted: /deducted/.test(k) }))
}

/** A note of the calculator that names an unconfirmed ([U]) default. */
export const noteUnconfirmed = (n) => /\[U\]/.test(String(n))
