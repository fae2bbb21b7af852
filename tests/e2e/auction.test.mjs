// Browser test of the auction page (竞价拍卖 · 单向竞价, #/auctions): node:test + playwright-core +
// Debian's /usr/bin/chromium, with the harness of tests/e2e/market_helpers.mjs.
//
// The server runs with GREENLOOP_CLOCK_START=2026-11-24T02:00:00Z (Tuesday 10:00 Beijing time).
// Set up through the API: a new CEA instrument; 300,000 t of it issued by the regulator into its
// organization's government reserve account (政府储备账户); fresh holding accounts of ent-power and
// ent-alu with 10,000,000.00 yuan (1,000,000,000 fen) each.
//
// What it proves, in a real Chromium:
//   (a) the exchange announces a reserve sale through the form: a window closing before it opens is
//       refused with the API's own message and nothing is frozen; then 200,000 t at a reserve price
//       of 40.00 yuan, uniform pricing, a window open from a minute ago to WINDOW_S seconds ahead: the
//       detail shows the API's announcement and the supply is frozen in the reserve account. The
//       regulator cancels another, upcoming auction (announced through the API) through the UI, and
//       its supply is released (the work is done while the first window runs);
//   (b) ent-power bids 45.00 × 120,000; ent-alu's 39.99 is refused with the API's message, then it
//       bids 41.00 × 150,000 and replaces it with 42.00 × 150,000 (one live bid: 42.00 × 150,000
//       frozen);
//   (c) after the window the exchange closes the auction through the UI. By hand (uniform price,
//       docs/market-engine.md): demand at 45.00 is 120,000 < 200,000, at 42.00 it is 270,000 ≥ 200,000,
//       so the margin and the clearing price are 42.00; ent-power is filled in full (120,000),
//       ent-alu, alone at the margin, gets the 80,000 left (⌊80,000 × 150,000 / 150,000⌋ = 80,000, no
//       leftover lot). Everyone pays 42.00: ent-power 120,000 × 42.00 = 5,040,000.00 yuan, ent-alu
//       80,000 × 42.00 = 3,360,000.00; total 8,400,000.00 (840,000,000 fen), sold 200,000, unsold 0,
//       2 winners. The result, the awards, ent-alu's own award and the holdings are checked against
//       these figures; then the language toggle shows the page in English;
//   no uncaught page errors and no console errors but the API refusals provoked on purpose.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/auction.test.mjs
//
// Screenshots go to test-output/e2e/auction/.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pickOption } from './select.mjs'
import {
  marketHarness, REGULATOR, EXCHANGE, POWER, ALU, UUID_RE, suffix, sleep, tid, attr, text, waitAttr, fill, beijingText, rfc3339,
} from './market_helpers.mjs'

const h = marketHarness({ name: 'auction', clockStart: '2026-11-24T02:00:00Z' })
const WINDOW_S = 40 // the bidding window's end, from the announcement (b bids within it)
const S = { inst: '', reserve: 0, regOrg: 0, power: 0, alu: 0, powerOrg: 0, aluOrg: 0, auctionId: 0, closesAtMs: 0, reserveCny: 0n }

