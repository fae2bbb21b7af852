// Browser test of the MRV pages for industrial facilities (钢铁、铝冶炼、水泥熟料): node:test +
// playwright-core + Debian's /usr/bin/chromium.
//
// Same harness as tests/e2e/mrv.test.mjs: it builds nothing; it needs $GREENLOOP_BIN (default
// build/release/greenloop), web/dist (npm run build:web) and /usr/bin/chromium. It loads the demo
// data into a temp SQLite database (among them 通辽铧澜铝业 电解铝厂: aluminium, owned by ent-alu,
// 2024 submitted and assigned to the verifier, 2025 12 months, 2026 months 1–9; 乌海峪石水泥 熟料生产线:
// cement, two clinker lines, 2024 confirmed), starts `greenloop serve` on a free port and always stops
// it at the end. Every expected figure is fetched from the API in the test.
//
// What it proves, in a real Chromium:
//   (a) ent-alu opens its smelter on 2025: the 12 months are listed as entered with the API's revision
//       and monthly emissions, and the preview total (and intensity) are the API's;
//   (b) it corrects month 3 through the month editor with a negative consumption: the API's message is
//       shown at the consumption field, nothing is stored (revision 1 via the API, same document);
//       with a valid value revision 2 is stored (one PUT, channel form, UUID Idempotency-Key), the page
//       shows revision 2 and the API's new total, and 修订记录 shows the change with no unit;
//   (c) the regulator opens the cement facility: its two lines with their clinker type, and the 2024
//       report confirmed with the API's verified total; the version drawer shows the lines' totals;
//   (d) the 2024 calendar shows 无需报送 (not_required) and no due date for every month;
//   (e) the verifier adjusts a value of the aluminium 2024 report by month and path (chosen among the
//       month document's numbers): the finding shows `3月 · path → value` and the API stored it;
//   (f) ent-alu registers a cement facility with two lines through the dialog;
//   (g) the language toggle shows the English labels on the industrial facility page;
//   no uncaught page errors.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/mrv_industry.test.mjs
//
// Screenshots go to test-output/e2e/mrv_industry/ (a folder of its own: ui.test.mjs empties
// test-output/e2e/).

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
const OUT_DIR = path.join(REPO, 'test-output', 'e2e', 'mrv_industry')
const CHROMIUM = '/usr/bin/chromium'

const ALU_OWNER = { name: 'ent-alu', password: 'demo-enterprise' }
const REGULATOR = { name: 'regulator', password: 'demo-regulator' }
const VERIFIER = { name: 'verifier', password: 'demo-verifier' }
const ALU_NAME = '通辽铧澜铝业 电解铝厂'
const CEMENT_NAME = '乌海峪石水泥 熟料生产线'

const UI_TIMEOUT = 15_000
const HEALTH_TIMEOUT = 20_000
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let tmpDir = ''
let server = null
let serverLog = ''
let baseUrl = ''
const { api, apiOk, login } = apiClient(() => baseUrl)
let browser = null
let aluId = 0
let cementId = 0
const pageErrors = []

// ---------- helpers ----------



const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))




// Exact decimals: a JSON figure (≤ 6 decimals) as BigInt millionths, and back.
function micro(v) {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(v))
  assert.ok(m, `not a decimal with at most 6 decimals: ${v}`)
  const x = BigInt(m[2]) * 1_000_000n + BigInt((m[3] || '').padEnd(6, '0'))
  return m[1] ? -x : x
}
function decimalOf(m) {
  const neg = m < 0n
  const a = neg ? -m : m
  const frac = (a % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${a / 1_000_000n}${frac ? '.' + frac : ''}`
}
/** An emission figure as the UI shows it: thousands separators, 2 decimals (the API rounded it). */
function tco2Text(v) {
  const [i, f = ''] = decimalOf(micro(v)).split('.')
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f.padEnd(2, '0')}`
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
  const el = tid(page, testId)
  await el.waitFor({ state: 'attached' })
  return el.getAttribute(name)
}

async function text(page, testId) {
  const el = tid(page, testId)
  await el.waitFor({ state: 'visible' })
  return (await el.innerText()).trim()
}

/** Wait until the attribute of a test id has the expected value (the UI refreshes asynchronously). */
async function waitAttr(page, testId, name, expected) {
  await page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(n) === v,
    [`[data-testid="${testId}"]`, name, expected],
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).first().getAttribute(name).catch(() => null)
    assert.fail(`[data-testid="${testId}"] ${name}: expected ${expected}, got ${got}`)
  })
}

