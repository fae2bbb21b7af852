// Browser test of the exchange's trading pages (交易市场 · 挂牌协议交易): node:test + playwright-core +
// Debian's /usr/bin/chromium.
//
// Same harness as tests/e2e/carbon.test.mjs: it builds nothing; it needs $GREENLOOP_BIN (default
// build/release/greenloop), web/dist (npm run build:web) and /usr/bin/chromium. It loads the demo
// data into a temp SQLite database and starts `greenloop serve` on a free port with
// GREENLOOP_CLOCK_START=2026-11-23T02:00:00Z (Monday 10:00 Beijing time, inside the CEA morning
// session), so that orders are accepted whenever the test runs; the server is always stopped.
//
// Set up through the API: a new CEA instrument (regulator), fresh holding accounts of ent-power
// (seller: 10,000 t of it) and ent-alu (buyer: 1,000,000.00 yuan in CNY fen), listed at a previous
// close of 50.00 yuan with 5 bp per side and opened by `exchange` (band 45.00–55.00).
//
// Expected figures always come from the API (fetched here with the right token), never from what
// the UI printed. What it proves, in a real Chromium:
//   (a) the exchange user sees the listing (state, trading day, previous close, band = the API's);
//       lists a second instrument through the panel (a fee out of range is refused with the API's
//       message at the fee field), opens and closes it, and reopening the same day is refused with
//       the API's message; halts and resumes the first listing through the UI with confirmation;
//   (b) ent-power sells 100 at 50.00 through the form: one POST /market/orders with the exact body
//       (price 5000 fen) and a UUID Idempotency-Key; the order is open; book, my orders and the
//       available quantity are the API's;
//   (c) ent-alu: a price outside the band is refused with the API's message at the price field and
//       nothing changes (API and page); while halted the API's refusal is a form-level alert; a
//       crossing buy of 60 at 51.00 trades 60 at 50.00: result, tape, book, my orders, my trades and
//       the available CNY are the API's;
//   (d) ent-power replaces its order through the dialog (a price above the band refused at the
//       dialog's price field; then 50.50 × 30) and cancels it: the order, the book and the available
//       quantity are the API's at each step;
//   (e) the regulator sees all orders of the listing and filters them by organization (the API's);
//   (f) the charts: as many candles and daily bars as the candles and daily endpoints answer;
//   (g) the language toggle shows the English labels;
//   no uncaught page errors.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/market.test.mjs
//
// Screenshots go to test-output/e2e/market/ (a folder of its own: ui.test.mjs empties test-output/e2e/).

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { pickOption } from './select.mjs'
import { apiClient, freePort, run } from './client.mjs'

const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const BIN = path.resolve(REPO, process.env.GREENLOOP_BIN || 'build/release/greenloop')
const WEB_ROOT = path.join(REPO, 'web', 'dist')
const OUT_DIR = path.join(REPO, 'test-output', 'e2e', 'market')
const CHROMIUM = '/usr/bin/chromium'
const CLOCK_START = '2026-11-23T02:00:00Z' // Monday 10:00 Beijing time: the morning session

const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const EXCHANGE = { name: 'exchange', password: 'demo-exchange' }
const SELLER = { name: 'ent-power', password: 'demo-enterprise' }
const BUYER = { name: 'ent-alu', password: 'demo-enterprise' }

const UI_TIMEOUT = 15_000
const HEALTH_TIMEOUT = 20_000
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let tmpDir = ''
let server = null
let serverLog = ''
let baseUrl = ''
const { api, apiOk, login } = apiClient(() => baseUrl)
let browser = null
const pageErrors = []

// What the set-up made (filled in `before`).
const S = { inst: '', inst2: '', sellerAccount: 0, buyerAccount: 0, sellerOrg: 0, buyerOrg: 0 }
let sellOrderId = 0 // ent-power's sell of (b), traded in (c), replaced and cancelled in (d)

// ---------- helpers ----------

const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const suffix = () => crypto.randomBytes(3).toString('hex').toUpperCase()

/** Fen as the UI shows yuan: exact, two decimals, thousands separators ("1,000,000.00"). */
function yuan(fen) {
  const f = BigInt(fen)
  const neg = f < 0n
  const a = neg ? -f : f
  return `${neg ? '-' : ''}${(a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(a % 100n).toString().padStart(2, '0')}`
}

/** The book's levels serialized as the page's data attributes: "5000:40:1,4990:10:2". */
const levelsKey = (levels) => levels.map((l) => `${l.price_fen}:${l.quantity}:${l.orders}`).join(',')

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(UI_TIMEOUT)
  page.setDefaultNavigationTimeout(UI_TIMEOUT)
  page.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}`))
  return page
}

/** Log in through the login page; `target` (a route) is where the login page redirects to. */
async function uiLogin(page, user, target = '') {
  await page.goto(`${baseUrl}/#/login${target ? `?redirect=${encodeURIComponent(target)}` : ''}`)
  await page.getByTestId('login-name').fill(user.name)
  await page.getByTestId('login-password').fill(user.password)
  await page.getByTestId('login-submit').click()
  if (!target) await page.waitForURL(/#\/dashboard/)
  else await page.waitForFunction((t) => decodeURIComponent(location.hash) === `#${t}`, target)
}