before(async () => {
  await h.start()
  const reg = (await h.login(REGULATOR)).token
  S.regOrg = await h.orgOf(REGULATOR)
  S.powerOrg = await h.orgOf(POWER)
  S.aluOrg = await h.orgOf(ALU)
  const reserves = (await h.apiOk('GET', `/accounts?kind=reserve&org=${S.regOrg}`, { token: reg })).items
  assert.ok(reserves.length, `the regulator's organization ${S.regOrg} has a reserve account`)
  S.reserve = reserves[0].id
  const tag = suffix()
  S.inst = `CEA-A${tag}`
  await h.apiOk('POST', '/instruments', {
    token: reg,
    body: { code: S.inst, family: 'CEA', name_zh: '竞价测试配额', name_en: 'Auction test allowance', vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {} },
  })
  await h.apiOk('POST', '/issuances', { token: reg, body: { instrument: S.inst, to_account: S.reserve, quantity: 300_000, memo: 'e2e auction: reserve' } })
  S.power = (await h.apiOk('POST', '/accounts', { token: reg, body: { org_id: S.powerOrg, kind: 'holding', name: `竞价测试 ${tag}` } })).id
  const t0 = Date.now()
  const acc = await h.apiOk('POST', '/accounts', { token: reg, body: { org_id: S.aluOrg, kind: 'holding', name: `竞价测试 ${tag}` } })
  h.syncClock(acc.created_at, (t0 + Date.now()) / 2) // the server's (moved) clock, to ±1 s
  S.alu = acc.id
  for (const a of [S.power, S.alu]) {
    await h.apiOk('POST', '/issuances', { token: reg, body: { instrument: 'CNY', to_account: a, quantity: 1_000_000_000, memo: 'e2e auction: bidder cash' } })
  }
  S.reserveCny = (await h.holding(reg, S.reserve, 'CNY')).balance
})
after(() => h.stop())

const key = () => ({ 'Idempotency-Key': crypto.randomUUID() })

async function openAuction(page, user, id) {
  await h.uiLogin(page, user, `/auctions?id=${id}`)
  await waitAttr(page, 'auction-detail', 'data-id', id)
  await tid(page, 'auction-status').waitFor()
}

