// Helpers of the carbon market pages (碳市场: 配额分配、清缴履约、信息披露). The API contract is
// docs/api.md, section "Carbon market: allocation, compliance, disclosure".
//
// Units: fields ending in `_t` are tonnes. Allocation targets, obligations, surrendered and
// outstanding quantities are integers (CEA and CCER have scale 1: one unit = 1 tCO2e); verified
// emissions are JSON decimals with at most 2 decimals (shown with lib/mrv.js's `tco2`).
import { reactive } from 'vue'
import { i18n } from '../i18n.js'
import { session } from './session.js'
import { formatQuantity, parseQuantity, toBigInt } from './decimal.js'
import { loadRegions, decimalText } from './mrv.js'
// GB/T 2260 names of the leagues and cities, bundled for the public disclosure page: without a
// token the API does not list organizations, and the disclosure rows only carry region codes.
import regionsData from '../../../data/regions.json'

// Element Plus components the carbon pages register locally (the dialog, drawer and radio buttons
// come with their CSS from lib/mrv.js; the checkbox's CSS comes with the table's).
export { ElDialog, ElDrawer, ElRadioGroup, ElRadioButton } from './mrv.js'
export { ElCheckbox } from 'element-plus/es/components/checkbox/index.mjs'
import 'element-plus/es/components/checkbox/style/css.mjs'

/** Years offered by the year selectors (same as the MRV pages). */
export { YEARS } from './mrv.js'

export const STANDING = ['compliant', 'open', 'overdue']
export const STANDING_TAG = { compliant: 'success', open: 'warning', overdue: 'danger' }
export const STANDING_COLOR = { compliant: '#1f7a3a', open: '#d48806', overdue: '#b42318' }
export const ALLOCATION_KIND_TAG = { pre_allocation: 'info', true_up: 'success', claw_back: 'warning' }
/** Families that settle emissions (POST /carbon/surrenders refuses the others). */
export const SURRENDER_FAMILIES = ['CEA', 'CCER']

/** Whole tonnes with thousands separators ("4,166,663"); '—' when absent. Exact (BigInt). */
export function tonnes(v) {
  if (v === null || v === undefined || v === '') return '—'
  try {
    return formatQuantity(v, 1)
  } catch {
    return String(v)
  }
}

/** Signed whole tonnes: "+1,000", "-25", "0". */
export function signedTonnes(v) {
  const s = tonnes(v)
  return /^[1-9]/.test(s) ? `+${s}` : s
}

/** Exact sum of integer quantities (number | bigint | string) as a BigInt. */
export function sumInt(values) {
  let total = 0n
  for (const v of values) if (v !== null && v !== undefined && v !== '') total += toBigInt(v)
  return total
}

export class YuanInputError extends Error {
  constructor(code) {
    super(code)
    this.code = code // empty | syntax | too_many_decimals | zero | precision
  }
}

/**
 * Parse an amount in yuan typed into a form: digits, optional well-placed thousands commas, at most
 * two decimals, more than 0. Returns a JSON number whose shortest representation is exactly the
 * amount (the API reads JSON numbers as decimals); refuses amounts a double cannot carry exactly.
 */
export function parseYuan(text) {
  let fen
  try {
    fen = parseQuantity(text, 100)
  } catch (e) {
    throw new YuanInputError(e.code || 'syntax')
  }
  const exact = formatQuantity(fen, 100, { group: false }).replace(/\.?0+$/, '')
  const n = Number(exact)
  if (decimalText(n) !== exact) throw new YuanInputError('precision')
  return n
}

/** "1,450,422,800.00" from a yuan amount sent by the API as a JSON decimal (at most 2 decimals). */
export function yuanText(v) {
  const s = decimalText(v)
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return s
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(m[3] || '').padEnd(2, '0')}`
}

// ---------- league and city names ----------

/** Region code → { name_zh, name_en }: the bundled GB/T 2260 list, replaced by the API's when signed in. */
export const regionNames = reactive(Object.fromEntries((regionsData.items || []).map((r) => [r.code, { name_zh: r.name_zh, name_en: r.name_en }])))

let regionsLoaded = false
/** Merge the API's region organizations (GET /organizations?kind=region) once, when signed in. */
export async function loadRegionNames() {
  if (regionsLoaded || !session.token) return regionNames
  try {
    const map = await loadRegions()
    for (const [code, o] of Object.entries(map)) regionNames[code] = { name_zh: o.name_zh, name_en: o.name_en }
    regionsLoaded = true
  } catch {
    /* keep the bundled names */
  }
  return regionNames
}

/** "包头市" in Chinese, "Baotou 包头市" in English; the code when unknown. */
export function regionLabel(code) {
  if (!code) return ''
  const r = regionNames[code]
  if (!r) return code
  return i18n.global.locale.value === 'zh-CN' ? r.name_zh : `${r.name_en || r.name_zh} ${r.name_zh}`
}