/** Log in, open 交易市场 from the navigation, select the listing. */
async function openMarket(page, user, instrument) {
  await uiLogin(page, user)
  await tid(page, 'nav-market').click()
  await page.waitForURL(/#\/market$/)
  await tid(page, 'market-listing').waitFor({ state: 'visible' })
  await selectListing(page, instrument)
}

async function selectListing(page, instrument) {
  if ((await attr(page, 'market-listing', 'data-instrument')) !== instrument) {
    await pickOption(page, 'market-listing', `market-listing-option-${instrument}`)
  }
  await waitAttr(page, 'market-summary', 'data-instrument', instrument)
}

const tid = (page, id) => page.locator(`[data-testid="${id}"]`)

async function attr(page, testId, name) {
  const el = tid(page, testId).first()
  await el.waitFor({ state: 'attached' })
  return el.getAttribute(name)
}

async function text(page, testId) {
  const el = tid(page, testId).first()
  await el.waitFor({ state: 'visible' })
  return (await el.innerText()).trim()
}

/** Wait until the attribute of a test id has the expected value (the page refreshes every 2 s). */
async function waitAttr(page, testId, name, expected) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, String(expected)],
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).first().getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

/** The error text of the form item `field` inside the element `scope` (a test id), once shown. */
async function fieldError(page, scope, field) {
  const sel = `[data-testid="${scope}"] [data-field="${field}"]`
  await page.waitForFunction((s) => {
    const el = document.querySelector(s)
    return el && el.classList.contains('is-error') && el.querySelector('.el-form-item__error')?.innerText.trim()
  }, sel).catch(() => assert.fail(`the form item ${field} of ${scope} shows no error`))
  return (await page.locator(sel).locator('.el-form-item__error').innerText()).trim()
}

/** The fields of the form `scope` marked in error. */
async function markedFields(page, scope) {
  return page.locator(`[data-testid="${scope}"] .el-form-item.is-error`).evaluateAll((els) => els.map((e) => e.dataset.field || '?'))
}

async function shot(page, name) {
  await sleep(400) // chart animations
  await page.screenshot({ path: path.join(OUT_DIR, name), fullPage: true })
}

async function withPage(name, fn) {
  const page = await newPage()
  try {
    await fn(page)
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, `failure-${name}.png`), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
}

async function holding(token, accountId, instrument) {
  const h = await apiOk('GET', `/accounts/${accountId}/holdings`, { token })
  const row = h.items.find((x) => x.instrument === instrument)
  return row ? { balance: BigInt(row.balance), frozen: BigInt(row.frozen), available: BigInt(row.available) } : { balance: 0n, frozen: 0n, available: 0n }
}

const book = (token, inst) => apiOk('GET', `/market/listings/${inst}/book?levels=10`, { token })
const listingOf = async (token, inst) => (await apiOk('GET', '/market/listings', { token })).items.find((l) => l.instrument === inst)

/** The page's book equals the API's (both sides, waiting for the next refresh). */
async function expectBook(page, token, inst) {
  const b = await book(token, inst)
  await waitAttr(page, 'market-book', 'data-asks', levelsKey(b.asks))
  await waitAttr(page, 'market-book', 'data-bids', levelsKey(b.bids))
  return b
}

/** Everything a refused order could have changed, through the API. */
async function marketSnapshot(tokens) {
  const reg = tokens.reg
  return {
    // The levels only: the listing in the book answer carries its updated_at (moved by a halt).
    book: (({ bids, asks }) => ({ bids, asks }))(await book(reg, S.inst)),
    orders: (await apiOk('GET', `/market/orders?instrument=${S.inst}`, { token: reg })).items,
    trades: (await apiOk('GET', `/market/trades?instrument=${S.inst}`, { token: reg })).items,
    buyerCash: await holding(reg, S.buyerAccount, 'CNY'),
    buyerInst: await holding(reg, S.buyerAccount, S.inst),
    sellerInst: await holding(reg, S.sellerAccount, S.inst),
    latestEntry: (await apiOk('GET', '/journal?limit=1', { token: reg })).items[0].id,
  }
}

// ---------- server lifecycle ----------

