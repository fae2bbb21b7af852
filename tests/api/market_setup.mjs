// Market set-up steps shared by API test files (the same steps tests/api/market.test.mjs takes
// inline): list an instrument and move its market state as the exchange operator, place orders as
// a demo enterprise, and make one trade by resting a sell and crossing it with a buy.
// Every helper asserts what it expects, so a set-up that goes wrong fails where it went wrong.

import assert from 'node:assert/strict';
import { expectStatus } from './harness.mjs';

/** Moves a listing's market state as `exchange`; returns the listing the API answers. */
export async function setMarketState(h, instrument, state) {
  const ex = await h.as('exchange');
  const r = await h.api('POST', `/market/listings/${instrument}/state`, { token: ex, body: { state } });
  const listing = expectStatus(r, 200, `${instrument} → ${state}:`);
  assert.equal(listing.state, state);
  return listing;
}

/** Lists `instrument` as `exchange` at a previous close (fen) and fee (bp), and opens its first day. */
export async function listAndOpen(h, instrument, { prevCloseFen, feeBps = 0 }) {
  const ex = await h.as('exchange');
  const r = await h.api('POST', '/market/listings', { token: ex, body: { instrument, prev_close_fen: prevCloseFen, fee_bps: feeBps } });
  const listed = expectStatus(r, 201, `list ${instrument}:`);
  assert.equal(listed.state, 'closed');
  return setMarketState(h, instrument, 'open');
}

/** Places an order as demo user `user`; asserts 201 and returns {order, trades}. */
export async function placeOrder(h, user, body) {
  const token = await h.as(user);
  return expectStatus(await h.api('POST', '/market/orders', { token, body }), 201, `order of ${user} ${JSON.stringify(body)}:`);
}

/**
 * One trade of `quantity` at `priceFen`: `seller` rests a sell from `sellAccount`, then `buyer`
 * crosses it with a buy from `buyAccount` at the same price. Returns the trade as the exchange
 * sees it on the tape (with both sides and `at`).
 */
export async function cross(h, { instrument, seller, sellAccount, buyer, buyAccount, priceFen, quantity }) {
  const sell = await placeOrder(h, seller, { instrument, account_id: sellAccount, side: 'sell', price_fen: priceFen, quantity });
  assert.equal(sell.order.status, 'open', 'the sell rests');
  assert.equal(sell.trades.length, 0, 'the sell does not trade on its own');
  const buy = await placeOrder(h, buyer, { instrument, account_id: buyAccount, side: 'buy', price_fen: priceFen, quantity });
  assert.equal(buy.order.status, 'filled', 'the buy fills');
  assert.equal(buy.trades.length, 1, 'against the one resting sell');
  const ex = await h.as('exchange');
  const tape = expectStatus(await h.api('GET', `/market/trades?instrument=${instrument}&limit=1`, { token: ex }), 200, 'tape:');
  const trade = tape.items[0];
  assert.equal(trade.id, buy.trades[0].id);
  assert.deepEqual([trade.price_fen, trade.quantity, trade.buy.account_id, trade.sell.account_id],
    [priceFen, quantity, buyAccount, sellAccount]);
  return trade;
}
