// Browser test of the carbon market pages (碳市场: 配额分配、清缴履约、企业履约档案、信息披露):
// node:test + playwright-core + Debian's /usr/bin/chromium.
//
// Same harness as tests/e2e/ui.test.mjs and mrv.test.mjs: it builds nothing; it needs
// $GREENLOOP_BIN (default build/release/greenloop), web/dist (npm run build:web) and
// /usr/bin/chromium. It loads the demo data into a temp SQLite database (2024: five power
// enterprises with confirmed verified reports, three not ready; deadline 2025-12-31), starts
// `greenloop serve` on a free port and always stops it at the end.
//
// Expected figures always come from the API (fetched here with the right token), never from what
// the UI printed. What it proves, in a real Chromium:
//   (a) the regulator previews the 2024 final allocation (targets, issued, to-issue, readiness = the
//       API's), opens a row's calculation, issues it for one ready enterprise after the
//       confirmation: the record (kind, quantity = the to-issue) appears with its journal entry link,
//       the entry credits the account; issuing again moves nothing (to-issue 0, no new record, same
//       balance);
//   (b) ent-power surrenders an ineligible vintage: the API's message is shown at the instrument
//       field; it then surrenders 1,234 CEA-2024: the compliance table's surrendered CEA rises and
//       the outstanding falls by exactly 1,234 (as in the API);
//   (c) ent-power cannot open another enterprise's history (the API's refusal message is shown) but
//       sees its own; region-ordos sees only its league/city in the compliance tab;
//   (d) the public disclosure page works without signing in (no token, no redirect), its figures are
//       the API's, and its CSV link answers CSV; the login page links to it;
//   (e) the language toggle shows the English labels (disclosure and carbon pages);
//   (f) the regulator's penalty decision out of the legal range is refused with the API's message at
//       the amount field; an amount in range is recorded and shown in the compliance table;
//   no uncaught page errors.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/carbon.test.mjs
//
// Screenshots go to test-output/e2e/carbon/ (a folder of its own: ui.test.mjs empties test-output/e2e/).

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
const OUT_DIR = path.join(REPO, 'test-output', 'e2e', 'carbon')
const CHROMIUM = '/usr/bin/chromium'

const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const ENTERPRISE = { name: 'ent-power', password: 'demo-enterprise' }
const REGION = { name: 'region-ordos', password: 'demo-region' }
const YEAR = 2024 // the demo year with confirmed verified reports
const YEARS = [2024, 2025, 2026] // the UI's year selector
const SURRENDER_QTY = 1234n

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

// ---------- helpers ----------



const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))




/** Whole tonnes as the UI shows them: thousands separators ("4,166,663"). */
const grouped = (v) => BigInt(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** Exact sum of decimals with at most 2 decimals, as a decimal text ("21250165.52"). */
function sumCents(values) {
  let c = 0n
  for (const v of values) {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(v))
    assert.ok(m, `not a decimal with at most 2 decimals: ${v}`)
    c += BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0'))
  }
  const frac = (c % 100n).toString().padStart(2, '0').replace(/0+$/, '')
  return `${c / 100n}${frac ? '.' + frac : ''}`
}

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

/** Wait until the attribute of a test id has the expected value (UI refreshes asynchronously). */
async function waitAttr(page, testId, name, expected) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, String(expected)],
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).first().getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

