// JSON helpers that keep integers exact.
// Quantities are JSON integers in smallest units. Values beyond Number.MAX_SAFE_INTEGER would be
// silently rounded by JSON.parse, so they are turned into BigInt using the reviver's source text
// (supported by current Chromium/V8). Safe integers stay plain numbers.

export function parseJsonExact(text) {
  return JSON.parse(text, function reviver(key, value, context) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context && typeof context.source === 'string' &&
        /^-?\d+$/.test(context.source)) {
      return BigInt(context.source)
    }
    return value
  })
}

const MARK = '\u0000bigint:'

/** JSON.stringify that writes BigInt values as bare JSON integers (`space` indents, as JSON.stringify's). */
export function stringifyExact(value, space) {
  const s = JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? MARK + v.toString() : v), space)
  return s.replace(/"\\u0000bigint:(-?\d+)"/g, '$1')
}

/** Send a BigInt quantity as a plain number when it is safe, otherwise keep it BigInt (exact). */
export function jsonQuantity(q) {
  const b = typeof q === 'bigint' ? q : BigInt(q)
  const n = Number(b)
  return Number.isSafeInteger(n) ? n : b
}