before(async () => {
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-market-'))
  const db = `sqlite:${path.join(tmpDir, 'e2e.db')}`
  const demo = await run(BIN, ['demo', '--db', db], 120_000)
  assert.ok(!demo.error, `"${BIN} demo --db ${db}" failed: ${demo.error && demo.error.message}\nstdout:\n${tail(demo.stdout)}\nstderr:\n${tail(demo.stderr)}`)

  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  server = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--web-root', WEB_ROOT], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GREENLOOP_CLOCK_START: CLOCK_START },
  })
  server.stdout.on('data', (d) => (serverLog = tail(serverLog + d, 20_000)))
  server.stderr.on('data', (d) => (serverLog = tail(serverLog + d, 20_000)))
  let exited = null
  server.on('exit', (code, signal) => (exited = { code, signal }))

  const deadline = Date.now() + HEALTH_TIMEOUT
  let last = ''
  for (;;) {
    if (exited) assert.fail(`server exited early (${JSON.stringify(exited)}):\n${tail(serverLog)}`)
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2000) })
      last = `${res.status} ${await res.text()}`
      if (res.status === 200) break
    } catch (e) {
      last = String(e.cause ? e.cause.code || e.cause : e.message)
    }
    if (Date.now() > deadline) assert.fail(`GET /api/v1/health did not answer 200 within ${HEALTH_TIMEOUT} ms (last: ${last})\nserver log:\n${tail(serverLog)}`)
    await sleep(200)
  }

  // The market, through the API.
  const reg = (await login(REGULATOR)).token
  const ex = (await login(EXCHANGE)).token
  S.sellerOrg = (await apiOk('GET', '/auth/me', { token: (await login(SELLER)).token })).user.org_id
  S.buyerOrg = (await apiOk('GET', '/auth/me', { token: (await login(BUYER)).token })).user.org_id
  const tag = suffix()
  S.inst = `CEA-M${tag}`
  S.inst2 = `CEA-N${tag}`
  for (const [code, n] of [[S.inst, '一'], [S.inst2, '二']]) {
    await apiOk('POST', '/instruments', {
      token: reg,
      body: { code, family: 'CEA', name_zh: `交易测试配额（${n}）`, name_en: `Trading test allowance ${n === '一' ? 'I' : 'II'}`, vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {} },
    })
  }
  S.sellerAccount = (await apiOk('POST', '/accounts', { token: reg, body: { org_id: S.sellerOrg, kind: 'holding', name: `交易测试 卖方 ${tag}` } })).id
  S.buyerAccount = (await apiOk('POST', '/accounts', { token: reg, body: { org_id: S.buyerOrg, kind: 'holding', name: `交易测试 买方 ${tag}` } })).id
  await apiOk('POST', '/issuances', { token: reg, body: { instrument: S.inst, to_account: S.sellerAccount, quantity: 10_000, memo: 'e2e market: seller' } })
  await apiOk('POST', '/issuances', { token: reg, body: { instrument: 'CNY', to_account: S.buyerAccount, quantity: 100_000_000, memo: 'e2e market: buyer cash' } })
  const listed = await apiOk('POST', '/market/listings', { token: ex, body: { instrument: S.inst, prev_close_fen: 5000, fee_bps: 5 } })
  assert.equal(listed.state, 'closed')
  const opened = await apiOk('POST', `/market/listings/${S.inst}/state`, { token: ex, body: { state: 'open' } })
  assert.equal(opened.state, 'open', JSON.stringify(opened))

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  })
})

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const done = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const t = setTimeout(() => server.kill('SIGKILL'), 5000)
  await Promise.race([done, sleep(8000)])
  clearTimeout(t)
}

after(async () => {
  try {
    if (browser) await browser.close().catch(() => {})
  } finally {
    await stopServer()
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true })
  }
})

process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
})

// ---------- tests ----------