/** Wait for an Element Plus form item's error text (shown through a transition). */
async function fieldError(page, field) {
  const item = page.locator(`[data-field="${field}"]`)
  await page.waitForFunction((f) => {
    const el = document.querySelector(`[data-field="${f}"]`)
    return el && el.classList.contains('is-error') && el.querySelector('.el-form-item__error')?.innerText.trim()
  }, field).catch(() => assert.fail(`the form item ${field} shows no error`))
  return (await item.locator('.el-form-item__error').innerText()).trim()
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

/** The latest of the UI's years whose compliance lists enterprises (the carbon page's default year). */
async function defaultYear(token) {
  let found = null
  for (const y of YEARS) {
    const r = await api('GET', `/carbon/compliance/${y}`, { token })
    if (r.status === 200 && r.json.items.length) found = y
  }
  return found
}

async function holding(token, accountId, instrument) {
  const h = await apiOk('GET', `/accounts/${accountId}/holdings`, { token })
  const row = h.items.find((x) => x.instrument === instrument)
  return row ? BigInt(row.balance) : 0n
}

// ---------- server lifecycle ----------

before(async () => {
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-carbon-'))
  const db = `sqlite:${path.join(tmpDir, 'e2e.db')}`
  const demo = await run(BIN, ['demo', '--db', db], 120_000)
  assert.ok(!demo.error, `"${BIN} demo --db ${db}" failed: ${demo.error && demo.error.message}\nstdout:\n${tail(demo.stdout)}\nstderr:\n${tail(demo.stderr)}`)

  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  server = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--web-root', WEB_ROOT], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
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

process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
})

// ---------- tests ----------

test('(a) the regulator previews the final allocation, issues it for one ready enterprise; issuing again moves nothing', { timeout: 180_000 }, async () => {
  const reg = await login(REGULATOR)
  const preview = await apiOk('GET', `/carbon/allocations/${YEAR}/preview?kind=final`, { token: reg.token })
  const target = preview.items.find((r) => r.ready && r.to_issue_t > 0)
  assert.ok(target, `no ready enterprise with something to issue in ${YEAR}: ${JSON.stringify(preview.items.map((r) => [r.org_id, r.ready, r.to_issue_t]))}`)
  assert.ok(preview.items.some((r) => !r.ready), 'the demo should have enterprises that are not ready')
  assert.equal((await apiOk('GET', `/carbon/allocations?year=${YEAR}&org=${target.org_id}`, { token: reg.token })).items.length, 0, 'already issued')
  const expectedDefault = await defaultYear(reg.token)

  await withPage('a', async (page) => {
    await uiLogin(page, REGULATOR)
    await tid(page, 'nav-carbon').click()
    await page.waitForURL(/#\/carbon$/)
    // Default year: the latest with enterprises under obligation (2024 in the demo).
    await waitAttr(page, 'carbon-year', 'data-year', expectedDefault)
    if (expectedDefault !== YEAR) {
      await tid(page, `carbon-year-${YEAR}`).click()
      await waitAttr(page, 'carbon-year', 'data-year', YEAR)
    }
    await waitAttr(page, 'carbon-preview', 'data-kind', 'final')
    // Every row is the API's: target, issued, to issue, readiness and its reason.
    await tid(page, `carbon-target-${target.org_id}`).waitFor({ state: 'visible' })
    assert.equal(await page.locator('[data-testid="carbon-preview"] tbody tr').count(), preview.items.length)
    for (const r of preview.items) {
      assert.equal(await attr(page, `carbon-target-${r.org_id}`, 'data-value'), String(r.target_t), `target of ${r.org_id}`)
      assert.equal(await attr(page, `carbon-issued-${r.org_id}`, 'data-value'), String(r.issued_t), `issued of ${r.org_id}`)
      assert.equal(await attr(page, `carbon-to-issue-${r.org_id}`, 'data-value'), String(r.to_issue_t), `to issue of ${r.org_id}`)
      assert.equal(await attr(page, `carbon-ready-${r.org_id}`, 'data-ready'), String(r.ready))
      if (!r.ready) assert.equal(await text(page, `carbon-not-ready-${r.org_id}`), r.not_ready_reason)
    }
    assert.equal(await text(page, `carbon-target-${target.org_id}`), grouped(target.target_t))

    // The row's calculation: one line per unit, the enterprise's final allowance.
    await tid(page, `carbon-calc-${target.org_id}`).click()
    const drawer = tid(page, 'carbon-calc-drawer')
    await drawer.locator('[data-testid="carbon-calc-units"]').waitFor({ state: 'visible' })
    assert.equal(await drawer.locator('[data-testid="carbon-calc-units"] tbody tr').count(), target.calculation.units.length)
    assert.equal((await drawer.locator('[data-testid="carbon-calc-entity-final_t"]').innerText()).trim(), grouped(target.calculation.entity_allowance.final_t))
    await shot(page, 'carbon-calc-drawer.png')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // Select the enterprise, issue, confirm.
    assert.ok(await tid(page, 'carbon-issue-selected').isDisabled(), 'issue is enabled with nothing selected')
    await tid(page, `carbon-select-${target.org_id}`).click()
    await tid(page, 'carbon-issue-selected').click()
    await tid(page, 'carbon-issue-confirm').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'carbon-issue-confirm-total'), `+${grouped(target.to_issue_t)}`)
    assert.equal(await tid(page, 'carbon-issue-confirm-rows').locator('tbody tr').count(), 1)
    await tid(page, 'carbon-issue-confirm').click()
    await waitAttr(page, 'carbon-issue-result', 'data-status', 'ok')
    assert.equal(await attr(page, 'carbon-issue-result', 'data-count'), '1')

    // The API's record: the whole to-issue quantity into the enterprise's account, one journal entry.
    const records = (await apiOk('GET', `/carbon/allocations?year=${YEAR}&org=${target.org_id}`, { token: reg.token })).items
    assert.equal(records.length, 1)
    const rec = records[0]
    assert.equal(rec.quantity, target.to_issue_t)
    assert.equal(rec.instrument, `CEA-${YEAR}`)
    assert.equal(await attr(page, `carbon-issue-quantity-${target.org_id}`, 'data-value'), String(rec.quantity))
    assert.equal(await attr(page, `carbon-issue-entry-${target.org_id}`, 'href'), `#/journal/${rec.entry_id}`)
    const entry = await apiOk('GET', `/journal/${rec.entry_id}`, { token: reg.token })
    assert.equal(entry.kind, 'issue')
    const credit = entry.postings.find((p) => p.account_id === rec.account_id && p.amount > 0)
    assert.ok(credit, `entry ${rec.entry_id} does not credit account ${rec.account_id}: ${JSON.stringify(entry.postings)}`)
    assert.equal(credit.amount, rec.quantity)
    assert.equal(credit.instrument, rec.instrument)

    // The records list shows it with its kind and the journal entry link.
    await waitAttr(page, `carbon-record-quantity-${rec.id}`, 'data-value', rec.quantity)
    assert.equal(await attr(page, `carbon-record-kind-${rec.id}`, 'data-kind'), rec.kind)
    assert.equal(await attr(page, `carbon-record-entry-${rec.id}`, 'href'), `#/journal/${rec.entry_id}`)
    // The record's calculation (GET /carbon/allocations/records/{id}).
    const detail = await apiOk('GET', `/carbon/allocations/records/${rec.id}`, { token: reg.token })
    await tid(page, `carbon-record-calc-${rec.id}`).click()
    const recDrawer = tid(page, 'carbon-record-calc-drawer')
    await recDrawer.locator('[data-testid="carbon-calc-entity-final_t"]').waitFor({ state: 'visible' })
    assert.equal((await recDrawer.locator('[data-testid="carbon-calc-entity-final_t"]').innerText()).trim(), grouped(detail.calculation.entity_allowance.final_t))
    assert.equal(await recDrawer.locator('[data-testid="carbon-calc-units"] tbody tr').count(), detail.calculation.units.length)
    await page.keyboard.press('Escape')
    await recDrawer.waitFor({ state: 'hidden' })
    // The preview was reloaded: everything issued, nothing left to issue.
    await waitAttr(page, `carbon-to-issue-${target.org_id}`, 'data-value', '0')
    assert.equal(await attr(page, `carbon-issued-${target.org_id}`, 'data-value'), String(target.target_t))
    await shot(page, 'carbon-issued.png')

    // Issuing again moves nothing: no record, no entry, the same balance.
    const balance = await holding(reg.token, rec.account_id, rec.instrument)
    await tid(page, `carbon-select-${target.org_id}`).click()
    await tid(page, 'carbon-issue-selected').click()
    await tid(page, 'carbon-issue-confirm').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'carbon-issue-confirm-total'), '0')
    await tid(page, 'carbon-issue-confirm').click()
    await waitAttr(page, 'carbon-issue-result', 'data-count', '0')
    await tid(page, 'carbon-issue-nothing').waitFor({ state: 'visible' })
    assert.equal((await apiOk('GET', `/carbon/allocations?year=${YEAR}&org=${target.org_id}`, { token: reg.token })).items.length, 1)
    assert.equal(await holding(reg.token, rec.account_id, rec.instrument), balance)
    const after = await apiOk('GET', `/carbon/allocations/${YEAR}/preview?kind=final`, { token: reg.token })
    const row = after.items.find((r) => r.org_id === target.org_id)
    assert.equal(row.to_issue_t, 0)
    assert.equal(await attr(page, `carbon-to-issue-${target.org_id}`, 'data-value'), '0')

    // The journal link opens the entry.
    await tid(page, `carbon-record-entry-${rec.id}`).click()
    await page.waitForURL(new RegExp(`#/journal/${rec.entry_id}$`))
    assert.equal(await text(page, 'entry-id'), `#${rec.entry_id}`)
  })
})

