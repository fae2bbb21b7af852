// Display helpers shared by the pages.
import { i18n } from '../i18n.js'
import { catalog, instrumentMeta } from './catalog.js'
import { formatQuantity } from './decimal.js'

const isZh = () => i18n.global.locale.value === 'zh-CN'

/** "碳排放配额 CEA" in Chinese; "Carbon emission allowance (CEA) 碳排放配额" in English. */
export function familyLabel(code) {
  const f = catalog.familyByCode[code]
  if (!f) return code || ''
  return isZh() ? `${f.name_zh} ${f.code}` : `${f.name_en} (${f.code}) ${f.name_zh}`
}

/** Instrument code with its Chinese (and in English mode, English) name. */
export function instrumentLabel(code) {
  const ins = catalog.byCode[code]
  if (!ins) return code || ''
  return isZh() ? `${ins.name_zh} ${ins.code}` : `${ins.name_en || ins.name_zh} (${ins.code})`
}

/** Quantity in display units with unit, e.g. "100,000 tCO2e". Exact (BigInt). */
export function qtyText(quantity, instrumentCode, { unit = true, sign = false } = {}) {
  const { scale, unit: u } = instrumentMeta(instrumentCode)
  let s = formatQuantity(quantity, scale)
  if (sign && !s.startsWith('-') && s !== '' && !/^0(\.0+)?$/.test(s)) s = '+' + s
  return unit && u ? `${s} ${u}` : s
}

/** "2026-11-21 21:40:00 UTC" from an RFC 3339 string (kept in UTC, no local conversion). */
export function timeText(ts) {
  if (!ts) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(ts)
  return m ? `${m[1]} ${m[2]} UTC` : ts
}

export function shortHash(h) {
  return h ? `${h.slice(0, 10)}…${h.slice(-6)}` : ''
}

export function t(key, args) {
  return i18n.global.t(key, args || {})
}

/** Translate an enum value with a fallback to the raw value. */
export function te(prefix, value) {
  if (value === null || value === undefined) return ''
  const key = `${prefix}.${value}`
  return i18n.global.te(key) ? i18n.global.t(key) : String(value)
}