test('(a) the exchange sees the listing, lists another through the panel, and halts and resumes through the UI', { timeout: 180_000 }, async () => {
  const ex = (await login(EXCHANGE)).token
  const l = await listingOf(ex, S.inst)
  assert.equal(l.state, 'open')
  // The refusal expected for a fee out of range (a refused listing lists nothing).
  const feeRefusal = await api('POST', '/market/listings', { token: ex, body: { instrument: S.inst2, prev_close_fen: 4210, fee_bps: 2000 } })
  assert.equal(feeRefusal.status, 400, feeRefusal.text)
  assert.equal(feeRefusal.json.error.field, 'fee_bps')
  assert.equal(await listingOf(ex, S.inst2), undefined)

  await withPage('a', async (page) => {
    await openMarket(page, EXCHANGE, S.inst)
    // The listing as the API has it.
    await waitAttr(page, 'market-state', 'data-state', 'open')
    assert.equal(await text(page, 'market-state'), '连续交易')
    assert.equal(await attr(page, 'market-trading-day', 'data-day'), l.trading_day)
    assert.equal(await text(page, 'market-trading-day'), l.trading_day)
    assert.equal(await attr(page, 'market-prev-close', 'data-fen'), String(l.prev_close_fen))
    assert.equal(await text(page, 'market-prev-close'), yuan(l.prev_close_fen))
    assert.equal(await attr(page, 'market-band', 'data-low'), String(l.band.low_fen))
    assert.equal(await attr(page, 'market-band', 'data-high'), String(l.band.high_fen))
    assert.equal(await text(page, 'market-band'), `${yuan(l.band.low_fen)} – ${yuan(l.band.high_fen)}`)
    assert.equal(await attr(page, 'market-fee', 'data-bps'), String(l.fee_bps))
    assert.equal(await attr(page, 'market-best-bid', 'data-fen'), l.best_bid_fen === null ? '' : String(l.best_bid_fen))
    assert.equal(await attr(page, 'market-best-ask', 'data-fen'), l.best_ask_fen === null ? '' : String(l.best_ask_fen))
    await expectBook(page, ex, S.inst)
    // The exchange gets no order entry, but every order.
    assert.equal(await tid(page, 'market-order-form').count(), 0, 'the exchange is offered the order entry')
    await tid(page, 'market-orders-org').waitFor({ state: 'visible' })
    await shot(page, 'market-exchange.png')

    // List the second instrument: a fee out of range is refused at the fee field, then 42.10 yuan, 3 bp.
    await pickOption(page, 'market-list-instrument', `market-list-instrument-option-${S.inst2}`)
    await tid(page, 'market-list-prev-close').fill('42.10')
    await tid(page, 'market-list-fee').fill('2000')
    await tid(page, 'market-list-submit').click()
    await waitAttr(page, 'market-list-result', 'data-status', 'error')
    assert.equal(await text(page, 'market-list-error'), feeRefusal.json.error.message)
    assert.equal(await fieldError(page, 'market-list-form', 'fee_bps'), feeRefusal.json.error.message)
    assert.deepEqual(await markedFields(page, 'market-list-form'), ['fee_bps'])
    assert.equal(await listingOf(ex, S.inst2), undefined, 'a refused listing was stored')
    await shot(page, 'market-list-refused.png')
    await tid(page, 'market-list-fee').fill('3')
    await tid(page, 'market-list-submit').click()
    await waitAttr(page, 'market-list-result', 'data-status', 'ok')
    const l2 = await listingOf(ex, S.inst2)
    assert.ok(l2, 'the listing was not stored')
    assert.equal(l2.prev_close_fen, 4210)
    assert.equal(l2.fee_bps, 3)
    assert.equal(l2.state, 'closed')
    // The page selects the new listing.
    await waitAttr(page, 'market-summary', 'data-instrument', S.inst2)
    await waitAttr(page, 'market-state', 'data-state', 'closed')
    assert.equal(await attr(page, 'market-prev-close', 'data-fen'), '4210')
    assert.equal(await text(page, 'market-prev-close'), '42.10')

    // Open it, close it (confirmed each time); reopening the same day is refused with the API's message.
    for (const to of ['open', 'closed']) {
      await tid(page, `market-state-btn-${to}`).click()
      await tid(page, 'market-state-confirm').waitFor({ state: 'visible' })
      await tid(page, 'market-state-confirm').click()
      await waitAttr(page, 'market-state-result', 'data-state', to)
      await waitAttr(page, 'market-state', 'data-state', to)
      assert.equal((await listingOf(ex, S.inst2)).state, to)
    }
    await tid(page, 'market-state-btn-open').click()
    await tid(page, 'market-state-confirm').waitFor({ state: 'visible' })
    await tid(page, 'market-state-confirm').click()
    await waitAttr(page, 'market-state-result', 'data-status', 'error')
    const reopen = await api('POST', `/market/listings/${S.inst2}/state`, { token: ex, body: { state: 'open' } })
    assert.ok(reopen.status === 409 || reopen.status === 422, `reopening the same day: ${reopen.status} ${reopen.text}`)
    assert.equal(await text(page, 'market-state-error'), reopen.json.error.message)
    assert.equal((await listingOf(ex, S.inst2)).state, 'closed')

    // Halt and resume the first listing, with confirmation; cancelling the dialog changes nothing.
    await selectListing(page, S.inst)
    await waitAttr(page, 'market-state', 'data-state', 'open')
    await tid(page, 'market-state-btn-halted').click()
    await tid(page, 'market-state-cancel').waitFor({ state: 'visible' })
    assert.match(await text(page, 'market-state-confirm-text'), new RegExp(`${S.inst}.*连续交易.*停牌`))
    await tid(page, 'market-state-cancel').click()
    await tid(page, 'market-state-cancel').waitFor({ state: 'hidden' })
    assert.equal((await listingOf(ex, S.inst)).state, 'open')
    await tid(page, 'market-state-btn-halted').click()
    await tid(page, 'market-state-confirm').waitFor({ state: 'visible' })
    await tid(page, 'market-state-confirm').click()
    await waitAttr(page, 'market-state', 'data-state', 'halted')
    assert.equal(await text(page, 'market-state'), '停牌')
    assert.equal((await listingOf(ex, S.inst)).state, 'halted')
    await shot(page, 'market-halted.png')
    await tid(page, 'market-state-btn-open').click()
    await tid(page, 'market-state-confirm').waitFor({ state: 'visible' })
    await tid(page, 'market-state-confirm').click()
    await waitAttr(page, 'market-state', 'data-state', 'open')
    const resumed = await listingOf(ex, S.inst)
    assert.equal(resumed.state, 'open')
    assert.equal(resumed.trading_day, l.trading_day, 'resuming started another day')
  })
})

