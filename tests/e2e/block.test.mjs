// Browser test of the block trade tab (交易市场 · 大宗协议交易): node:test + playwright-core + Debian's
// /usr/bin/chromium, with the harness of tests/e2e/market_helpers.mjs.
//
// The server runs with GREENLOOP_CLOCK_START=2026-11-23T05:10:00Z: Monday 13:10 in Beijing, inside
// the afternoon session, when CEA block trades are allowed (13:00–15:00). Set up through the API: a
// new CEA instrument (regulator), a fresh holding account of ent-power with 400,000 t of it and one
// of ent-alu with 10,000,000.00 yuan (1,000,000,000 fen), listed by `exchange` at a previous close of
// 50.00 yuan with 5 bp per side and opened: block band ±30 % = 35.00–65.00, minimum 100,000 t.
//
// What it proves, in a real Chromium:
//   (a) ent-power sees the block rules (band and minimum = the listing's `block_band` and `rules`);
//       a proposal of 99,999 t is refused with the API's own message and freezes nothing; a proposal
//       to sell 100,000 t at 48.00 to ent-alu is sent with the exact body and an Idempotency-Key,
//       freezes the 100,000 t and is listed as sent and proposed;
//   (b) ent-alu sees it as received, accepts it with its account (the dialog shows what it needs:
//       100,000 × 48.00 = 4,800,000.00 yuan + the fee 5 bp = 2,400.00 → 4,802,400.00 yuan); the block
//       is accepted for both parties, the trade prints on the tape with mode block, and the holdings
//       moved exactly (worked out below);
//   (c) a received proposal is rejected by ent-alu and a sent one withdrawn by ent-power, through the
//       buttons; the frozen units come back; the language toggle shows the tab in English;
//   no uncaught page errors and no console errors but the API refusals provoked on purpose.
//
//   GREENLOOP_BIN=build/release/greenloop node --test --test-concurrency=1 tests/e2e/block.test.mjs
//
// Screenshots go to test-output/e2e/block/.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pickOption } from './select.mjs'
import {
  marketHarness, REGULATOR, EXCHANGE, POWER, ALU, UUID_RE, suffix, tid, attr, text, waitAttr, fill,
} from './market_helpers.mjs'

const h = marketHarness({ name: 'block', clockStart: '2026-11-23T05:10:00Z' })
const S = { inst: '', seller: 0, buyer: 0, sellerOrg: 0, buyerOrg: 0, blockId: 0, tradeId: 0 }

before(async () => {
  await h.start()
  const reg = (await h.login(REGULATOR)).token
  const ex = (await h.login(EXCHANGE)).token
  S.sellerOrg = await h.orgOf(POWER)
  S.buyerOrg = await h.orgOf(ALU)
  const tag = suffix()
  S.inst = `CEA-B${tag}`
  await h.apiOk('POST', '/instruments', {
    token: reg,
    body: { code: S.inst, family: 'CEA', name_zh: '大宗测试配额', name_en: 'Block test allowance', vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {} },
  })
  S.seller = (await h.apiOk('POST', '/accounts', { token: reg, body: { org_id: S.sellerOrg, kind: 'holding', name: `大宗测试 卖方 ${tag}` } })).id
  S.buyer = (await h.apiOk('POST', '/accounts', { token: reg, body: { org_id: S.buyerOrg, kind: 'holding', name: `大宗测试 买方 ${tag}` } })).id
  await h.apiOk('POST', '/issuances', { token: reg, body: { instrument: S.inst, to_account: S.seller, quantity: 400_000, memo: 'e2e block: seller' } })
  await h.apiOk('POST', '/issuances', { token: reg, body: { instrument: 'CNY', to_account: S.buyer, quantity: 1_000_000_000, memo: 'e2e block: buyer cash' } })
  await h.apiOk('POST', '/market/listings', { token: ex, body: { instrument: S.inst, prev_close_fen: 5000, fee_bps: 5 } })
  const opened = await h.apiOk('POST', `/market/listings/${S.inst}/state`, { token: ex, body: { state: 'open' } })
  assert.equal(opened.state, 'open', JSON.stringify(opened))
})
after(() => h.stop())

const listingOf = async (token) => (await h.apiOk('GET', '/market/listings', { token })).items.find((l) => l.instrument === S.inst)

