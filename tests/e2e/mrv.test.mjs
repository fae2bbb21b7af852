// Browser test of the MRV pages (排放核算与核查): node:test + playwright-core + Debian's /usr/bin/chromium.
//
// Same harness as tests/e2e/ui.test.mjs: it builds nothing; it needs $GREENLOOP_BIN (default
// build/release/greenloop), web/dist (npm run build:web) and /usr/bin/chromium. It loads the demo
// data (which include the MRV demo: 8 power facilities; ent-power's "包头朔原发电有限公司 一期" with
// 2024 confirmed, 2025 submitted and assigned to the verifier ver-qingli, 2026 months 1–9) into a
// temp SQLite database, starts `greenloop serve` on a free port and always stops it at the end.
//
// What it proves, in a real Chromium:
//   (a) ent-power opens its facility on 2026, enters month 10 of unit #1 through the form with the
//       coal consumption in kt: the API's message (mentioning kt) is shown and the consumption
//       field is highlighted; corrected, the month is stored as revision 1 with the exact emissions
//       and the year's total grows by them;
//   (b) a CSV upload corrects that month: revision 2 (channel upload:…) in 修订记录, new emissions;
//   (c) the regulator's assignment of a conflicted verifier is refused with the API's message; the
//       verifier (who never sees the data-entry form) raises a finding with an adjustment on the
//       2025 case, the enterprise responds, the verifier concludes: the steps show 核查结论 and the
//       verified total is the submitted total plus exactly the adjustment's effect;
//   (d) the language toggle shows the English labels.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/
//
// Screenshots go to test-output/e2e/mrv/ (a folder of its own: ui.test.mjs empties test-output/e2e/).

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
const OUT_DIR = path.join(REPO, 'test-output', 'e2e', 'mrv')
const CHROMIUM = '/usr/bin/chromium'

const ENTERPRISE = { name: 'ent-power', password: 'demo-enterprise' }
const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const VERIFIER = { name: 'verifier', password: 'demo-verifier' }
const FACILITY_NAME = '包头朔原发电有限公司 一期'

const UI_TIMEOUT = 15_000
const HEALTH_TIMEOUT = 20_000

let tmpDir = ''
let server = null
let serverLog = ''
let baseUrl = ''
const { api, apiOk, login } = apiClient(() => baseUrl)
let browser = null
let facilityId = 0
const pageErrors = []

// ---------- helpers ----------



const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))




// Exact decimals: a JSON figure (≤ 6 decimals) as BigInt millionths, and back as cents.
function micro(v) {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(v))
  assert.ok(m, `not a decimal with at most 6 decimals: ${v}`)
  const x = BigInt(m[2]) * 1_000_000n + BigInt((m[3] || '').padEnd(6, '0'))
  return m[1] ? -x : x
}
/** Millionths back to the shortest decimal text ("19.487", "20"). */
function decimalOf(m) {
  const frac = (m % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '')
  return `${m / 1_000_000n}${frac ? '.' + frac : ''}`
}
const cents = (v) => micro(v) / 10_000n // exact for figures with at most 2 decimals
/** consumption × NCV × carbon × oxidation × 44/12, rounded half up to cents. */
function fuelEmissionCents(consumption, ncv, carbon, oxidation) {
  const num = micro(consumption) * micro(ncv) * micro(carbon) * micro(oxidation) * 44n * 100n
  const den = 12n * 10n ** 24n
  return (num * 2n + den) / (2n * den)
}
const fmtCents = (c) => `${(c / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(c % 100n).toString().padStart(2, '0')}`

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

async function waitRows(page, testId, n) {
  await page.locator(`[data-testid="${testId}"] tbody tr`).nth(n - 1).waitFor({ state: 'visible' })
  assert.equal(await page.locator(`[data-testid="${testId}"] tbody tr`).count(), n, `${testId}: expected ${n} rows`)
}

const tid = (page, id) => page.locator(`[data-testid="${id}"]`)


async function attr(page, testId, name) {
  const el = tid(page, testId)
  await el.waitFor({ state: 'attached' })
  return el.getAttribute(name)
}

async function text(page, testId) {
  const el = tid(page, testId)
  await el.waitFor({ state: 'visible' })
  return (await el.innerText()).trim()
}

