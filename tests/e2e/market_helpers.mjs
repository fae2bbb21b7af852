// What the block-trade and auction browser tests (tests/e2e/block.test.mjs, auction.test.mjs) share:
// copies of the helpers tests/e2e/market.test.mjs keeps inline (server lifecycle, browser pages,
// login through the login page, data attributes, form errors, screenshots), gathered in one
// harness per test file. market.test.mjs itself is unchanged.
//
//   const h = marketHarness({ name: 'block', clockStart: '2026-11-23T05:10:00Z' })
//   before(h.start); after(h.stop)
//
// h.start() checks the prerequisites, loads the demo data into a temp SQLite database, starts
// `greenloop serve` with GREENLOOP_CLOCK_START on a free port, waits for /health and launches
// Debian's Chromium headless. h.stop() closes the browser, stops the server and removes the temp dir.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { apiClient, freePort, run } from './client.mjs'

export const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const CHROMIUM = '/usr/bin/chromium'
export const UI_TIMEOUT = 15_000
const HEALTH_TIMEOUT = 20_000

export const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
export const EXCHANGE = { name: 'exchange', password: 'demo-exchange' }
export const POWER = { name: 'ent-power', password: 'demo-enterprise' }
export const ALU = { name: 'ent-alu', password: 'demo-enterprise' }

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
export const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
export const suffix = () => crypto.randomBytes(3).toString('hex').toUpperCase()

/** Fen as the UI shows yuan: exact, two decimals, thousands separators ("1,000,000.00"). */
export function yuan(fen) {
  const f = BigInt(fen)
  const neg = f < 0n
  const a = neg ? -f : f
  return `${neg ? '-' : ''}${(a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(a % 100n).toString().padStart(2, '0')}`
}

/** "2026-11-23 13:10:05": an instant (ms since the epoch) in Beijing time, as the forms take it. */
export function beijingText(ms) {
  const s = new Date(ms + 8 * 3600 * 1000).toISOString()
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`
}
/** RFC 3339 UTC without milliseconds, as the API writes times. */
export const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export const tid = (page, id) => page.locator(`[data-testid="${id}"]`)

export async function attr(page, testId, name) {
  const el = tid(page, testId).first()
  await el.waitFor({ state: 'attached' })
  return el.getAttribute(name)
}

export async function text(page, testId) {
  const el = tid(page, testId).first()
  await el.waitFor({ state: 'visible' })
  return (await el.innerText()).trim()
}

/** Wait until the attribute of a test id has the expected value (the pages refresh every 2–3 s). */
export async function waitAttr(page, testId, name, expected, timeout = UI_TIMEOUT) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, String(expected)],
    { timeout },
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).first().getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

/** The error text of the form item `field` inside the element `scope` (a test id), once shown. */
export async function fieldError(page, scope, field) {
  const sel = `[data-testid="${scope}"] [data-field="${field}"]`
  await page.waitForFunction((s) => {
    const el = document.querySelector(s)
    return el && el.classList.contains('is-error') && el.querySelector('.el-form-item__error')?.innerText.trim()
  }, sel).catch(() => assert.fail(`the form item ${field} of ${scope} shows no error`))
  return (await page.locator(sel).locator('.el-form-item__error').innerText()).trim()
}

/** Fills an Element Plus input found by its test id (the input inside the wrapper). */
export async function fill(page, testId, value) {
  const input = page.locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`).first()
  await input.fill(String(value))
}

/**
 * The harness of one test file. `name` names the temp dir and the screenshot folder
 * (test-output/e2e/<name>/); `clockStart` is GREENLOOP_CLOCK_START.
 */