test('(b) ent-power sells through the form: the order rests in the book as the API shows', { timeout: 150_000 }, async () => {
  const pw = (await login(SELLER)).token
  const inst0 = await holding(pw, S.sellerAccount, S.inst)
  assert.equal(inst0.available, 10_000n)

  await withPage('b', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/market/orders')) posts.push({ headers: r.headers(), body: r.postData() })
    })
    await openMarket(page, SELLER, S.inst)
    await waitAttr(page, 'market-state', 'data-state', 'open')
    await pickOption(page, 'market-order-account', `market-order-account-option-${S.sellerAccount}`)
    await waitAttr(page, 'market-order-account', 'data-account', S.sellerAccount)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', inst0.available)
    await tid(page, 'market-order-side-sell').click()
    await waitAttr(page, 'market-order-side', 'data-side', 'sell')
    await tid(page, 'market-order-price').fill('50.00')
    await waitAttr(page, 'market-order-price-fen', 'data-value', '5000')
    await tid(page, 'market-order-quantity').fill('100')
    await waitAttr(page, 'market-order-reserve', 'data-value', '100')
    await tid(page, 'market-order-client-id').fill('pw-sell-1')
    await tid(page, 'market-order-submit').click()
    await waitAttr(page, 'market-order-result', 'data-status', 'ok')

    // One POST with the exact body (fen, integers) and a UUID Idempotency-Key.
    assert.equal(posts.length, 1)
    assert.deepEqual(JSON.parse(posts[0].body), { instrument: S.inst, account_id: S.sellerAccount, side: 'sell', price_fen: 5000, quantity: 100, client_order_id: 'pw-sell-1' })
    assert.match(posts[0].headers['idempotency-key'] || '', UUID_RE)

    sellOrderId = Number(await attr(page, 'market-order-placed-id', 'data-id'))
    const order = await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw })
    assert.equal(order.status, 'open')
    assert.equal(order.price_fen, 5000)
    assert.equal(order.quantity, 100)
    assert.equal(order.client_order_id, 'pw-sell-1')
    assert.equal(await attr(page, 'market-order-status', 'data-status'), order.status)
    assert.equal(await attr(page, 'market-order-status', 'data-open'), String(order.open_quantity))
    assert.equal(await tid(page, 'market-order-trades').count(), 0)

    // The book, my orders and the available quantity are the API's.
    const b = await expectBook(page, pw, S.inst)
    assert.deepEqual(b.asks, [{ price_fen: 5000, quantity: 100, orders: 1 }])
    const cells = await tid(page, 'market-book-ask-5000').locator('td').allInnerTexts()
    assert.deepEqual(cells.map((c) => c.trim()), ['卖1', '50.00', '100', '1'])
    const mine = (await apiOk('GET', `/market/orders?instrument=${S.inst}`, { token: pw })).items
    await waitAttr(page, 'market-orders', 'data-ids', mine.map((o) => o.id).join(','))
    await waitAttr(page, `market-orders-status-${sellOrderId}`, 'data-status', 'open')
    assert.equal(await attr(page, `market-orders-price-${sellOrderId}`, 'data-fen'), '5000')
    assert.equal(await text(page, `market-orders-price-${sellOrderId}`), '50.00')
    assert.equal(await attr(page, `market-orders-open-${sellOrderId}`, 'data-value'), '100')
    assert.equal(await text(page, `market-orders-client-id-${sellOrderId}`), 'pw-sell-1')
    const inst1 = await holding(pw, S.sellerAccount, S.inst)
    assert.equal(inst1.available, inst0.available - 100n)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', inst1.available)
    const l = await listingOf(pw, S.inst)
    await waitAttr(page, 'market-best-ask', 'data-fen', l.best_ask_fen)
    assert.equal(l.best_ask_fen, 5000)
    await shot(page, 'market-sell.png')
  })
})

