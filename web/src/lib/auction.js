// Helpers of the block agreement trading tab (大宗协议交易, components/MarketBlock*.vue) and the
// auction page (竞价拍卖 · 单向竞价, views/AuctionsView.vue, components/Auction*.vue). The API
// contract is docs/api.md, sections "Block trades" and "Auctions".
//
// Prices are integers in fen, shown and typed in yuan (lib/market.js: fenToYuan, parseYuanToFen);
// quantities integers in the instrument's smallest unit, typed and shown in display units with
// the instrument's scale (lib/decimal.js, exact). Times are RFC 3339 UTC strings from the API; the
// forms take Beijing time (UTC+8, the exchange's zone) and send UTC.
import { i18n } from '../i18n.js'
import { instrumentMeta } from './catalog.js'
import { parseQuantity } from './decimal.js'

/** Block proposal statuses (docs/api.md) and their tag colours. */
export const BLOCK_STATUSES = ['proposed', 'accepted', 'rejected', 'withdrawn', 'expired']
export const BLOCK_STATUS_TAG = { proposed: 'warning', accepted: 'success', rejected: 'danger', withdrawn: 'info', expired: 'info' }

/** Auction statuses in their order of life, and tag colours. */
export const AUCTION_STATUSES = ['upcoming', 'bidding', 'awaiting_clearing', 'cleared', 'cancelled']
export const AUCTION_STATUS_TAG = { upcoming: 'info', bidding: 'success', awaiting_clearing: 'warning', cleared: 'primary', cancelled: 'info' }
/**
 * What GET /market/auctions?status= takes for each status shown: the API filters by the stored
 * status (open, cleared, cancelled); upcoming, bidding and awaiting_clearing are the phases of an
 * open auction by the server's clock, so the page asks for `open` and keeps the phase asked for.
 */
export const AUCTION_QUERY_STATUS = { upcoming: 'open', bidding: 'open', awaiting_clearing: 'open', cleared: 'cleared', cancelled: 'cancelled' }
export const AUCTION_PURPOSES = ['paid_allocation', 'reserve_sale']
export const AUCTION_PRICINGS = ['uniform', 'pay_as_bid']
export const BID_STATUS_TAG = { live: 'primary', withdrawn: 'info', won: 'success', lost: 'danger' }

/** Refresh period of the block list and the auction page (ms). */
export const BLOCK_REFRESH_MS = 2000
export const AUCTION_REFRESH_MS = 3000

/** Translated enum label with the raw value as fallback ("bidding" → "竞价中"). */
export function enumLabel(prefix, value) {
  if (value === null || value === undefined || value === '') return ''
  const key = `${prefix}.${value}`
  return i18n.global.te(key) ? i18n.global.t(key) : String(value)
}

export class TimeInputError extends Error {
  constructor(code) {
    super(code)
    this.code = code // empty | syntax | invalid
  }
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000

/**
 * A Beijing time typed by the user → RFC 3339 UTC ("2026-11-23 14:30" → "2026-11-23T06:30:00Z").
 * Accepts "YYYY-MM-DD HH:mm[:ss]" (also with a "T"), or "HH:mm[:ss]" on `day` (YYYY-MM-DD) when
 * given. Exact: the fields are checked (no month 13, no 24:00) and no floating point is involved.
 */
export function parseBeijingTime(text, { day = '' } = {}) {
  const raw = String(text ?? '').trim()
  if (raw === '') throw new TimeInputError('empty')
  let m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw)
  if (!m) {
    const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw)
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '')
    if (!t || !d) throw new TimeInputError('syntax')
    m = [raw, d[1], d[2], d[3], t[1], t[2], t[3]]
  }
  const [y, mo, da, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] || '00'].map(Number)
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) throw new TimeInputError('invalid')
  const utc = Date.UTC(y, mo - 1, da, h, mi, s) - BEIJING_OFFSET_MS
  const back = new Date(utc + BEIJING_OFFSET_MS)
  if (back.getUTCDate() !== da || back.getUTCMonth() !== mo - 1) throw new TimeInputError('invalid') // 02-30
  return new Date(utc).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** "2026-11-23 13:10" in Beijing time from an RFC 3339 string ('' when absent). */
export function beijingMinute(ts) {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return String(ts)
  const local = new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`
}

/**
 * A quantity typed in the instrument's display unit → smallest units (BigInt), exactly; for CEA
 * (scale 1) whole tonnes. Throws QuantityParseError (code empty | syntax | too_many_decimals | zero).
 */
export function parseInstrumentQuantity(text, instrument) {
  return parseQuantity(text, instrumentMeta(instrument).scale)
}

/** The message key of a quantity or price parse error code. */
export function quantityErrorKey(code) {
  return { empty: 'needQuantity', zero: 'quantityPositive', too_many_decimals: 'quantityDecimals' }[code] || 'quantitySyntax'
}
export function priceErrorKey(code) {
  return { empty: 'needPrice', zero: 'pricePositive', too_many_decimals: 'priceDecimals' }[code] || 'priceSyntax'
}
export function timeErrorKey(code) {
  return { empty: 'needTime', invalid: 'timeInvalid' }[code] || 'timeSyntax'
}

/** An organization's label "名称 #id" from a map of organizations by id (the id alone when unknown). */
export function orgLabel(orgsById, id) {
  if (id === null || id === undefined) return '—'
  const o = orgsById[id]
  if (!o) return `#${id}`
  const zh = i18n.global.locale.value === 'zh-CN'
  return `${zh ? o.name_zh : o.name_en || o.name_zh} #${id}`
}

/** "2026-11-23 13:10:00 – 13:40:00" (the closing date repeated only when it differs), Beijing time. */
export function windowText(opensAt, closesAt) {
  const a = beijingSecond(opensAt)
  const b = beijingSecond(closesAt)
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`
}

/** "2026-11-23 13:10:05" in Beijing time (seconds shown: auction windows may be seconds long). */
export function beijingSecond(ts) {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return String(ts)
  const local = new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`
}