test('(b) the enterprise surrenders: an ineligible vintage is refused at the field, a valid quantity changes the compliance by exactly that', { timeout: 180_000 }, async () => {
  const ent = await login(ENTERPRISE)
  const org = ent.user.org_id
  const before = (await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: ent.token })).items.find((r) => r.org_id === org)
  assert.ok(before, `ent-power has no ${YEAR} obligation`)
  assert.ok(BigInt(before.outstanding_t) > SURRENDER_QTY)
  const accounts = (await apiOk('GET', `/accounts?org=${org}&kind=holding`, { token: ent.token })).items
  const account = accounts.find((a) => a.status === 'open')
  assert.ok(account, 'ent-power has no open holding account')
  const holdings = (await apiOk('GET', `/accounts/${account.id}/holdings`, { token: ent.token })).items
  const valid = `CEA-${YEAR}`
  const ineligible = `CEA-${YEAR + 1}` // a later vintage cannot settle earlier emissions
  assert.ok(holdings.some((h) => h.instrument === valid && BigInt(h.available) >= SURRENDER_QTY), `ent-power holds no ${valid}`)
  assert.ok(holdings.some((h) => h.instrument === ineligible), `ent-power holds no ${ineligible}`)
  // The refusal expected (a refused call moves nothing).
  const refusal = await api('POST', '/carbon/surrenders', { token: ent.token, body: { year: YEAR, account: account.id, instrument: ineligible, quantity: 10 } })
  assert.equal(refusal.status, 422, refusal.text)
  assert.equal(refusal.json.error.code, 'ineligible_vintage')
  assert.equal(refusal.json.error.field, 'instrument')
  const validBefore = await holding(ent.token, account.id, valid)

  await withPage('b', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/carbon/surrenders')) posts.push({ headers: r.headers(), body: r.postData() })
    })
    await uiLogin(page, ENTERPRISE)
    await tid(page, 'nav-carbon').click()
    await page.waitForURL(/#\/carbon$/)
    await waitAttr(page, 'carbon-year', 'data-year', await defaultYear(ent.token))
    await tid(page, `carbon-year-${YEAR}`).click()
    await waitAttr(page, 'carbon-year', 'data-year', YEAR)
    await tid(page, 'carbon-tab-surrender').click()
    await waitAttr(page, 'carbon-surrender-standing', 'data-outstanding', before.outstanding_t)
    // The first open holding account is preselected; the instruments are the CEA/CCER held there.
    await tid(page, 'carbon-surrender-instrument').click()
    const options = page.locator('li[data-testid^="carbon-surrender-instrument-option-"]').filter({ visible: true })
    await options.first().waitFor({ state: 'visible' })
    const offered = (await options.evaluateAll((els) => els.map((e) => e.dataset.testid.replace('carbon-surrender-instrument-option-', '')))).sort()
    const expected = holdings.map((h) => h.instrument).filter((c) => /^(CEA|CCER)-/.test(c)).sort()
    assert.deepEqual(offered, expected)
    await page.keyboard.press('Escape')

    // The ineligible vintage: the API's message at the instrument field, nothing else marked.
    await pickOption(page, 'carbon-surrender-instrument', `carbon-surrender-instrument-option-${ineligible}`)
    await tid(page, 'carbon-surrender-quantity').fill('10')
    await tid(page, 'carbon-surrender-submit').click()
    await waitAttr(page, 'carbon-surrender-result', 'data-status', 'error')
    assert.equal(await text(page, 'carbon-surrender-error'), refusal.json.error.message)
    assert.equal(await fieldError(page, 'instrument'), refusal.json.error.message)
    for (const f of ['quantity', 'account']) {
      assert.doesNotMatch(await page.locator(`[data-field="${f}"]`).getAttribute('class'), /\bis-error\b/, `${f} is marked`)
    }
    await shot(page, 'carbon-surrender-refused.png')

    // A valid surrender of 1,234 CEA of the year.
    await pickOption(page, 'carbon-surrender-instrument', `carbon-surrender-instrument-option-${valid}`)
    await waitAttr(page, 'carbon-surrender-available', 'data-value', validBefore)
    await tid(page, 'carbon-surrender-quantity').fill(grouped(SURRENDER_QTY))
    assert.match(await text(page, 'carbon-surrender-quantity-parsed'), new RegExp(`= ${SURRENDER_QTY}\\b`))
    await tid(page, 'carbon-surrender-submit').click()
    await waitAttr(page, 'carbon-surrender-result', 'data-status', 'ok')
    assert.equal(await attr(page, 'carbon-surrender-done-quantity', 'data-value'), String(SURRENDER_QTY))
    assert.equal(posts.length, 2, 'two POST /carbon/surrenders')
    const body = JSON.parse(posts[1].body)
    assert.deepEqual(body, { year: YEAR, account: account.id, instrument: valid, quantity: Number(SURRENDER_QTY) })
    assert.match(posts[1].headers['idempotency-key'] || '', UUID_RE)
    assert.notEqual(posts[0].headers['idempotency-key'], posts[1].headers['idempotency-key'])
    await waitAttr(page, 'carbon-surrender-available', 'data-value', validBefore - SURRENDER_QTY)
    await shot(page, 'carbon-surrender-done.png')

    // The compliance: surrendered CEA up, outstanding down, by exactly the quantity (and as the API says).
    const now = (await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: ent.token })).items.find((r) => r.org_id === org)
    assert.equal(BigInt(now.surrendered_cea_t), BigInt(before.surrendered_cea_t) + SURRENDER_QTY)
    assert.equal(BigInt(now.outstanding_t), BigInt(before.outstanding_t) - SURRENDER_QTY)
    await tid(page, 'carbon-tab-compliance').click()
    await waitAttr(page, `carbon-surrendered-cea-${org}`, 'data-value', now.surrendered_cea_t)
    assert.equal(await attr(page, `carbon-outstanding-${org}`, 'data-value'), String(now.outstanding_t))
    assert.equal(await attr(page, `carbon-surrendered-ccer-${org}`, 'data-value'), String(before.surrendered_ccer_t))
    assert.equal(await text(page, `carbon-outstanding-${org}`), grouped(now.outstanding_t))
    assert.equal(await attr(page, `carbon-standing-${org}`, 'data-status'), now.standing)
    // An enterprise sees only itself.
    assert.equal(await attr(page, 'carbon-compliance', 'data-count'), '1')
    assert.equal(await tid(page, 'carbon-issue-selected').count(), 0, 'an enterprise is offered the issue')
    await shot(page, 'carbon-compliance-enterprise.png')
  })
})