test('(a) the exchange announces a reserve sale through the form (a bad window refused with the API\'s message); the regulator cancels an upcoming one', { timeout: 120_000 }, async () => {
  const ex = (await h.login(EXCHANGE)).token
  const reg = (await h.login(REGULATOR)).token
  await h.withPage('a', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/market/auctions')) posts.push({ headers: r.headers(), body: JSON.parse(r.postData()) })
    })
    await h.uiLogin(page, EXCHANGE, '/auctions')
    await tid(page, 'nav-auctions').waitFor()
    await waitAttr(page, 'auctions-table', 'data-loaded', 'true')
    await tid(page, 'auctions-new').click()
    await fill(page, 'auction-create-title', '储备配额出售 e2e')
    await tid(page, 'auction-create-purpose-reserve_sale').click()
    await pickOption(page, 'auction-create-instrument', `auction-create-instrument-option-${S.inst}`)
    await pickOption(page, 'auction-create-seller', `auction-create-seller-option-${S.reserve}`)
    await waitAttr(page, 'auction-create-seller-available', 'data-value', '300000')
    await fill(page, 'auction-create-supply', '200,000')
    await fill(page, 'auction-create-reserve', '40.00')
    await fill(page, 'auction-create-min', '10,000')

    // A window that closes before it opens: the API's refusal, asked first with the same body.
    const opens = Math.floor(h.serverNow() / 1000) * 1000 - 60_000
    const bad = { title: '储备配额出售 e2e', purpose: 'reserve_sale', instrument: S.inst, seller_account_id: S.reserve, supply: 200_000, reserve_price_fen: 4000, opens_at: rfc3339(opens), closes_at: rfc3339(opens - 60_000), pricing: 'uniform', min_bid_quantity: 10_000 }
    const refusal = await h.api('POST', '/market/auctions', { token: ex, body: bad, headers: key() })
    assert.ok(refusal.status >= 400 && refusal.status < 500, refusal.text)
    assert.equal((await h.holding(reg, S.reserve, S.inst)).frozen, 0n, 'a refused announcement freezes nothing')
    await fill(page, 'auction-create-opens', beijingText(opens))
    await fill(page, 'auction-create-closes', beijingText(opens - 60_000))
    await tid(page, 'auction-create-submit').click()
    await waitAttr(page, 'auction-create-result', 'data-status', 'error')
    assert.equal(await text(page, 'auction-create-error'), refusal.json.error.message)
    assert.deepEqual(posts.at(-1).body, bad)
    await h.shot(page, 'auction-create-refused.png')

    S.closesAtMs = Math.ceil((h.serverNow() + WINDOW_S * 1000) / 1000) * 1000
    await fill(page, 'auction-create-closes', beijingText(S.closesAtMs))
    await tid(page, 'auction-create-submit').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="auction-detail"]')?.getAttribute('data-status') === 'bidding')
    S.auctionId = Number(await attr(page, 'auction-detail', 'data-id'))
    const sent = posts.at(-1)
    assert.match(sent.headers['idempotency-key'], UUID_RE)
    assert.deepEqual(sent.body, { ...bad, closes_at: rfc3339(S.closesAtMs) })

    const a = await h.apiOk('GET', `/market/auctions/${S.auctionId}`, { token: ex })
    assert.equal(a.status, 'bidding')
    await waitAttr(page, 'auction-status', 'data-status', 'bidding')
    await waitAttr(page, `auction-status-${S.auctionId}`, 'data-status', 'bidding')
    await waitAttr(page, 'auction-supply', 'data-value', String(a.supply))
    await waitAttr(page, 'auction-reserve', 'data-fen', String(a.reserve_price_fen))
    await waitAttr(page, 'auction-purpose', 'data-purpose', 'reserve_sale')
    await waitAttr(page, 'auction-pricing', 'data-pricing', 'uniform')
    await waitAttr(page, 'auction-seller', 'data-account', String(S.reserve))
    await waitAttr(page, 'auction-closes', 'data-value', a.closes_at)
    await waitAttr(page, 'auction-bounds', 'data-min', '10000')
    assert.equal(await text(page, 'auction-reserve'), '40.00')
    assert.equal(await text(page, 'auction-supply'), '200,000 tCO2e')
    assert.equal(await tid(page, 'auction-bids-sealed').count(), 1, 'the operator sees the bids sealed before clearing')
    await h.shot(page, 'auction-created.png')
  })
  const held = await h.holding(reg, S.reserve, S.inst)
  assert.deepEqual([held.balance, held.frozen], [300_000n, 200_000n], 'the supply is frozen in the reserve account')

  // The regulator cancels an upcoming auction (announced through the API) through the UI.
  const now = Math.floor(h.serverNow() / 1000) * 1000
  const upcoming = await h.apiOk('POST', '/market/auctions', {
    token: reg,
    headers: key(),
    body: { title: '有偿分配 e2e（取消）', purpose: 'paid_allocation', instrument: S.inst, seller_account_id: S.reserve, supply: 50_000, reserve_price_fen: 4000, opens_at: rfc3339(now + 3_600_000), closes_at: rfc3339(now + 7_200_000), pricing: 'pay_as_bid' },
  })
  assert.equal(upcoming.status, 'upcoming')
  assert.equal((await h.holding(reg, S.reserve, S.inst)).frozen, 250_000n)
  await h.withPage('a-cancel', async (page) => {
    await openAuction(page, REGULATOR, upcoming.id)
    await waitAttr(page, 'auction-status', 'data-status', 'upcoming')
    await waitAttr(page, 'auction-pricing', 'data-pricing', 'pay_as_bid')
    await waitAttr(page, 'auction-purpose', 'data-purpose', 'paid_allocation')
    await tid(page, 'auction-cancel').click()
    await tid(page, 'auction-confirm').waitFor({ state: 'visible' })
    await tid(page, 'auction-confirm').click()
    await waitAttr(page, 'auction-action-result', 'data-status', 'ok')
    await waitAttr(page, 'auction-status', 'data-status', 'cancelled')
    await waitAttr(page, `auction-status-${upcoming.id}`, 'data-status', 'cancelled')
    await waitAttr(page, `auction-status-${S.auctionId}`, 'data-status', 'bidding')
    await h.shot(page, 'auction-cancelled.png')
  })
  assert.equal((await h.apiOk('GET', `/market/auctions/${upcoming.id}`, { token: reg })).status, 'cancelled')
  assert.deepEqual(await h.holding(reg, S.reserve, S.inst), { balance: 300_000n, frozen: 200_000n, available: 100_000n }, 'the cancelled supply is released, the other stays frozen')
})

