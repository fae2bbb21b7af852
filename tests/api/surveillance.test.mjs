// Goal: GET /market/surveillance reports what docs/api.md ("Market surveillance") says, with
// figures that can be worked out by hand: wash-trade candidates, round trips, holding concentration
// over holding accounts only, close moves and intraday price jumps; only the regulator and the
// exchange read it; bad parameters are a 400 naming the parameter, an instrument that is not
// listed a 404.
// Method: one server per file whose clock starts on Monday 2026-11-23 10:00 Beijing time (inside
// the CEA morning session); a fresh CEA instrument listed at 50.00 yuan without fees; fresh
// accounts of the demo enterprises ent-power (POWER: accounts P1 and P2), ent-alu (ALU: A) and
// ent-wind (WIND: W, and a reserve account R). Day 1 trades through the book, the day is closed,
// the server restarts with its clock on Tuesday 2026-11-24 10:00 and day 2 trades once more.
// Every expected number is worked out in the comments.
//
// Same owner on both sides: the book's self-trade prevention compares organizations, so POWER's
// two accounts cannot trade with each other (shown below), and a block proposal to one's own
// organization is refused too. The real wash-trade candidate is therefore the round trip
// between POWER and ALU. The same-owner section is still checked, with one trade row written
// straight into the store at the end (see the last test for why and how).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, assertServerHealthy, expectStatus, startHarness } from './harness.mjs';
import { cross, listAndOpen, placeOrder, setMarketState } from './market_setup.mjs';

process.env.GREENLOOP_CLOCK_START = '2026-11-23T02:00:00Z';