test('(c) an enterprise cannot open another enterprise\'s history; region officials see only their region', { timeout: 150_000 }, async () => {
  const ent = await login(ENTERPRISE)
  const reg = await login(REGULATOR)
  const all = (await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: reg.token })).items
  const other = all.find((r) => r.org_id !== ent.user.org_id)
  assert.ok(other)
  const refused = await api('GET', `/carbon/enterprises/${other.org_id}/history`, { token: ent.token })
  assert.ok(refused.status === 403 || refused.status === 404, `expected a refusal, got ${refused.status} ${refused.text}`)
  const own = await apiOk('GET', `/carbon/enterprises/${ent.user.org_id}/history`, { token: ent.token })

  await withPage('c-enterprise', async (page) => {
    await uiLogin(page, ENTERPRISE, `/carbon/enterprises/${other.org_id}`)
    await tid(page, 'carbon-history-error').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'carbon-history-error-message'), refused.json.error.message)
    assert.equal(await attr(page, 'carbon-history-error', 'data-status'), String(refused.status))
    assert.equal(await tid(page, 'carbon-history').count(), 0, 'the history table of another enterprise is shown')
    await shot(page, 'carbon-history-refused.png')

    // Its own history: the API's years and figures.
    await page.goto(`${baseUrl}/#/carbon/enterprises/${ent.user.org_id}`)
    await waitAttr(page, 'carbon-history', 'data-count', own.items.length)
    assert.equal(await attr(page, 'carbon-history-org', 'data-org'), String(ent.user.org_id))
    for (const y of own.items) {
      assert.equal(await attr(page, `carbon-history-surrendered-${y.year}`, 'data-value'), String(y.surrendered_t))
      assert.equal(await attr(page, `carbon-history-allocated-${y.year}`, 'data-value'), String(y.allocated_t))
      const verified = y.facilities.filter((f) => f.verified_emissions_t !== null).map((f) => f.verified_emissions_t)
      assert.equal(await attr(page, `carbon-history-verified-${y.year}`, 'data-value'), verified.length ? sumCents(verified) : '')
      for (const f of y.facilities) assert.equal(await attr(page, `carbon-history-status-${y.year}-${f.facility_id}`, 'data-status'), f.status || '')
    }
    const y2024 = own.items.find((y) => y.year === YEAR)
    assert.ok(BigInt(y2024.surrendered_t) >= SURRENDER_QTY, 'the surrender of (b) is in the history')
    await tid(page, 'carbon-history-chart').locator('canvas').first().waitFor({ state: 'visible' })
    await shot(page, 'carbon-history.png')
  })

  const region = await login(REGION)
  const mine = await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: region.token })
  const code = (await apiOk('GET', '/auth/me', { token: region.token })).organization.region
  assert.ok(mine.items.length > 0 && mine.items.length < all.length, `region-ordos should see some but not all: ${mine.items.length} of ${all.length}`)
  assert.ok(mine.items.every((r) => r.region === code))

  await withPage('c-region', async (page) => {
    await uiLogin(page, REGION, `/carbon?year=${YEAR}&tab=compliance`)
    await waitAttr(page, 'carbon-compliance', 'data-count', mine.items.length)
    for (const r of mine.items) assert.equal(await attr(page, `carbon-obligation-${r.org_id}`, 'data-value'), String(r.obligation_t))
    for (const r of all.filter((x) => x.region !== code)) assert.equal(await tid(page, `carbon-obligation-${r.org_id}`).count(), 0, `region-ordos sees ${r.org_id}`)
    assert.equal(await attr(page, 'carbon-region-chart', 'data-regions'), mine.by_region.map((r) => r.region).join(','))
    assert.deepEqual(mine.by_region.map((r) => r.region), [code])
    assert.equal(await attr(page, 'carbon-compliance-totals', 'data-obligation'), String(mine.items.reduce((s, r) => s + BigInt(r.obligation_t), 0n)))
    assert.equal(await tid(page, 'carbon-tab-surrender').count(), 0, 'a region official is offered the surrender')
    assert.equal(await tid(page, 'nav-carbon').count(), 1)
    await shot(page, 'carbon-region.png')
  })
})

