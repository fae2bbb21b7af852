// Helpers of the MRV pages (排放核算与核查): constants, number display, form parsing, idempotent
// PUT and upload requests, region names. The API contract is docs/api.md, section MRV.
import { ref } from 'vue'
import { api, get, ApiError, API_BASE, newIdempotencyKey } from './api.js'
import { session } from './session.js'
import { parseJsonExact, stringifyExact } from './json.js'

// Element Plus components used only by the MRV pages. They are registered locally by each MRV
// page (`import { ElDialog } from '../lib/mrv.js'`), each with its CSS, so web/src/element.js (the
// shared registry) stays as it is.
export { ElDialog } from 'element-plus/es/components/dialog/index.mjs'
export { ElDrawer } from 'element-plus/es/components/drawer/index.mjs'
export { ElSteps, ElStep } from 'element-plus/es/components/steps/index.mjs'
export { ElSwitch } from 'element-plus/es/components/switch/index.mjs'
export { ElRadioGroup, ElRadioButton } from 'element-plus/es/components/radio/index.mjs'
import 'element-plus/es/components/dialog/style/css.mjs'
import 'element-plus/es/components/drawer/style/css.mjs'
import 'element-plus/es/components/steps/style/css.mjs'
import 'element-plus/es/components/step/style/css.mjs'
import 'element-plus/es/components/switch/style/css.mjs'
import 'element-plus/es/components/radio-group/style/css.mjs'
import 'element-plus/es/components/radio-button/style/css.mjs'

/** Data years offered by the year selector (the latest one with data is the default). */
export const YEARS = [2024, 2025, 2026]

/** Fuel codes of data/carbon/power-fuels.json, with the unit their consumption is given in. */
export const FUELS = [
  { code: 'bituminous', unit: 't' },
  { code: 'anthracite', unit: 't' },
  { code: 'lignite', unit: 't' },
  { code: 'raw_coal', unit: 't' },
  { code: 'coal_gangue', unit: 't' },
  { code: 'coal_slime', unit: 't' },
  { code: 'natural_gas', unit: '1e4Nm3' },
  { code: 'diesel', unit: 't' },
  { code: 'fuel_oil', unit: 't' },
  { code: 'lpg', unit: 't' },
  { code: 'coke_oven_gas', unit: '1e4Nm3' },
]
export const FUEL_TYPES = ['coal_conventional', 'coal_unconventional', 'gas']
export const COOLING = ['water', 'air']
export const MONTH_FIELDS = ['generation_mwh', 'supply_mwh', 'heat_supplied_gj', 'purchased_electricity_mwh', 'load_rate']
export const FUEL_FIELDS = ['consumption', 'ncv', 'carbon_tc_per_gj', 'oxidation_rate']
/** Fields a verifier's adjustment may change (docs/api.md); the fuel fields need a fuel. */
export const ADJUSTMENT_FIELDS = [...MONTH_FIELDS.filter((f) => f !== 'load_rate'), ...FUEL_FIELDS]
export const CASE_STEPS = ['submitted', 'assigned', 'in_review', 'concluded', 'confirmed']
export const CASE_TAG = { submitted: 'info', assigned: 'warning', in_review: 'warning', concluded: 'primary', confirmed: 'success' }
export const CALENDAR_TAG = { done: 'success', done_late: 'warning', late: 'danger', due: 'warning', open: 'info', not_required: 'info' }
export const FINDING_TAG = { open: 'danger', responded: 'warning', closed: 'success' }

export function fuelUnit(code) {
  const f = FUELS.find((x) => x.code === code)
  return f ? f.unit : ''
}

// ---------- numbers ----------
// MRV figures are JSON numbers with at most six decimals. A figure is shown from its shortest
// decimal representation (exact for up to 15 significant digits, which covers every MRV figure:
// emissions are rounded to 2 decimals by the API); sums are computed exactly with BigInt.

/** Canonical decimal text of a JSON number (no exponent). */
export function decimalText(v) {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v === 'bigint') return v.toString()
  const n = Number(v)
  if (!Number.isFinite(n)) return String(v)
  let s = String(n)
  if (/e/i.test(s)) s = n.toFixed(Math.abs(n) < 1 ? 12 : 0).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
  return s
}