test('(b) two enterprises bid through the form (a refusal, a replace)', { timeout: 120_000 }, async () => {
  assert.ok(S.auctionId, 'needs the auction of (a)')
  const reg = (await h.login(REGULATOR)).token
  const alu = (await h.login(ALU)).token

  async function bid(page, account, price, quantity) {
    if ((await attr(page, 'auction-bid-account', 'data-account')) !== String(account)) {
      await pickOption(page, 'auction-bid-account', `auction-bid-account-option-${account}`)
    }
    await waitAttr(page, 'auction-bid-account', 'data-account', account)
    await fill(page, 'auction-bid-price', price)
    await fill(page, 'auction-bid-quantity', quantity)
    await tid(page, 'auction-bid-submit').click()
  }

  await h.withPage('b-power', async (page) => {
    await openAuction(page, POWER, S.auctionId)
    await waitAttr(page, 'auction-my-bid', 'data-status', '')
    await fill(page, 'auction-bid-price', '45.00')
    await fill(page, 'auction-bid-quantity', '120,000')
    await waitAttr(page, 'auction-bid-reserve', 'data-value', '540000000') // 45.00 × 120,000, no fee
    await bid(page, S.power, '45.00', '120,000')
    await waitAttr(page, 'auction-bid-result', 'data-status', 'ok')
    await waitAttr(page, 'auction-my-bid', 'data-status', 'live')
    await waitAttr(page, 'auction-my-bid', 'data-price', '4500')
    await waitAttr(page, 'auction-my-bid', 'data-quantity', '120000')
  })

  const below = await h.api('POST', `/market/auctions/${S.auctionId}/bids`, { token: alu, body: { account_id: S.alu, price_fen: 3999, quantity: 150_000 }, headers: key() })
  assert.equal(below.status >= 400 && below.status < 500, true, below.text)
  assert.equal(below.json.error.code, 'price_below_reserve')
  await h.withPage('b-alu', async (page) => {
    await openAuction(page, ALU, S.auctionId)
    await bid(page, S.alu, '39.99', '150,000')
    await waitAttr(page, 'auction-bid-result', 'data-status', 'error')
    assert.equal(await text(page, 'auction-bid-error'), below.json.error.message)
    await bid(page, S.alu, '41.00', '150,000')
    await waitAttr(page, 'auction-bid-result', 'data-status', 'ok')
    await waitAttr(page, 'auction-my-bid', 'data-price', '4100')
    await bid(page, S.alu, '42.00', '150,000') // replaces the bid (the button says so)
    await waitAttr(page, 'auction-bid-result', 'data-action', 'replaced')
    await waitAttr(page, 'auction-my-bid', 'data-price', '4200')
    await waitAttr(page, 'auction-my-bid', 'data-status', 'live')
    await h.shot(page, 'auction-bid-replaced.png')
  })
  // One live bid per organization: the replace released the 41.00 bid's cash, 42.00 × 150,000 is frozen.
  assert.equal((await h.holding(alu, S.alu, 'CNY')).frozen, 630_000_000n)
  assert.equal((await h.apiOk('GET', `/market/auctions/${S.auctionId}`, { token: reg })).bid_count, 2)
})