test('(f) the regulator\'s penalty decision: out of range is refused with the API\'s message, in range is recorded', { timeout: 120_000 }, async () => {
  const reg = await login(REGULATOR)
  const ent = await login(ENTERPRISE)
  const items = (await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: reg.token })).items
  const row = items.find((r) => r.standing === 'overdue' && !r.penalty && r.org_id !== ent.user.org_id)
  assert.ok(row, 'no overdue enterprise without a penalty')
  const price = '80'
  // The refusal expected for 1 yuan (a refused call records nothing).
  const refusal = await api('POST', '/carbon/penalties', { token: reg.token, body: { org_id: row.org_id, year: YEAR, amount_yuan: 1, average_price_yuan: 80 } })
  assert.equal(refusal.status, 422, refusal.text)
  assert.equal(refusal.json.error.code, 'out_of_range')
  // The rules in force (Interim Regulations art. 24) allow 5–10 × the average price × the shortfall.
  const fine = 6n * 80n * BigInt(row.outstanding_t)

  await withPage('f', async (page) => {
    await uiLogin(page, REGULATOR, `/carbon?year=${YEAR}&tab=compliance`)
    await tid(page, `carbon-penalty-open-${row.org_id}`).click()
    await tid(page, 'carbon-penalty-amount').fill('1')
    await tid(page, 'carbon-penalty-price').fill(price)
    assert.equal(await text(page, 'carbon-penalty-shortfall'), grouped(row.outstanding_t))
    await tid(page, 'carbon-penalty-submit').click()
    await waitAttr(page, 'carbon-penalty-result', 'data-status', 'error')
    assert.equal(await text(page, 'carbon-penalty-error'), refusal.json.error.message)
    assert.equal(await fieldError(page, 'amount_yuan'), refusal.json.error.message)
    await shot(page, 'carbon-penalty-refused.png')

    await tid(page, 'carbon-penalty-amount').fill(fine.toString())
    await tid(page, 'carbon-penalty-submit').click()
    await waitAttr(page, 'carbon-penalty-result', 'data-status', 'ok')
    const decided = (await apiOk('GET', `/carbon/compliance/${YEAR}`, { token: reg.token })).items.find((r) => r.org_id === row.org_id)
    assert.ok(decided.penalty, 'no penalty recorded')
    assert.equal(BigInt(decided.penalty.amount_yuan), fine)
    await page.keyboard.press('Escape')
    await waitAttr(page, `carbon-penalty-${row.org_id}`, 'data-amount', String(decided.penalty.amount_yuan))
    assert.equal(await tid(page, `carbon-penalty-open-${row.org_id}`).count(), 0)
    await shot(page, 'carbon-penalty.png')
  })
})