/** Log in and open the block tab of the test's listing. */
async function openBlocks(page, user) {
  await h.uiLogin(page, user, `/market?instrument=${S.inst}&tab=block`)
  await waitAttr(page, 'market-summary', 'data-instrument', S.inst)
  await waitAttr(page, 'market-block', 'data-instrument', S.inst)
}

/** Fill the proposal form (the account and the counterparty are picked from their selects). */
async function fillProposal(page, { side = 'sell', price, quantity, memo = '' }) {
  if ((await attr(page, 'market-block-account', 'data-account')) !== String(S.seller)) {
    await pickOption(page, 'market-block-account', `market-block-account-option-${S.seller}`)
  }
  await waitAttr(page, 'market-block-account', 'data-account', S.seller)
  await tid(page, `market-block-side-${side}`).click()
  if ((await attr(page, 'market-block-counterparty', 'data-org')) !== String(S.buyerOrg)) {
    await pickOption(page, 'market-block-counterparty', `market-block-counterparty-option-${S.buyerOrg}`)
  }
  await waitAttr(page, 'market-block-counterparty', 'data-org', S.buyerOrg)
  await fill(page, 'market-block-price', price)
  await fill(page, 'market-block-quantity', quantity)
  await fill(page, 'market-block-memo', memo)
}

test('(a) ent-power sees the block rules; a proposal below the minimum shows the API\'s refusal; 100,000 t at 48.00 is proposed to ent-alu', { timeout: 120_000 }, async () => {
  const pw = (await h.login(POWER)).token
  const l = await listingOf(pw)
  assert.ok(l.rules && l.block_band, `the listing has rules and block_band: ${JSON.stringify(l)}`)
  // CEA (data/market/trading-rules.json): ±30 % of 50.00 → 35.00–65.00; minimum 100,000 t.
  assert.deepEqual([l.block_band.low_fen, l.block_band.high_fen, l.rules.block_min_quantity], [3500, 6500, 100_000])

  // The refusal the page must show, from the API (a refused proposal creates and freezes nothing).
  const belowBody = { instrument: S.inst, account_id: S.seller, side: 'sell', counterparty_org_id: S.buyerOrg, price_fen: 4800, quantity: 99_999 }
  const refusal = await h.api('POST', '/market/blocks', { token: pw, body: belowBody, headers: { 'Idempotency-Key': crypto.randomUUID() } })
  assert.ok(refusal.status >= 400 && refusal.status < 500, refusal.text)
  assert.equal(refusal.json.error.code, 'quantity_below_block_min', refusal.text)

  await h.withPage('a', async (page) => {
    const posts = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/market/blocks')) posts.push({ headers: r.headers(), body: JSON.parse(r.postData()) })
    })
    await openBlocks(page, POWER)
    await waitAttr(page, 'market-block-band', 'data-low', '3500')
    await waitAttr(page, 'market-block-band', 'data-high', '6500')
    await waitAttr(page, 'market-block-min-quantity', 'data-value', '100000')
    assert.equal(await text(page, 'market-block-min-quantity'), '100,000 tCO2e')

    await fillProposal(page, { price: '48.00', quantity: '99,999' })
    await tid(page, 'market-block-below-min').waitFor() // the form warns, the API decides
    await tid(page, 'market-block-submit').click()
    await waitAttr(page, 'market-block-result', 'data-status', 'error')
    assert.equal(await text(page, 'market-block-error'), refusal.json.error.message)
    assert.equal(await attr(page, 'market-block-error', 'data-code'), 'quantity_below_block_min')
    await h.shot(page, 'block-below-min.png')
    assert.equal((await h.holding(pw, S.seller, S.inst)).frozen, 0n, 'the refusal froze nothing')

    await fill(page, 'market-block-quantity', '100,000')
    await fill(page, 'market-block-memo', 'e2e 大宗协议')
    await waitAttr(page, 'market-block-reserve', 'data-value', '100000')
    await tid(page, 'market-block-submit').click()
    await waitAttr(page, 'market-block-result', 'data-status', 'ok')
    S.blockId = Number(await attr(page, 'market-block-result-id', 'data-id'))
    assert.ok(S.blockId > 0)

    const sent = posts.at(-1)
    assert.match(sent.headers['idempotency-key'], UUID_RE)
    assert.deepEqual(sent.body, { ...belowBody, quantity: 100_000, memo: 'e2e 大宗协议' })
    assert.notEqual(posts.at(-2).headers['idempotency-key'], sent.headers['idempotency-key'], 'a new key per submission')

    const b = await h.apiOk('GET', `/market/blocks/${S.blockId}`, { token: pw })
    assert.equal(b.status, 'proposed')
    assert.deepEqual([b.side, b.price_fen, b.quantity, b.notional_fen], ['sell', 4800, 100_000, 480_000_000])
    assert.equal(b.proposer.org_id, S.sellerOrg)
    assert.equal(b.counterparty.org_id, S.buyerOrg)
    const held = await h.holding(pw, S.seller, S.inst)
    assert.deepEqual([held.balance, held.frozen], [400_000n, 100_000n], 'the proposal froze the 100,000 t')

    await waitAttr(page, `market-block-status-${S.blockId}`, 'data-status', 'proposed')
    await waitAttr(page, `market-block-dir-${S.blockId}`, 'data-dir', 'sent')
    await waitAttr(page, `market-block-qty-${S.blockId}`, 'data-value', '100000')
    await tid(page, `market-block-withdraw-${S.blockId}`).waitFor()
    await h.shot(page, 'block-proposed.png')
  })
})