test('(c) after the window the exchange clears it through the UI: the result and the awards worked out by hand', { timeout: 120_000 }, async () => {
  assert.ok(S.auctionId, 'needs the auction of (a)')
  const reg = (await h.login(REGULATOR)).token
  const wait = S.closesAtMs + 1000 - h.serverNow()
  console.log(`# waiting ${Math.max(0, Math.round(wait / 1000))} s for the window to close`)
  if (wait > 0) await sleep(wait)

  await h.withPage('c-close', async (page) => {
    await openAuction(page, EXCHANGE, S.auctionId)
    await waitAttr(page, 'auction-status', 'data-status', 'awaiting_clearing')
    await tid(page, 'auction-close').click()
    await tid(page, 'auction-confirm').waitFor({ state: 'visible' })
    await tid(page, 'auction-confirm').click()
    await waitAttr(page, 'auction-action-result', 'data-status', 'ok')
    await waitAttr(page, 'auction-status', 'data-status', 'cleared')
    // The hand-worked result (header comment).
    await waitAttr(page, 'auction-result', 'data-clearing', '4200')
    await waitAttr(page, 'auction-result', 'data-sold', '200000')
    await waitAttr(page, 'auction-result', 'data-unsold', '0')
    await waitAttr(page, 'auction-result', 'data-total', '840000000')
    await waitAttr(page, 'auction-result', 'data-winners', '2')
    assert.equal(await text(page, 'auction-clearing-price'), '42.00')
    assert.equal(await text(page, 'auction-total'), '8,400,000.00')
    // The awards: every bid, now that it is cleared.
    await waitAttr(page, 'auction-awards', 'data-count', '2')
    for (const [org, qty, amount] of [[S.powerOrg, '120000', '504000000'], [S.aluOrg, '80000', '336000000']]) {
      await waitAttr(page, `auction-award-status-${org}`, 'data-status', 'won')
      await waitAttr(page, `auction-award-qty-${org}`, 'data-value', qty)
      await waitAttr(page, `auction-award-price-${org}`, 'data-fen', '4200')
      await waitAttr(page, `auction-award-amount-${org}`, 'data-fen', amount)
    }
    assert.equal(await text(page, `auction-award-amount-${S.powerOrg}`), '5,040,000.00')
    assert.equal(await text(page, `auction-award-amount-${S.aluOrg}`), '3,360,000.00')
    await h.shot(page, 'auction-cleared.png')
  })

  // The API agrees, and the registry moved as worked out: units to the winners, cash to the reserve.
  const a = await h.apiOk('GET', `/market/auctions/${S.auctionId}`, { token: reg })
  const { clearing_price_fen, sold_quantity, unsold_quantity, total_amount_fen, winner_count } = a.result
  assert.deepEqual({ clearing_price_fen, sold_quantity, unsold_quantity, total_amount_fen, winner_count }, { clearing_price_fen: 4200, sold_quantity: 200_000, unsold_quantity: 0, total_amount_fen: 840_000_000, winner_count: 2 })
  assert.deepEqual(await h.holding(reg, S.power, S.inst), { balance: 120_000n, frozen: 0n, available: 120_000n })
  assert.deepEqual(await h.holding(reg, S.power, 'CNY'), { balance: 496_000_000n, frozen: 0n, available: 496_000_000n })
  assert.deepEqual(await h.holding(reg, S.alu, S.inst), { balance: 80_000n, frozen: 0n, available: 80_000n })
  assert.deepEqual(await h.holding(reg, S.alu, 'CNY'), { balance: 664_000_000n, frozen: 0n, available: 664_000_000n })
  assert.deepEqual(await h.holding(reg, S.reserve, S.inst), { balance: 100_000n, frozen: 0n, available: 100_000n })
  assert.equal((await h.holding(reg, S.reserve, 'CNY')).balance, S.reserveCny + 840_000_000n)

  await h.withPage('c-alu-award', async (page) => {
    await openAuction(page, ALU, S.auctionId)
    await waitAttr(page, 'auction-my-bid', 'data-status', 'won')
    await waitAttr(page, 'auction-my-bid', 'data-awarded', '80000')
    await waitAttr(page, 'auction-my-bid', 'data-amount', '336000000')
    await waitAttr(page, 'auction-result', 'data-clearing', '4200')
    await h.shot(page, 'auction-my-award.png')
    // English second: the same page after the language toggle.
    await tid(page, 'lang-toggle').click()
    assert.equal(await text(page, 'auction-status'), 'Cleared')
    assert.equal(await text(page, 'nav-auctions'), 'Auctions')
    assert.equal(await text(page, 'auctions-title'), 'Auctions (one-way bidding)')
    await h.shot(page, 'auction-english.png')
  })
})

test('no uncaught errors and no console errors in the auction pages', () => {
  assert.deepEqual(h.pageErrors, [])
  assert.deepEqual(h.consoleErrors, [])
})
