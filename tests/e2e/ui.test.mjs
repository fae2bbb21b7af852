// Browser test of the GreenLoop web UI (node:test + playwright-core + Debian's /usr/bin/chromium).
//
// It builds nothing. Prerequisites:
//   - the server binary: $GREENLOOP_BIN (default build/release/greenloop, relative to the repo root)
//   - the built UI: web/dist (npm run build:web)
//   - chromium at /usr/bin/chromium (never `playwright install`)
// It loads the demo data into a temp SQLite database, starts `greenloop serve` on a free port with
// --web-root web/dist, drives the UI, and always stops the server at the end.
//
//   npm run test:e2e            (or: GREENLOOP_BIN=/path/to/greenloop node --test tests/e2e/)
//
// Screenshots go to test-output/e2e/ (repo root relative).

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
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
const OUT_DIR = path.join(REPO, 'test-output', 'e2e')
const CHROMIUM = '/usr/bin/chromium'

const ENTERPRISE = { name: 'ent-power', password: 'demo-enterprise' }
const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const INSTRUMENT = 'CEA-2024'
const TRANSFER_DISPLAY = '1000' // display units typed into the form

const UI_TIMEOUT = 15_000 // per Playwright action / wait
const HEALTH_TIMEOUT = 20_000

let tmpDir = ''
let server = null
let serverLog = ''
let baseUrl = ''
const { api, login } = apiClient(() => baseUrl)
let browser = null
const pageErrors = []
let lastTransferEntryId = 0

// ---------- helpers ----------



function tail(s, n = 3000) {
  return s.length > n ? '…' + s.slice(-n) : s
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))



/** Holding quantity (smallest units, BigInt) of an instrument in an account via the API; 0 if absent. */
async function holdingOf(token, accountId, instrument, bucket = 'available') {
  const r = await api('GET', `/accounts/${accountId}/holdings`, { token })
  assert.equal(r.status, 200, `GET /accounts/${accountId}/holdings: ${r.status} ${r.text}`)
  const item = (r.json.items || []).find((i) => i.instrument === instrument)
  return item ? BigInt(item[bucket]) : 0n
}

/** Parse UI text like "100,000 tCO2e" or "1,234.500 t" into smallest units (BigInt), exactly. */
function parseDisplayed(text, scale) {
  const num = String(text).trim().split(/\s+/)[0].replace(/,/g, '')
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(num)
  assert.ok(m, `cannot parse displayed quantity "${text}"`)
  const digits = String(scale).length - 1
  assert.match(String(scale), /^10*$/, `scale ${scale} is not a power of ten`)
  const frac = (m[3] || '').padEnd(digits, '0')
  assert.ok(frac.length === digits, `"${text}" shows more decimals than scale ${scale} allows`)
  const v = BigInt(m[2]) * BigInt(scale) + (digits ? BigInt(frac) : 0n)
  return m[1] ? -v : v
}

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
}

const tid = (page, id) => page.locator(`[data-testid="${id}"]`)

/** Choose an option of an Element Plus select: open it, click the option (teleported to <body>). */

async function readAvailable(page, accountId) {
  // Go through the navigation (accounts list -> account detail), as a user would.
  await tid(page, 'nav-accounts').click()
  await tid(page, `account-link-${accountId}`).click()
  await page.waitForURL(new RegExp(`#/accounts/${accountId}$`))
  const cell = tid(page, `holding-available-${INSTRUMENT}`)
  await cell.waitFor({ state: 'visible' })
  return (await cell.innerText()).trim()
}

// ---------- server lifecycle ----------

before(async () => {
  // Fail early and clearly if a prerequisite is missing.
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-'))
  const db = `sqlite:${path.join(tmpDir, 'e2e.db')}`

  const demo = await run(BIN, ['demo', '--db', db], 120_000)
  assert.ok(!demo.error, `"${BIN} demo --db ${db}" failed: ${demo.error && demo.error.message}\nstdout:\n${tail(demo.stdout)}\nstderr:\n${tail(demo.stderr)}`)

  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  server = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--web-root', WEB_ROOT], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
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

// Safety net: never leave the server running if the process dies abruptly.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
})

// ---------- tests ----------

