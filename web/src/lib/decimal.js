// Exact conversions between smallest units (integers from the API) and display units.
// Everything is done with BigInt and string arithmetic: no floating point is involved.

/** Convert a number | bigint | string integer to BigInt; throws on non-integers. */
export function toBigInt(v) {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`not an integer: ${v}`)
    return BigInt(v)
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim())
  throw new Error(`not an integer: ${v}`)
}

/** Number of decimal digits for a power-of-ten scale (1 -> 0, 100 -> 2, 1000 -> 3); null otherwise. */
export function scaleDigits(scale) {
  const s = toBigInt(scale ?? 1)
  if (s <= 0n) return null
  const str = s.toString()
  if (!/^10*$/.test(str)) return null
  return str.length - 1
}

function groupThousands(intStr) {
  return intStr.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * Format a quantity in smallest units as a display-unit decimal string.
 * formatQuantity(123456, 1000) === "123.456"; formatQuantity(5, 100) === "0.05".
 * All fraction digits of the scale are shown (fixed precision, like money).
 * options.group: insert thousands separators (default true).
 */
export function formatQuantity(quantity, scale = 1, options = {}) {
  if (quantity === null || quantity === undefined || quantity === '') return ''
  const group = options.group !== false
  const q = toBigInt(quantity)
  const s = toBigInt(scale ?? 1)
  const neg = q < 0n
  const abs = neg ? -q : q
  const digits = scaleDigits(s)
  let out
  if (digits === null) {
    // Not a power of ten: show integer part plus an exact remainder fraction.
    const ip = abs / s
    const rem = abs % s
    out = (group ? groupThousands(ip.toString()) : ip.toString()) + (rem ? ` ${rem}/${s}` : '')
  } else if (digits === 0) {
    out = group ? groupThousands(abs.toString()) : abs.toString()
  } else {
    const ip = abs / s
    const frac = (abs % s).toString().padStart(digits, '0')
    out = (group ? groupThousands(ip.toString()) : ip.toString()) + '.' + frac
  }
  return (neg ? '-' : '') + out
}

/** Approximate Number for charts only (never for bookkeeping). */
export function toDisplayNumber(quantity, scale = 1) {
  return Number(formatQuantity(quantity, scale, { group: false }).split(' ')[0])
}

export class QuantityParseError extends Error {
  constructor(code, message) {
    super(message)
    this.code = code
  }
}

/**
 * Parse a display-unit decimal string into smallest units (BigInt), exactly.
 * parseQuantity("1.5", 1000) === 1500n; parseQuantity("1.2345", 1000) throws (too many decimals).
 * Accepts optional thousands separators "," only in the integer part when well placed.
 * Rejects signs, exponents, empty strings; `allowZero` (default false) controls 0.
 */
export function parseQuantity(text, scale = 1, { allowZero = false } = {}) {
  const raw = String(text ?? '').trim()
  if (raw === '') throw new QuantityParseError('empty', 'empty')
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(raw)
  if (!m || (m[1] === undefined && (m[2] === undefined || m[2] === ''))) {
    throw new QuantityParseError('syntax', 'syntax')
  }
  const intPart = (m[1] ?? '0').replace(/,/g, '')
  let frac = m[2] ?? ''
  const s = toBigInt(scale ?? 1)
  const digits = scaleDigits(s)
  // Trailing zeros beyond the scale are harmless ("1.500" for scale 100 is 1.50).
  if (digits !== null && frac.length > digits) {
    const extra = frac.slice(digits)
    if (/^0+$/.test(extra)) frac = frac.slice(0, digits)
    else throw new QuantityParseError('too_many_decimals', String(digits))
  }
  let q
  if (digits === null) {
    if (frac.replace(/0/g, '') !== '') throw new QuantityParseError('too_many_decimals', '0')
    q = BigInt(intPart) * s
  } else {
    q = BigInt(intPart) * s + (digits > 0 ? BigInt(frac.padEnd(digits, '0') || '0') : 0n)
  }
  if (q === 0n && !allowZero) throw new QuantityParseError('zero', 'zero')
  return q
}