describe('market surveillance reports', { timeout: 170_000 }, () => {
  let h; let reg;
  let INST; let P1; let P2; let A; let W; let R;
  let POWER; let ALU; let WIND;
  const NAME = {};  // organization id -> name_zh
  const T = {};     // the trades, as the exchange's tape shows them

  const report = async (query, token) => {
    const q = new URLSearchParams({ instrument: INST, ...query });
    return h.api('GET', `/market/surveillance?${q}`, { token: token || reg });
  };
  const reportOk = async (query = {}) => expectStatus(await report(query), 200, `report ${JSON.stringify(query)}:`);
  const owner = (id) => ({ org_id: id, org_name: NAME[id] });

  before(async () => {
    h = await startHarness('surveillance');
    reg = await h.as('regulator');
    POWER = (await h.me('ent-power')).org_id;
    ALU = (await h.me('ent-alu')).org_id;
    WIND = (await h.me('ent-wind')).org_id;
    for (const id of [POWER, ALU, WIND]) {
      NAME[id] = expectStatus(await h.api('GET', `/organizations/${id}`, { token: reg }), 200, 'organization').name_zh;
      assert.ok(NAME[id]);
    }
    INST = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01' });
    P1 = await h.makeAccount(POWER);
    P2 = await h.makeAccount(POWER);
    A = await h.makeAccount(ALU);
    W = await h.makeAccount(WIND);
    R = await h.makeAccount(WIND, { kind: 'reserve' });
    await h.issue(INST, P1, 10_000);
    await h.issue(INST, P2, 2_000);
    await h.issue(INST, W, 3_000);
    await h.issue(INST, R, 5_000);  // a reserve account: left out of the concentration
    for (const acct of [P1, P2, A, W]) await h.issue('CNY', acct, 10_000_000);  // 100,000.00 yuan each
    const open = await listAndOpen(h, INST, { prevCloseFen: 5000 });
    assert.equal(open.trading_day, '2026-11-23');
  });

  after(async () => {
    if (h) {
      assertServerHealthy(h);
      await h.close();
    }
  });

  it('only the regulator and the exchange read reports', async () => {
    for (const name of ['ent-power', 'verifier', 'region-baotou', 'public']) {
      const e = assertError(await report({}, await h.as(name)), 403, 'forbidden');
      assert.match(e.message, /regulator/);
    }
    // The role is checked before the parameters: an enterprise learns nothing from a bad query.
    assertError(await report({ top_n: 'x' }, await h.as('ent-alu')), 403, 'forbidden');
    assertError(await h.api('GET', `/market/surveillance?instrument=${INST}`), 401, 'unauthenticated');
    expectStatus(await report({}, await h.as('exchange')), 200, 'exchange');
    const empty = await reportOk();
    // Nothing traded yet: day 1 is open, so it is the one trading day of the default range.
    assert.equal(empty.instrument, INST);
    assert.deepEqual([empty.from, empty.to, empty.trading_days], ['2026-11-23', '2026-11-23', ['2026-11-23']]);
    assert.deepEqual(empty.trades, { count: 0, volume: 0, turnover_fen: 0 });
    assert.deepEqual(empty.parameters, {
      close_move_bps: 500, price_jump_bps: 200, top_n: 10, large_holder_bps: 1000,
      round_trip_window_minutes: 60, round_trip_max_net_bps: 1000, round_trip_min_quantity: 0,
    });
    assert.deepEqual([empty.same_owner, empty.round_trips, empty.close_moves, empty.price_jumps], [[], [], [], []]);
    // The route is in the OpenAPI document, its parameters and defaults in the summary.
    const doc = expectStatus(await h.api('GET', '/openapi.json'), 200, 'openapi');
    const summary = doc.paths['/market/surveillance'].get.summary;
    for (const p of ['instrument', 'from', 'to', 'close_move_bps (500)', 'top_n (10)', 'large_holder_bps (1000)']) assert.ok(summary.includes(p), `${p} in ${summary}`);
  });

  it('bad parameters are a 400 naming the parameter; an instrument that is not listed is a 404', async () => {
    const bad = async (query, field, code = 'invalid_field') => {
      const r = await h.api('GET', `/market/surveillance?${new URLSearchParams(query)}`, { token: reg });
      assertError(r, 400, code, { field });
    };
    await bad({}, 'instrument', 'missing_field');
    await bad({ instrument: '' }, 'instrument', 'missing_field');
    await bad({ instrument: INST, from: '2026-13-01' }, 'from');
    await bad({ instrument: INST, from: '20261123' }, 'from');
    await bad({ instrument: INST, to: 'yesterday' }, 'to');
    await bad({ instrument: INST, from: '2026-11-24', to: '2026-11-23' }, 'from');
    // 2025-11-22 .. 2026-11-23 is 367 days counting both ends; one day later is the limit, 366.
    await bad({ instrument: INST, from: '2025-11-22', to: '2026-11-23' }, 'from');
    expectStatus(await report({ from: '2025-11-23', to: '2026-11-23' }), 200, '366 days');
    // from alone runs to the last trading day (2026-11-23): 693 days.
    await bad({ instrument: INST, from: '2025-01-01' }, 'from');
    for (const [field, value] of [
      ['close_move_bps', '-1'], ['close_move_bps', '100001'], ['price_jump_bps', '1.5'], ['price_jump_bps', ''],
      ['top_n', '0'], ['top_n', '101'], ['top_n', 'ten'], ['large_holder_bps', '0'], ['large_holder_bps', '10001'],
      ['round_trip_window_minutes', '0'], ['round_trip_window_minutes', '10081'], ['round_trip_max_net_bps', '10001'],
      ['round_trip_min_quantity', '-1'], ['top_n', '99999999999999999999'],
    ]) {
      await bad({ instrument: INST, [field]: value }, field);
    }
    await bad({ instrument: INST, large_holder_bp: '500' }, 'large_holder_bp', 'unknown_field');
    assertError(await h.api('GET', `/market/surveillance?instrument=${INST}&top_n=1&top_n=2`, { token: reg }), 400, 'invalid_field', { field: 'top_n' });

    assertError(await report({ instrument: 'NO-SUCH' }), 404, 'not_found', { field: 'instrument' });
    assertError(await report({ instrument: 'CNY' }), 404, 'not_found', { field: 'instrument' });
    const unlisted = await h.makeInstrument({ family: 'CEA' });
    assertError(await report({ instrument: unlisted }), 404, 'not_found', { field: 'instrument' });
  });

  it('one organization cannot trade with itself in the book: no same-owner trade', async () => {
    const rest = await placeOrder(h, 'ent-power', { instrument: INST, account_id: P1, side: 'sell', price_fen: 5000, quantity: 100 });
    const own = await placeOrder(h, 'ent-power', { instrument: INST, account_id: P2, side: 'buy', price_fen: 5000, quantity: 100 });
    assert.equal(own.order.status, 'cancelled');
    assert.equal(own.order.end_reason, 'self_trade');
    assert.equal(own.trades.length, 0);
    expectStatus(await h.api('POST', `/market/orders/${rest.order.id}/cancel`, { token: await h.as('ent-power') }), 200, 'cancel');
    const r = await reportOk();
    assert.equal(r.trades.count, 0);
    assert.deepEqual(r.same_owner, []);
  });

  it('day 1: a round trip between two organizations, a price jump, the concentration', async () => {
    // T1: POWER sells 500 to ALU at 50.00; T2: ALU sells the 500 back to POWER at 50.10, seconds
    // later; T3: WIND sells 100 to ALU at 51.50 (one direction only: not a round trip).
    T[1] = await cross(h, { instrument: INST, seller: 'ent-power', sellAccount: P1, buyer: 'ent-alu', buyAccount: A, priceFen: 5000, quantity: 500 });
    T[2] = await cross(h, { instrument: INST, seller: 'ent-alu', sellAccount: A, buyer: 'ent-power', buyAccount: P1, priceFen: 5010, quantity: 500 });
    T[3] = await cross(h, { instrument: INST, seller: 'ent-wind', sellAccount: W, buyer: 'ent-alu', buyAccount: A, priceFen: 5150, quantity: 100 });

    const r = await reportOk();
    assert.deepEqual(r.trading_days, ['2026-11-23']);
    // Volume 500 + 500 + 100 = 1,100; turnover 2,500,000 + 2,505,000 + 515,000 = 5,520,000 fen.
    assert.deepEqual(r.trades, { count: 3, volume: 1100, turnover_fen: 5_520_000 });
    assert.deepEqual(r.same_owner, []);

    // The round trip: each sold the other 500, gross 1,000, net 0 = 0 bp <= 1,000 bp; the pair is
    // named by its smaller organization id first.
    const [low, high] = POWER < ALU ? [POWER, ALU] : [ALU, POWER];
    assert.deepEqual(r.round_trips, [{
      low_org_id: low, low_org_name: NAME[low], high_org_id: high, high_org_name: NAME[high],
      first_at: T[1].at, last_at: T[2].at,
      low_sold_quantity: 500, high_sold_quantity: 500, gross_quantity: 1000, net_quantity: 0, net_share_bps: 0,
      trade_ids: [T[1].id, T[2].id],
    }]);

    // Price jumps above 200 bp: T2 against T1 is +10 fen = 20 bp; T3 against T2 is +140 fen,
    // 140 / 5,010 = 279.44 bp -> 279.
    assert.deepEqual(r.price_jumps, [{
      trade_id: T[3].id, previous_trade_id: T[2].id, trading_day: '2026-11-23', at: T[3].at,
      previous_price_fen: 5010, price_fen: 5150, change_fen: 140, change_bps: 279,
    }]);
    const fewer = await reportOk({ price_jump_bps: 280 });
    assert.deepEqual(fewer.price_jumps, []);  // 279.44 bp is not more than 280

    // The open day's close so far is its listing VWAP: 5,520,000 / 1,100 = 5,018.18 -> 5,018 fen,
    // +18 fen = exactly 36 bp over the reference 50.00. More than 35 bp: listed; not more than 36.
    assert.deepEqual(r.close_moves, []);
    assert.deepEqual((await reportOk({ close_move_bps: 35 })).close_moves, [
      { day: '2026-11-23', closed: false, previous_close_fen: 5000, close_fen: 5018, change_fen: 18, change_bps: 36 },
    ]);
    assert.deepEqual((await reportOk({ close_move_bps: 36 })).close_moves, []);

    // Holdings in holding accounts: P1 10,000 - 500 + 500 = 10,000 and P2 2,000 (POWER 12,000 in
    // 2 accounts); W 3,000 - 100 = 2,900; A 500 - 500 + 100 = 100. R's 5,000 is a reserve account
    // and the issuance account's -20,000 is the registry's: both left out. Total 15,000.
    // Shares: 12,000 / 15,000 = 8,000 bp; 2,900 / 15,000 = 1,933.33 -> 1,933; 100 / 15,000 = 66.67 -> 67.
    // HHI = (12,000² + 2,900² + 100²) x 10,000 / 15,000² = 152,420,000 x 10,000 / 225,000,000
    //     = 6,774.22 -> 6,774.
    const c = r.concentration;
    assert.deepEqual(c.account_kinds, ['holding']);
    assert.deepEqual(c.excluded_account_kinds, ['issuance', 'reserve', 'retirement', 'cancellation', 'clearing']);
    assert.deepEqual([c.total_quantity, c.owner_count, c.hhi_points], [15_000, 3, 6774]);
    assert.deepEqual(c.top, [
      { count: 1, quantity: 12_000, share_bps: 8000 },
      { count: 5, quantity: 15_000, share_bps: 10_000 },
      { count: 10, quantity: 15_000, share_bps: 10_000 },
    ]);
    const power = { ...owner(POWER), quantity: 12_000, share_bps: 8000, account_count: 2 };
    const wind = { ...owner(WIND), quantity: 2_900, share_bps: 1933, account_count: 1 };
    const alu = { ...owner(ALU), quantity: 100, share_bps: 67, account_count: 1 };
    assert.deepEqual(c.top_holders, [power, wind, alu]);
    // At least 1,000 bp: POWER, and WIND (2,900 x 10,000 = 29,000,000 >= 1,000 x 15,000).
    assert.deepEqual(c.large_holders, [power, wind]);

    // top_n = 2 adds CR2: 14,900 / 15,000 = 9,933.33 -> 9,933. WIND's share is 1,933.33 bp: a
    // large holder at 1,933 (29,000,000 >= 1,933 x 15,000 = 28,995,000), not at 1,934 (29,010,000).
    const two = (await reportOk({ top_n: 2, large_holder_bps: 1933 })).concentration;
    assert.deepEqual(two.top.map((t) => [t.count, t.share_bps]), [[1, 8000], [2, 9933], [5, 10_000], [10, 10_000]]);
    assert.deepEqual(two.top_holders, [power, wind]);
    assert.deepEqual(two.large_holders, [power, wind]);
    assert.deepEqual((await reportOk({ large_holder_bps: 1934 })).concentration.large_holders, [power]);

    // A minimum gross quantity above 1,000 or a window too short never drops the trades themselves.
    assert.deepEqual((await reportOk({ round_trip_min_quantity: 1001 })).round_trips, []);
    assert.equal((await reportOk({ round_trip_min_quantity: 1000 })).round_trips.length, 1);
  });

  it('day 2: from and to choose the days, the window splits episodes, jumps stay within a day', async () => {
    // Closing day 1 fixes its close at the VWAP, 5,018 fen.
    const closed = await setMarketState(h, INST, 'closed');
    assert.equal(closed.prev_close_fen, 5018);
    await h.stop();
    process.env.GREENLOOP_CLOCK_START = '2026-11-24T02:00:00Z';  // Tuesday 10:00 Beijing time
    await h.start();
    reg = await h.as('regulator');
    const open = await setMarketState(h, INST, 'open');
    assert.equal(open.trading_day, '2026-11-24');
    // T4: ALU sells 50 to WIND at 50.18, about a day after T3 (WIND sold to ALU).
    T[4] = await cross(h, { instrument: INST, seller: 'ent-alu', sellAccount: A, buyer: 'ent-wind', buyAccount: W, priceFen: 5018, quantity: 50 });

    const r = await reportOk();
    assert.deepEqual([r.from, r.to, r.trading_days], ['2026-11-23', '2026-11-24', ['2026-11-23', '2026-11-24']]);
    // + 50 at 50.18: volume 1,150, turnover 5,520,000 + 250,900 = 5,770,900.
    assert.deepEqual(r.trades, { count: 4, volume: 1150, turnover_fen: 5_770_900 });
    // WIND and ALU traded both ways, but T3 and T4 are a day apart (> 60 minutes): two episodes,
    // each in one direction, so still the one round trip of day 1.
    assert.deepEqual(r.round_trips.map((x) => x.trade_ids), [[T[1].id, T[2].id]]);
    // T4 at 50.18 is 132 fen (256 bp) below T3, but it is day 2's first trade: not a jump.
    assert.deepEqual(r.price_jumps.map((x) => x.trade_id), [T[3].id]);

    // A window of a week joins T3 and T4: WIND sold 100, ALU 50, gross 150, net 50,
    // 50 / 150 = 3,333.33 bp -> 3,333. At most 3,333 bp it is not a candidate (500,000 > 3,333 x
    // 150 = 499,950); at most 3,334 it is.
    const week = { round_trip_window_minutes: 10_080 };
    assert.equal((await reportOk({ ...week, round_trip_max_net_bps: 3333 })).round_trips.length, 1);
    const wide = await reportOk({ ...week, round_trip_max_net_bps: 3334 });
    const [lo, hi] = WIND < ALU ? [WIND, ALU] : [ALU, WIND];
    assert.equal(wide.round_trips.length, 2);
    assert.deepEqual(wide.round_trips[1], {
      low_org_id: lo, low_org_name: NAME[lo], high_org_id: hi, high_org_name: NAME[hi],
      first_at: T[3].at, last_at: T[4].at,
      low_sold_quantity: lo === WIND ? 100 : 50, high_sold_quantity: lo === WIND ? 50 : 100,
      gross_quantity: 150, net_quantity: 50, net_share_bps: 3333, trade_ids: [T[3].id, T[4].id],
    });

    // Day 2 alone.
    const d2 = await reportOk({ from: '2026-11-24', to: '2026-11-24', close_move_bps: 0 });
    assert.deepEqual([d2.from, d2.to, d2.trading_days], ['2026-11-24', '2026-11-24', ['2026-11-24']]);
    assert.deepEqual(d2.trades, { count: 1, volume: 50, turnover_fen: 250_900 });
    assert.deepEqual([d2.round_trips, d2.price_jumps], [[], []]);
    assert.deepEqual(d2.close_moves, []);  // 5,018 against 5,018: 0 bp is not more than 0
    // Both days at 0 bp: day 1, now closed, moved 36 bp.
    assert.deepEqual((await reportOk({ close_move_bps: 0 })).close_moves, [
      { day: '2026-11-23', closed: true, previous_close_fen: 5000, close_fen: 5018, change_fen: 18, change_bps: 36 },
    ]);
    // Only to: the 20 trading days up to it; only from: up to the last trading day.
    const upTo = await reportOk({ to: '2026-11-23' });
    assert.deepEqual([upTo.from, upTo.to, upTo.trading_days, upTo.trades.count], ['2026-11-23', '2026-11-23', ['2026-11-23'], 3]);
    const since = await reportOk({ from: '2026-11-24' });
    assert.deepEqual([since.from, since.to, since.trading_days], ['2026-11-24', '2026-11-24', ['2026-11-24']]);
    // No trading day in the range: no trades, but the holdings are today's all the same.
    const none = await reportOk({ from: '2026-11-25', to: '2026-11-30' });
    assert.deepEqual([none.trading_days, none.trades.count, none.round_trips], [[], 0, []]);

    // Holdings now: A 100 - 50 = 50, W 2,900 + 50 = 2,950. Shares 8,000; 2,950 / 15,000 = 1,966.67
    // -> 1,967; 50 / 15,000 = 33.33 -> 33. HHI = (144,000,000 + 8,702,500 + 2,500) x 10,000 /
    // 225,000,000 = 6,786.89 -> 6,787.
    assert.deepEqual(none.concentration, r.concentration);
    assert.equal(r.concentration.hhi_points, 6787);
    assert.deepEqual(r.concentration.top_holders.map((x) => [x.org_id, x.quantity, x.share_bps]),
      [[POWER, 12_000, 8000], [WIND, 2_950, 1967], [ALU, 50, 33]]);
  });

  it('a same-owner trade in the store is a wash-trade candidate with both accounts', async () => {
    // No API call can make this trade: the book cancels an order that would meet its own
    // organization's (above), and a block proposal to one's own organization is refused
    // (block_to_self). Trades recorded before an account changed hands, or imported from another
    // venue, could still carry one owner on both sides, which is what the report must catch.
    // So POWER moves 300 from P1 to P2 through the registry (a real entry), and one block trade
    // row of those 300 at 50.00, P1 selling to P2, is written into market_trades one second after
    // T4 with the next trade id. Nothing trades afterwards, so no id can collide.
    const transfer = await h.transfer(await h.as('ent-power'), P1, P2, INST, 300, { memo: 'P1 -> P2 (stored block trade)' });
    const entry = expectStatus(transfer, 201, 'transfer');
    const id = T[4].id + 1;
    const atUs = (Date.parse(T[4].at) + 1000) * 1000;
    h.sql(`INSERT INTO market_trades (id, instrument, trading_day, mode, buy_order_id, sell_order_id, buy_account_id,
      sell_account_id, buy_org_id, sell_org_id, aggressor, price_fen, quantity, buyer_fee_fen, seller_fee_fen, entry_id, at_us)
      VALUES (${id}, '${INST}', '2026-11-24', 'block', 0, 0, ${P2}, ${P1}, ${POWER}, ${POWER}, 'buy', 5000, 300, 0, 0, ${entry.id}, ${atUs})`);

    const r = await reportOk();
    // 300 x 5,000 = 1,500,000 fen; two different accounts, so same_account_count 0.
    assert.deepEqual(r.same_owner, [{
      ...owner(POWER), trade_count: 1, quantity: 300, turnover_fen: 1_500_000, same_account_count: 0,
      trades: [{ id, trading_day: '2026-11-24', mode: 'block', at: new Date(atUs / 1000).toISOString(), price_fen: 5000,
        quantity: 300, buy_account_id: P2, sell_account_id: P1 }],
    }]);
    assert.deepEqual(r.trades, { count: 5, volume: 1450, turnover_fen: 7_270_900 });
    // A block trade moves neither the close nor the listing price jumps; POWER still holds 12,000.
    assert.deepEqual(r.price_jumps.map((x) => x.trade_id), [T[3].id]);
    assert.deepEqual(r.concentration.top_holders[0], { ...owner(POWER), quantity: 12_000, share_bps: 8000, account_count: 2 });
    // The same trade is not a round trip: that needs two different owners.
    assert.equal(r.round_trips.length, 1);
  });
});