test('(b) ent-alu accepts the proposal; both see it accepted and the trade prints on the tape as a block', { timeout: 120_000 }, async () => {
  assert.ok(S.blockId, 'needs the proposal of (a)')
  const alu = (await h.login(ALU)).token
  const pw = (await h.login(POWER)).token
  await h.withPage('b', async (page) => {
    await openBlocks(page, ALU)
    await waitAttr(page, `market-block-dir-${S.blockId}`, 'data-dir', 'received')
    await waitAttr(page, `market-block-status-${S.blockId}`, 'data-status', 'proposed')
    await tid(page, `market-block-accept-${S.blockId}`).click()
    await tid(page, 'market-block-accept-confirm').waitFor({ state: 'visible' })
    if ((await attr(page, 'market-block-accept-account', 'data-account')) !== String(S.buyer)) {
      await pickOption(page, 'market-block-accept-account', `market-block-accept-account-option-${S.buyer}`)
    }
    await waitAttr(page, 'market-block-accept-account', 'data-account', S.buyer)
    // Buying 100,000 t at 48.00: 480,000,000 fen + the fee ⌈480,000,000 × 5 / 10,000⌉ = 240,000 fen.
    await waitAttr(page, 'market-block-accept-need', 'data-value', '480240000')
    await waitAttr(page, 'market-block-accept-need', 'data-instrument', 'CNY')
    await waitAttr(page, 'market-block-accept-need', 'data-available', '1000000000')
    await h.shot(page, 'block-accept-dialog.png')
    await tid(page, 'market-block-accept-confirm').click()
    await waitAttr(page, 'market-blocks-action-result', 'data-status', 'ok')
    await waitAttr(page, 'market-blocks-action-result', 'data-action', 'accept')
    S.tradeId = Number(await attr(page, 'market-blocks-action-trade', 'data-trade'))
    assert.ok(S.tradeId > 0)
    await waitAttr(page, `market-block-status-${S.blockId}`, 'data-status', 'accepted')
    await waitAttr(page, `market-block-trade-${S.blockId}`, 'data-trade', S.tradeId)

    // The API: the block is accepted with its trade, a block trade at 48.00 × 100,000.
    const b = await h.apiOk('GET', `/market/blocks/${S.blockId}`, { token: alu })
    assert.equal(b.status, 'accepted')
    assert.equal(b.trade_id, S.tradeId)
    assert.equal(b.counterparty.account_id, S.buyer)
    const tape = (await h.apiOk('GET', `/market/trades?instrument=${S.inst}`, { token: alu })).items
    const tr = tape.find((t) => t.id === S.tradeId)
    assert.ok(tr, `trade ${S.tradeId} on the tape: ${JSON.stringify(tape)}`)
    assert.deepEqual([tr.mode, tr.price_fen, tr.quantity], ['block', 4800, 100_000])

    // On the page's tape (listing tab) and among the block trades (block tab), marked block.
    await waitAttr(page, `market-trade-price-${S.tradeId}`, 'data-fen', '4800')
    await waitAttr(page, `market-block-trade-mode-${S.tradeId}`, 'data-mode', 'block')
    await waitAttr(page, `market-block-trade-qty-${S.tradeId}`, 'data-value', '100000')
    await h.shot(page, 'block-accepted-buyer.png')
    await tid(page, 'market-tab-listing').click()
    await tid(page, `market-trade-price-${S.tradeId}`).waitFor({ state: 'visible' })
    await h.shot(page, 'block-on-tape.png')
  })

  // Delivery versus payment, by hand: ent-alu gets 100,000 t and pays 480,000,000 + 240,000 fen;
  // ent-power delivers 100,000 t (400,000 → 300,000, nothing left frozen).
  assert.deepEqual(await h.holding(alu, S.buyer, S.inst), { balance: 100_000n, frozen: 0n, available: 100_000n })
  assert.deepEqual(await h.holding(alu, S.buyer, 'CNY'), { balance: 519_760_000n, frozen: 0n, available: 519_760_000n })
  assert.deepEqual(await h.holding(pw, S.seller, S.inst), { balance: 300_000n, frozen: 0n, available: 300_000n })

  await h.withPage('b-seller', async (page) => {
    await openBlocks(page, POWER)
    await waitAttr(page, `market-block-status-${S.blockId}`, 'data-status', 'accepted')
    await waitAttr(page, `market-block-dir-${S.blockId}`, 'data-dir', 'sent')
    await waitAttr(page, `market-block-trade-mode-${S.tradeId}`, 'data-mode', 'block')
    assert.equal(await tid(page, `market-block-withdraw-${S.blockId}`).count(), 0, 'nothing to withdraw once accepted')
    await h.shot(page, 'block-accepted-seller.png')
  })
})

