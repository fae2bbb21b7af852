// Goal: the exchange's listing agreement trading works end to end through the API, on the stored
// ledger: the operator lists an instrument and opens its day; an order is accepted only when its
// reservation can be frozen; a crossing order settles delivery-versus-payment as one balanced
// journal entry with the fees; refusals are clear 4xx answers that change nothing; orders are
// idempotent under their key; self-trade prevention, cancel, replace, halt and close behave as
// docs/market-engine.md says; freezing an account withdraws its orders; after kill -9 the book is
// the same and makes the same next match; enterprises see only their own orders.
// Method: one server per file whose clock starts on Monday 2026-11-23 10:00 Beijing time (inside
// the morning session), CEA rules from data/market/trading-rules.json (band ±10 % around the
// previous close 50.00 yuan), a fee of 5 bp per side; figures worked by hand in the comments.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, expectStatus, normPostings, assertBalanced, startHarness } from './harness.mjs';

process.env.GREENLOOP_CLOCK_START = '2026-11-23T02:00:00Z';

describe('market: listing agreement trading', { timeout: 170_000 }, () => {
  let h; let reg; let ex; let seller; let buyer; let third;
  let S; let B; let T; let CLEARING; let INST;
  let firstSell;  // the seller's order of the first trade, 40 of it still open
  const CASH = 'CNY';

  const order = (token, body, opts = {}) => h.api('POST', '/market/orders', { token, body, ...opts });
  const book = async () => expectStatus(await h.api('GET', `/market/listings/${INST}/book`, { token: ex }), 200, 'book');

  before(async () => {
    h = await startHarness('market');
    reg = await h.as('regulator');
    ex = await h.as('exchange');
    seller = await h.as('ent-power');
    buyer = await h.as('ent-alu');
    third = await h.as('ent-wind');
    // Fresh accounts of the demo enterprises, so that every balance below is known.
    S = await h.makeAccount((await h.me('ent-power')).org_id);
    B = await h.makeAccount((await h.me('ent-alu')).org_id);
    T = await h.makeAccount((await h.me('ent-wind')).org_id);
    CLEARING = await h.systemAccount('clearing');
    INST = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01' });
    await h.issue(INST, S, 10_000);
    await h.issue(INST, T, 1_000);
    await h.issue(CASH, B, 100_000_000);  // 1,000,000 yuan
  });

  after(async () => { if (h) await h.close(); });

  it('only the exchange lists and opens; orders wait for the open market', async () => {
    assertError(await h.api('POST', '/market/listings', { token: seller, body: { instrument: INST, prev_close_fen: 5000 } }), 403, 'forbidden');
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 0 } }), 400, 'invalid_field', { field: 'prev_close_fen' });
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 5000, fee_bps: 2000 } }), 400, 'invalid_field', { field: 'fee_bps' });
    // Found by the order-entry fuzzer: a close beyond what the band arithmetic holds used to abort the server.
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 10_000_000_000_000 } }), 400, 'invalid_field', { field: 'prev_close_fen' });
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: CASH, prev_close_fen: 100 } }), 400, 'invalid_field');
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: 'NO-SUCH', prev_close_fen: 5000 } }), 404, 'not_found');
    const listed = expectStatus(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 5000, fee_bps: 5 } }), 201, 'list');
    assert.equal(listed.state, 'closed');
    assertError(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 5000 } }), 409, 'duplicate');

    assertError(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5000, quantity: 10 }), 422, 'market_not_open');
    assertError(await h.api('POST', `/market/listings/${INST}/state`, { token: seller, body: { state: 'open' } }), 403, 'forbidden');
    assertError(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'halted' } }), 409, 'invalid_transition');
    const open = expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'open' } }), 200, 'open');
    assert.equal(open.state, 'open');
    assert.equal(open.trading_day, '2026-11-23');
    assert.deepEqual(open.band, { low_fen: 4500, high_fen: 5500 });  // 50.00 ± 10 %
  });

  it('a crossing order settles both legs and the fees in one balanced entry', async () => {
    const s0 = await h.holding(S, INST); const sc0 = await h.holding(S, CASH);
    const b0 = await h.holding(B, INST); const bc0 = await h.holding(B, CASH);
    const c0 = await h.holding(CLEARING, CASH);
    const sell = expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5000, quantity: 100 }), 201, 'sell');
    firstSell = sell.order.id;
    assert.equal(sell.order.status, 'open');
    assert.deepEqual(sell.order.reserved, { instrument: INST, amount: 100 });
    assert.equal((await h.holding(S, INST)).frozen, s0.frozen + 100);

    // Buy 60 at up to 51.00: reserves 306,000 + fee 153; trades at the resting 50.00: notional
    // 300,000 fen, 150 fen fee each side, buyer pays 300,150, seller receives 299,850.
    const buy = expectStatus(await order(buyer, { instrument: INST, account_id: B, side: 'buy', price_fen: 5100, quantity: 60, client_order_id: 'alu-1' }), 201, 'buy');
    assert.equal(buy.order.status, 'filled');
    assert.equal(buy.order.client_order_id, 'alu-1');
    assert.equal(buy.trades.length, 1);
    const t = buy.trades[0];
    assert.equal(t.price_fen, 5000);
    assert.equal(t.quantity, 60);
    assert.equal(t.buy.fee_fen, 150);
    assert.equal(t.sell, undefined, 'the buyer does not see the seller');
    const entry = expectStatus(await h.api('GET', `/journal/${t.entry_id}`, { token: reg }), 200, 'settlement entry');
    assertBalanced(entry);
    assert.deepEqual(normPostings(entry.postings), normPostings([
      { account_id: S, instrument: INST, bucket: 'frozen', amount: -60 },
      { account_id: B, instrument: INST, bucket: 'available', amount: 60 },
      { account_id: B, instrument: CASH, bucket: 'frozen', amount: -306_153 },
      { account_id: B, instrument: CASH, bucket: 'available', amount: 6_003 },
      { account_id: S, instrument: CASH, bucket: 'available', amount: 299_850 },
      { account_id: CLEARING, instrument: CASH, bucket: 'available', amount: 300 },
    ]));
    const s1 = await h.holding(S, INST);
    assert.equal(s1.balance, s0.balance - 60);
    assert.equal(s1.frozen, s0.frozen + 40);
    assert.equal((await h.holding(S, CASH)).balance, sc0.balance + 299_850);
    assert.equal((await h.holding(B, INST)).available, b0.available + 60);
    const bc1 = await h.holding(B, CASH);
    assert.equal(bc1.balance, bc0.balance - 300_150);
    assert.equal(bc1.frozen, bc0.frozen);
    assert.equal((await h.holding(CLEARING, CASH)).balance, c0.balance + 300);

    const seen = expectStatus(await h.api('GET', `/market/orders/${sell.order.id}`, { token: seller }), 200, 'own order');
    assert.equal(seen.open_quantity, 40);
    assert.equal(seen.filled_quantity, 60);
    assertError(await h.api('GET', `/market/orders/${sell.order.id}`, { token: buyer }), 404, 'not_found');
    const tape = expectStatus(await h.api('GET', `/market/trades?instrument=${INST}`, { token: third }), 200, 'tape');
    assert.equal(tape.items[0].id, t.id);
    assert.equal(tape.items[0].buy, undefined, 'a third party sees neither side');
    assert.equal(tape.items[0].sell, undefined);
  });

  it('refuses bad orders with a clear 4xx and changes nothing', async () => {
    const before = await h.snapshot([[S, INST], [B, CASH], [T, INST]]);
    const base = { instrument: INST, account_id: B, side: 'buy', price_fen: 5000, quantity: 10 };
    assertError(await order(buyer, { ...base, price_fen: 5501 }), 400, 'price_above_band', { field: 'price_fen' });
    assertError(await order(buyer, { ...base, price_fen: 4499 }), 400, 'price_below_band', { field: 'price_fen' });
    assertError(await order(buyer, { ...base, quantity: 0 }), 400, 'quantity_not_positive', { field: 'quantity' });
    assertError(await order(buyer, { ...base, quantity: 100_000 }), 400, 'quantity_above_max', { field: 'quantity' });
    assertError(await order(buyer, { ...base, quantity: '10' }), 400, null, { field: 'quantity' });
    assertError(await order(buyer, { ...base, side: 'hold' }), 400, 'invalid_field', { field: 'side' });
    assertError(await order(buyer, { ...base, colour: 'green' }), 400, null);
    assertError(await order(buyer, { ...base, quantity: 99_999, price_fen: 5500 }), 422, 'insufficient_funds');  // 549,994,500 fen > 100,000,000
    assertError(await order(seller, { ...base, account_id: S, side: 'sell', quantity: 20_000 }), 422, 'insufficient_holding');
    assertError(await order(seller, { ...base }), 403, 'forbidden');  // B is not the power plant's account
    assertError(await order(reg, { ...base }), 403, 'forbidden');     // the regulator does not trade
    assertError(await order(buyer, { ...base, instrument: 'CEA-2021' }), 404, 'not_found');
    const resting = expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5300, quantity: 5 }), 201, 'resting');
    const after1 = await h.snapshot([[S, INST], [B, CASH], [T, INST]]);
    assertError(await h.api('POST', `/market/orders/${resting.order.id}/cancel`, { token: buyer }), 404, 'not_found');
    assertError(await h.api('POST', `/market/orders/${resting.order.id}/replace`, { token: seller, body: { price_fen: 5600, quantity: 5 } }), 400, 'price_above_band');
    assertError(await h.api('POST', `/market/orders/${resting.order.id}/replace`, { token: seller, body: { price_fen: 5300 } }), 400, null, { field: 'quantity' });
    await h.assertUnchanged(after1, 'refused cancel and replaces');
    expectStatus(await h.api('POST', `/market/orders/${resting.order.id}/cancel`, { token: seller }), 200, 'cancel');
    await h.assertUnchanged({ ...before, entries: before.entries + 2, latestId: before.latestId + 2 }, 'an order and its cancel');
  });

  it('a batch of orders answers each on its own and commits once', async () => {
    const bc0 = await h.holding(B, CASH);
    const one = { instrument: INST, account_id: B, side: 'buy', price_fen: 4600, quantity: 10 };
    assertError(await order(buyer, { orders: [] }), 400, 'invalid_field', { field: 'orders' });
    assertError(await order(buyer, { orders: [one, { ...one, quantity: 'x' }] }), 400, null, { field: 'orders[1].quantity' });
    assertError(await order(buyer, { orders: Array(1001).fill(one) }), 400, 'batch_too_large');
    assert.deepEqual(await h.holding(B, CASH), bc0, 'a malformed batch changes nothing');
    // 4,600 fen × 10 = 46,000 + 5 bp fee 23 = 46,023 frozen; 4,601 × 10 = 46,010 + 23.005 rounded
    // up = 46,034; the middle order is below the band (45.00).
    const batch = expectStatus(await order(buyer, { orders: [one, { ...one, price_fen: 4499 }, { ...one, price_fen: 4601 }] }), 200, 'batch');
    assert.deepEqual(batch.results.map((x) => x.result), ['ok', 'price_below_band', 'ok']);
    assert.equal(batch.ok, 2);
    assert.equal(batch.failed, 1);
    assert.equal(batch.results[1].field, 'price_fen');
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen + 46_023 + 46_034);
    for (const r of [batch.results[0], batch.results[2]]) {
      expectStatus(await h.api('POST', `/market/orders/${r.order.id}/cancel`, { token: buyer }), 200, 'cancel');
    }
    assert.equal((await h.holding(B, CASH)).frozen, bc0.frozen);
  });

  it('self-trade prevention cancels the incoming order and releases its reservation', async () => {
    const own = expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'buy', price_fen: 5000, quantity: 10 }), 201, 'own buy');
    assert.equal(own.order.status, 'cancelled');
    assert.equal(own.order.end_reason, 'self_trade');
    assert.equal(own.trades.length, 0);
    assert.equal((await h.holding(S, CASH)).frozen, 0);
    const rest = expectStatus(await h.api('POST', `/market/orders/${firstSell}/cancel`, { token: seller }), 200, 'cancel the rest');
    assert.equal(rest.order.filled_quantity, 60);
    assert.equal((await h.holding(S, INST)).frozen, 0);
  });

  it('replace freezes the difference, cancel releases all, and orders are idempotent', async () => {
    const f0 = (await h.holding(B, CASH)).frozen;
    const key = `bid-${Date.now()}`;
    const body = { instrument: INST, account_id: B, side: 'buy', price_fen: 4900, quantity: 10 };
    const placed = expectStatus(await order(buyer, body, { idempotencyKey: key }), 201, 'bid');
    const again = expectStatus(await order(buyer, body, { idempotencyKey: key }), 201, 'same key');
    assert.equal(again.order.id, placed.order.id);
    assertError(await order(buyer, { ...body, quantity: 11 }, { idempotencyKey: key }), 409, 'idempotency_conflict');
    assert.equal((await h.holding(B, CASH)).frozen, f0 + 49_025);  // 49,000 + ceil(24.5)
    const up = expectStatus(await h.api('POST', `/market/orders/${placed.order.id}/replace`, { token: buyer, body: { price_fen: 4950, quantity: 20 } }), 200, 'replace');
    assert.equal(up.order.open_quantity, 20);
    assert.equal((await h.holding(B, CASH)).frozen, f0 + 99_050);  // 99,000 + ceil(49.5)
    const gone = expectStatus(await h.api('POST', `/market/orders/${placed.order.id}/cancel`, { token: buyer }), 200, 'cancel');
    assert.equal(gone.order.status, 'cancelled');
    assert.equal((await h.holding(B, CASH)).frozen, f0);
    const mine = expectStatus(await h.api('GET', '/market/orders', { token: buyer }), 200, 'my orders');
    assert.ok(mine.items.every((o) => o.account_id === B), 'an enterprise lists only its own orders');
  });

  it('a halted market takes cancels only', async () => {
    const resting = expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5400, quantity: 3 }), 201, 'resting');
    expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'halted' } }), 200, 'halt');
    assertError(await order(buyer, { instrument: INST, account_id: B, side: 'buy', price_fen: 5000, quantity: 1 }), 422, 'market_halted');
    expectStatus(await h.api('POST', `/market/orders/${resting.order.id}/cancel`, { token: seller }), 200, 'cancel while halted');
    expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'open' } }), 200, 'resume');
  });

  it('after kill -9 the book is the same and makes the same next match', async () => {
    const a = expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5010, quantity: 30 }), 201, 'a');
    const b = expectStatus(await order(third, { instrument: INST, account_id: T, side: 'sell', price_fen: 5010, quantity: 20 }), 201, 'b');
    expectStatus(await order(seller, { instrument: INST, account_id: S, side: 'sell', price_fen: 5020, quantity: 50 }), 201, 'c');
    expectStatus(await order(buyer, { instrument: INST, account_id: B, side: 'buy', price_fen: 4990, quantity: 40 }), 201, 'd');
    // Reduce a to 15: same price, smaller quantity, so it keeps its place ahead of b.
    expectStatus(await h.api('POST', `/market/orders/${a.order.id}/replace`, { token: seller, body: { price_fen: 5010, quantity: 15 } }), 200, 'reduce a');
    const bookBefore = await book();
    await h.kill9();
    // The outage lasts ten minutes of the test's clock (the clock restarts from the time given).
    process.env.GREENLOOP_CLOCK_START = '2026-11-23T02:10:00Z';
    await h.start();
    ex = await h.as('exchange'); buyer = await h.as('ent-alu');
    assert.deepEqual(await book(), bookBefore);
    // Buy 40 at 50.20: 15 from a, 20 from b (time priority at 50.10), 5 at 50.20.
    const sweep = expectStatus(await order(buyer, { instrument: INST, account_id: B, side: 'buy', price_fen: 5020, quantity: 40 }), 201, 'sweep');
    assert.deepEqual(sweep.trades.map((x) => [x.price_fen, x.quantity]), [[5010, 15], [5010, 20], [5020, 5]]);
    const exTape = expectStatus(await h.api('GET', `/market/trades?instrument=${INST}&limit=3`, { token: ex }), 200, 'tape');
    assert.deepEqual(exTape.items.map((x) => x.sell.order_id).reverse(), [a.order.id, b.order.id, exTape.items[0].sell.order_id]);
    const v = h.cli(['verify', '--db', h.dbUrl]);
    assert.equal(v.status, 0, `greenloop verify failed:\n${v.stdout}\n${v.stderr}`);
  });

  it('freezing an account withdraws its orders and gives back what they kept frozen', async () => {
    const f0 = (await h.holding(T, INST)).frozen;
    const o = expectStatus(await order(third, { instrument: INST, account_id: T, side: 'sell', price_fen: 5300, quantity: 7 }), 201, 'order');
    assert.equal((await h.holding(T, INST)).frozen, f0 + 7);
    expectStatus(await h.api('PATCH', `/accounts/${T}`, { token: reg, body: { status: 'frozen' } }), 200, 'freeze account');
    const seen = expectStatus(await h.api('GET', `/market/orders/${o.order.id}`, { token: ex }), 200, 'withdrawn');
    assert.equal(seen.status, 'cancelled');
    assert.equal(seen.end_reason, 'account_stopped');
    assert.equal((await h.holding(T, INST)).frozen, f0);
    third = await h.as('ent-wind');
    assertError(await order(third, { instrument: INST, account_id: T, side: 'sell', price_fen: 5300, quantity: 1 }), 422, 'account_frozen');
    expectStatus(await h.api('PATCH', `/accounts/${T}`, { token: reg, body: { status: 'open' } }), 200, 'reopen');
  });

  it('closing expires the open orders and sets the close to the listing VWAP', async () => {
    const trades = expectStatus(await h.api('GET', `/market/trades?instrument=${INST}&day=2026-11-23`, { token: ex }), 200, 'day trades').items;
    let turnover = 0; let volume = 0;
    for (const x of trades) { turnover += x.price_fen * x.quantity; volume += x.quantity; }
    // 60 @ 5000, 15 @ 5010, 20 @ 5010, 5 @ 5020: 500,450 / 100 = 5004.5 -> 5005 (half up).
    assert.equal(volume, 100);
    assert.equal(turnover, 500_450);
    const open = expectStatus(await h.api('GET', `/market/orders?instrument=${INST}&status=open`, { token: ex }), 200, 'open orders').items;
    assert.ok(open.length > 0);
    const closed = expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'closed' } }), 200, 'close');
    assert.equal(closed.expired_orders, open.length);
    assert.equal(closed.prev_close_fen, 5005);
    assert.equal(expectStatus(await h.api('GET', `/market/orders?instrument=${INST}&status=open`, { token: ex }), 200, 'none open').items.length, 0);
    assert.equal((await h.holding(S, INST)).frozen, 0);
    assert.equal((await h.holding(B, CASH)).frozen, 0);
    assertError(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'open' } }), 409, 'day_already_traded');

    // The day's bar: open = the first listing trade (50.00), high 50.20, low 50.00, close = the
    // VWAP 50.045 -> 50.05, change +0.05 yuan = +10 bp against the reference 50.00.
    const daily = expectStatus(await h.api('GET', `/market/listings/${INST}/daily`, { token: third }), 200, 'daily').items;
    assert.equal(daily.length, 1);
    assert.deepEqual(
      (({ day, closed, prev_close_fen, open_fen, high_fen, low_fen, close_fen, volume, turnover_fen, change_fen, change_bp }) =>
        ({ day, closed, prev_close_fen, open_fen, high_fen, low_fen, close_fen, volume, turnover_fen, change_fen, change_bp }))(daily[0]),
      { day: '2026-11-23', closed: true, prev_close_fen: 5000, open_fen: 5000, high_fen: 5020, low_fen: 5000, close_fen: 5005,
        volume: 100, turnover_fen: 500_450, change_fen: 5, change_bp: 10 });
    // 5-minute candles: the first trade came just after 10:00 Beijing time, the other three just
    // after the restart at 10:10; a candle's close is its last trade's price.
    const candles = expectStatus(await h.api('GET', `/market/listings/${INST}/candles?day=2026-11-23&interval=5`, { token: third }), 200, 'candles');
    assert.deepEqual(candles.items, [
      { start: '2026-11-23T02:00:00.000Z', end: '2026-11-23T02:05:00.000Z', open_fen: 5000, high_fen: 5000, low_fen: 5000,
        close_fen: 5000, volume: 60, turnover_fen: 300_000, trade_count: 1 },
      { start: '2026-11-23T02:10:00.000Z', end: '2026-11-23T02:15:00.000Z', open_fen: 5010, high_fen: 5020, low_fen: 5010,
        close_fen: 5020, volume: 40, turnover_fen: 200_450, trade_count: 3 },
    ]);
    assertError(await h.api('GET', `/market/listings/${INST}/candles?interval=0`, { token: third }), 400, 'invalid_field', { field: 'interval' });
    assertError(await h.api('GET', '/market/listings/NO-SUCH/daily', { token: third }), 404, 'not_found');
    h.assertNoServerErrors?.();
  });
});
