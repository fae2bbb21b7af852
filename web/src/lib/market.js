// Helpers of the exchange's trading pages (交易市场 · 挂牌协议交易). The API contract is docs/api.md,
// section "Market", and docs/market-engine.md, "The exchange above the books".
//
// Prices are integers in fen per unit (`price_fen`); the UI shows and takes them in yuan with two
// decimals. Both directions are exact: lib/decimal.js's BigInt/string arithmetic with scale 100
// (fen = yuan × 100), never floating point.
import { use } from 'echarts/core'
import { CandlestickChart } from 'echarts/charts'
import { i18n } from '../i18n.js'
import { formatQuantity, parseQuantity, toBigInt } from './decimal.js'

// The candlestick series is only used by the market charts; registering it here keeps the shared
// EChart wrapper (bar, line) as it is. echarts' registry is global, so EChart.vue can draw it.
use([CandlestickChart])

// Element Plus components the market pages register locally (with their CSS), as the MRV and
// carbon pages do: the dialog and radio buttons come from lib/mrv.js.
export { ElDialog, ElRadioGroup, ElRadioButton } from './mrv.js'

/** Fen per yuan. */
export const FEN_SCALE = 100
/** Market states (docs/api.md): tag colours of the state tag. */
export const STATES = ['pre_open', 'open', 'halted', 'closed']
export const STATE_TAG = { pre_open: 'warning', open: 'success', halted: 'danger', closed: 'info' }
/** The moves docs/market-engine.md allows from each state (the API has the last word). */
export const TRANSITIONS = {
  closed: ['pre_open', 'open'],
  pre_open: ['open', 'closed'],
  open: ['halted', 'closed'],
  halted: ['open', 'closed'],
}
export const ORDER_STATUS_TAG = { open: 'primary', filled: 'success', cancelled: 'info', expired: 'info' }
/** Colours of the two sides (Chinese convention: red up/buy, green down/sell). */
export const BUY_COLOR = '#c0392b'
export const SELL_COLOR = '#1f7a3a'

/** Book levels asked for (GET …/book?levels=). */
export const BOOK_LEVELS = 10
/** Trades shown on the tape (GET /market/trades?limit=). */
export const TAPE_LIMIT = 50
/** Candle interval in minutes (GET …/candles?interval=). */
export const CANDLE_MINUTES = 5
/** Refresh period of the book, tape and orders (ms). */
export const REFRESH_MS = 2000

/** "50.00" from 5000 fen (exact; thousands separators); '—' when absent. */
export function fenToYuan(fen, { group = true } = {}) {
  if (fen === null || fen === undefined || fen === '') return '—'
  try {
    return formatQuantity(fen, FEN_SCALE, { group })
  } catch {
    return String(fen)
  }
}

export class PriceInputError extends Error {
  constructor(code) {
    super(code)
    this.code = code // empty | syntax | too_many_decimals | zero
  }
}

/**
 * A price typed in yuan → integer fen (BigInt), exactly: digits, optional well-placed thousands
 * commas, at most two decimals (trailing zeros beyond are accepted), more than 0.
 * parseYuanToFen("50.05") === 5005n; parseYuanToFen("0.1") === 10n; "50.123" throws.
 */
export function parseYuanToFen(text) {
  try {
    return parseQuantity(text, FEN_SCALE)
  } catch (e) {
    throw new PriceInputError(e.code || 'syntax')
  }
}

export class IntegerInputError extends Error {
  constructor(code) {
    super(code)
    this.code = code // empty | syntax | zero
  }
}

/** A whole quantity typed by the user (thousands commas allowed, no decimals) → BigInt, > 0. */
export function parseWholeQuantity(text) {
  let q
  try {
    q = parseQuantity(text, 1)
  } catch (e) {
    throw new IntegerInputError(e.code === 'too_many_decimals' ? 'syntax' : e.code || 'syntax')
  }
  return q
}

/**
 * What a buy reserves in fen (docs/market-engine.md, Pre-trade): price × quantity + the fee
 * ⌈price × quantity × fee_bps / 10,000⌉. A sell reserves its quantity of the instrument.
 */
export function buyReservationFen(priceFen, quantity, feeBps) {
  const notional = toBigInt(priceFen) * toBigInt(quantity)
  const feeNum = notional * toBigInt(feeBps || 0)
  const fee = (feeNum + 9999n) / 10000n
  return notional + fee
}

/** "10:05:12" in Beijing time (UTC+8, the CEA session's zone) from an RFC 3339 UTC string. */
export function beijingTime(ts, { seconds = true } = {}) {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ts
  const local = new Date(d.getTime() + 8 * 3600 * 1000).toISOString()
  return local.slice(11, seconds ? 19 : 16)
}

/** "2026-11-23 10:05:12" in Beijing time. */
export function beijingDateTime(ts) {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ts
  const local = new Date(d.getTime() + 8 * 3600 * 1000).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`
}

/** Beijing date "YYYY-MM-DD" of now (the browser's clock), for a listing without a trading day. */
export function beijingToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** Approximate yuan Number for chart axes only (never for bookkeeping or display text). */
export function chartYuan(fen) {
  return fen === null || fen === undefined ? null : Number(fenToYuan(fen, { group: false }))
}

/** Translated state label ("连续交易" / "Open"); the raw value when unknown. */
export function stateLabel(state) {
  const key = `marketState.${state}`
  return i18n.global.te(key) ? i18n.global.t(key) : String(state ?? '')
}

/** Serialization of book levels used by the tests' data attributes: "5000:40:1,4990:10:2". */
export function levelsKey(levels) {
  return (levels || []).map((l) => `${l.price_fen}:${l.quantity}:${l.orders}`).join(',')
}

/**
 * Serializes a loader: a call while one runs queues one more run after it (never two at once,
 * never a lost refresh). Returns the function to call; it resolves when the runs are done.
 */
export function serialLoader(fn) {
  let running = null
  let again = false
  return function run() {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await fn()
      } while (again)
    })().finally(() => {
      running = null
    })
    return running
  }
}