test('(c) ent-alu rejects a received proposal and ent-power withdraws a sent one', { timeout: 120_000 }, async () => {
  const pw = (await h.login(POWER)).token
  const propose = async (price) => (await h.apiOk('POST', '/market/blocks', {
    token: pw,
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: { instrument: S.inst, account_id: S.seller, side: 'sell', counterparty_org_id: S.buyerOrg, price_fen: price, quantity: 100_000 },
  })).id
  const toReject = await propose(4700)
  const toWithdraw = await propose(4750)
  assert.equal((await h.holding(pw, S.seller, S.inst)).frozen, 200_000n)

  await h.withPage('c-reject', async (page) => {
    await openBlocks(page, ALU)
    await tid(page, 'market-blocks-dir-received').click()
    await waitAttr(page, `market-block-status-${toReject}`, 'data-status', 'proposed')
    await tid(page, `market-block-reject-${toReject}`).click()
    await waitAttr(page, 'market-blocks-action-result', 'data-action', 'reject')
    await waitAttr(page, 'market-blocks-action-result', 'data-status', 'ok')
    await waitAttr(page, `market-block-status-${toReject}`, 'data-status', 'rejected')
  })
  await h.withPage('c-withdraw', async (page) => {
    await openBlocks(page, POWER)
    await waitAttr(page, `market-block-status-${toWithdraw}`, 'data-status', 'proposed')
    await waitAttr(page, `market-block-status-${toReject}`, 'data-status', 'rejected')
    await tid(page, `market-block-withdraw-${toWithdraw}`).click()
    await waitAttr(page, 'market-blocks-action-result', 'data-action', 'withdraw')
    await waitAttr(page, 'market-blocks-action-result', 'data-status', 'ok')
    await waitAttr(page, `market-block-status-${toWithdraw}`, 'data-status', 'withdrawn')
    await h.shot(page, 'block-rejected-withdrawn.png')
    // English second: the same tab after the language toggle.
    await tid(page, 'lang-toggle').click()
    assert.equal(await text(page, 'market-tab-block'), 'Block trades')
    assert.equal(await text(page, `market-block-status-${toWithdraw}`), 'Withdrawn')
    assert.equal(await text(page, `market-block-status-${toReject}`), 'Rejected')
    await h.shot(page, 'block-english.png')
  })
  const statuses = await Promise.all([toReject, toWithdraw].map(async (id) => (await h.apiOk('GET', `/market/blocks/${id}`, { token: pw })).status))
  assert.deepEqual(statuses, ['rejected', 'withdrawn'])
  assert.deepEqual(await h.holding(pw, S.seller, S.inst), { balance: 300_000n, frozen: 0n, available: 300_000n }, 'both reservations released')
})

test('no uncaught errors and no console errors in the block pages', () => {
  assert.deepEqual(h.pageErrors, [])
  assert.deepEqual(h.consoleErrors, [])
})
