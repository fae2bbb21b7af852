// Browser test of the market surveillance page (市场监察): node:test + playwright-core + Debian's
// /usr/bin/chromium.
//
// Same harness as tests/e2e/market.test.mjs: it builds nothing; it needs $GREENLOOP_BIN (default
// build/release/greenloop), web/dist (npm run build:web) and /usr/bin/chromium. It loads the demo
// data into a temp SQLite database and starts `greenloop serve` on a free port with
// GREENLOOP_CLOCK_START=2026-11-23T02:00:00Z (Monday 10:00 Beijing time, inside the CEA morning
// session); the server is always stopped.
//
// Set up through the API: a new CEA instrument listed at 50.00 yuan without fees and opened;
// fresh holding accounts of ent-power (10,000 t), ent-alu (cash) and ent-wind (3,000 t). ent-power
// sells 500 to ent-alu at 50.00 and ent-alu sells them back at 50.10 (a round trip: the
// wash-trade candidate two organizations can really make, since the book stops an organization
// trading with itself); ent-wind sells 100 to ent-alu at 51.50.
//
// Expected figures come from the API (GET /market/surveillance as the regulator), never from what
// the page printed. What it proves, in a real Chromium:
//   (a) the regulator opens 市场监察 from the navigation: the round trip (both organizations, gross,
//       net, trades), the empty same-owner section, the concentration (total, HHI, the top holders
//       with their shares, the large holders, the chart) and the price jump are the API's; a
//       threshold the API refuses is shown at its field with the API's message;
//   (b) an enterprise has no navigation entry, and opening the URL shows the forbidden notice
//       without requesting the report;
//   no uncaught page errors.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/surveillance.test.mjs
//
// Screenshots go to test-output/e2e/surveillance/ (a folder of its own: ui.test.mjs empties test-output/e2e/).

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
const OUT_DIR = path.join(REPO, 'test-output', 'e2e', 'surveillance')
const CHROMIUM = '/usr/bin/chromium'
const CLOCK_START = '2026-11-23T02:00:00Z' // Monday 10:00 Beijing time: the morning session

const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const EXCHANGE = { name: 'exchange', password: 'demo-exchange' }
const POWER = { name: 'ent-power', password: 'demo-enterprise' }
const ALU = { name: 'ent-alu', password: 'demo-enterprise' }
const WIND = { name: 'ent-wind', password: 'demo-enterprise' }

const UI_TIMEOUT = 15_000
const HEALTH_TIMEOUT = 20_000

let tmpDir = ''
let server = null
let serverLog = ''
let baseUrl = ''
const { api, apiOk, login } = apiClient(() => baseUrl)
let browser = null
const pageErrors = []
const S = { inst: '', orgs: {} }

const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const tid = (page, id) => page.locator(`[data-testid="${id}"]`)

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(UI_TIMEOUT)
  page.setDefaultNavigationTimeout(UI_TIMEOUT)
  page.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}`))
  return page
}

async function uiLogin(page, user) {
  await page.goto(`${baseUrl}/#/login`)
  await page.getByTestId('login-name').fill(user.name)
  await page.getByTestId('login-password').fill(user.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/#\/dashboard/)
}

async function attr(page, testId, name) {
  const el = tid(page, testId).first()
  await el.waitFor({ state: 'attached' })
  return el.getAttribute(name)
}