test('(c) ent-alu: a price outside the band and a halted market are refused; a crossing buy trades as the API shows', { timeout: 180_000 }, async () => {
  assert.ok(sellOrderId, '(b) placed no order')
  const alu = (await login(BUYER)).token
  const reg = (await login(REGULATOR)).token
  const ex = (await login(EXCHANGE)).token
  const tokens = { reg }
  const outside = { instrument: S.inst, account_id: S.buyerAccount, side: 'buy', price_fen: 5600, quantity: 10 }
  // The refusal expected (a refused order changes nothing).
  const refusal = await api('POST', '/market/orders', { token: alu, body: outside })
  assert.equal(refusal.status, 400, refusal.text)
  assert.equal(refusal.json.error.code, 'price_above_band')
  assert.equal(refusal.json.error.field, 'price_fen')
  const before = await marketSnapshot(tokens)

  await withPage('c', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/market/orders')) posts.push({ headers: r.headers(), body: r.postData() })
    })
    await openMarket(page, BUYER, S.inst)
    await pickOption(page, 'market-order-account', `market-order-account-option-${S.buyerAccount}`)
    await waitAttr(page, 'market-order-available-cny', 'data-value', before.buyerCash.available)
    assert.equal(await text(page, 'market-order-available-cny'), yuan(before.buyerCash.available))
    await waitAttr(page, 'market-order-side', 'data-side', 'buy')

    // 56.00 is above the band: the API's message at the price field, nothing else marked, nothing changed.
    await tid(page, 'market-order-price').fill('56.00')
    await tid(page, 'market-order-quantity').fill('10')
    await tid(page, 'market-order-submit').click()
    await waitAttr(page, 'market-order-result', 'data-status', 'error')
    assert.equal(await fieldError(page, 'market-order-form', 'price_fen'), refusal.json.error.message)
    assert.deepEqual(await markedFields(page, 'market-order-form'), ['price_fen'])
    assert.equal(await text(page, 'market-order-error'), refusal.json.error.message)
    assert.equal(posts.length, 1)
    assert.deepEqual(JSON.parse(posts[0].body), outside)
    assert.deepEqual(await marketSnapshot(tokens), before, 'the refused order changed something')
    await expectBook(page, alu, S.inst)
    assert.equal(await attr(page, 'market-order-available-cny', 'data-value'), String(before.buyerCash.available))
    await shot(page, 'market-price-refused.png')

    // While the market is halted the API's refusal names the instrument: a form-level alert.
    await apiOk('POST', `/market/listings/${S.inst}/state`, { token: ex, body: { state: 'halted' } })
    try {
      const halted = await api('POST', '/market/orders', { token: alu, body: { ...outside, price_fen: 5100, quantity: 60 } })
      assert.equal(halted.status, 422, halted.text)
      assert.equal(halted.json.error.code, 'market_halted')
      await waitAttr(page, 'market-state', 'data-state', 'halted')
      await tid(page, 'market-order-price').fill('51.00')
      await tid(page, 'market-order-quantity').fill('60')
      await tid(page, 'market-order-submit').click()
      await page.waitForFunction((m) => document.querySelector('[data-testid="market-order-error"]')?.innerText.trim() === m, halted.json.error.message)
        .catch(() => assert.fail(`the halted refusal "${halted.json.error.message}" is not shown`))
      assert.deepEqual(await markedFields(page, 'market-order-form'), [])
      assert.equal(posts.length, 2)
      await shot(page, 'market-halted-refused.png')
    } finally {
      await apiOk('POST', `/market/listings/${S.inst}/state`, { token: ex, body: { state: 'open' } })
    }
    assert.deepEqual(await marketSnapshot(tokens), before, 'the refused orders changed something')
    await waitAttr(page, 'market-state', 'data-state', 'open')

    // The crossing buy: 60 at up to 51.00 trades 60 at the resting 50.00.
    await tid(page, 'market-order-client-id').fill('alu-buy-1')
    await tid(page, 'market-order-submit').click()
    await waitAttr(page, 'market-order-result', 'data-status', 'ok')
    assert.equal(posts.length, 3)
    assert.deepEqual(JSON.parse(posts[2].body), { instrument: S.inst, account_id: S.buyerAccount, side: 'buy', price_fen: 5100, quantity: 60, client_order_id: 'alu-buy-1' })
    const keys = posts.map((p) => p.headers['idempotency-key'])
    for (const k of keys) assert.match(k || '', UUID_RE)
    assert.equal(new Set(keys).size, 3, 'an Idempotency-Key was reused')

    const buyId = Number(await attr(page, 'market-order-placed-id', 'data-id'))
    const buy = await apiOk('GET', `/market/orders/${buyId}`, { token: alu })
    assert.equal(buy.status, 'filled')
    assert.equal(buy.filled_quantity, 60)
    assert.equal(await attr(page, 'market-order-status', 'data-status'), 'filled')
    assert.equal(await attr(page, 'market-order-status', 'data-filled'), '60')
    const mineTrades = (await apiOk('GET', '/market/trades?mine=true', { token: alu })).items
    const trade = mineTrades[0]
    assert.equal(trade.buy.order_id, buyId)
    assert.equal(trade.price_fen, 5000)
    assert.equal(trade.quantity, 60)
    assert.equal(await attr(page, 'market-order-trades', 'data-count'), '1')
    assert.equal(await attr(page, `market-order-trade-${trade.id}`, 'data-fen'), String(trade.price_fen))
    assert.equal(await attr(page, `market-order-trade-${trade.id}`, 'data-quantity'), String(trade.quantity))

    // The tape is the API's.
    const tape = (await apiOk('GET', `/market/trades?instrument=${S.inst}&limit=50`, { token: alu })).items
    await waitAttr(page, 'market-tape', 'data-ids', tape.map((t) => t.id).join(','))
    for (const t of tape) {
      assert.equal(await attr(page, `market-trade-price-${t.id}`, 'data-fen'), String(t.price_fen))
      assert.equal(await text(page, `market-trade-price-${t.id}`), yuan(t.price_fen))
      assert.equal(await attr(page, `market-trade-qty-${t.id}`, 'data-value'), String(t.quantity))
      assert.equal(await attr(page, `market-trade-side-${t.id}`, 'data-aggressor'), t.aggressor)
    }
    assert.equal(await text(page, `market-trade-side-${trade.id}`), '主动买入')

    // The book: 40 left at 50.00; my orders and my trades; the cash as the API has it.
    const b = await expectBook(page, alu, S.inst)
    assert.deepEqual(b.asks, [{ price_fen: 5000, quantity: 40, orders: 1 }])
    const myOrders = (await apiOk('GET', `/market/orders?instrument=${S.inst}`, { token: alu })).items
    await waitAttr(page, 'market-orders', 'data-ids', myOrders.map((o) => o.id).join(','))
    assert.equal(await attr(page, `market-orders-status-${buyId}`, 'data-status'), 'filled')
    assert.equal(await attr(page, `market-orders-filled-${buyId}`, 'data-value'), '60')
    assert.equal(await tid(page, `market-order-cancel-${buyId}`).count(), 0, 'a filled order offers cancel')
    await waitAttr(page, 'market-my-trades', 'data-ids', mineTrades.map((t) => t.id).join(','))
    assert.equal(await attr(page, `market-my-trade-side-${trade.id}`, 'data-side'), 'buy')
    assert.equal(await attr(page, `market-my-trade-fee-${trade.id}`, 'data-fen'), String(trade.buy.fee_fen))
    assert.equal(await text(page, `market-my-trade-fee-${trade.id}`), yuan(trade.buy.fee_fen))
    assert.equal(await attr(page, `market-my-trade-entry-${trade.id}`, 'href'), `#/journal/${trade.entry_id}`)
    const cash = await holding(alu, S.buyerAccount, 'CNY')
    assert.equal(cash.balance, before.buyerCash.balance - 300_000n - BigInt(trade.buy.fee_fen))
    await waitAttr(page, 'market-order-available-cny', 'data-value', cash.available)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', (await holding(alu, S.buyerAccount, S.inst)).available)
    await shot(page, 'market-trade.png')
  })
})