/** Wait until the text of a test id is the expected one. */
async function waitText(page, testId, expected) {
  await page.waitForFunction(
    ([sel, v]) => document.querySelector(sel)?.innerText.trim() === v,
    [`[data-testid="${testId}"]`, expected],
  ).catch(async () => {
    const got = await page.locator(`[data-testid="${testId}"]`).first().innerText().catch(() => null)
    assert.fail(`[data-testid="${testId}"]: expected text ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`)
  })
}

async function shot(page, name) {
  await sleep(400) // chart animations
  await page.screenshot({ path: path.join(OUT_DIR, name), fullPage: true })
}

async function failShot(page, name) {
  await page.screenshot({ path: path.join(OUT_DIR, name), fullPage: true }).catch(() => {})
}

// ---------- server lifecycle ----------

before(async () => {
  assert.ok(fs.existsSync(BIN), `server binary not found: ${BIN} (build it, or set GREENLOOP_BIN)`)
  fs.accessSync(BIN, fs.constants.X_OK)
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web/dist/index.html missing: run "npm run build:web" first`)
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (apt-get install chromium)`)
  fs.mkdirSync(OUT_DIR, { recursive: true })
  for (const f of fs.readdirSync(OUT_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT_DIR, f))

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenloop-e2e-mrv-industry-'))
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

  const reg = await login(REGULATOR)
  const list = await apiOk('GET', '/mrv/facilities', { token: reg.token })
  const find = (name, sector) => {
    const f = list.items.find((x) => x.name === name)
    assert.ok(f, `the demo has no facility "${name}": ${JSON.stringify(list.items.map((x) => x.name))}`)
    assert.equal(f.sector, sector, `${name} is a ${sector} facility`)
    return f.id
  }
  aluId = find(ALU_NAME, 'aluminium')
  cementId = find(CEMENT_NAME, 'cement')
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

test('(a) ent-alu opens its smelter on 2025: 12 months entered, the preview is the API\'s', { timeout: 90_000 }, async () => {
  const ent = await login(ALU_OWNER)
  const data = await apiOk('GET', `/mrv/facilities/${aluId}/data/2025`, { token: ent.token })
  assert.equal(data.sector, 'aluminium')
  assert.equal(data.editable, true)
  assert.deepEqual(data.months.map((m) => m.month).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  assert.ok(data.preview, `no preview: ${JSON.stringify(data.preview_error)}`)

  const page = await newPage()
  try {
    await uiLogin(page, ALU_OWNER)
    await tid(page, 'nav-mrv').click()
    await page.waitForURL(/#\/mrv$/)
    await tid(page, `mrv-facility-link-${aluId}`).click()
    await page.waitForURL(new RegExp(`#/mrv/${aluId}$`))
    assert.equal(await text(page, 'mrv-facility-name'), ALU_NAME)
    // No generating units table for an industrial facility: its profile (no measured parameters).
    await tid(page, 'mrv-profile-parameters').waitFor({ state: 'visible' })
    assert.equal(await tid(page, 'mrv-units').count(), 0)

    await tid(page, 'mrv-year-2025').click()
    await waitAttr(page, 'mrv-year', 'data-year', '2025')
    await waitAttr(page, 'mrv-preview-total', 'data-value', String(data.preview.total_t))
    assert.equal(await text(page, 'mrv-preview-total'), tco2Text(data.preview.total_t))
    assert.equal(await attr(page, 'mrv-preview-output', 'data-value'), String(data.preview.liquid_aluminium_t))
    assert.equal(await attr(page, 'mrv-preview-intensity', 'data-value'), String(data.preview.intensity_t_per_t_al))
    for (const k of Object.keys(data.preview.sources)) {
      assert.equal(await attr(page, `mrv-preview-source-${k}`, 'data-value'), String(data.preview.sources[k]), `source ${k}`)
    }
    const unconfirmed = data.preview.notes.filter((n) => /\[U\]/.test(n)).length
    assert.ok(unconfirmed > 0, 'the aluminium defaults are tagged [U]')
    assert.equal(await attr(page, 'mrv-preview-notes', 'data-unconfirmed'), String(unconfirmed))
    await tid(page, 'mrv-preview-chart').locator('canvas').first().waitFor({ state: 'visible' })

    // The 12 months: entered, with the API's revision and the preview's monthly emissions.
    assert.equal(await attr(page, 'mrv-months', 'data-entered'), '12')
    assert.equal(await tid(page, 'mrv-months').locator('tbody tr').count(), 12)
    for (const m of data.months) {
      assert.equal(await attr(page, `mrv-month-status-${m.month}`, 'data-status'), 'entered', `month ${m.month}`)
      assert.equal(await text(page, `mrv-month-revision-${m.month}`), String(m.revision), `month ${m.month} revision`)
      const calc = data.preview.months.find((x) => x.month === m.month)
      assert.equal(await attr(page, `mrv-month-emissions-${m.month}`, 'data-value'), String(calc.total_t), `month ${m.month} emissions`)
    }
    // The editor, and the upload with the sector's long template.
    await tid(page, 'mrv-month-form').waitFor({ state: 'visible' })
    assert.equal(await attr(page, 'mrv-template-csv', 'href'), '/api/v1/mrv/template.csv?sector=aluminium')
    assert.equal(await attr(page, 'mrv-template-xlsx', 'href'), '/api/v1/mrv/template.xlsx?sector=aluminium')
    await shot(page, 'industry-aluminium-2025.png')
  } catch (e) {
    await failShot(page, 'failure-a.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(b) ent-alu corrects month 3: a negative consumption is refused with the API\'s message, a valid one stored as revision 2', { timeout: 120_000 }, async () => {
  const ent = await login(ALU_OWNER)
  const base = `/mrv/facilities/${aluId}/data/2025`
  const before = await apiOk('GET', base, { token: ent.token })
  const march = before.months.find((m) => m.month === 3)
  assert.equal(march.revision, 1)
  const fuel = march.data.fuels[0]
  assert.ok(fuel && fuel.consumption > 0, `month 3 has a first fuel: ${JSON.stringify(march.data.fuels)}`)
  const corrected = decimalOf(micro(fuel.consumption) + 6_250_000n) // + 6.25 (t or 10^4 Nm3)

  const page = await newPage()
  const puts = []
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes(`/api/v1${base}`)) puts.push({ headers: r.headers(), body: r.postData() })
  })
  try {
    await uiLogin(page, ALU_OWNER, `/mrv/${aluId}?year=2025`)
    await waitAttr(page, 'mrv-year', 'data-year', '2025')
    await tid(page, 'mrv-month-edit-3').click()
    await tid(page, 'mrv-form-existing').waitFor({ state: 'visible' })
    // The form holds the stored document.
    assert.equal(await tid(page, 'mrv-doc-fuels[0].consumption').inputValue(), String(fuel.consumption))
    assert.equal(await tid(page, 'mrv-doc-liquid_aluminium_t').inputValue(), String(march.data.liquid_aluminium_t))

    // A negative consumption: the API refuses it and names the field.
    await tid(page, 'mrv-doc-fuels[0].consumption').fill(`-${fuel.consumption}`)
    const refused = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/api/v1${base}`))
    await tid(page, 'mrv-form-submit').click()
    const res = await refused
    assert.ok(res.status() >= 400 && res.status() < 500, `a 4xx refusal, got ${res.status()}`)
    const error = (await res.json()).error
    assert.equal(error.field, 'months[0].fuels[0].consumption')
    await waitAttr(page, 'mrv-form-result', 'data-status', 'error')
    assert.equal(await text(page, 'mrv-form-error'), error.message)
    assert.equal(await text(page, 'mrv-form-error-field'), error.field)
    const item = page.locator('[data-testid="mrv-month-form"] [data-field="fuels[0].consumption"]')
    await page.waitForFunction(
      (msg) => document.querySelector('[data-testid="mrv-month-form"] [data-field="fuels[0].consumption"] .el-form-item__error')?.innerText.trim() === msg,
      error.message,
    )
    assert.match(await item.getAttribute('class'), /\bis-error\b/)
    assert.equal(await page.locator('[data-testid="mrv-month-form"] .el-form-item.is-error').count(), 1, 'only the named field is marked')
    await shot(page, 'industry-month-refused.png')
    const unchanged = await apiOk('GET', base, { token: ent.token })
    const march1 = unchanged.months.find((m) => m.month === 3)
    assert.equal(march1.revision, 1, 'nothing is stored')
    assert.deepEqual(march1.data, march.data)
    assert.equal(unchanged.preview.total_t, before.preview.total_t)

    // A valid correction: revision 2.
    await tid(page, 'mrv-doc-fuels[0].consumption').fill(corrected)
    await tid(page, 'mrv-form-submit').click()
    await waitAttr(page, 'mrv-form-result', 'data-status', 'ok')
    assert.equal(await text(page, 'mrv-form-revision'), '2')
    const after = await apiOk('GET', base, { token: ent.token })
    const march2 = after.months.find((m) => m.month === 3)
    assert.equal(march2.revision, 2)
    assert.equal(march2.entered_by, ALU_OWNER.name)
    assert.equal(decimalOf(micro(march2.data.fuels[0].consumption)), corrected)
    assert.notEqual(after.preview.total_t, before.preview.total_t, 'the correction changes the total')
    await waitText(page, 'mrv-month-revision-3', '2')
    await waitAttr(page, 'mrv-preview-total', 'data-value', String(after.preview.total_t))
    assert.equal(await text(page, 'mrv-preview-total'), tco2Text(after.preview.total_t))
    const calc3 = after.preview.months.find((x) => x.month === 3)
    await waitAttr(page, 'mrv-month-emissions-3', 'data-value', String(calc3.total_t))
    // The form reloads the stored revision.
    await page.waitForFunction(() => /修订 2/.test(document.querySelector('[data-testid="mrv-form-existing"]')?.innerText || ''))
    assert.equal(await tid(page, 'mrv-doc-fuels[0].consumption').inputValue(), corrected)

    // Two PUTs (refused, stored), each {"months":[document],"channel":"form"} with its own UUID key.
    assert.equal(puts.length, 2)
    const [k1, k2] = puts.map((p) => p.headers['idempotency-key'])
    assert.match(k1, UUID_V4)
    assert.match(k2, UUID_V4)
    assert.notEqual(k1, k2, 'a new key for a new body')
    const sent = JSON.parse(puts[1].body)
    assert.equal(sent.channel, 'form')
    assert.equal(sent.months.length, 1)
    assert.equal(sent.months[0].month, 3)
    assert.equal(decimalOf(micro(sent.months[0].fuels[0].consumption)), corrected)
    await shot(page, 'industry-month-saved.png')

    // 修订记录: no unit column; revision 2 of month 3 with the change against revision 1.
    await tid(page, 'mrv-tab-revisions').click()
    await tid(page, 'mrv-rev-3-2').waitFor({ state: 'visible' })
    assert.equal(await text(page, 'mrv-rev-channel-3-2'), 'form')
    assert.equal(await text(page, 'mrv-rev-changed-3-2'), `fuels[0].consumption: ${fuel.consumption} → ${corrected}`)
    assert.equal(await tid(page, 'mrv-revisions-unit').count(), 0, 'no unit filter for a whole-facility month')
    await tid(page, 'mrv-rev-doc-3-2').locator('summary').click()
    assert.match(await tid(page, 'mrv-rev-doc-3-2').locator('pre').innerText(), new RegExp(`"consumption": ${corrected.replace('.', '\\.')}`))
    await shot(page, 'industry-revisions.png')
  } catch (e) {
    await failShot(page, 'failure-b.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(c) the regulator opens the cement facility: two lines, the 2024 report confirmed', { timeout: 90_000 }, async () => {
  const reg = await login(REGULATOR)
  const facility = await apiOk('GET', `/mrv/facilities/${cementId}`, { token: reg.token })
  const lines = facility.profile.lines
  assert.equal(lines.length, 2)
  const report = await apiOk('GET', `/mrv/facilities/${cementId}/reports/2024`, { token: reg.token })
  assert.equal(report.case.status, 'confirmed')
  const v = report.versions.find((x) => x.version === report.case.current_version)
  const version = await apiOk('GET', `/mrv/facilities/${cementId}/reports/2024/versions/${v.version}`, { token: reg.token })

  const page = await newPage()
  try {
    await uiLogin(page, REGULATOR)
    await tid(page, 'nav-mrv').click()
    await tid(page, `mrv-facility-link-${cementId}`).click()
    await page.waitForURL(new RegExp(`#/mrv/${cementId}$`))
    assert.equal(await text(page, 'mrv-facility-name'), CEMENT_NAME)
    assert.equal(await tid(page, 'mrv-profile-lines').locator('tbody tr').count(), lines.length)
    for (const l of lines) {
      assert.equal(await attr(page, `mrv-profile-line-${l.id}`, 'data-clinker-type'), l.clinker_type)
      assert.match(await tid(page, 'mrv-profile-lines').innerText(), new RegExp(l.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    }

    await tid(page, 'mrv-year-2024').click()
    await waitAttr(page, 'mrv-year', 'data-year', '2024')
    assert.equal(await text(page, 'mrv-locked'), '已锁定')
    await tid(page, 'mrv-tab-report').click()
    await waitAttr(page, 'mrv-steps', 'data-status', 'confirmed')
    assert.equal(await attr(page, 'mrv-case-status', 'data-status'), 'confirmed')
    assert.equal(await attr(page, 'mrv-verified-total', 'data-value'), String(report.case.verified_total_t))
    assert.equal(await tid(page, 'mrv-versions').locator('tbody tr').count(), report.versions.length)
    assert.equal(await attr(page, `mrv-version-total-${v.version}`, 'data-value'), String(v.total_t))

    // The version's calculation: the cement calculator's result with its lines.
    await tid(page, `mrv-version-link-${v.version}`).click()
    await tid(page, 'mrv-version-result').waitFor({ state: 'visible' })
    assert.equal(await attr(page, 'mrv-version-result', 'data-sector'), 'cement')
    assert.equal(await attr(page, 'mrv-version-total', 'data-value'), String(version.calculation.total_t))
    for (const l of version.calculation.lines) {
      assert.equal(await attr(page, `mrv-version-line-total-${l.id}`, 'data-value'), String(l.total_t), `line ${l.id}`)
    }
    assert.equal(await tid(page, 'mrv-calc-table').count(), 0, 'no power table for a cement calculation')
    await shot(page, 'industry-cement-version.png')
  } catch (e) {
    await failShot(page, 'failure-c.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(d) the 2024 calendar of the cement facility: months not required, no due date', { timeout: 60_000 }, async () => {
  const reg = await login(REGULATOR)
  const cal = await apiOk('GET', `/mrv/facilities/${cementId}/calendar/2024`, { token: reg.token })
  const months = cal.items.filter((i) => i.item === 'month')
  assert.equal(months.length, 12)
  assert.ok(months.every((m) => m.status === 'not_required' && m.due_date === null), 'the API says 2024 months are not required')

  const page = await newPage()
  try {
    await uiLogin(page, REGULATOR, `/mrv/${cementId}?year=2024&tab=calendar`)
    await tid(page, 'mrv-calendar').waitFor({ state: 'visible' })
    for (const m of months) {
      assert.equal(await attr(page, `mrv-cal-month-${m.month}`, 'data-status'), 'not_required')
      assert.equal(await text(page, `mrv-cal-month-${m.month}`), '无需报送')
      assert.equal(await text(page, `mrv-cal-due-month-${m.month}`), '—')
    }
    for (const i of cal.items.filter((x) => x.item !== 'month')) {
      assert.equal(await attr(page, `mrv-cal-${i.item}`, 'data-status'), i.status)
      assert.equal(await text(page, `mrv-cal-due-${i.item}`), i.due_date)
    }
    await shot(page, 'industry-calendar-2024.png')
  } catch (e) {
    await failShot(page, 'failure-d.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(e) the verifier adjusts a value of the aluminium 2024 report by month and path', { timeout: 90_000 }, async () => {
  const ver = await login(VERIFIER)
  const report = await apiOk('GET', `/mrv/facilities/${aluId}/reports/2024`, { token: ver.token })
  assert.equal(report.case.status, 'assigned')
  assert.equal(report.case.verifier_org_id, ver.user.org_id)
  const data = await apiOk('GET', `/mrv/facilities/${aluId}/data/2024`, { token: ver.token })
  assert.equal(data.editable, false)
  const march = data.months.find((m) => m.month === 3).data
  const current = march.fuels[1].consumption
  const adjusted = decimalOf(micro(current) + 1_500_000n) // + 1.5
  const p = 'fuels[1].consumption'

  const page = await newPage()
  try {
    await uiLogin(page, VERIFIER, `/mrv/${aluId}?year=2024&tab=report`)
    await waitAttr(page, 'mrv-steps', 'data-status', 'assigned')
    await tid(page, 'mrv-finding-description').fill('3 月柴油消耗量与出库单不符（e2e）')
    await tid(page, 'mrv-finding-with-adjustment').click()
    await pickOption(page, 'mrv-adj-month', 'mrv-adj-month-option-3')
    // The paths offered are the numbers of March's document.
    await tid(page, 'mrv-adj-path').click()
    const option = page.locator(`li[data-testid="mrv-adj-path-option-${p}"]`).filter({ visible: true }).first()
    await option.waitFor({ state: 'visible' })
    const offered = await page.locator('li[data-testid^="mrv-adj-path-option-"]').filter({ visible: true }).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice('mrv-adj-path-option-'.length)))
    const numbers = []
    const walk = (v, at) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`))
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k)
      else if (typeof v === 'number' && at !== 'month') numbers.push(at)
    }
    walk(march, '')
    assert.deepEqual([...offered].sort(), numbers.sort())
    await option.click()
    assert.equal(await text(page, 'mrv-adj-current'), `原值: ${current}`)
    await tid(page, 'mrv-adj-value').fill(adjusted)
    await tid(page, 'mrv-finding-submit').click()
    await waitAttr(page, 'mrv-action-result', 'data-status', 'ok')

    const after = await apiOk('GET', `/mrv/facilities/${aluId}/reports/2024`, { token: ver.token })
    assert.equal(after.findings.length, report.findings.length + 1)
    const f = after.findings[after.findings.length - 1]
    assert.equal(f.adjustment.month, 3)
    assert.equal(f.adjustment.path, p)
    assert.equal(decimalOf(micro(f.adjustment.value)), adjusted)
    await waitText(page, `mrv-finding-adjustment-${f.id}`, `3月 · ${p} → ${adjusted}`)
    await shot(page, 'industry-verifier-finding.png')
  } catch (e) {
    await failShot(page, 'failure-e.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(f) ent-alu registers a cement facility with two clinker lines', { timeout: 90_000 }, async () => {
  const name = `e2e 水泥熟料线 ${Date.now()}`
  const page = await newPage()
  try {
    await uiLogin(page, ALU_OWNER, '/mrv')
    await tid(page, 'mrv-register').click()
    await tid(page, 'mrv-register-name').fill(name)
    await pickOption(page, 'mrv-register-sector', 'mrv-register-sector-option-cement')
    await tid(page, 'mrv-register-line-0-name').fill('e2e 硅酸盐熟料线')
    await tid(page, 'mrv-register-add-line').click()
    await tid(page, 'mrv-register-line-1-name').fill('e2e 白色硅酸盐熟料线')
    await pickOption(page, 'mrv-register-line-1-clinker', 'mrv-register-line-1-clinker-option-white_portland')
    await tid(page, 'mrv-register-submit').click()
    await page.waitForURL(/#\/mrv\/\d+$/)
    const id = Number(/#\/mrv\/(\d+)$/.exec(page.url())[1])
    const ent = await login(ALU_OWNER)
    const f = await apiOk('GET', `/mrv/facilities/${id}`, { token: ent.token })
    assert.equal(f.name, name)
    assert.equal(f.sector, 'cement')
    assert.deepEqual(f.profile.lines.map((l) => [l.id, l.name, l.clinker_type]), [
      ['L1', 'e2e 硅酸盐熟料线', 'portland'],
      ['L2', 'e2e 白色硅酸盐熟料线', 'white_portland'],
    ])
    await waitAttr(page, 'mrv-profile-line-L2', 'data-clinker-type', 'white_portland')
  } catch (e) {
    await failShot(page, 'failure-f.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('(g) the language toggle shows the English labels on an industrial facility', { timeout: 60_000 }, async () => {
  const page = await newPage()
  try {
    await uiLogin(page, REGULATOR, `/mrv/${cementId}?year=2024&tab=calendar`)
    await waitAttr(page, 'mrv-cal-month-1', 'data-status', 'not_required')
    assert.equal(await text(page, 'mrv-tab-data'), '月度数据')
    await tid(page, 'lang-toggle').click()
    await waitText(page, 'mrv-tab-data', 'Monthly data')
    assert.equal(await text(page, 'mrv-tab-calendar'), 'Calendar')
    assert.equal(await text(page, 'mrv-cal-month-1'), 'Not required')
    assert.match(await tid(page, 'mrv-profile-lines').locator('thead').innerText(), /Clinker type/)
    assert.match(await tid(page, 'mrv-profile-line-L1').innerText(), /Portland cement clinker 硅酸盐水泥熟料/)
    await tid(page, 'mrv-tab-data').click()
    await tid(page, 'mrv-preview-result').waitFor({ state: 'visible' })
    assert.match(await tid(page, 'mrv-preview-result').innerText(), /Accounting preview 2024/)
    assert.match(await tid(page, 'mrv-months').locator('thead').innerText(), /Clinker total \(t\)/)
    await shot(page, 'industry-english.png')
    await tid(page, 'lang-toggle').click()
    await waitText(page, 'mrv-tab-data', '月度数据')
  } catch (e) {
    await failShot(page, 'failure-g.png')
    throw e
  } finally {
    await page.context().close()
  }
})

test('no uncaught errors in the industrial MRV pages', () => {
  assert.deepEqual(pageErrors, [])
})
