// Goal: `greenloop market …` trades through a running server's API as its documentation says
// (src/cli/market_cli.h): orders, block proposals and acceptance, auctions and bids, holding limits;
// the server's answer on standard output and exit 0, a refusal on standard error and exit 1,
// no token or no server exit 2; a repeated --idempotency-key does the work once.
// Method: the harness's server with its clock on Monday 2026-11-23 13:10 Beijing time (both
// listing and block sessions open), the CLI run as a separate process with GREENLOOP_SERVER and
// GREENLOOP_TOKEN; effects checked through the API.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectStatus, startHarness } from './harness.mjs';

process.env.GREENLOOP_CLOCK_START = '2026-11-23T05:10:00Z';

describe('greenloop market (command line client)', { timeout: 120_000 }, () => {
  let h; let ex; let power; let alu;
  let S; let B; let R; let INST; let ALU_ORG;
  const CASH = 'CNY';

  const market = (token, args) => h.cli(['market', ...args], { env: { GREENLOOP_SERVER: h.baseUrl, GREENLOOP_TOKEN: token } });
  const ok = (r, what) => {
    assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const refused = (r, code) => {
    assert.equal(r.status, 1, `expected a refusal, got exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(code));
    assert.equal(r.stdout, '');
  };

  before(async () => {
    h = await startHarness('market-cli');
    ex = await h.as('exchange');
    power = await h.as('ent-power');
    alu = await h.as('ent-alu');
    ALU_ORG = (await h.me('ent-alu')).org_id;
    S = await h.makeAccount((await h.me('ent-power')).org_id);
    B = await h.makeAccount(ALU_ORG);
    R = await h.makeAccount((await h.me('regulator')).org_id, { kind: 'reserve' });
    INST = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01' });
    await h.issue(INST, S, 200_000);
    await h.issue(INST, R, 1_000);
    await h.issue(CASH, B, 2_000_000_000);
    expectStatus(await h.api('POST', '/market/listings', { token: ex, body: { instrument: INST, prev_close_fen: 5000 } }), 201, 'list');
    expectStatus(await h.api('POST', `/market/listings/${INST}/state`, { token: ex, body: { state: 'open' } }), 200, 'open');
  });

  after(async () => { if (h) await h.close(); });

  it('places, matches and refuses orders; a repeated key does the work once', async () => {
    const sell = ok(market(power, ['order', '--instrument', INST, '--account', String(S), '--side', 'sell', '--price-fen', '5000', '--quantity', '100', '--idempotency-key', 'cli-sell-1']), 'sell');
    assert.equal(sell.order.status, 'open');
    const again = ok(market(power, ['order', '--instrument', INST, '--account', String(S), '--side', 'sell', '--price-fen', '5000', '--quantity', '100', '--idempotency-key', 'cli-sell-1']), 'retry');
    assert.equal(again.order.id, sell.order.id);
    assert.equal((await h.holding(S, INST)).frozen, 100, 'frozen once');
    const buy = ok(market(alu, ['order', '--instrument', INST, '--account', String(B), '--side', 'buy', '--price-fen', '5000', '--quantity', '40']), 'buy');
    assert.equal(buy.trades.length, 1);
    assert.equal(buy.trades[0].quantity, 40);
    refused(market(alu, ['order', '--instrument', INST, '--account', String(B), '--side', 'buy', '--price-fen', '5501', '--quantity', '1']), 'price_above_band');
    refused(market(alu, ['cancel', String(sell.order.id)]), 'not_found');
    const cancelled = ok(market(power, ['cancel', String(sell.order.id)]), 'cancel');
    assert.equal(cancelled.order.status, 'cancelled');
    const mine = ok(market(alu, ['trades', '--instrument', INST, '--mine']), 'my trades');
    assert.equal(mine.items.length, 1);
    const book = ok(market(alu, ['book', INST, '--levels', '5']), 'book');
    assert.deepEqual(book.asks, []);
  });

  it('proposes and accepts a block trade', async () => {
    const p = ok(market(power, ['block', 'propose', '--instrument', INST, '--account', String(S), '--side', 'sell', '--counterparty', String(ALU_ORG), '--price-fen', '5100', '--quantity', '100000', '--memo', '命令行']), 'propose');
    assert.equal(p.status, 'proposed');
    const listed = ok(market(alu, ['block', 'list', '--status', 'proposed']), 'list');
    assert.ok(listed.items.some((x) => x.id === p.id));
    const acc = ok(market(alu, ['block', 'accept', String(p.id), '--account', String(B)]), 'accept');
    assert.equal(acc.trade.mode, 'block');
    assert.equal((await h.holding(B, INST)).available, 40 + 100_000);
  });

  it('announces an auction from a file, takes a sealed bid, refuses the sealed list, sets a limit', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gl-cli-')), 'auction.json');
    fs.writeFileSync(file, JSON.stringify({ title: '命令行竞价', purpose: 'reserve_sale', instrument: INST, seller_account_id: R,
      supply: 1_000, reserve_price_fen: 4000, opens_at: '2026-11-23T05:00:00Z', closes_at: '2026-11-24T05:00:00Z' }));
    const a = ok(market(ex, ['auction', 'create', '--file', file]), 'create');
    assert.equal(a.status, 'bidding');
    const bid = ok(market(alu, ['auction', 'bid', String(a.id), '--account', String(B), '--price-fen', '4200', '--quantity', '300']), 'bid');
    assert.equal(bid.reserved_fen, 1_260_000);
    refused(market(ex, ['auction', 'bids', String(a.id)]), 'auction_sealed');
    const shown = ok(market(alu, ['auction', 'show', String(a.id)]), 'show');
    assert.equal(shown.my_bid.quantity, 300);
    assert.equal(ok(market(ex, ['auction', 'cancel', String(a.id)]), 'cancel').status, 'cancelled');
    const limit = ok(market(ex, ['limit', '--instrument', INST, '--account', String(B), '--max-quantity', '200000']), 'limit');
    assert.equal(limit.max_quantity, 200_000);
    refused(market(alu, ['limit', '--instrument', INST, '--max-quantity', '5']), 'forbidden');
  });

  it('exits 2 without a token or a server', async () => {
    const noToken = h.cli(['market', 'listings'], { env: { GREENLOOP_SERVER: h.baseUrl, GREENLOOP_TOKEN: '' } });
    assert.equal(noToken.status, 2);
    assert.match(noToken.stderr, /token/);
    const noServer = h.cli(['market', 'listings', '--server', 'http://127.0.0.1:9', '--token', alu]);
    assert.equal(noServer.status, 2);
    assert.match(noServer.stderr, /did not answer/);
    const badSide = market(alu, ['order', '--instrument', INST, '--account', String(B), '--side', 'hold', '--price-fen', '1', '--quantity', '1']);
    assert.equal(badSide.status, 2);
  });
});