test('wrong password shows the API error message', { timeout: 60_000 }, async () => {
  const r = await api('POST', '/auth/login', { body: { name: ENTERPRISE.name, password: 'definitely-wrong' } })
  assert.equal(r.status, 401, `wrong password: expected 401, got ${r.status} ${r.text}`)
  const message = r.json && r.json.error && r.json.error.message
  assert.ok(message, `401 body has no error.message: ${r.text}`)

  const page = await newPage()
  try {
    await uiLogin(page, { name: ENTERPRISE.name, password: 'definitely-wrong' })
    const err = tid(page, 'login-error')
    await err.waitFor({ state: 'visible' })
    assert.equal((await err.innerText()).trim(), message)
    assert.match(page.url(), /#\/login/)
  } finally {
    await page.context().close()
  }
})

test('language toggle switches visible labels from Chinese to English (persisted)', { timeout: 60_000 }, async () => {
  const page = await newPage()
  try {
    await page.goto(`${baseUrl}/#/login`)
    const submit = tid(page, 'login-submit')
    await submit.waitFor({ state: 'visible' })
    assert.equal((await submit.innerText()).trim(), '登录')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="login-submit"]')?.innerText.trim() === 'Sign in')
    assert.equal(await page.evaluate(() => localStorage.getItem('greenloop.locale')), 'en')
    await page.reload()
    await submit.waitFor({ state: 'visible' })
    assert.equal((await submit.innerText()).trim(), 'Sign in', 'locale choice not kept across reloads')

    // After login the navigation follows the chosen language; toggle back to Chinese.
    await uiLogin(page, ENTERPRISE)
    await page.waitForURL(/#\/dashboard/)
    assert.equal((await tid(page, 'nav-transfer').innerText()).trim(), 'Transfer')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-transfer"]')?.innerText.trim() === '划转')
  } finally {
    await page.context().close()
  }
})

test('an invalid token sends the user back to the login page', { timeout: 60_000 }, async () => {
  const page = await newPage()
  try {
    await page.goto(`${baseUrl}/#/login`)
    await page.evaluate(() => {
      sessionStorage.setItem('greenloop.token', 'forged-token')
      sessionStorage.setItem('greenloop.user', JSON.stringify({ id: 0, name: 'x', role: 'enterprise', org_id: 0 }))
    })
    // Full page load so the app starts with the forged token from sessionStorage.
    await page.goto(`${baseUrl}/?reload=1#/accounts`)
    // The guard lets the page load (a token is present); the API answers 401; the UI drops the
    // token and returns to the login page.
    await page.waitForFunction(() => location.hash.startsWith('#/login') && sessionStorage.getItem('greenloop.token') === null)
    await tid(page, 'login-submit').waitFor({ state: 'visible' })
  } finally {
    await page.context().close()
  }
})

test('enterprise transfers 1000 CEA-2024 through the UI; balances move by exactly 1000', { timeout: 180_000 }, async () => {
  // --- find the accounts through the API ---
  const reg = await login(REGULATOR)
  const ent = await login(ENTERPRISE)
  assert.equal(ent.user.role, 'enterprise', `ent-power should be an enterprise user: ${JSON.stringify(ent.user)}`)

  const insts = await api('GET', '/instruments', { token: reg.token })
  assert.equal(insts.status, 200, `GET /instruments: ${insts.status} ${insts.text}`)
  const inst = insts.json.items.find((i) => i.code === INSTRUMENT)
  assert.ok(inst, `${INSTRUMENT} missing from GET /instruments`)
  const scale = BigInt(inst.scale)
  const transferUnits = BigInt(TRANSFER_DISPLAY) * scale

  const all = await api('GET', '/accounts', { token: reg.token })
  assert.equal(all.status, 200, `GET /accounts as regulator: ${all.status} ${all.text}`)
  const accounts = all.json.items
  const own = accounts.filter((a) => a.org_id === ent.user.org_id && a.kind === 'holding')
  assert.ok(own.length, `no holding account for ent-power's org ${ent.user.org_id}`)
  let source = null
  for (const a of own) {
    if ((await holdingOf(reg.token, a.id, INSTRUMENT)) >= 100_000n * scale) {
      source = a
      break
    }
  }
  assert.ok(source, `no ent-power holding account with >= 100000 ${INSTRUMENT} available`)
  const target = accounts.find((a) => a.kind === 'holding' && a.status === 'open' && a.org_id !== ent.user.org_id)
  assert.ok(target, 'no open holding account of another organization to transfer to')

  const sourceBeforeApi = await holdingOf(reg.token, source.id, INSTRUMENT)
  const targetBefore = await holdingOf(reg.token, target.id, INSTRUMENT)

  // --- UI: log in as ent-power, dashboard ---
  const page = await newPage()
  const transferRequests = []
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/transfers') {
      transferRequests.push({ headers: req.headers(), body: req.postData() })
    }
  })
  try {
    await uiLogin(page, ENTERPRISE)
    await page.waitForURL(/#\/dashboard/)
    await tid(page, 'supply-chart').locator('canvas').first().waitFor({ state: 'visible' })
    await tid(page, 'latest-journal').locator('tbody tr').first().waitFor({ state: 'visible' })
    await sleep(800) // let chart animations settle before the screenshot
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard.png'), fullPage: true })

    // --- account detail: available balance before ---
    const beforeText = await readAvailable(page, source.id)
    const sourceBefore = parseDisplayed(beforeText, inst.scale)
    assert.equal(sourceBefore, sourceBeforeApi, `UI shows "${beforeText}" but the API says ${sourceBeforeApi}`)
    assert.ok(sourceBefore >= 100_000n * scale, `available ${beforeText} < 100000`)

    // --- transfer form ---
    await tid(page, 'nav-transfer').click()
    await page.waitForURL(/#\/transfer/)
    await pickOption(page, 'transfer-from', `transfer-from-option-${source.id}`)
    await pickOption(page, 'transfer-instrument', `transfer-instrument-option-${INSTRUMENT}`)
    await tid(page, 'transfer-to').fill(String(target.id))
    await tid(page, 'transfer-quantity').fill(TRANSFER_DISPLAY)
    await tid(page, 'transfer-memo').fill('e2e: browser transfer of 1000 CEA-2024')
    await tid(page, 'transfer-submit').click()
    const result = tid(page, 'transfer-result')
    await result.waitFor({ state: 'visible' })
    const status = await result.getAttribute('data-status')
    assert.equal(status, 'ok', `transfer failed in the UI: ${(await result.innerText()).trim()}`)
    const entryId = Number((await tid(page, 'transfer-entry-id').innerText()).trim())
    assert.ok(Number.isInteger(entryId) && entryId > 0, 'no entry id shown')
    lastTransferEntryId = entryId
    await page.screenshot({ path: path.join(OUT_DIR, 'transfer-result.png'), fullPage: true })

    // The form sent one POST with a UUID Idempotency-Key and the exact smallest-unit quantity.
    assert.equal(transferRequests.length, 1, `expected exactly one POST /transfers, saw ${transferRequests.length}`)
    assert.match(transferRequests[0].headers['idempotency-key'] || '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const sent = JSON.parse(transferRequests[0].body)
    assert.deepEqual(
      { from_account: sent.from_account, to_account: sent.to_account, instrument: sent.instrument, quantity: BigInt(sent.quantity) },
      { from_account: source.id, to_account: target.id, instrument: INSTRUMENT, quantity: transferUnits },
    )

    // --- holdings after: exactly 1000 less available ---
    const afterText = await readAvailable(page, source.id)
    const sourceAfter = parseDisplayed(afterText, inst.scale)
    assert.equal(sourceAfter, sourceBefore - transferUnits, `available went from "${beforeText}" to "${afterText}", expected a drop of exactly ${TRANSFER_DISPLAY}`)
    await tid(page, 'holdings-table').scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(OUT_DIR, 'holdings.png'), fullPage: true })

    // --- API: the target received exactly 1000; the entry carries the postings ---
    const targetAfter = await holdingOf(reg.token, target.id, INSTRUMENT)
    assert.equal(targetAfter, targetBefore + transferUnits, `target ${target.id} ${INSTRUMENT}: ${targetBefore} -> ${targetAfter}`)
    const entry = await api('GET', `/journal/${entryId}`, { token: reg.token })
    assert.equal(entry.status, 200, `GET /journal/${entryId}: ${entry.status} ${entry.text}`)
    assert.equal(entry.json.kind, 'transfer')
    const net = (acc) => entry.json.postings.filter((p) => p.account_id === acc && p.instrument === INSTRUMENT).reduce((s, p) => s + BigInt(p.amount), 0n)
    assert.equal(net(source.id), -transferUnits)
    assert.equal(net(target.id), transferUnits)

    // The enterprise sees its own entry with hash and prev_hash.
    await page.goto(`${baseUrl}/#/journal/${entryId}`)
    await tid(page, 'entry-hash').waitFor({ state: 'visible' })
    assert.equal((await tid(page, 'entry-hash').innerText()).trim(), entry.json.hash)
    assert.equal((await tid(page, 'entry-prev-hash').innerText()).trim(), entry.json.prev_hash)
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, 'failure.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
})

