// Goal: prove that every mutating call is idempotent under its Idempotency-Key: a retry with the
// same key and body returns the first answer (same status, same body) and applies nothing again;
// the same key with a different body is refused with 409 idempotency_conflict; keys belong to
// the user who sent them; and the stored answers survive a server restart.
// Method: a real server on a fresh database; the regulator creates accounts and an instrument so
// expected holdings are exact. Each call is sent, then re-sent with the same key; the journal
// count, newest entry id and holdings are compared with what one application must give.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, assertServerHealthy, expectStatus, makeUscc, startHarness, uid } from './harness.mjs';

describe('idempotency', () => {
  let h; let reg; let org; let A; let B; let INST;
  const key = () => `test-${uid(8)}`;

  before(async () => {
    h = await startHarness('idem');
    reg = await h.as('regulator');
    org = await h.makeOrg();
    A = await h.makeAccount(org.id);
    B = await h.makeAccount(org.id);
    INST = await h.makeInstrument({ family: 'CEA' });
    await h.issue(INST, A, 10000);
  });
  after(async () => { await h?.close(); });

  /** Send `body` twice under one key; exactly `entries` new journal entries must exist after both. */
  async function twice(path, body, { status = 201, entries = 1, token } = {}) {
    token = token || reg;
    const k = key();
    const s0 = await h.journalState();
    const r1 = await h.api('POST', path, { token, body, idempotencyKey: k });
    expectStatus(r1, status, `first ${path}`);
    const s1 = await h.journalState();
    assert.equal(s1.entries, s0.entries + entries, 'first call applies once');
    const r2 = await h.api('POST', path, { token, body, idempotencyKey: k });
    assert.equal(r2.status, r1.status, 'retry answers the same status');
    assert.deepEqual(r2.json, r1.json, 'retry answers the same body');
    assert.deepEqual(await h.journalState(), s1, 'retry applies nothing');
    return { k, r1, s1 };
  }

  it('POST /transfers: same key and body → same answer, one entry; different body → 409', async () => {
    const body = { from_account: A, to_account: B, instrument: INST, quantity: 100, memo: 'idem' };
    const { k, r1, s1 } = await twice('/transfers', body);
    assert.deepEqual(await h.holding(A, INST), { balance: 9900, frozen: 0, available: 9900 });
    assert.deepEqual(await h.holding(B, INST), { balance: 100, frozen: 0, available: 100 });
    const g = expectStatus(await h.api('GET', `/journal/${r1.json.id}`, { token: reg }), 200, 'entry');
    assert.equal(g.id, r1.json.id);

    const r3 = await h.api('POST', '/transfers', { token: reg, body: { ...body, quantity: 101 }, idempotencyKey: k });
    assertError(r3, 409, 'idempotency_conflict');
    const r4 = await h.api('POST', '/transfers', { token: reg, body: { ...body, memo: 'other memo' }, idempotencyKey: k });
    assertError(r4, 409, 'idempotency_conflict');
    assert.deepEqual(await h.journalState(), s1, 'conflicts apply nothing');
    assert.deepEqual(await h.holding(A, INST), { balance: 9900, frozen: 0, available: 9900 });
  });

  it('POST /transfers batch: same key and body → same results, entries applied once', async () => {
    const transfers = [
      { from_account: A, to_account: B, instrument: INST, quantity: 1 },
      { from_account: A, to_account: B, instrument: INST, quantity: 2 },
      { from_account: A, to_account: B, instrument: INST, quantity: 999999 },
    ];
    const { k, r1, s1 } = await twice('/transfers', { transfers }, { status: 200, entries: 2 });
    assert.deepEqual(r1.json.results.map((x) => x.result), ['ok', 'ok', 'insufficient_available']);
    assert.deepEqual(await h.holding(B, INST), { balance: 103, frozen: 0, available: 103 });
    const r3 = await h.api('POST', '/transfers', { token: reg, body: { transfers: transfers.slice(0, 2) }, idempotencyKey: k });
    assertError(r3, 409, 'idempotency_conflict');
    assert.deepEqual(await h.journalState(), s1);
  });

  it('POST /issuances and /freezes are idempotent', async () => {
    await twice('/issuances', { instrument: INST, to_account: B, quantity: 50, memo: 'idem issue' });
    assert.deepEqual(await h.holding(B, INST), { balance: 153, frozen: 0, available: 153 });
    const { k } = await twice('/freezes', { account: B, instrument: INST, quantity: 20 });
    assert.deepEqual(await h.holding(B, INST), { balance: 153, frozen: 20, available: 133 });
    assertError(await h.api('POST', '/freezes', { token: reg, body: { account: B, instrument: INST, quantity: 21 }, idempotencyKey: k }), 409, 'idempotency_conflict');
    assert.deepEqual(await h.holding(B, INST), { balance: 153, frozen: 20, available: 133 });
  });

  it('POST /retirements, /cancellations, /unfreezes and /reversals are idempotent', async () => {
    const C = await h.makeAccount(org.id);
    await h.issue(INST, C, 1000);
    await twice('/retirements', { account: C, instrument: INST, quantity: 10 });
    await twice('/cancellations', { account: C, instrument: INST, quantity: 20 });
    await twice('/freezes', { account: C, instrument: INST, quantity: 30 });
    await twice('/unfreezes', { account: C, instrument: INST, quantity: 5 });
    assert.deepEqual(await h.holding(C, INST), { balance: 970, frozen: 25, available: 945 });
    const t = expectStatus(await h.transfer(reg, C, B, INST, 100), 201, 'transfer to reverse');
    // A retried reversal returns the same reversal entry, not already_reversed.
    const { r1 } = await twice('/reversals', { entry_id: t.id, memo: 'idem reversal' });
    assert.equal(r1.json.reverses, t.id);
    assert.deepEqual(await h.holding(C, INST), { balance: 970, frozen: 25, available: 945 });
  });

  it('PATCH /accounts/{id} is idempotent', async () => {
    const C = await h.makeAccount(org.id);
    const k = key();
    const r1 = await h.api('PATCH', `/accounts/${C}`, { token: reg, body: { status: 'frozen' }, idempotencyKey: k });
    expectStatus(r1, 200, 'patch');
    assert.equal(r1.json.status, 'frozen');
    const r2 = await h.api('PATCH', `/accounts/${C}`, { token: reg, body: { status: 'frozen' }, idempotencyKey: k });
    assert.equal(r2.status, 200);
    assert.deepEqual(r2.json, r1.json);
    assertError(await h.api('PATCH', `/accounts/${C}`, { token: reg, body: { status: 'open' }, idempotencyKey: k }), 409, 'idempotency_conflict');
    assert.equal(expectStatus(await h.api('GET', `/accounts/${C}`, { token: reg }), 200, 'get').status, 'frozen');
    // The same key on another account's path is another request body: a conflict, never a replay.
    const r3 = await h.api('PATCH', `/accounts/${B}`, { token: reg, body: { status: 'frozen' }, idempotencyKey: k });
    assertError(r3, 409, 'idempotency_conflict');
    assert.equal(expectStatus(await h.api('GET', `/accounts/${B}`, { token: reg }), 200, 'get').status, 'open');
  });

  it('POST /organizations and /accounts are idempotent', async () => {
    const name = `幂等企业-${uid(4)}`;
    const orgBody = { kind: 'enterprise', name_zh: name, name_en: `Idem ${name}`, uscc: makeUscc(), region: '150200', industry: 'steel' };
    const k = key();
    const r1 = await h.api('POST', '/organizations', { token: reg, body: orgBody, idempotencyKey: k });
    expectStatus(r1, 201, 'org');
    const r2 = await h.api('POST', '/organizations', { token: reg, body: orgBody, idempotencyKey: k });
    assert.equal(r2.status, 201);
    assert.deepEqual(r2.json, r1.json);
    const orgs = expectStatus(await h.api('GET', '/organizations', { token: reg }), 200, 'orgs').items;
    assert.equal(orgs.filter((o) => o.name_zh === name).length, 1, 'one organization created');
    assertError(await h.api('POST', '/organizations', { token: reg, body: { ...orgBody, industry: 'power' }, idempotencyKey: k }), 409, 'idempotency_conflict');

    const acctBody = { org_id: r1.json.id, kind: 'holding', name: 'idem account' };
    const k2 = key();
    const a1 = await h.api('POST', '/accounts', { token: reg, body: acctBody, idempotencyKey: k2 });
    expectStatus(a1, 201, 'account');
    const a2 = await h.api('POST', '/accounts', { token: reg, body: acctBody, idempotencyKey: k2 });
    assert.equal(a2.status, 201);
    assert.deepEqual(a2.json, a1.json);
    const accts = await h.accounts(`org=${r1.json.id}`);
    assert.equal(accts.filter((a) => a.org_id === r1.json.id).length, 1, 'one account created');
    assertError(await h.api('POST', '/accounts', { token: reg, body: { ...acctBody, name: 'other' }, idempotencyKey: k2 }), 409, 'idempotency_conflict');
  });

  it('a refused request replays its first answer even after the ledger changed', async () => {
    const C = await h.makeAccount(org.id);
    const body = { from_account: C, to_account: B, instrument: INST, quantity: 5 };
    const k = key();
    const r1 = await h.api('POST', '/transfers', { token: reg, body, idempotencyKey: k });
    assertError(r1, 422, 'insufficient_available');
    await h.issue(INST, C, 5);
    const s = await h.journalState();
    const r2 = await h.api('POST', '/transfers', { token: reg, body, idempotencyKey: k });
    assert.equal(r2.status, 422);
    assert.deepEqual(r2.json, r1.json);
    assert.deepEqual(await h.journalState(), s, 'the replay did not execute the transfer');
    assert.deepEqual(await h.holding(C, INST), { balance: 5, frozen: 0, available: 5 });
  });

  it('keys are scoped to the user', async () => {
    const power = await h.as('ent-power');
    const alu = await h.as('ent-alu');
    const pa = await h.findHolding('ent-power', 'CEA-2024', 100);
    const la = await h.findHolding('ent-alu');
    const k = key();
    const s0 = await h.journalState();
    const r1 = await h.api('POST', '/transfers', { token: power, body: { from_account: pa, to_account: la, instrument: 'CEA-2024', quantity: 3 }, idempotencyKey: k });
    const e1 = expectStatus(r1, 201, 'power transfer');
    // Same key, different user and body: a new request, not a conflict and not a replay.
    const r2 = await h.api('POST', '/transfers', { token: alu, body: { from_account: la, to_account: pa, instrument: 'CEA-2024', quantity: 2 }, idempotencyKey: k });
    const e2 = expectStatus(r2, 201, 'alu transfer with the same key');
    assert.notEqual(e2.id, e1.id);
    assert.equal(e2.actor, 'ent-alu');
    // Same key and same body as ent-power's, sent by the regulator: executed anew.
    const r3 = await h.api('POST', '/transfers', { token: reg, body: { from_account: pa, to_account: la, instrument: 'CEA-2024', quantity: 3 }, idempotencyKey: k });
    const e3 = expectStatus(r3, 201, 'regulator with the same key');
    assert.ok(![e1.id, e2.id].includes(e3.id));
    assert.equal((await h.journalState()).entries, s0.entries + 3);
    // And ent-power's own retry still replays its first answer.
    const r4 = await h.api('POST', '/transfers', { token: power, body: { from_account: pa, to_account: la, instrument: 'CEA-2024', quantity: 3 }, idempotencyKey: k });
    assert.deepEqual(r4.json, e1);
    assert.equal((await h.journalState()).entries, s0.entries + 3);
  });

  it('a retry after a server restart returns the first answer', async () => {
    const body = { from_account: A, to_account: B, instrument: INST, quantity: 7, memo: 'before restart' };
    const k = key();
    const r1 = await h.api('POST', '/transfers', { token: reg, body, idempotencyKey: k });
    expectStatus(r1, 201, 'transfer');
    const batchBody = { transfers: [{ from_account: A, to_account: B, instrument: INST, quantity: 1 }] };
    const kb = key();
    const b1 = await h.api('POST', '/transfers', { token: reg, body: batchBody, idempotencyKey: kb });
    expectStatus(b1, 200, 'batch');
    const s1 = await h.journalState();
    const hA = await h.holding(A, INST);

    await h.stop();
    await h.start();
    reg = await h.as('regulator');

    assert.deepEqual(await h.journalState(), s1, 'restart keeps the journal');
    const r2 = await h.api('POST', '/transfers', { token: reg, body, idempotencyKey: k });
    assert.equal(r2.status, 201);
    assert.deepEqual(r2.json, r1.json);
    const b2 = await h.api('POST', '/transfers', { token: reg, body: batchBody, idempotencyKey: kb });
    assert.equal(b2.status, 200);
    assert.deepEqual(b2.json, b1.json);
    assertError(await h.api('POST', '/transfers', { token: reg, body: { ...body, quantity: 8 }, idempotencyKey: k }), 409, 'idempotency_conflict');
    assert.deepEqual(await h.journalState(), s1, 'retries after restart apply nothing');
    assert.deepEqual(await h.holding(A, INST), hA);
  });

  it('concurrent retries with one key apply once', async () => {
    const body = { from_account: A, to_account: B, instrument: INST, quantity: 11 };
    const k = key();
    const s0 = await h.journalState();
    const hA = await h.holding(A, INST);
    const rs = await Promise.all(Array.from({ length: 8 }, () => h.api('POST', '/transfers', { token: reg, body, idempotencyKey: k })));
    const ok = rs.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1, `statuses ${rs.map((r) => r.status)}`);
    for (const r of rs) {
      // A retry that overtakes the first may be told to wait (409); it must not apply anything.
      if (r.status !== 201) assertError(r, 409, null);
      else assert.deepEqual(r.json, ok[0].json);
    }
    assert.equal((await h.journalState()).entries, s0.entries + 1);
    assert.equal((await h.holding(A, INST)).available, hA.available - 11);
  });

  it('no request got a 5xx', () => { assertServerHealthy(h); });
});