async function waitAttr(page, testId, name, expected) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, String(expected)],
  ).catch(async () => {
    const got = await tid(page, testId).first().getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

async function shot(page, name) {
  await sleep(300) // chart drawing
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

/** One trade: `seller` rests a sell, `buyer` crosses it at the same price. */
async function cross(seller, sellAccount, buyer, buyAccount, priceFen, quantity) {
  const body = { instrument: S.inst, price_fen: priceFen, quantity }
  const sell = await apiOk('POST', '/market/orders', { token: seller, body: { ...body, account_id: sellAccount, side: 'sell' } })
  assert.equal(sell.order.status, 'open')
  const buy = await apiOk('POST', '/market/orders', { token: buyer, body: { ...body, account_id: buyAccount, side: 'buy' } })
  assert.equal(buy.trades.length, 1, JSON.stringify(buy))
}

// ---------- server lifecycle ----------

before(async () => {
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-surveillance-'))
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

  // The market and its trades, through the API.
  const reg = (await login(REGULATOR)).token
  const ex = (await login(EXCHANGE)).token
  const tokens = {}
  const accounts = {}
  const tag = crypto.randomBytes(3).toString('hex').toUpperCase()
  S.inst = `CEA-S${tag}`
  await apiOk('POST', '/instruments', {
    token: reg,
    body: { code: S.inst, family: 'CEA', name_zh: '监察测试配额', name_en: 'Surveillance test allowance', vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {} },
  })
  for (const [key, user] of [['power', POWER], ['alu', ALU], ['wind', WIND]]) {
    const l = await login(user)
    tokens[key] = l.token
    S.orgs[key] = l.user.org_id
    accounts[key] = (await apiOk('POST', '/accounts', { token: reg, body: { org_id: l.user.org_id, kind: 'holding', name: `监察测试 ${key} ${tag}` } })).id
  }
  await apiOk('POST', '/issuances', { token: reg, body: { instrument: S.inst, to_account: accounts.power, quantity: 10_000, memo: 'e2e surveillance' } })
  await apiOk('POST', '/issuances', { token: reg, body: { instrument: S.inst, to_account: accounts.wind, quantity: 3_000, memo: 'e2e surveillance' } })
  for (const key of ['power', 'alu']) {
    await apiOk('POST', '/issuances', { token: reg, body: { instrument: 'CNY', to_account: accounts[key], quantity: 10_000_000, memo: 'e2e surveillance cash' } })
  }
  await apiOk('POST', '/market/listings', { token: ex, body: { instrument: S.inst, prev_close_fen: 5000, fee_bps: 0 } })
  const opened = await apiOk('POST', `/market/listings/${S.inst}/state`, { token: ex, body: { state: 'open' } })
  assert.equal(opened.state, 'open', JSON.stringify(opened))
  await cross(tokens.power, accounts.power, tokens.alu, accounts.alu, 5000, 500)
  await cross(tokens.alu, accounts.alu, tokens.power, accounts.power, 5010, 500)
  await cross(tokens.wind, accounts.wind, tokens.alu, accounts.alu, 5150, 100)

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

test('(a) the regulator sees the round trip, the concentration and the price jump as the API reports them', { timeout: 150_000 }, async () => {
  const reg = (await login(REGULATOR)).token
  const r = await apiOk('GET', `/market/surveillance?instrument=${S.inst}`, { token: reg })
  // What the set-up made: one round trip between ent-power and ent-alu, nobody on both sides.
  assert.equal(r.round_trips.length, 1)
  assert.deepEqual([r.round_trips[0].low_org_id, r.round_trips[0].high_org_id].sort(), [S.orgs.power, S.orgs.alu].sort())
  assert.deepEqual(r.same_owner, [])
  const refusal = await api('GET', `/market/surveillance?instrument=${S.inst}&top_n=0`, { token: reg })
  assert.equal(refusal.status, 400, refusal.text)
  assert.equal(refusal.json.error.field, 'top_n')

  await withPage('a', async (page) => {
    await uiLogin(page, REGULATOR)
    await tid(page, 'nav-surveillance').click()
    await page.waitForURL(/#\/surveillance$/)
    assert.equal((await tid(page, 'surveillance-title').innerText()).trim(), '市场监察')
    await tid(page, 'surveillance-instrument').waitFor({ state: 'visible' })
    if ((await attr(page, 'surveillance-instrument', 'data-instrument')) !== S.inst) {
      await pickOption(page, 'surveillance-instrument', `surveillance-instrument-option-${S.inst}`)
      await tid(page, 'surveillance-run').click()
    }
    await waitAttr(page, 'surveillance-summary', 'data-instrument', S.inst)
    assert.equal(await attr(page, 'surveillance-summary', 'data-trades'), String(r.trades.count))
    assert.equal(await attr(page, 'surveillance-summary', 'data-from'), r.from)

    // Wash-trade candidates: the round trip with both organizations' names.
    const trip = r.round_trips[0]
    await waitAttr(page, 'surv-round-trips', 'data-count', '1')
    assert.equal(await attr(page, 'surv-round-trip-0', 'data-orgs'), `${trip.low_org_id},${trip.high_org_id}`)
    assert.equal(await attr(page, 'surv-round-trip-0', 'data-gross'), String(trip.gross_quantity))
    assert.equal(await attr(page, 'surv-round-trip-0', 'data-net'), String(trip.net_quantity))
    assert.equal(await attr(page, 'surv-round-trip-0', 'data-trades'), trip.trade_ids.join(','))
    const tripText = await tid(page, 'surv-round-trips').innerText()
    for (const name of [trip.low_org_name, trip.high_org_name]) assert.ok(tripText.includes(name), `no ${name} in ${tripText}`)
    assert.equal(await attr(page, 'surv-same-owner', 'data-count'), '0')

    // Concentration.
    const c = r.concentration
    assert.equal(await attr(page, 'surv-concentration', 'data-total'), String(c.total_quantity))
    assert.equal(await attr(page, 'surv-concentration', 'data-hhi'), String(c.hhi_points))
    assert.equal((await tid(page, 'surv-hhi').innerText()).trim(), String(c.hhi_points))
    assert.equal(await attr(page, 'surv-concentration', 'data-top-holders'), c.top_holders.map((h) => `${h.org_id}:${h.share_bps}`).join(','))
    assert.equal(await attr(page, 'surv-concentration', 'data-large'), c.large_holders.map((h) => h.org_id).join(','))
    for (const h of c.top_holders) {
      assert.equal((await tid(page, `surv-holder-${h.org_id}`).innerText()).trim(), h.org_name)
      // Shares as exact percentages: 8000 bp is "80.00 %".
      const row = tid(page, `surv-holder-${h.org_id}`).locator('xpath=ancestor::tr')
      assert.ok((await row.innerText()).includes(`${(h.share_bps / 100).toFixed(2)} %`))
    }
    for (const h of c.large_holders) await tid(page, `surv-large-${h.org_id}`).waitFor({ state: 'visible' })
    await tid(page, 'surv-holders-chart').locator('canvas').first().waitFor({ state: 'visible' })
    for (const top of c.top) assert.equal(await attr(page, `surv-cr-${top.count}`, 'data-bps'), String(top.share_bps))

    // Price moves.
    assert.equal(await attr(page, 'surv-price-jumps', 'data-trades'), r.price_jumps.map((j) => j.trade_id).join(','))
    assert.equal(await attr(page, 'surv-close-moves', 'data-count'), String(r.close_moves.length))
    await shot(page, 'surveillance-regulator.png')

    // A threshold the API refuses: its message at that field, nothing else marked.
    await tid(page, 'surveillance-top_n').fill('0')
    await tid(page, 'surveillance-run').click()
    const item = page.locator('[data-testid="surveillance-form"] [data-field="top_n"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="surveillance-form"] [data-field="top_n"]')?.classList.contains('is-error'))
    assert.equal((await item.locator('.el-form-item__error').innerText()).trim(), refusal.json.error.message)
    assert.deepEqual(await page.locator('[data-testid="surveillance-form"] .el-form-item.is-error').evaluateAll((els) => els.map((e) => e.dataset.field)), ['top_n'])
    await shot(page, 'surveillance-refused.png')
  })
})

test('(b) an enterprise has no surveillance entry and the page says it is forbidden', { timeout: 90_000 }, async () => {
  await withPage('b', async (page) => {
    const asked = []
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/market/surveillance')) asked.push(req.url())
    })
    await uiLogin(page, POWER)
    await tid(page, 'nav-market').waitFor({ state: 'visible' })
    assert.equal(await tid(page, 'nav-surveillance').count(), 0)
    await page.goto(`${baseUrl}/#/surveillance`)
    const notice = tid(page, 'surveillance-forbidden')
    await notice.waitFor({ state: 'visible' })
    assert.ok((await notice.innerText()).includes('仅主管部门和交易机构可查看市场监察报告'))
    assert.equal(await tid(page, 'surveillance-form').count(), 0)
    // The API agrees.
    const ent = (await login(POWER)).token
    const r = await api('GET', `/market/surveillance?instrument=${S.inst}`, { token: ent })
    assert.equal(r.status, 403, r.text)
    assert.deepEqual(asked, [], 'the page does not ask for a report it may not read')
    await shot(page, 'surveillance-forbidden.png')
  })
})

test('no uncaught errors in the surveillance page', () => {
  assert.deepEqual(pageErrors, [])
})