test('regulator sees the hash chain link of the transfer entry', { timeout: 60_000 }, async () => {
  assert.ok(lastTransferEntryId, 'the transfer test did not produce an entry')
  const id = lastTransferEntryId
  const reg = await login(REGULATOR)
  const cur = await api('GET', `/journal/${id}`, { token: reg.token })
  const prev = await api('GET', `/journal/${id - 1}`, { token: reg.token })
  assert.equal(cur.status, 200, `GET /journal/${id}: ${cur.status} ${cur.text}`)
  assert.equal(prev.status, 200, `GET /journal/${id - 1}: ${prev.status} ${prev.text}`)
  assert.equal(cur.json.prev_hash, prev.json.hash, `entry ${id} prev_hash != hash of entry ${id - 1}`)

  const page = await newPage()
  try {
    await uiLogin(page, REGULATOR)
    await page.waitForURL(/#\/dashboard/)
    await page.goto(`${baseUrl}/#/journal/${id}`)
    const chain = tid(page, 'entry-chain')
    await chain.waitFor({ state: 'visible' })
    assert.equal(await chain.getAttribute('data-status'), 'ok', `hash chain not shown as linked: ${(await chain.innerText()).trim()}`)
    assert.equal((await tid(page, 'entry-prev-link').innerText()).trim(), `#${id - 1}`)
    await page.screenshot({ path: path.join(OUT_DIR, 'entry.png'), fullPage: true })
    await tid(page, 'entry-prev-link').click()
    await page.waitForURL(new RegExp(`#/journal/${id - 1}$`))
    await tid(page, 'entry-hash').waitFor({ state: 'visible' })
    assert.equal((await tid(page, 'entry-hash').innerText()).trim(), cur.json.prev_hash)
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, 'failure-entry.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
})

test('no uncaught errors in the pages', () => {
  assert.deepEqual(pageErrors, [])
})