test('(d) the public disclosure page works without signing in; its CSV link answers CSV', { timeout: 120_000 }, async () => {
  const pub = await apiOk('GET', `/public/disclosures?year=${YEAR}`)
  assert.ok(pub.items.length > 0)
  // The page's default year: the latest with disclosed facilities (2024 in the demo).
  const counts = {}
  for (const y of YEARS) counts[y] = (await apiOk('GET', `/public/disclosures?year=${y}`)).items.length
  const expectedDefault = [...YEARS].reverse().find((y) => counts[y] > 0)
  const otherYear = YEARS.find((y) => y !== YEAR)

  await withPage('d', async (page) => {
    const apiCalls = []
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/')) apiCalls.push({ url: r.url(), auth: r.headers().authorization || '' })
    })
    await page.goto(`${baseUrl}/#/login`)
    await tid(page, 'login-disclosure-link').click()
    await page.waitForURL(/#\/disclosure$/)
    await waitAttr(page, 'disclosure-year', 'data-year', expectedDefault)
    if (expectedDefault !== YEAR) await tid(page, `disclosure-year-${YEAR}`).click()
    await waitAttr(page, 'disclosure-year', 'data-year', YEAR)
    await waitAttr(page, 'disclosure-table', 'data-count', pub.items.length)
    assert.equal(await page.evaluate(() => sessionStorage.getItem('greenloop.token')), null)
    for (const r of pub.items) {
      assert.equal(await attr(page, `disclosure-verified-${r.org_id}`, 'data-value'), String(r.verified_emissions_t))
      assert.equal(await attr(page, `disclosure-standing-${r.org_id}`, 'data-status'), r.compliance)
    }
    assert.equal(await attr(page, 'disclosure-total', 'data-total'), sumCents(pub.items.map((r) => r.verified_emissions_t)))
    await shot(page, 'disclosure.png')

    // The CSV link, fetched by the browser without a token.
    const href = await attr(page, 'disclosure-csv', 'href')
    assert.equal(href, `/api/v1/public/disclosures?year=${YEAR}&format=csv`)
    const csv = await page.evaluate(async (u) => {
      const res = await fetch(u)
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
    }, href)
    assert.equal(csv.status, 200)
    assert.match(csv.type, /^text\/csv/)
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    assert.match(lines[0], /^year,enterprise,uscc,region,facility,verified_emissions_t,compliance$/)
    assert.equal(lines.length, pub.items.length + 1)
    for (const r of pub.items) assert.ok(lines.some((l) => l.includes(r.uscc) && l.includes(`,${r.verified_emissions_t},${r.compliance}`)), `CSV misses ${r.uscc}`)

    // Another year; then the sign-in link.
    await tid(page, `disclosure-year-${otherYear}`).click()
    await waitAttr(page, 'disclosure-year', 'data-year', otherYear)
    await waitAttr(page, 'disclosure-table', 'data-count', counts[otherYear])
    assert.equal(await attr(page, 'disclosure-csv', 'href'), `/api/v1/public/disclosures?year=${otherYear}&format=csv`)
    assert.ok(apiCalls.length > 0)
    assert.deepEqual(apiCalls.filter((c) => c.auth), [], 'the public page sent a token')
    await tid(page, 'disclosure-login').click()
    await page.waitForURL(/#\/login$/)
  })
})