test('(d) ent-power replaces and cancels its order through the UI, as the API shows', { timeout: 180_000 }, async () => {
  assert.ok(sellOrderId, '(b) placed no order')
  const pw = (await login(SELLER)).token
  const o0 = await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw })
  assert.equal(o0.status, 'open')
  assert.equal(o0.filled_quantity, 60)
  assert.equal(o0.open_quantity, 40)
  // The refusal expected for a price above the band (a refused replace changes nothing).
  const refusal = await api('POST', `/market/orders/${sellOrderId}/replace`, { token: pw, body: { price_fen: 6000, quantity: 40 } })
  assert.equal(refusal.status, 400, refusal.text)
  assert.equal(refusal.json.error.field, 'price_fen')
  assert.deepEqual(await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw }), o0)

  await withPage('d', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/market\/orders\/\d+\/(replace|cancel)$/.test(r.url())) posts.push({ url: r.url(), headers: r.headers(), body: r.postData() })
    })
    await openMarket(page, SELLER, S.inst)
    await pickOption(page, 'market-order-account', `market-order-account-option-${S.sellerAccount}`)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', (await holding(pw, S.sellerAccount, S.inst)).available)
    await waitAttr(page, `market-orders-status-${sellOrderId}`, 'data-status', 'open')
    assert.equal(await attr(page, `market-orders-filled-${sellOrderId}`, 'data-value'), String(o0.filled_quantity))
    assert.equal(await attr(page, `market-orders-open-${sellOrderId}`, 'data-value'), String(o0.open_quantity))
    // ent-power's side of the trade of (c).
    const myTrades = (await apiOk('GET', '/market/trades?mine=true', { token: pw })).items
    await waitAttr(page, 'market-my-trades', 'data-ids', myTrades.map((t) => t.id).join(','))
    assert.equal(await attr(page, `market-my-trade-side-${myTrades[0].id}`, 'data-side'), 'sell')

    // 改单 above the band: the API's message at the dialog's price field; the order is unchanged.
    await tid(page, `market-order-replace-${sellOrderId}`).click()
    await tid(page, 'market-replace-price').waitFor({ state: 'visible' })
    assert.equal(await tid(page, 'market-replace-price').inputValue(), '50.00')
    assert.equal(await tid(page, 'market-replace-quantity').inputValue(), '40')
    await tid(page, 'market-replace-price').fill('60.00')
    await tid(page, 'market-replace-submit').click()
    await waitAttr(page, 'market-replace-result', 'data-status', 'error')
    assert.equal(await fieldError(page, 'market-replace-form', 'price_fen'), refusal.json.error.message)
    assert.deepEqual(await markedFields(page, 'market-replace-form'), ['price_fen'])
    assert.equal(await text(page, 'market-replace-error'), refusal.json.error.message)
    assert.deepEqual(await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw }), o0)
    await shot(page, 'market-replace-refused.png')

    // 50.50 × 30: a new price, so it goes to the back of the queue at 50.50.
    await tid(page, 'market-replace-price').fill('50.50')
    await tid(page, 'market-replace-quantity').fill('30')
    await tid(page, 'market-replace-submit').click()
    await waitAttr(page, 'market-orders-action-result', 'data-status', 'ok')
    assert.equal(await attr(page, 'market-orders-action-result', 'data-action'), 'replace')
    await tid(page, 'market-replace-submit').waitFor({ state: 'hidden' })
    assert.equal(posts.length, 2)
    assert.deepEqual(JSON.parse(posts[1].body), { price_fen: 5050, quantity: 30 })
    assert.match(posts[1].headers['idempotency-key'] || '', UUID_RE)
    const o1 = await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw })
    assert.equal(o1.status, 'open')
    assert.equal(o1.price_fen, 5050)
    assert.equal(o1.open_quantity, 30)
    await waitAttr(page, `market-orders-price-${sellOrderId}`, 'data-fen', o1.price_fen)
    assert.equal(await text(page, `market-orders-price-${sellOrderId}`), '50.50')
    await waitAttr(page, `market-orders-open-${sellOrderId}`, 'data-value', o1.open_quantity)
    const b1 = await expectBook(page, pw, S.inst)
    assert.deepEqual(b1.asks, [{ price_fen: 5050, quantity: 30, orders: 1 }])
    const inst1 = await holding(pw, S.sellerAccount, S.inst)
    assert.equal(inst1.frozen, 30n)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', inst1.available)
    await shot(page, 'market-replaced.png')

    // 撤单: the order is cancelled, the book empty, the reservation released.
    await tid(page, `market-order-cancel-${sellOrderId}`).click()
    await waitAttr(page, 'market-orders-action-result', 'data-action', 'cancel')
    await waitAttr(page, 'market-orders-action-result', 'data-status', 'ok')
    assert.equal(posts.length, 3)
    assert.ok(posts[2].url.endsWith(`/market/orders/${sellOrderId}/cancel`))
    const o2 = await apiOk('GET', `/market/orders/${sellOrderId}`, { token: pw })
    assert.equal(o2.status, 'cancelled')
    await waitAttr(page, `market-orders-status-${sellOrderId}`, 'data-status', o2.status)
    assert.equal(await tid(page, `market-order-cancel-${sellOrderId}`).count(), 0)
    const b2 = await expectBook(page, pw, S.inst)
    assert.deepEqual(b2.asks, [])
    await tid(page, 'market-book-no-asks').waitFor({ state: 'visible' })
    const inst2 = await holding(pw, S.sellerAccount, S.inst)
    assert.equal(inst2.frozen, 0n)
    assert.equal(inst2.available, 10_000n - 60n)
    await waitAttr(page, 'market-order-available-instrument', 'data-value', inst2.available)
    await waitAttr(page, 'market-best-ask', 'data-fen', '')
    await shot(page, 'market-cancelled.png')
  })
})