function groupThousands(intStr) {
  return intStr.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * A figure with thousands separators; `digits` pads the fraction to a fixed number of decimals
 * (emissions 2, intensities 4) without rounding (the API already rounded them).
 */
export function num(v, digits = null) {
  const s = decimalText(v)
  if (s === '') return ''
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return s
  let frac = m[3] || ''
  if (digits !== null && frac.length < digits) frac = frac.padEnd(digits, '0')
  return `${m[1]}${groupThousands(m[2])}${frac ? '.' + frac : ''}`
}

/** Emissions in tCO2 with 2 decimals, e.g. "291,988.13". */
export const tco2 = (v) => num(v, 2)

/** Exact sum of decimal figures (at most six decimals each); returns the decimal text. */
export function sumDecimals(values) {
  let total = 0n
  for (const v of values) {
    const s = decimalText(v)
    const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(s)
    if (!m) continue
    const x = BigInt(m[2]) * 1000000n + BigInt((m[3] || '').padEnd(6, '0') || '0')
    total += m[1] ? -x : x
  }
  const neg = total < 0n
  const abs = neg ? -total : total
  const frac = (abs % 1000000n).toString().padStart(6, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${abs / 1000000n}${frac ? '.' + frac : ''}`
}

export class DecimalInputError extends Error {
  constructor(code) {
    super(code)
    this.code = code // empty | syntax | syntax_signed | too_many_decimals | too_large | precision
  }
}

/**
 * Parse a figure typed into a form: plain decimal digits, at most six decimals, at most 10^12, no
 * exponent; no sign unless `signed` (the industrial month form leaves ranges to the API, whose
 * message names the field). Returns a JSON number whose shortest representation is the typed value,
 * so the API reads exactly what was typed (otherwise `precision`).
 */
export function parseDecimalInput(text, { required = true, signed = false } = {}) {
  const raw = String(text ?? '').trim().replace(/,/g, '')
  if (raw === '') {
    if (required) throw new DecimalInputError('empty')
    return undefined
  }
  const m = (signed ? /^(-?)(\d+)(?:\.(\d+))?$/ : /^()(\d+)(?:\.(\d+))?$/).exec(raw)
  if (!m) throw new DecimalInputError(signed ? 'syntax_signed' : 'syntax')
  if ((m[3] || '').length > 6) throw new DecimalInputError('too_many_decimals')
  const n = Number(raw)
  if (Math.abs(n) > 1e12) throw new DecimalInputError('too_large')
  const norm = (s) => s.replace(/^(-?)0+(?=\d)/, '$1').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '').replace(/^-0$/, '0')
  if (decimalText(n) !== norm(raw)) throw new DecimalInputError('precision')
  return n
}

/** The form key of an API error field: "months[0].fuels[1].ncv" → "fuels[1].ncv". */
export function formFieldOf(apiField) {
  if (!apiField) return ''
  return String(apiField).replace(/^months\[\d+\]\.?/, '')
}

/** Compact one-line JSON of a stored unit-month (revision history). */
export function compactJson(v) {
  try {
    return stringifyExact(v)
  } catch {
    return String(v)
  }
}

/** Indented JSON of a stored document (industrial months, revisions). */
export function prettyJson(v) {
  try {
    return stringifyExact(v, 2)
  } catch {
    return String(v)
  }
}

// ---------- requests ----------

/** The last day of a month has passed (the API refuses months not yet ended). */
export function monthEnded(year, month, now = new Date()) {
  return Date.UTC(year, month, 1) <= now.getTime()
}

/**
 * Idempotent PUT/POST with a JSON body, with the rules of lib/submit.js (which only POSTs): one
 * Idempotency-Key per submission; kept for a retry of the same body when the outcome is unknown.
 */
export function useIdempotentRequest() {
  let pending = null // { key, method, path, body }
  const lastKey = ref('')
  const retrying = ref(false)
  const busy = ref(false)

  async function send(method, path, body) {
    const bodyText = stringifyExact(body)
    const isRetry = !!pending && pending.method === method && pending.path === path && pending.body === bodyText
    if (!isRetry) pending = { key: newIdempotencyKey(), method, path, body: bodyText }
    retrying.value = isRetry
    lastKey.value = pending.key
    busy.value = true
    try {
      const res = await api(method, path, { body, idempotencyKey: pending.key })
      pending = null
      return res
    } catch (e) {
      if (!(e instanceof ApiError && e.retryable)) pending = null
      throw e
    } finally {
      busy.value = false
    }
  }
  return { send, lastKey, retrying, busy }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Content type of an upload, from the file name first (browsers report CSV types differently). */
export function uploadContentType(file) {
  const name = String(file && file.name ? file.name : '').toLowerCase()
  if (name.endsWith('.csv')) return 'text/csv'
  if (name.endsWith('.xlsx')) return XLSX_TYPE
  return (file && file.type) || 'application/octet-stream'
}

/**
 * POST a CSV/XLSX file's bytes to …/data/{year}/upload?file=NAME with its content type and an
 * Idempotency-Key (kept for a retry of the same file when the outcome is unknown).
 */
export function useIdempotentUpload() {
  let pending = null // { key, path, sig }
  const lastKey = ref('')
  const busy = ref(false)

  async function upload(path, file) {
    const sig = `${path}\n${file.name}\n${file.size}\n${file.lastModified}`
    if (!pending || pending.sig !== sig) pending = { key: newIdempotencyKey(), sig }
    lastKey.value = pending.key
    busy.value = true
    try {
      const headers = { Accept: 'application/json', 'Content-Type': uploadContentType(file), 'Idempotency-Key': pending.key }
      if (session.token) headers.Authorization = `Bearer ${session.token}`
      let res
      try {
        res = await fetch(`${API_BASE}${path}?file=${encodeURIComponent(file.name)}`, { method: 'POST', headers, body: file })
      } catch (e) {
        throw new ApiError(0, 'network_error', String(e && e.message ? e.message : e))
      }
      const text = await res.text()
      let data = null
      try {
        data = text ? parseJsonExact(text) : null
      } catch {
        data = null
      }
      if (!res.ok) {
        const err = data && data.error ? data.error : {}
        if (res.status === 401) {
          // Let the shared client see the expired session: it clears it and returns to the login page.
          await get('/auth/me').catch(() => {})
        }
        throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || `HTTP ${res.status}`, err.field)
      }
      pending = null
      return data
    } catch (e) {
      if (!(e instanceof ApiError && e.retryable)) pending = null
      throw e
    } finally {
      busy.value = false
    }
  }
  return { upload, lastKey, busy }
}

// ---------- region names ----------

let regionCache = null
/** Map region code → organization (kind region), from GET /organizations?kind=region; cached. */
export function loadRegions() {
  if (!regionCache) {
    regionCache = get('/organizations', { kind: 'region' })
      .then((r) => Object.fromEntries((r.items || []).filter((o) => o.region).map((o) => [o.region, o])))
      .catch((e) => {
        regionCache = null
        throw e
      })
  }
  return regionCache
}