test('(e) the language toggle shows the English labels', { timeout: 120_000 }, async () => {
  await withPage('e', async (page) => {
    // The public page.
    await page.goto(`${baseUrl}/#/disclosure`)
    await tid(page, `disclosure-year-${YEAR}`).click()
    await waitAttr(page, 'disclosure-year', 'data-year', YEAR)
    assert.match(await text(page, 'disclosure-title'), /^碳排放信息披露/)
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="disclosure-title"]')?.innerText.startsWith('Emissions disclosure'))
    assert.equal(await text(page, 'disclosure-csv'), 'Download CSV (open data)')
    assert.equal(await text(page, 'disclosure-login'), 'Sign in')
    assert.match(await tid(page, 'disclosure-table').locator('thead').innerText(), /Verified emissions \(tCO2\)/)
    const someOrg = (await apiOk('GET', `/public/disclosures?year=${YEAR}`)).items[0]
    assert.equal(await text(page, `disclosure-standing-${someOrg.org_id}`), { compliant: 'Compliant', open: 'Open', overdue: 'Overdue' }[someOrg.compliance])
    await shot(page, 'disclosure-english.png')

    // The carbon pages (the choice survives the login).
    await uiLogin(page, REGULATOR, `/carbon?year=${YEAR}&tab=compliance`)
    await tid(page, 'carbon-compliance').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'nav-carbon'), 'Carbon market')
    assert.equal(await text(page, 'carbon-tab-allocation'), 'Allocation')
    assert.equal(await text(page, 'carbon-tab-compliance'), 'Compliance')
    assert.equal(await text(page, 'carbon-tab-surrender'), 'Surrender')
    const head = await tid(page, 'carbon-compliance').locator('thead').first().innerText()
    for (const label of ['Obligation (t)', 'Surrendered CEA (t)', 'Outstanding (t)', 'Standing']) assert.ok(head.includes(label), `no "${label}" in ${head}`)
    assert.match(await text(page, 'carbon-deadline'), /^Surrender deadline/)
    await tid(page, 'carbon-tab-allocation').click()
    assert.equal(await text(page, 'carbon-alloc-kind-final'), 'Final')
    assert.equal(await text(page, 'carbon-alloc-kind-pre'), 'Pre-allocation')
    assert.match(await tid(page, 'carbon-preview').locator('thead').first().innerText(), /To issue \(t\)/)
    await shot(page, 'carbon-english.png')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-carbon"]')?.innerText.trim() === '碳市场')
  })
})

test('(g) reminders on the dashboard: the deadlines the API lists for the user, with days left, per window', { timeout: 120_000 }, async () => {
  const session = await login(ENTERPRISE)
  const expect30 = await apiOk('GET', '/reminders?within_days=30', { token: session.token })
  const expect90 = await apiOk('GET', '/reminders?within_days=90', { token: session.token })
  assert.ok(expect90.items.length >= expect30.items.length)
  assert.ok(expect90.items.length > 0, 'the demo enterprise has deadlines (its 2024 surrender at least)')
  await withPage('reminders', async (page) => {
    await uiLogin(page, ENTERPRISE)
    await waitAttr(page, 'reminders', 'data-count', String(expect30.items.length))
    await tid(page, 'reminders-window-90').click()
    await waitAttr(page, 'reminders', 'data-count', String(expect90.items.length))
    for (const r of expect90.items) {
      const id = `reminder-days-${r.kind}-${r.facility_id || r.org_id}-${r.year}-${r.month || 0}`
      assert.equal(await attr(page, id, 'data-days'), String(r.days_left), id)
    }
    await shot(page, 'reminders.png')
  })
})

test('no uncaught errors in the carbon pages', () => {
  assert.deepEqual(pageErrors, [])
})