/** Wait until the attribute of a test id has the expected value (UI refreshes asynchronously). */
async function waitAttr(page, testId, name, expected) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, expected],
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

async function shot(page, name) {
  await sleep(400) // chart animations
  await page.screenshot({ path: path.join(OUT_DIR, name), fullPage: true })
}

/** Wait for the action result to be an error matching re. */
async function waitActionError(page, re) {
  await waitAttr(page, 'mrv-action-result', 'data-status', 'error')
  assert.match(await text(page, 'mrv-action-error'), re)
}

async function openTab(page, tab) {
  await tid(page, `mrv-tab-${tab}`).click()
}

// ---------- server lifecycle ----------

before(async () => {
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-mrv-'))
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

  // The demo facility of ent-power.
  const ent = await login(ENTERPRISE)
  const list = await apiOk('GET', '/mrv/facilities', { token: ent.token })
  const f = list.items.find((x) => x.name === FACILITY_NAME)
  assert.ok(f, `ent-power does not see "${FACILITY_NAME}": ${JSON.stringify(list.items.map((x) => x.name))}`)
  facilityId = f.id
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

// October 2026, unit #1: 150,000 t bituminous coal, NCV 19.5 GJ/t, measured carbon 0.0275 tC/GJ,
// default oxidation 0.99: 150000 × 19.5 × 0.0275 × 0.99 × 44/12 = 291,988.125 → 291,988.13 t.
const OCT = { generation: '280000', supply: '260000', heat: '300000', load: '0.63', ncv: '19.5', carbon: '0.0275', evidence: 'CNAS-E2E-202610' }
const OCT_CONSUMPTION = '150000'
const OCT_CSV_CONSUMPTION = '140000' // the upload's correction: 272,522.25 t

// ---------- tests ----------

test('(a) enterprise enters a month through the form: the kt mistake is flagged, the correction stored as revision 1', { timeout: 120_000 }, async () => {
  const ent = await login(ENTERPRISE)
  const before = await apiOk('GET', `/mrv/facilities/${facilityId}/data/2026`, { token: ent.token })
  assert.equal(before.editable, true)
  assert.ok(!before.months.some((m) => m.unit_id === '#1' && m.month === 10), 'month 10 of unit #1 already entered')
  const totalBefore = before.preview.totals.total_t

  const page = await newPage()
  try {
    await uiLogin(page, ENTERPRISE)
    await tid(page, 'nav-mrv').click()
    await page.waitForURL(/#\/mrv$/)
    await tid(page, `mrv-facility-link-${facilityId}`).click()
    await page.waitForURL(new RegExp(`#/mrv/${facilityId}$`))
    assert.equal(await text(page, 'mrv-facility-name'), FACILITY_NAME)
    // Default year: the latest with data (2026); its preview total is the API's.
    await waitAttr(page, 'mrv-year', 'data-year', '2026')
    assert.equal(await attr(page, 'mrv-preview-total', 'data-value'), String(totalBefore))
    assert.equal(await tid(page, 'mrv-months').locator('tbody tr').count(), before.months.length)
    await tid(page, 'mrv-month-chart').locator('canvas').first().waitFor({ state: 'visible' })

    // Month 10, unit #1, with the consumption in kt (150 instead of 150,000 t).
    await pickOption(page, 'mrv-form-unit', 'mrv-form-unit-option-#1')
    await pickOption(page, 'mrv-form-month', 'mrv-form-month-option-10')
    await tid(page, 'mrv-form-generation_mwh').fill(OCT.generation)
    await tid(page, 'mrv-form-supply_mwh').fill(OCT.supply)
    await tid(page, 'mrv-form-heat_supplied_gj').fill(OCT.heat)
    await tid(page, 'mrv-form-purchased_electricity_mwh').fill('0')
    await tid(page, 'mrv-form-load_rate').fill(OCT.load)
    await pickOption(page, 'mrv-form-fuel-0-fuel', 'mrv-form-fuel-0-fuel-option-bituminous')
    await tid(page, 'mrv-form-fuel-0-consumption').fill('150')
    await tid(page, 'mrv-form-fuel-0-ncv').fill(OCT.ncv)
    await tid(page, 'mrv-form-fuel-0-carbon_tc_per_gj').fill(OCT.carbon)
    await tid(page, 'mrv-form-fuel-0-carbon_evidence').fill(OCT.evidence)
    await tid(page, 'mrv-form-submit').click()
    await waitAttr(page, 'mrv-form-result', 'data-status', 'error')
    const message = await text(page, 'mrv-form-error')
    assert.match(message, /\bkt\b/, `the error should mention kt: ${message}`)
    const field = page.locator('[data-field="fuels[0].consumption"]')
    assert.match(await field.getAttribute('class'), /\bis-error\b/, 'the consumption field is not highlighted')
    // Element Plus shows the item's error through a transition: wait for it rather than read at once.
    let fieldText = ''
    for (let i = 0; i < 50 && !/\bkt\b/.test(fieldText); i++) {
      fieldText = await field.innerText()
      if (!/\bkt\b/.test(fieldText)) await page.waitForTimeout(100)
    }
    assert.match(fieldText, /\bkt\b/, 'the message is not shown under the consumption field')
    assert.equal(await page.locator('[data-field].is-error').count(), 1, 'only the consumption field should be highlighted')
    await shot(page, 'mrv-form-error.png')
    // Nothing was stored.
    const unchanged = await apiOk('GET', `/mrv/facilities/${facilityId}/data/2026`, { token: ent.token })
    assert.ok(!unchanged.months.some((m) => m.unit_id === '#1' && m.month === 10))

    // Corrected: 150,000 t.
    await tid(page, 'mrv-form-fuel-0-consumption').fill(OCT_CONSUMPTION)
    await tid(page, 'mrv-form-submit').click()
    await waitAttr(page, 'mrv-form-result', 'data-status', 'ok')
    assert.equal(await text(page, 'mrv-form-revision'), '1')
    assert.equal(await page.locator('[data-field].is-error').count(), 0)
    const expected = fuelEmissionCents(OCT_CONSUMPTION, OCT.ncv, OCT.carbon, '0.99')
    assert.equal(expected, 29198813n)
    await page.waitForFunction(() => document.querySelector('[data-testid="mrv-month-revision-#1-10"]')?.innerText.trim() === '1')
    assert.equal(await text(page, 'mrv-month-emissions-#1-10'), fmtCents(expected))

    // The year's total grew by the month's emissions (the total is the rounded exact sum: ±0.01).
    const after = await apiOk('GET', `/mrv/facilities/${facilityId}/data/2026`, { token: ent.token })
    const totalAfter = after.preview.totals.total_t
    await waitAttr(page, 'mrv-preview-total', 'data-value', String(totalAfter))
    const grew = cents(totalAfter) - cents(totalBefore)
    assert.ok(grew >= expected - 1n && grew <= expected + 1n, `total ${totalBefore} → ${totalAfter}: grew by ${grew} cents, expected ${expected}`)
    const stored = after.months.find((m) => m.unit_id === '#1' && m.month === 10)
    assert.equal(stored.revision, 1)
    assert.equal(stored.fuels[0].consumption, 150000)
    assert.equal(stored.entered_by, ENTERPRISE.name)
    await tid(page, 'mrv-month-emissions-#1-10').scrollIntoViewIfNeeded()
    await shot(page, 'mrv-form-saved.png')
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, 'failure-a.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
})

test('(b) a CSV upload corrects the month: revision 2 in 修订记录', { timeout: 90_000 }, async () => {
  const header = 'unit_id,month,generation_mwh,supply_mwh,heat_supplied_gj,purchased_electricity_mwh,load_rate,meter_evidence,fuel,consumption,ncv,ncv_evidence,carbon_tc_per_gj,carbon_evidence,oxidation_rate'
  const row1 = `#1,10,${OCT.generation},${OCT.supply},${OCT.heat},0,${OCT.load},M1-202610,bituminous,${OCT_CSV_CONSUMPTION},${OCT.ncv},LAB1-202610,${OCT.carbon},${OCT.evidence},`
  // Unit #2 too, so that October is complete (a month is done once every unit reported it).
  const row2 = '#2,10,120000,111000,0,0,0.54,M2-202610,coal_gangue,80000,13,LAB2-202610,0.027,CNAS-E2E2-202610,'
  const csv = `${header}\n${row1}\n${row2}\n`
  const page = await newPage()
  const uploads = []
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname.endsWith('/upload')) uploads.push({ url: req.url(), headers: req.headers() })
  })
  try {
    await uiLogin(page, ENTERPRISE, `/mrv/${facilityId}`)
    await waitAttr(page, 'mrv-year', 'data-year', '2026')
    await openTab(page, 'calendar')
    await waitAttr(page, 'mrv-cal-month-10', 'data-status', 'open') // only unit #1 reported October
    await openTab(page, 'data')
    await tid(page, 'mrv-upload-input').setInputFiles({ name: 'oct-correction.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await waitAttr(page, 'mrv-upload-result', 'data-status', 'ok')
    assert.equal(await text(page, 'mrv-upload-stored-#1-10'), '已保存：机组 #1 10月，修订 2')
    assert.equal(await text(page, 'mrv-upload-stored-#2-10'), '已保存：机组 #2 10月，修订 1')
    assert.equal(uploads.length, 1)
    assert.equal(new URL(uploads[0].url).searchParams.get('file'), 'oct-correction.csv')
    assert.match(uploads[0].headers['content-type'], /^text\/csv/)
    assert.match(uploads[0].headers['idempotency-key'] || '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const expected = fuelEmissionCents(OCT_CSV_CONSUMPTION, OCT.ncv, OCT.carbon, '0.99')
    await page.waitForFunction(() => document.querySelector('[data-testid="mrv-month-revision-#1-10"]')?.innerText.trim() === '2')
    assert.equal(await text(page, 'mrv-month-emissions-#1-10'), fmtCents(expected))
    assert.equal(fmtCents(expected), '272,522.25')

    // 修订记录: revision 1 by form, revision 2 by the upload.
    await openTab(page, 'revisions')
    await tid(page, 'mrv-rev-#1-10-2').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'mrv-rev-channel-#1-10-2'), 'upload:oct-correction.csv')
    assert.equal(await text(page, 'mrv-rev-channel-#1-10-1'), 'form')
    const revRow = tid(page, 'mrv-revisions').locator('tbody tr').filter({ has: tid(page, 'mrv-rev-#1-10-2') })
    assert.match(await revRow.innerText(), /"consumption":140000/)
    // What changed against revision 1: the consumption (and the evidence ids), 150000 → 140000.
    assert.match(await text(page, 'mrv-rev-changed-#1-10-2'), /fuels\[0\]\.consumption: 150000 → 140000/)
    assert.match(await revRow.innerText(), /ent-power/)
    const ent = await login(ENTERPRISE)
    const versions = await apiOk('GET', `/mrv/facilities/${facilityId}/data/2026/versions`, { token: ent.token })
    assert.deepEqual(
      versions.items.filter((v) => v.unit_id === '#1' && v.month === 10).map((v) => [v.revision, v.channel]).sort(),
      [[1, 'form'], [2, 'upload:oct-correction.csv']],
    )
    await shot(page, 'mrv-revisions.png')

    // 报送日历: October is now complete, before its due date (40 days after the month).
    await openTab(page, 'calendar')
    await waitAttr(page, 'mrv-cal-month-10', 'data-status', 'done')
    assert.equal(await text(page, 'mrv-cal-month-10'), '按期')
    const cal = await apiOk('GET', `/mrv/facilities/${facilityId}/calendar/2026`, { token: ent.token })
    assert.equal(cal.items.find((i) => i.item === 'month' && i.month === 10).status, 'done')
    await shot(page, 'mrv-calendar.png')
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, 'failure-b.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
})

test('(c) 2025 verification: conflict refused, finding with adjustment, response, conclusion', { timeout: 180_000 }, async () => {
  const reg = await login(REGULATOR)
  const ver = await login(VERIFIER)
  const ent = await login(ENTERPRISE)
  const report0 = await apiOk('GET', `/mrv/facilities/${facilityId}/reports/2025`, { token: reg.token })
  assert.equal(report0.case.status, 'assigned')
  assert.equal(report0.case.verifier_org_id, ver.user.org_id, 'the 2025 case should be assigned to the demo verifier')
  const submittedTotal = report0.versions.find((v) => v.version === report0.case.current_version).total_t
  const conflicts = await apiOk('GET', '/mrv/conflicts', { token: reg.token })
  const conflict = conflicts.items.find((c) => c.enterprise_org_id === ent.user.org_id)
  assert.ok(conflict, 'the demo records a conflict of interest for ent-power')

  // --- regulator: overview, then a conflicted assignment is refused ---
  const regPage = await newPage()
  try {
    await uiLogin(regPage, REGULATOR, '/mrv')
    const allFacilities = (await apiOk('GET', '/mrv/facilities', { token: reg.token })).items
    assert.ok(allFacilities.length >= 8)
    await waitRows(regPage, 'mrv-facilities', allFacilities.length)
    const cases2024 = (await apiOk('GET', '/mrv/cases?year=2024', { token: reg.token })).items
    const verified = cases2024.filter((c) => c.verified_total_t !== null)
    assert.ok(verified.length > 0)
    await waitAttr(regPage, 'mrv-region-total', 'data-count', String(verified.length))
    const sum = verified.reduce((s, c) => s + micro(c.verified_total_t), 0n)
    assert.equal(micro(await attr(regPage, 'mrv-region-total', 'data-total')), sum)
    await waitRows(regPage, 'mrv-cases', cases2024.length)
    await tid(regPage, 'mrv-region-chart').locator('canvas').first().waitFor({ state: 'visible' })
    await shot(regPage, 'mrv-regulator.png')

    await regPage.goto(`${baseUrl}/#/mrv/${facilityId}?year=2025&tab=report`)
    await waitAttr(regPage, 'mrv-steps', 'data-status', 'assigned')
    await pickOption(regPage, 'mrv-assign-verifier', `mrv-assign-verifier-option-${conflict.verifier_org_id}`)
    await tid(regPage, 'mrv-assign-submit').click()
    await waitAttr(regPage, 'mrv-action-result', 'data-status', 'error')
    const refusal = await text(regPage, 'mrv-action-error')
    assert.ok(refusal.includes(conflict.reason), `the conflict_of_interest message should name the reason: ${refusal}`)
    assert.match(await text(regPage, 'mrv-action-result'), /conflict_of_interest/)
    assert.equal((await apiOk('GET', `/mrv/facilities/${facilityId}/reports/2025`, { token: reg.token })).case.verifier_org_id, ver.user.org_id)
  } catch (e) {
    await regPage.screenshot({ path: path.join(OUT_DIR, 'failure-c-regulator.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await regPage.context().close()
  }

  // The adjustment: unit #1, March 2025, bituminous NCV + 0.3 GJ/t.
  const data2025 = await apiOk('GET', `/mrv/facilities/${facilityId}/data/2025`, { token: ver.token })
  assert.equal(data2025.editable, false, 'a verifier may not edit the data it verifies')
  const calc = data2025.preview.unit_months.find((m) => m.unit_id === '#1' && m.month === 3).fuels.find((f) => f.fuel === 'bituminous')
  assert.ok(calc, 'unit #1 burned bituminous coal in March 2025')
  const newNcv = decimalOf(micro(calc.ncv) + 300_000n) // + 0.3 GJ/t
  const delta = fuelEmissionCents(calc.consumption, newNcv, calc.carbon_tc_per_gj, calc.oxidation_rate) -
    fuelEmissionCents(calc.consumption, calc.ncv, calc.carbon_tc_per_gj, calc.oxidation_rate)

  // --- verifier: the case, no data-entry form, a finding with an adjustment ---
  const verPage = await newPage()
  let findingId = 0
  try {
    await uiLogin(verPage, VERIFIER, '/mrv')
    await tid(verPage, `mrv-case-link-${facilityId}-2025`).click()
    await waitAttr(verPage, 'mrv-steps', 'data-status', 'assigned')
    await waitAttr(verPage, 'mrv-year', 'data-year', '2025')
    await openTab(verPage, 'data')
    await tid(verPage, 'mrv-months').waitFor({ state: 'visible' })
    assert.equal(await tid(verPage, 'mrv-month-form').count(), 0, 'the verifier must not see the data-entry form')
    assert.equal(await tid(verPage, 'mrv-upload').count(), 0, 'the verifier must not see the upload')
    await openTab(verPage, 'report')

    await tid(verPage, 'mrv-finding-description').fill('1号机组3月入炉煤低位发热量与复核化验报告不符（e2e）')
    await tid(verPage, 'mrv-finding-with-adjustment').click()
    await pickOption(verPage, 'mrv-adj-unit', 'mrv-adj-unit-option-#1')
    await pickOption(verPage, 'mrv-adj-month', 'mrv-adj-month-option-3')
    await pickOption(verPage, 'mrv-adj-field', 'mrv-adj-field-option-ncv')
    await pickOption(verPage, 'mrv-adj-fuel', 'mrv-adj-fuel-option-bituminous')
    assert.match(await text(verPage, 'mrv-adj-current'), new RegExp(String(calc.ncv).replace('.', '\\.')))
    await tid(verPage, 'mrv-adj-value').fill(newNcv)
    await tid(verPage, 'mrv-finding-submit').click()
    await waitAttr(verPage, 'mrv-action-result', 'data-status', 'ok')
    await waitAttr(verPage, 'mrv-steps', 'data-status', 'in_review')
    const r = await apiOk('GET', `/mrv/facilities/${facilityId}/reports/2025`, { token: ver.token })
    const f = r.findings.find((x) => x.status === 'open')
    assert.ok(f, 'the finding was stored as open')
    assert.deepEqual(f.adjustment, { unit_id: '#1', month: 3, fuel: 'bituminous', field: 'ncv', value: Number(newNcv) })
    findingId = f.id
    await waitAttr(verPage, `mrv-finding-status-${findingId}`, 'data-status', 'open')
    assert.match(await text(verPage, `mrv-finding-adjustment-${findingId}`), new RegExp(`^#1 · 3月 · 烟煤 · 低位发热量 NCV = ${newNcv.replace('.', '\\.')}$`))

    // Concluding with an open finding is refused with the API's message.
    await tid(verPage, 'mrv-conclusion').fill('核查结论：经调整后排放报告数据真实、完整、准确（e2e）')
    await tid(verPage, 'mrv-conclude').click()
    await waitActionError(verPage, /awaits the enterprise's response/)
    await shot(verPage, 'mrv-verifier-finding.png')
  } catch (e) {
    await verPage.screenshot({ path: path.join(OUT_DIR, 'failure-c-verifier.png'), fullPage: true }).catch(() => {})
    await verPage.context().close()
    throw e
  }

  // --- enterprise: responds ---
  const entPage = await newPage()
  try {
    await uiLogin(entPage, ENTERPRISE, `/mrv/${facilityId}?year=2025&tab=report`)
    await waitAttr(entPage, `mrv-finding-status-${findingId}`, 'data-status', 'open')
    await tid(entPage, `mrv-finding-response-${findingId}`).fill('认可核查意见，已更正化验台账（e2e）')
    await tid(entPage, `mrv-finding-respond-${findingId}`).click()
    await waitAttr(entPage, `mrv-finding-status-${findingId}`, 'data-status', 'responded')
    assert.equal(await text(entPage, `mrv-finding-response-text-${findingId}`).then((s) => s.split('\n')[0]), '认可核查意见，已更正化验台账（e2e）')
    assert.equal(await tid(entPage, 'mrv-finding-form').count(), 0, 'the enterprise cannot raise findings')
  } catch (e) {
    await entPage.screenshot({ path: path.join(OUT_DIR, 'failure-c-enterprise.png'), fullPage: true }).catch(() => {})
    await verPage.context().close()
    throw e
  } finally {
    await entPage.context().close()
  }

  // --- verifier: concludes; the adjusted version is the verified one ---
  try {
    await verPage.reload()
    await waitAttr(verPage, `mrv-finding-status-${findingId}`, 'data-status', 'responded')
    await tid(verPage, 'mrv-conclusion').fill('核查结论：经调整后排放报告数据真实、完整、准确（e2e）')
    await tid(verPage, 'mrv-conclude').click()
    await waitAttr(verPage, 'mrv-steps', 'data-status', 'concluded')
    assert.equal((await verPage.locator('[data-testid="mrv-steps"] .el-step__title.is-process').innerText()).trim(), '核查结论')
    const r = await apiOk('GET', `/mrv/facilities/${facilityId}/reports/2025`, { token: ver.token })
    assert.equal(r.case.status, 'concluded')
    assert.equal(r.case.locked, true)
    const adjusted = r.versions.find((v) => v.version === r.case.current_version)
    assert.equal(adjusted.kind, 'adjusted')
    assert.equal(r.case.verified_total_t, adjusted.total_t)
    const change = cents(r.case.verified_total_t) - cents(submittedTotal)
    assert.ok(delta > 0n && change >= delta - 1n && change <= delta + 1n, `verified ${r.case.verified_total_t} − submitted ${submittedTotal} = ${change} cents; the adjustment accounts for ${delta}`)
    await waitAttr(verPage, 'mrv-verified-total', 'data-value', String(r.case.verified_total_t))
    assert.equal(await attr(verPage, `mrv-version-total-${adjusted.version}`, 'data-value'), String(adjusted.total_t))
    await waitAttr(verPage, `mrv-finding-status-${findingId}`, 'data-status', 'closed')
    assert.equal(await tid(verPage, 'mrv-locked').count(), 1, 'a concluded year is shown as locked')
    assert.equal(await tid(verPage, 'mrv-finding-form').count(), 0, 'no more findings once concluded')
    await shot(verPage, 'mrv-concluded.png')

    // The adjusted version's calculation shows the adjusted NCV for unit #1, March.
    await tid(verPage, `mrv-version-link-${adjusted.version}`).click()
    const drawer = tid(verPage, 'mrv-calc-table')
    await drawer.waitFor({ state: 'visible' })
    assert.equal(cents((await text(verPage, 'mrv-version-detail-total')).replace(/,/g, '')), cents(adjusted.total_t))
    assert.ok((await drawer.innerText()).includes(`${calc.consumption} × ${newNcv} × `), 'the calculation strings show the adjusted NCV')
    await shot(verPage, 'mrv-version-drawer.png')

    // Still no data-entry form for the verifier, and none for the locked year at all.
    await verPage.keyboard.press('Escape')
    await openTab(verPage, 'data')
    await tid(verPage, 'mrv-months').waitFor({ state: 'visible' })
    assert.equal(await tid(verPage, 'mrv-month-form').count(), 0)
  } catch (e) {
    await verPage.screenshot({ path: path.join(OUT_DIR, 'failure-c-conclude.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await verPage.context().close()
  }
})

test('(d) the language toggle shows the English labels; a locked year has no edit controls', { timeout: 90_000 }, async () => {
  const page = await newPage()
  try {
    await uiLogin(page, ENTERPRISE, `/mrv/${facilityId}?year=2024`)
    await waitAttr(page, 'mrv-year', 'data-year', '2024')
    assert.equal(await text(page, 'mrv-tab-data'), '月度数据')
    assert.equal(await text(page, 'mrv-locked'), '已锁定')
    assert.equal(await tid(page, 'mrv-month-form').count(), 0, 'a locked year shows no entry form')
    assert.equal(await tid(page, 'mrv-upload').count(), 0, 'a locked year shows no upload')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="mrv-tab-data"]')?.innerText.trim() === 'Monthly data')
    assert.equal(await text(page, 'mrv-tab-revisions'), 'Revisions')
    assert.equal(await text(page, 'mrv-tab-calendar'), 'Calendar')
    assert.equal(await text(page, 'mrv-tab-report'), 'Report & verification')
    assert.equal(await text(page, 'nav-mrv'), 'MRV')
    assert.equal(await text(page, 'mrv-locked'), 'Locked')
    assert.match(await tid(page, 'mrv-months').locator('thead').innerText(), /Generation \(MWh\) 发电量/)
    await openTab(page, 'report')
    await waitAttr(page, 'mrv-steps', 'data-status', 'confirmed')
    const titles = (await page.locator('[data-testid="mrv-steps"] .el-step__title').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(titles, ['Submitted', 'Verifier assigned', 'In review', 'Concluded', 'Confirmed'])
    assert.equal(await text(page, 'mrv-case-status'), 'Confirmed')
    assert.equal(await tid(page, 'mrv-actions').count(), 0, 'a confirmed year offers the enterprise no action')
    await shot(page, 'mrv-english.png')
    await tid(page, 'lang-toggle').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="mrv-tab-data"]')?.innerText.trim() === '月度数据')
  } catch (e) {
    await page.screenshot({ path: path.join(OUT_DIR, 'failure-d.png'), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
})

test('no uncaught errors in the MRV pages', () => {
  assert.deepEqual(pageErrors, [])
})
