// Unit checks of the UI's exact quantity arithmetic (web/src/lib/decimal.js, web/src/lib/json.js).
// No server or browser needed; runs with `npm run test:e2e` next to the browser test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatQuantity, parseQuantity, scaleDigits } from '../../web/src/lib/decimal.js'
import { parseJsonExact, stringifyExact, jsonQuantity } from '../../web/src/lib/json.js'

test('formatQuantity is exact for every power-of-ten scale', () => {
  assert.equal(formatQuantity(100000, 1), '100,000')
  assert.equal(formatQuantity(123456, 1000), '123.456')
  assert.equal(formatQuantity(5, 100), '0.05')
  assert.equal(formatQuantity(-1570000, 1000), '-1,570.000')
  assert.equal(formatQuantity(0, 1000), '0.000')
  assert.equal(formatQuantity('9007199254740993', 100), '90,071,992,547,409.93')
  assert.equal(formatQuantity(9007199254740993n, 1, { group: false }), '9007199254740993')
  assert.equal(formatQuantity(7, 3), '2 1/3')
  assert.equal(scaleDigits(1), 0)
  assert.equal(scaleDigits(1000), 3)
  assert.equal(scaleDigits(3), null)
})

test('parseQuantity converts display units to smallest units exactly', () => {
  assert.equal(parseQuantity('1000', 1), 1000n)
  assert.equal(parseQuantity('1.5', 1000), 1500n)
  assert.equal(parseQuantity('0.001', 1000), 1n)
  assert.equal(parseQuantity('.25', 100), 25n)
  assert.equal(parseQuantity('1,234.5', 100), 123450n)
  assert.equal(parseQuantity('1.500', 100), 150n) // trailing zeros beyond the scale are harmless
  assert.equal(parseQuantity('0.1', 10), 1n)
  assert.equal(parseQuantity('90071992547409.93', 100), 9007199254740993n)
  assert.equal(parseQuantity('0.3', 1000) + parseQuantity('0.6', 1000), parseQuantity('0.9', 1000)) // no float error
  const code = (fn) => { try { fn(); return 'ok' } catch (e) { return e.code } }
  assert.equal(code(() => parseQuantity('1.2345', 1000)), 'too_many_decimals')
  assert.equal(code(() => parseQuantity('1.5', 1)), 'too_many_decimals')
  assert.equal(code(() => parseQuantity('', 1)), 'empty')
  assert.equal(code(() => parseQuantity('0', 1)), 'zero')
  assert.equal(code(() => parseQuantity('-5', 1)), 'syntax')
  assert.equal(code(() => parseQuantity('1e3', 1)), 'syntax')
  assert.equal(code(() => parseQuantity('12,34', 1)), 'syntax')
  assert.equal(code(() => parseQuantity('.', 1)), 'syntax')
})

test('JSON helpers keep integers beyond 2^53 exact', () => {
  const v = parseJsonExact('{"a":9007199254740993,"b":12,"c":1.5}')
  // V8 in node 20 may lack the reviver source text; then the value is a rounded Number.
  if (typeof v.a === 'bigint') assert.equal(v.a, 9007199254740993n)
  assert.equal(v.b, 12)
  assert.equal(v.c, 1.5)
  assert.equal(stringifyExact({ q: 9007199254740993n, n: 1 }), '{"q":9007199254740993,"n":1}')
  assert.equal(jsonQuantity(1000n), 1000)
  assert.equal(jsonQuantity(9007199254740993n), 9007199254740993n)
})