test('(e) the regulator sees every order of the listing and filters them by organization', { timeout: 120_000 }, async () => {
  const reg = (await login(REGULATOR)).token
  const all = (await apiOk('GET', `/market/orders?instrument=${S.inst}&limit=200`, { token: reg })).items
  const seller = (await apiOk('GET', `/market/orders?instrument=${S.inst}&org=${S.sellerOrg}&limit=200`, { token: reg })).items
  assert.ok(all.length >= 2 && seller.length >= 1 && seller.length < all.length, `orders: ${all.length}, seller's: ${seller.length}`)

  await withPage('e', async (page) => {
    await openMarket(page, REGULATOR, S.inst)
    await waitAttr(page, 'market-orders', 'data-ids', all.map((o) => o.id).join(','))
    for (const o of all) {
      assert.equal(await attr(page, `market-orders-org-${o.id}`, 'data-org'), String(o.org_id))
      assert.equal(await attr(page, `market-orders-status-${o.id}`, 'data-status'), o.status)
      assert.equal(await attr(page, `market-orders-side-${o.id}`, 'data-side'), o.side)
    }
    // Neither order entry nor the operator's panel; no cancel.
    assert.equal(await tid(page, 'market-order-form').count(), 0)
    assert.equal(await tid(page, 'market-operator').count(), 0)
    assert.equal(await page.locator('[data-testid^="market-order-cancel-"]').count(), 0)
    await pickOption(page, 'market-orders-org', `market-orders-org-option-${S.sellerOrg}`)
    await waitAttr(page, 'market-orders', 'data-ids', seller.map((o) => o.id).join(','))
    await shot(page, 'market-all-orders.png')
  })
})

test('(f) the charts show the candles and daily endpoints\' answers', { timeout: 120_000 }, async () => {
  const alu = (await login(BUYER)).token
  const l = await listingOf(alu, S.inst)
  const candles = await apiOk('GET', `/market/listings/${S.inst}/candles?day=${l.trading_day}&interval=5`, { token: alu })
  const daily = await apiOk('GET', `/market/listings/${S.inst}/daily`, { token: alu })
  // (c) made a trade today, so both have at least one item.
  assert.ok(candles.items.length > 0, 'a candle for the trade of (c)')
  assert.ok(daily.items.length > 0, 'a daily bar for today')

  await withPage('f', async (page) => {
    await openMarket(page, BUYER, S.inst)
    for (const [id, items] of [['market-candles', candles.items], ['market-daily', daily.items]]) {
      await waitAttr(page, id, 'data-status', 'ok')
      assert.equal(await attr(page, id, 'data-count'), String(items.length))
      await tid(page, `${id}-chart`).locator('canvas').first().waitFor({ state: 'visible' })
    }
    assert.equal(await attr(page, 'market-candles', 'data-day'), l.trading_day)
    // The rest of the page is unaffected.
    await expectBook(page, alu, S.inst)
    await shot(page, 'market-charts.png')
  })
})

test('(g) the language toggle shows the English labels', { timeout: 120_000 }, async () => {
  await withPage('g', async (page) => {
    await openMarket(page, BUYER, S.inst)
    assert.equal(await text(page, 'nav-market'), '交易市场')
    assert.equal(await text(page, 'market-title'), '交易市场 挂牌协议交易')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-market"]')?.innerText.trim() === 'Market')
    assert.equal(await text(page, 'market-title'), 'Market: listing agreement trading')
    assert.equal(await text(page, 'market-state'), 'Open')
    assert.equal(await text(page, 'market-order-side-buy'), 'Buy')
    assert.equal(await text(page, 'market-order-side-sell'), 'Sell')
    assert.equal(await text(page, 'market-order-submit'), 'Place order')
    const head = await tid(page, 'market-book').locator('thead').innerText()
    for (const label of ['Level', 'Price (yuan)', 'Quantity', 'Orders']) assert.ok(head.includes(label), `no "${label}" in ${head}`)
    const tapeHead = await tid(page, 'market-tape').locator('thead').first().innerText()
    assert.ok(tapeHead.includes('Aggressor'), tapeHead)
    const ordersHead = await tid(page, 'market-orders').locator('thead').first().innerText()
    for (const label of ['Limit (yuan)', 'Filled', 'Open', 'Status']) assert.ok(ordersHead.includes(label), `no "${label}" in ${ordersHead}`)
    const tape = (await apiOk('GET', `/market/trades?instrument=${S.inst}`, { token: (await login(BUYER)).token })).items
    assert.equal(await text(page, `market-trade-side-${tape[0].id}`), 'Buyer-initiated')
    await shot(page, 'market-english.png')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-market"]')?.innerText.trim() === '交易市场')
  })
})

test('no uncaught errors in the market pages', () => {
  assert.deepEqual(pageErrors, [])
})