export function marketHarness({ name, clockStart }) {
  const bin = path.resolve(REPO, process.env.GREENLOOP_BIN || 'build/release/greenloop')
  const webRoot = path.join(REPO, 'web', 'dist')
  const outDir = path.join(REPO, 'test-output', 'e2e', name)
  const h = {
    bin,
    outDir,
    clockStart,
    baseUrl: '',
    browser: null,
    pageErrors: [],
    consoleErrors: [],
    serverLog: '',
  }
  let tmpDir = ''
  let server = null
  let clockOffsetMs = 0 // server time − local time, from a created_at the server wrote
  Object.assign(h, apiClient(() => h.baseUrl))

  /** The server's clock now (ms), from the offset measured by syncClock (GREENLOOP_CLOCK_START moves it). */
  h.serverNow = () => Date.now() + clockOffsetMs
  /** Measures the server clock's offset from a timestamp it just wrote (seconds resolution). */
  h.syncClock = (serverTs, receivedAtMs) => {
    clockOffsetMs = Date.parse(serverTs) - receivedAtMs
  }

  h.start = async () => {
    assert.ok(fs.existsSync(bin), `server binary not found: ${bin} (build it, or set GREENLOOP_BIN)`)
    fs.accessSync(bin, fs.constants.X_OK)
    assert.ok(fs.existsSync(path.join(webRoot, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
    fs.mkdirSync(outDir, { recursive: true })
    for (const f of fs.readdirSync(outDir)) if (f.endsWith('.png')) fs.rmSync(path.join(outDir, f))

    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `greenloop-e2e-${name}-`))
    const db = `sqlite:${path.join(tmpDir, 'e2e.db')}`
    const demo = await run(bin, ['demo', '--db', db], 120_000)
    assert.ok(!demo.error, `"${bin} demo --db ${db}" failed: ${demo.error && demo.error.message}\nstdout:\n${tail(demo.stdout)}\nstderr:\n${tail(demo.stderr)}`)

    const port = await freePort()
    h.baseUrl = `http://127.0.0.1:${port}`
    const startedAt = Date.now()
    server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--web-root', webRoot], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GREENLOOP_CLOCK_START: clockStart },
    })
    clockOffsetMs = Date.parse(clockStart) - startedAt // refined by syncClock
    server.stdout.on('data', (d) => (h.serverLog = tail(h.serverLog + d, 20_000)))
    server.stderr.on('data', (d) => (h.serverLog = tail(h.serverLog + d, 20_000)))
    let exited = null
    server.on('exit', (code, signal) => (exited = { code, signal }))

    const deadline = Date.now() + HEALTH_TIMEOUT
    let last = ''
    for (;;) {
      if (exited) assert.fail(`server exited early (${JSON.stringify(exited)}):\n${tail(h.serverLog)}`)
      try {
        const res = await fetch(`${h.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2000) })
        last = `${res.status} ${await res.text()}`
        if (res.status === 200) break
      } catch (e) {
        last = String(e.cause ? e.cause.code || e.cause : e.message)
      }
      if (Date.now() > deadline) assert.fail(`GET /api/v1/health did not answer 200 within ${HEALTH_TIMEOUT} ms (last: ${last})\nserver log:\n${tail(h.serverLog)}`)
      await sleep(200)
    }

    h.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    })
  }

  async function stopServer() {
    if (!server || server.exitCode !== null || server.signalCode !== null) return
    const done = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    const t = setTimeout(() => server.kill('SIGKILL'), 5000)
    await Promise.race([done, sleep(8000)])
    clearTimeout(t)
  }

  h.stop = async () => {
    try {
      if (h.browser) await h.browser.close().catch(() => {})
    } finally {
      await stopServer()
      if (process.env.GREENLOOP_TEST_LOG === '1') console.log(`server log (${name}):\n${h.serverLog}`)
      if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true })
    }
  }
  process.on('exit', () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  })

  /**
   * A new page in its own context. Uncaught page errors and console errors are recorded; the
   * browser's "Failed to load resource … status of 4xx" lines are the API's refusals the tests
   * provoke on purpose, and are kept apart (h.refusedLoads).
   */
  h.refusedLoads = []
  h.newPage = async ({ locale = 'zh-CN' } = {}) => {
    const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 }, locale })
    const page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT)
    page.setDefaultNavigationTimeout(UI_TIMEOUT)
    page.on('pageerror', (e) => h.pageErrors.push(`${e.name}: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() !== 'error') return
      const t = m.text()
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(t)) h.refusedLoads.push(`${t} ${m.location().url || ''}`)
      else h.consoleErrors.push(t)
    })
    return page
  }

  h.shot = async (page, file) => {
    await sleep(300)
    await page.screenshot({ path: path.join(outDir, file), fullPage: true })
  }

  h.withPage = async (label, fn, opts) => {
    const page = await h.newPage(opts)
    try {
      await fn(page)
    } catch (e) {
      await page.screenshot({ path: path.join(outDir, `failure-${label}.png`), fullPage: true }).catch(() => {})
      throw e
    } finally {
      await page.context().close()
    }
  }

  /** Log in through the login page; `target` (a route) is where the login page redirects to. */
  h.uiLogin = async (page, user, target = '') => {
    await page.goto(`${h.baseUrl}/#/login${target ? `?redirect=${encodeURIComponent(target)}` : ''}`)
    await page.getByTestId('login-name').fill(user.name)
    await page.getByTestId('login-password').fill(user.password)
    await page.getByTestId('login-submit').click()
    if (!target) await page.waitForURL(/#\/dashboard/)
    else await page.waitForFunction((t) => decodeURIComponent(location.hash) === `#${t}`, target)
  }

  h.holding = async (token, accountId, instrument) => {
    const r = await h.apiOk('GET', `/accounts/${accountId}/holdings`, { token })
    const row = r.items.find((x) => x.instrument === instrument)
    return row ? { balance: BigInt(row.balance), frozen: BigInt(row.frozen), available: BigInt(row.available) } : { balance: 0n, frozen: 0n, available: 0n }
  }

  h.orgOf = async (user) => (await h.apiOk('GET', '/auth/me', { token: (await h.login(user)).token })).user.org_id

  return h
}
