// Goal: block agreement trading (大宗协议) and auctions (单向竞价) work end to end through the API
// on the stored ledger: a block proposal freezes the proposer's side, the named counterparty
// accepts it into one balanced delivery-versus-payment entry with the fees, or rejects it; the
// proposer may withdraw; a third party neither sees nor answers it; refusals are clear 4xx answers
// that change nothing. An auction freezes its supply and each sealed bid's money, survives kill -9
// with its bids and their time priority, clears at the uniform price, settles each award as one
// entry, releases what losers and the unsold part kept frozen, and keeps bids sealed until cleared.
// Method: one server whose clock starts on Monday 2026-11-23 13:10 Beijing time (the afternoon
// session, when CEA block trades are allowed), CEA rules from data/market/trading-rules.json
// (block minimum 100,000 t, block band ±30 % around the previous close 50.00 yuan), a fee of
// 5 bp per side; every figure is worked by hand in the comments.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, expectStatus, normPostings, assertBalanced, startHarness, sleep } from './harness.mjs';

process.env.GREENLOOP_CLOCK_START = '2026-11-23T05:10:00Z';

describe('market: block trades and auctions', { timeout: 170_000 }, () => {
  let h; let reg; let ex; let power; let alu; let wind;
  let S; let B; let T; let R; let CLEARING; let INST;
  let POWER_ORG; let ALU_ORG; let WIND_ORG;
  const CASH = 'CNY';

  const propose = (token, body, opts = {}) => h.api('POST', '/market/blocks', { token, body, ...opts });

  before(async () => {
    h = await startHarness('negotiated');
    reg = await h.as('regulator');
    ex = await h.as('exchange');
    power = await h.as('ent-power');
    alu = await h.as('ent-alu');
    wind = await h.as('ent-wind');
    POWER_ORG = (await h.me('ent-power')).org_id;
    ALU_ORG = (await h.me('ent-alu')).org_id;
    WIND_ORG = (await h.me('ent-wind')).org_id;
    S = await h.makeAccount(POWER_ORG);
    B = await h.makeAccount(ALU_ORG);
    T = await h.makeAccount(WIND_ORG);
    R = await h.makeAccount((await h.me('regulator')).org_id, { kind: 'reserve' });
    CLEARING = await h.systemAccount('clearing');
    INST = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01' });
    await h.issue(INST, S, 300_000);
    await h.issue(INST, R, 1_000);
    await h.issue(CASH, B, 2_000_000_000);  // 20,000,000 yuan
    await h.issue(CASH, S, 10_000_000);
    await h.issue(CASH, T, 10_000_000);
    expectStatus(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 5000, fee_bps: 5 } }), 201, 'list');
    expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'open' } }), 200, 'open');
  });

  after(async () => { if (h) await h.close(); });

  it('the listing shows the block minimum and the block band', async () => {
    const listings = expectStatus(await h.api('GET', '/market/listings', { token: alu }), 200, 'listings');
    const l = listings.items.find((x) => x.instrument === INST);
    assert.equal(l.rules.block_min_quantity, 100_000);
    assert.equal(l.rules.listing_max_quantity, 99_999);
    assert.deepEqual(l.block_band, { low_fen: 3500, high_fen: 6500 });  // 50.00 ± 30 %
  });

  it('refuses bad proposals with a clear 4xx and changes nothing', async () => {
    const before = await h.snapshot([[S, INST], [S, CASH], [B, CASH]]);
    const base = { instrument: INST, account_id: S, side: 'sell', counterparty_org_id: ALU_ORG, price_fen: 5200, quantity: 100_000 };
    assertError(await propose(power, { ...base, quantity: 99_999 }), 400, 'quantity_below_block_min', { field: 'quantity' });
    assertError(await propose(power, { ...base, price_fen: 6501 }), 400, 'price_outside_block_band', { field: 'price_fen' });
    assertError(await propose(power, { ...base, price_fen: 3499 }), 400, 'price_outside_block_band', { field: 'price_fen' });
    assertError(await propose(power, { ...base, counterparty_org_id: POWER_ORG }), 400, 'block_to_self', { field: 'counterparty_org_id' });
    assertError(await propose(power, { ...base, counterparty_org_id: 999_999 }), 404, 'not_found', { field: 'counterparty_org_id' });
    assertError(await propose(power, { ...base, quantity: 400_000 }), 422, 'insufficient_holding');
    assertError(await propose(power, { ...base, expires_at: '2020-01-01T00:00:00Z' }), 400, 'invalid_field', { field: 'expires_at' });
    assertError(await propose(power, { ...base, expires_at: 'tomorrow' }), 400, 'invalid_field', { field: 'expires_at' });
    assertError(await propose(power, { ...base, account_id: B }), 403, 'forbidden');
    assertError(await propose(reg, base), 403, 'forbidden');
    assertError(await propose(power, { ...base, quantity: '100000' }), 400, null, { field: 'quantity' });
    await h.assertUnchanged(before, 'refused proposals');
  });

  it('the named counterparty accepts: one entry moves units, cash and both fees', async () => {
    const s0 = await h.holding(S, INST); const sc0 = await h.holding(S, CASH);
    const b0 = await h.holding(B, INST); const bc0 = await h.holding(B, CASH);
    const c0 = await h.holding(CLEARING, CASH);
    const p = expectStatus(await propose(power, { instrument: INST, account_id: S, side: 'sell', counterparty_org_id: ALU_ORG, price_fen: 5200, quantity: 100_000, memo: '年度协议' }), 201, 'propose');
    assert.equal(p.status, 'proposed');
    assert.equal(p.notional_fen, 520_000_000);
    assert.deepEqual(p.reserved, { instrument: INST, amount: 100_000 });
    assert.equal((await h.holding(S, INST)).frozen, s0.frozen + 100_000);

    // A third party neither sees nor answers it.
    assertError(await h.api('GET', `/market/blocks/${p.id}`, { token: wind }), 404, 'not_found');
    assertError(await h.api('POST', `/market/blocks/${p.id}/accept`, { token: wind, body: { account_id: T } }), 404, 'not_found');
    assertError(await h.api('POST', `/market/blocks/${p.id}/reject`, { token: wind }), 404, 'not_found');
    assertError(await h.api('POST', `/market/blocks/${p.id}/reject`, { token: power }), 404, 'not_found');  // the proposer withdraws, not rejects
    assertError(await h.api('POST', `/market/blocks/${p.id}/accept`, { token: alu, body: { account_id: S } }), 403, 'forbidden');
    const listed = expectStatus(await h.api('GET', '/market/blocks?status=proposed', { token: alu }), 200, 'received');
    assert.ok(listed.items.some((x) => x.id === p.id));
    assert.ok(!(expectStatus(await h.api('GET', '/market/blocks', { token: wind }), 200, 'wind list')).items.some((x) => x.id === p.id));

    // notional 52.00 × 100,000 = 520,000,000 fen; fee 5 bp = 260,000 fen per side. The buyer
    // freezes 520,260,000 and pays all of it; the seller receives 519,740,000; the exchange 520,000.
    const acc = expectStatus(await h.api('POST', `/market/blocks/${p.id}/accept`, { token: alu, body: { account_id: B } }), 200, 'accept');
    assert.equal(acc.block.status, 'accepted');
    assert.equal(acc.block.counterparty.account_id, B);
    assert.equal(acc.trade.mode, 'block');
    assert.equal(acc.trade.block_id, p.id);
    assert.equal(acc.trade.buy.fee_fen, 260_000);
    const entry = expectStatus(await h.api('GET', `/journal/${acc.trade.entry_id}`, { token: reg }), 200, 'settlement');
    assertBalanced(entry);
    assert.deepEqual(normPostings(entry.postings), normPostings([
      { account_id: S, instrument: INST, bucket: 'frozen', amount: -100_000 },
      { account_id: B, instrument: INST, bucket: 'available', amount: 100_000 },
      { account_id: B, instrument: CASH, bucket: 'frozen', amount: -520_260_000 },
      { account_id: S, instrument: CASH, bucket: 'available', amount: 519_740_000 },
      { account_id: CLEARING, instrument: CASH, bucket: 'available', amount: 520_000 },
    ]));
    assert.equal((await h.holding(S, INST)).balance, s0.balance - 100_000);
    assert.equal((await h.holding(S, INST)).frozen, s0.frozen);
    assert.equal((await h.holding(S, CASH)).balance, sc0.balance + 519_740_000);
    assert.equal((await h.holding(B, INST)).available, b0.available + 100_000);
    const bc1 = await h.holding(B, CASH);
    assert.equal(bc1.balance, bc0.balance - 520_260_000);
    assert.equal(bc1.frozen, bc0.frozen);
    assert.equal((await h.holding(CLEARING, CASH)).balance, c0.balance + 520_000);

    assertError(await h.api('POST', `/market/blocks/${p.id}/accept`, { token: alu, body: { account_id: B } }), 404, 'not_found');
    const tape = expectStatus(await h.api('GET', `/market/trades?instrument=${INST}`, { token: wind }), 200, 'tape');
    assert.equal(tape.items[0].mode, 'block');
    assert.equal(tape.items[0].buy, undefined);
    const daily = expectStatus(await h.api('GET', `/market/listings/${INST}/daily`, { token: wind }), 200, 'daily');
    assert.equal(daily.items.at(-1).block_volume, 100_000);
    assert.equal(daily.items.at(-1).listing_volume, 0);
  });

  it('a buy proposal: rejected, proposed again and withdrawn, each releasing the cash', async () => {
    const bc0 = await h.holding(B, CASH);
    // 50.00 × 100,000 = 500,000,000 fen + fee 250,000 = 500,250,000 frozen.
    const body = { instrument: INST, account_id: B, side: 'buy', counterparty_org_id: POWER_ORG, price_fen: 5000, quantity: 100_000 };
    const p1 = expectStatus(await propose(alu, body), 201, 'buy proposal');
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen + 500_250_000);
    assertError(await h.api('POST', `/market/blocks/${p1.id}/withdraw`, { token: power }), 404, 'not_found');
    const rej = expectStatus(await h.api('POST', `/market/blocks/${p1.id}/reject`, { token: power }), 200, 'reject');
    assert.equal(rej.block.status, 'rejected');
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen);

    const key = `block-${Date.now()}`;
    const p2 = expectStatus(await propose(alu, body, { idempotencyKey: key }), 201, 'again');
    const replay = expectStatus(await propose(alu, body, { idempotencyKey: key }), 201, 'replayed');
    assert.equal(replay.id, p2.id, 'the same key answers the first result');
    assertError(await propose(alu, { ...body, price_fen: 5001 }, { idempotencyKey: key }), 409);
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen + 500_250_000, 'frozen once');
    const wd = expectStatus(await h.api('POST', `/market/blocks/${p2.id}/withdraw`, { token: alu }), 200, 'withdraw');
    assert.equal(wd.block.status, 'withdrawn');
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen);
    const seen = expectStatus(await h.api('GET', `/market/blocks/${p2.id}`, { token: ex }), 200, 'exchange sees it');
    assert.equal(seen.status, 'withdrawn');
  });

  it('an expired proposal cannot be accepted; the close expires what is pending', async () => {
    const s0 = await h.holding(S, INST);
    const body = { instrument: INST, account_id: S, side: 'sell', counterparty_org_id: WIND_ORG, price_fen: 5100, quantity: 100_000 };
    const pending = expectStatus(await propose(power, { ...body, price_fen: 5050 }), 201, 'pending');
    // created_at is the server's clock: the next proposal expires 1.5 s after it.
    const soon = new Date(Date.parse(pending.created_at) + 1500);
    const short = expectStatus(await propose(power, { ...body, expires_at: soon.toISOString() }), 201, 'short-lived');
    assert.equal((await h.holding(S, INST)).frozen, s0.frozen + 200_000);
    await sleep(2000);
    const before = await h.snapshot([[S, INST], [T, CASH]]);
    assertError(await h.api('POST', `/market/blocks/${short.id}/accept`, { token: wind, body: { account_id: T } }), 422, 'block_expired');
    await h.assertUnchanged(before, 'refused acceptance');
    expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'closed' } }), 200, 'close the day');
    assert.equal((await h.holding(S, INST)).frozen, s0.frozen);
    for (const id of [short.id, pending.id]) {
      assert.equal(expectStatus(await h.api('GET', `/market/blocks/${id}`, { token: power }), 200, 'expired').status, 'expired');
    }
  });

  it('an auction freezes its supply and bids, keeps bids sealed, survives kill -9 and clears at the uniform price', async () => {
    const base = {
      title: '2026 年度配额有偿竞买', purpose: 'paid_allocation', instrument: INST, seller_account_id: R,
      supply: 1_000, reserve_price_fen: 4000, opens_at: '2026-11-23T04:00:00Z', closes_at: '2026-11-23T05:40:00Z',
    };
    const create = (token, body) => h.api('POST', '/market/auctions', { token, body });
    const r0 = await h.holding(R, INST);
    assertError(await create(alu, base), 403, 'forbidden');
    assertError(await create(ex, { ...base, supply: 0 }), 400, 'invalid_field', { field: 'supply' });
    const early = await create(ex, { ...base, closes_at: '2026-11-23T03:00:00Z' });
    assertError(early, 400, 'invalid_field', { field: 'closes_at' });
    assert.equal(early.json.error.message, 'closes_at: not after opens_at', 'the request\'s names, not the engine\'s');
    assertError(await create(ex, { ...base, purpose: 'gift' }), 400, 'invalid_field', { field: 'purpose' });
    assertError(await create(ex, { ...base, supply: 1_001 }), 422, 'insufficient_holding', { field: 'supply' });
    assert.deepEqual(await h.holding(R, INST), r0);
    const a = expectStatus(await create(ex, base), 201, 'announce');
    assert.equal(a.status, 'bidding');
    assert.equal(a.tick_fen, 1);
    assert.equal((await h.holding(R, INST)).frozen, r0.frozen + 1_000);

    const bid = (token, body) => h.api('POST', `/market/auctions/${a.id}/bids`, { token, body });
    assertError(await bid(alu, { account_id: B, price_fen: 3999, quantity: 100 }), 400, 'price_below_reserve', { field: 'price_fen' });
    assertError(await bid(alu, { account_id: B, price_fen: 4500, quantity: 1_001 }), 400, 'quantity_above_supply', { field: 'quantity' });
    assertError(await bid(ex, { account_id: B, price_fen: 4500, quantity: 100 }), 403, 'forbidden');
    // Sealed bids: power 400 at 48.00, alu 500 at 45.00, wind 300 at 45.00 raised to 46.00.
    const tc0 = await h.holding(T, CASH);
    expectStatus(await bid(power, { account_id: S, price_fen: 4800, quantity: 400 }), 200, 'power');
    expectStatus(await bid(alu, { account_id: B, price_fen: 4500, quantity: 500 }), 200, 'alu');
    expectStatus(await bid(wind, { account_id: T, price_fen: 4500, quantity: 300 }), 200, 'wind');
    assert.equal((await h.holding(T, CASH)).frozen, tc0.frozen + 1_350_000);
    const raised = expectStatus(await bid(wind, { account_id: T, price_fen: 4600, quantity: 300 }), 200, 'wind raises');
    assert.equal(raised.reserved_fen, 1_380_000);
    assert.equal((await h.holding(T, CASH)).frozen, tc0.frozen + 1_380_000, 'only the difference is frozen');
    assertError(await h.api('GET', `/market/auctions/${a.id}/bids`, { token: ex }), 409, 'auction_sealed');
    const mine = expectStatus(await h.api('GET', `/market/auctions/${a.id}/bids`, { token: wind }), 200, 'own bid');
    assert.equal(mine.items.length, 1);
    assert.equal(mine.items[0].org_id, WIND_ORG);
    assertError(await h.api('POST', `/market/auctions/${a.id}/close`, { token: ex }), 409, 'auction_not_closed');

    await h.kill9();
    process.env.GREENLOOP_CLOCK_START = '2026-11-23T05:45:00Z';  // after the window
    await h.start();
    ex = await h.as('exchange'); wind = await h.as('ent-wind'); reg = await h.as('regulator'); alu = await h.as('ent-alu');
    assertError(await bid(alu, { account_id: B, price_fen: 5000, quantity: 500 }), 422, 'auction_closed');
    const got = expectStatus(await h.api('GET', `/market/auctions/${a.id}`, { token: wind }), 200, 'after restart');
    assert.equal(got.status, 'awaiting_clearing');
    assert.equal(got.bid_count, 3);
    assert.equal(got.my_bid.price_fen, 4600);

    // Demand from the top: 400 at 48.00, 700 at 46.00, 1,200 at 45.00 ≥ 1,000: the marginal price
    // is 45.00 and 300 remain for alu's 500 there. Everyone pays 45.00: power 1,800,000 fen,
    // wind 1,350,000 (of 1,380,000 frozen: 30,000 back), alu 1,350,000 (of 2,250,000: 900,000 back).
    const rc0 = await h.holding(R, CASH);
    const closed = expectStatus(await h.api('POST', `/market/auctions/${a.id}/close`, { token: ex }), 200, 'close');
    assert.equal(closed.status, 'cleared');
    assert.deepEqual(
      { ...closed.result, cleared_at: undefined },
      { clearing_price_fen: 4500, sold_quantity: 1_000, unsold_quantity: 0, total_amount_fen: 4_500_000, winner_count: 3, cleared_at: undefined });
    const bids = expectStatus(await h.api('GET', `/market/auctions/${a.id}/bids`, { token: reg }), 200, 'all bids');
    const byOrg = Object.fromEntries(bids.items.map((x) => [x.org_id, x]));
    assert.deepEqual([byOrg[POWER_ORG].awarded_quantity, byOrg[WIND_ORG].awarded_quantity, byOrg[ALU_ORG].awarded_quantity], [400, 300, 300]);
    assert.equal(byOrg[ALU_ORG].at_margin, true);
    assert.equal(byOrg[WIND_ORG].amount_fen, 1_350_000);
    const trade = expectStatus(await h.api('GET', `/market/trades?instrument=${INST}&limit=3`, { token: reg }), 200, 'tape');
    const windTrade = trade.items.find((x) => x.buy.org_id === WIND_ORG);
    assert.equal(windTrade.mode, 'auction');
    assert.equal(windTrade.auction_id, a.id);
    const entry = expectStatus(await h.api('GET', `/journal/${windTrade.entry_id}`, { token: reg }), 200, 'award entry');
    assertBalanced(entry);
    assert.deepEqual(normPostings(entry.postings), normPostings([
      { account_id: R, instrument: INST, bucket: 'frozen', amount: -300 },
      { account_id: T, instrument: INST, bucket: 'available', amount: 300 },
      { account_id: T, instrument: CASH, bucket: 'frozen', amount: -1_380_000 },
      { account_id: T, instrument: CASH, bucket: 'available', amount: 30_000 },
      { account_id: R, instrument: CASH, bucket: 'available', amount: 1_350_000 },
    ]));
    assert.equal((await h.holding(T, CASH)).frozen, tc0.frozen);
    const r1 = await h.holding(R, INST);
    assert.equal(r1.balance, r0.balance - 1_000);
    assert.equal(r1.frozen, r0.frozen);
    assert.equal((await h.holding(R, CASH)).balance, rc0.balance + 4_500_000);
    assertError(await h.api('POST', `/market/auctions/${a.id}/close`, { token: ex }), 409, 'auction_not_open');
    const v = h.cli(['verify', '--db', h.dbUrl]);
    assert.equal(v.status, 0, `greenloop verify failed:\n${v.stdout}\n${v.stderr}`);
  });

  it('holding limits refuse purchases beyond them, count what is pending, and change nothing', async () => {
    // A fresh account of wind with 1,000 of INST; the default limit for every account is 5,000
    // and wind's account gets its own 1,500.
    const W = await h.makeAccount(WIND_ORG);
    await h.issue(INST, W, 1_000);
    await h.issue(CASH, W, 100_000_000);
    assertError(await h.api('POST', '/market/holding-limits', { token: alu, body: { instrument: INST, max_quantity: 10 } }), 403, 'forbidden');
    assertError(await h.api('POST', '/market/holding-limits', { token: reg, body: { instrument: INST, max_quantity: -1 } }), 400, 'invalid_field', { field: 'max_quantity' });
    assertError(await h.api('POST', '/market/holding-limits', { token: reg, body: { instrument: 'NO-SUCH', max_quantity: 10 } }), 404, 'not_found');
    expectStatus(await h.api('POST', '/market/holding-limits', { token: reg, body: { instrument: INST, max_quantity: 5_000 } }), 200, 'default limit');
    const own = expectStatus(await h.api('POST', '/market/holding-limits', { token: ex, body: { instrument: INST, account_id: W, max_quantity: 1_500 } }), 200, 'own limit');
    assert.equal(own.max_quantity, 1_500);
    const seen = expectStatus(await h.api('GET', '/market/holding-limits', { token: wind }), 200, 'wind sees');
    assert.ok(seen.items.some((x) => x.account_id === W && x.max_quantity === 1_500));
    assert.ok(!(expectStatus(await h.api('GET', '/market/holding-limits', { token: alu }), 200, 'alu sees')).items.some((x) => x.account_id === W));

    // An auction of 1,000: a bid of 400 fits (1,000 + 400 ≤ 1,500); then 200 more is refused
    // (1,000 + 400 pending + 200 > 1,500) and so is raising the bid to 600.
    await h.issue(INST, R, 1_000);
    const a = expectStatus(await h.api('POST', '/market/auctions', { token: ex, body: {
      title: '限额测试', purpose: 'reserve_sale', instrument: INST, seller_account_id: R, supply: 1_000,
      reserve_price_fen: 4000, opens_at: '2026-11-23T05:00:00Z', closes_at: '2026-11-24T05:00:00Z' } }), 201, 'announce');
    expectStatus(await h.api('POST', `/market/auctions/${a.id}/bids`, { token: wind, body: { account_id: W, price_fen: 4000, quantity: 400 } }), 200, 'fits');
    const before = await h.snapshot([[W, CASH], [W, INST]]);
    assertError(await h.api('POST', `/market/auctions/${a.id}/bids`, { token: wind, body: { account_id: W, price_fen: 4000, quantity: 600 } }), 422, 'holding_limit_exceeded', { field: 'quantity' });
    await h.assertUnchanged(before, 'refused raise');
    expectStatus(await h.api('POST', `/market/auctions/${a.id}/bids`, { token: wind, body: { account_id: W, price_fen: 4100, quantity: 500 } }), 200, 'exactly the limit');
    expectStatus(await h.api('POST', `/market/auctions/${a.id}/cancel`, { token: ex }), 200, 'cancel');
    expectStatus(await h.api('POST', '/market/holding-limits', { token: ex, body: { instrument: INST, account_id: W, max_quantity: 0 } }), 200, 'remove own');
    assertError(await h.api('POST', '/market/holding-limits', { token: ex, body: { instrument: INST, account_id: W, max_quantity: 0 } }), 404, 'not_found');
    // Now the default 5,000 applies: a bid of 1,000 on the 1,000 held fits.
    const b = expectStatus(await h.api('POST', '/market/auctions', { token: ex, body: {
      title: '默认限额', purpose: 'reserve_sale', instrument: INST, seller_account_id: R, supply: 1_000,
      reserve_price_fen: 4000, opens_at: '2026-11-23T05:00:00Z', closes_at: '2026-11-24T05:00:00Z' } }), 201, 'announce again');
    expectStatus(await h.api('POST', `/market/auctions/${b.id}/bids`, { token: wind, body: { account_id: W, price_fen: 4000, quantity: 1_000 } }), 200, 'under the default');
    expectStatus(await h.api('POST', `/market/auctions/${b.id}/cancel`, { token: ex }), 200, 'cancel again');
    expectStatus(await h.api('POST', '/market/holding-limits', { token: reg, body: { instrument: INST, max_quantity: 1_500 } }), 200, 'tighter default');
    const c = expectStatus(await h.api('POST', '/market/auctions', { token: ex, body: {
      title: '默认限额二', purpose: 'reserve_sale', instrument: INST, seller_account_id: R, supply: 1_000,
      reserve_price_fen: 4000, opens_at: '2026-11-23T05:00:00Z', closes_at: '2026-11-24T05:00:00Z' } }), 201, 'third');
    assertError(await h.api('POST', `/market/auctions/${c.id}/bids`, { token: wind, body: { account_id: W, price_fen: 4000, quantity: 501 } }), 422, 'holding_limit_exceeded');
    expectStatus(await h.api('POST', `/market/auctions/${c.id}/cancel`, { token: ex }), 200, 'cancel third');
    expectStatus(await h.api('POST', '/market/holding-limits', { token: reg, body: { instrument: INST, max_quantity: 0 } }), 200, 'remove default');
  });

  it('a cancelled auction releases the supply and every bid', async () => {
    await h.issue(INST, R, 500);
    const r0 = await h.holding(R, INST); const bc0 = await h.holding(B, CASH);
    const a = expectStatus(await h.api('POST', '/market/auctions', { token: reg, body: {
      title: '储备配额出售', purpose: 'reserve_sale', instrument: INST, seller_account_id: R, supply: 500,
      reserve_price_fen: 4000, opens_at: '2026-11-23T05:00:00Z', closes_at: '2026-11-24T05:00:00Z', pricing: 'pay_as_bid' } }), 201, 'announce');
    assert.equal(a.pricing, 'pay_as_bid');
    expectStatus(await h.api('POST', `/market/auctions/${a.id}/bids`, { token: alu, body: { account_id: B, price_fen: 4100, quantity: 200 } }), 200, 'bid');
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen + 820_000);
    assertError(await h.api('POST', `/market/auctions/${a.id}/cancel`, { token: alu }), 403, 'forbidden');
    const c = expectStatus(await h.api('POST', `/market/auctions/${a.id}/cancel`, { token: ex }), 200, 'cancel');
    assert.equal(c.status, 'cancelled');
    assert.deepEqual(await h.holding(R, INST), r0);
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen);
    const mine = expectStatus(await h.api('GET', `/market/auctions/${a.id}/bids`, { token: alu }), 200, 'own bid');
    assert.equal(mine.items[0].status, 'withdrawn');
    assertError(await h.api('POST', `/market/auctions/${a.id}/bids`, { token: alu, body: { account_id: B, price_fen: 4100, quantity: 200 } }), 422, 'auction_closed');
  });
});
