// Goal: prove that the registry's ledger moves holdings exactly as docs/api.md says: issuance,
// transfer, freeze, unfreeze, retirement, cancellation, reversal, expiration, account status,
// batch transfers with linked chains; that every journal entry is balanced and hash-chained; and
// that journal filters and cursor pagination return exactly the entries that exist.
// Method: a real `greenloop serve` on a fresh database (harness.mjs). As the regulator the test
// creates its own organization, accounts and instruments, so every expected holding is computed
// from the rules (balance = available + frozen, postings move quantities between buckets/accounts)
// and compared after each step; refused steps must leave journal and holdings unchanged.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  HEX64, RFC3339_MS, assertBalanced, assertError, assertServerHealthy, expectStatus, normPostings,
  sleep, startHarness,
} from './harness.mjs';

const KINDS = new Set(['issue', 'transfer', 'freeze', 'unfreeze', 'retire', 'cancel', 'expire', 'reverse']);

function checkEntryShape(e, kind) {
  assert.equal(typeof e.id, 'number', 'entry id is an integer');
  assert.ok(Number.isInteger(e.id));
  assert.ok(KINDS.has(e.kind), `entry kind ${e.kind}`);
  if (kind) assert.equal(e.kind, kind);
  assert.match(e.created_at, RFC3339_MS, 'created_at is RFC 3339 UTC with milliseconds');
  assert.match(e.hash, HEX64, 'hash is 64 hex chars');
  assert.match(e.prev_hash, HEX64, 'prev_hash is 64 hex chars');
  assert.ok(Array.isArray(e.postings) && e.postings.length >= 2, 'an entry has at least two postings');
  for (const p of e.postings) {
    assert.ok(['available', 'frozen'].includes(p.bucket), `bucket ${p.bucket}`);
    assert.ok(Number.isInteger(p.amount) && p.amount !== 0, `posting amount ${p.amount}`);
  }
  assertBalanced(e);
}

describe('ledger', () => {
  let h; let reg;
  let ISS; let RET; let CAN;          // registry system accounts
  let org; let A; let B;               // fresh holding accounts
  let INST;                            // fresh instrument
  const mine = [];                     // every entry of INST, in creation order
  const expected = {};                 // account → {balance, frozen, available} of INST

  const setExp = (acct, balance, frozen) => { expected[acct] = { balance, frozen, available: balance - frozen }; };
  async function checkHoldings(ctx) {
    for (const [acct, exp] of Object.entries(expected)) {
      assert.deepEqual(await h.holding(Number(acct), INST), exp, `${ctx}: holding of account ${acct}`);
    }
  }
  async function post(path, body, kind) {
    const r = await h.api('POST', path, { token: reg, body });
    const e = expectStatus(r, 201, `POST ${path} ${JSON.stringify(body)}`);
    checkEntryShape(e, kind);
    assert.equal(e.actor, 'regulator');
    assert.equal(e.reverses ?? null, kind === 'reverse' ? body.entry_id : null);
    assert.equal(e.reversed_by ?? null, null);
    if (body.memo !== undefined) assert.equal(e.memo, body.memo);
    if (INST && e.postings.some((p) => p.instrument === INST)) mine.push(e);
    // The stored entry is the one returned.
    const g = expectStatus(await h.api('GET', `/journal/${e.id}`, { token: reg }), 200, 'GET /journal/{id}');
    assert.deepEqual(g, e);
    return e;
  }

  before(async () => {
    h = await startHarness('ledger');
    reg = await h.as('regulator');
    ISS = await h.systemAccount('issuance');
    RET = await h.systemAccount('retirement');
    CAN = await h.systemAccount('cancellation');
    org = await h.makeOrg();
    A = await h.makeAccount(org.id);
    B = await h.makeAccount(org.id);
    INST = await h.makeInstrument({ family: 'CEA' });
    for (const acct of [A, B, ISS, RET, CAN]) setExp(acct, 0, 0);
  });
  after(async () => { await h?.close(); });

  it('resources carry the fields docs/api.md lists', async () => {
    const has = (obj, keys, what) => {
      assert.ok(obj && typeof obj === 'object', `${what} is an object`);
      for (const k of keys) assert.ok(k in obj, `${what} lacks "${k}": ${JSON.stringify(obj).slice(0, 300)}`);
    };
    const hl = await h.health();
    has(hl, ['status', 'store', 'entries', 'version'], 'health');
    assert.equal(hl.status, 'ok');
    assert.match(hl.store, h.dbKind === 'sqlite' ? /^sqlite$/ : /^postgres(ql)?$/);
    assert.ok(Number.isInteger(hl.entries));
    const oa = await h.api('GET', '/openapi.json');
    expectStatus(oa, 200, 'openapi');
    assert.match(String(oa.json.openapi), /^3\.0\./);

    const login = expectStatus(await h.api('POST', '/auth/login', { body: { name: 'regulator', password: 'demo-regulator' } }), 200, 'login');
    has(login, ['token', 'expires_at', 'user'], 'login');
    has(login.user, ['id', 'name', 'role', 'org_id', 'display_name'], 'user');
    assert.match(login.expires_at, RFC3339_MS);
    assert.ok(Date.parse(login.expires_at) > Date.now(), 'a fresh token expires in the future');
    assert.equal(login.user.role, 'regulator');
    has(expectStatus(await h.api('GET', '/auth/me', { token: reg }), 200, 'me').user, ['id', 'name', 'role', 'org_id', 'display_name'], 'me.user');

    const fams = expectStatus(await h.api('GET', '/instrument-families', { token: reg }), 200, 'families').items;
    const cea = fams.find((f) => f.code === 'CEA');
    has(cea, ['code', 'name_zh', 'name_en', 'unit', 'scale', 'source'], 'family');
    assert.equal(cea.scale, 1);
    const insts = expectStatus(await h.api('GET', '/instruments?family=CEA', { token: reg }), 200, 'instruments').items;
    assert.ok(insts.length > 0 && insts.every((i) => i.family === 'CEA'), 'family filter');
    const mineInst = insts.find((i) => i.code === INST);
    has(mineInst, ['code', 'family', 'name_zh', 'name_en', 'unit', 'scale', 'vintage', 'region', 'valid_from', 'valid_to', 'attributes', 'status'], 'instrument');
    assert.equal(mineInst.unit, cea.unit, 'unit comes from the family');
    assert.equal(mineInst.scale, cea.scale, 'scale comes from the family');
    assert.equal(mineInst.status, 'active');
    assert.equal(mineInst.valid_from, '2020-01-01');

    const o = expectStatus(await h.api('GET', `/organizations/${org.id}`, { token: reg }), 200, 'org');
    has(o, ['id', 'kind', 'name_zh', 'name_en', 'uscc', 'region', 'industry'], 'organization');
    assert.deepEqual(o, org);
    const listed = expectStatus(await h.api('GET', '/organizations?kind=enterprise&region=150200', { token: reg }), 200, 'orgs').items;
    assert.ok(listed.some((x) => x.id === org.id));
    assert.ok(listed.every((x) => x.kind === 'enterprise' && x.region === '150200'), 'organization filters');

    const a = expectStatus(await h.api('GET', `/accounts/${A}`, { token: reg }), 200, 'account');
    has(a, ['id', 'org_id', 'org_name_zh', 'kind', 'name', 'status', 'created_at'], 'account');
    assert.equal(a.org_name_zh, org.name_zh);
    assert.match(a.created_at, RFC3339_MS);
    const byOrg = await h.accounts(`org=${org.id}&kind=holding`);
    assert.deepEqual(byOrg.map((x) => x.id).sort((x, y) => x - y), [A, B].sort((x, y) => x - y), 'account filters');
    const hd = expectStatus(await h.api('GET', `/accounts/${A}/holdings`, { token: reg }), 200, 'holdings');
    assert.deepEqual(hd, { account_id: A, items: [] }, 'a new account holds nothing');

    const act = expectStatus(await h.api('GET', '/stats/activity?days=30', { token: reg }), 200, 'activity');
    assert.ok(Array.isArray(act.items));
    for (const x of act.items) has(x, ['date', 'kind', 'count'], 'activity row');
  });

  it('issuance credits the account and debits the issuance account', async () => {
    const e = await post('/issuances', { instrument: INST, to_account: A, quantity: 10000, memo: '初始分配' }, 'issue');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: A, instrument: INST, bucket: 'available', amount: 10000 },
      { account_id: ISS, instrument: INST, bucket: 'available', amount: -10000 },
    ]));
    setExp(A, 10000, 0); setExp(ISS, -10000, 0);
    await checkHoldings('after issuance');
  });

  it('transfer moves available quantity between accounts', async () => {
    const e = await post('/transfers', { from_account: A, to_account: B, instrument: INST, quantity: 2500, memo: 't1' }, 'transfer');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: A, instrument: INST, bucket: 'available', amount: -2500 },
      { account_id: B, instrument: INST, bucket: 'available', amount: 2500 },
    ]));
    setExp(A, 7500, 0); setExp(B, 2500, 0);
    await checkHoldings('after transfer');
  });

  it('freeze moves available to frozen; frozen quantity cannot be transferred', async () => {
    const e = await post('/freezes', { account: A, instrument: INST, quantity: 1000, memo: '质押' }, 'freeze');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: A, instrument: INST, bucket: 'available', amount: -1000 },
      { account_id: A, instrument: INST, bucket: 'frozen', amount: 1000 },
    ]));
    setExp(A, 7500, 1000);
    await checkHoldings('after freeze');

    const snap = await h.snapshot([[A, INST], [B, INST]]);
    const r = await h.transfer(reg, A, B, INST, 6501);   // available is 6500
    assertError(r, 422, 'insufficient_available');
    await h.assertUnchanged(snap, 'transfer of more than available');
    const f = await h.api('POST', '/freezes', { token: reg, body: { account: A, instrument: INST, quantity: 6501 } });
    assertError(f, 422, 'insufficient_available');
    await h.assertUnchanged(snap, 'freeze of more than available');
  });

  it('unfreeze moves frozen back to available, never more than is frozen', async () => {
    const e = await post('/unfreezes', { account: A, instrument: INST, quantity: 400, memo: '解除质押' }, 'unfreeze');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: A, instrument: INST, bucket: 'frozen', amount: -400 },
      { account_id: A, instrument: INST, bucket: 'available', amount: 400 },
    ]));
    setExp(A, 7500, 600);
    await checkHoldings('after unfreeze');

    const snap = await h.snapshot([[A, INST]]);
    const r = await h.api('POST', '/unfreezes', { token: reg, body: { account: A, instrument: INST, quantity: 601 } });
    assertError(r, 422, 'insufficient_frozen');
    await h.assertUnchanged(snap, 'unfreeze of more than frozen');
  });

  it('retirement moves available quantity to the retirement account', async () => {
    const e = await post('/retirements', { account: A, instrument: INST, quantity: 300, memo: '清缴履约' }, 'retire');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: A, instrument: INST, bucket: 'available', amount: -300 },
      { account_id: RET, instrument: INST, bucket: 'available', amount: 300 },
    ]));
    setExp(A, 7200, 600); setExp(RET, 300, 0);
    await checkHoldings('after retirement');
  });

  it('cancellation moves available quantity to the cancellation account', async () => {
    const e = await post('/cancellations', { account: B, instrument: INST, quantity: 500, memo: '注销' }, 'cancel');
    assert.deepEqual(normPostings(e.postings), normPostings([
      { account_id: B, instrument: INST, bucket: 'available', amount: -500 },
      { account_id: CAN, instrument: INST, bucket: 'available', amount: 500 },
    ]));
    setExp(B, 2000, 0); setExp(CAN, 500, 0);
    await checkHoldings('after cancellation');
  });

  it('reversal posts the negated postings, names the entry, and cannot be repeated or reversed', async () => {
    const t = await post('/transfers', { from_account: A, to_account: B, instrument: INST, quantity: 100, memo: 'to be reversed' }, 'transfer');
    setExp(A, 7100, 600); setExp(B, 2100, 0);
    await checkHoldings('before reversal');

    const r = await post('/reversals', { entry_id: t.id, memo: '更正' }, 'reverse');
    assert.equal(r.reverses, t.id);
    assert.deepEqual(normPostings(r.postings), normPostings(t.postings.map((p) => ({ ...p, amount: -p.amount }))));
    setExp(A, 7200, 600); setExp(B, 2000, 0);
    await checkHoldings('after reversal');

    const orig = expectStatus(await h.api('GET', `/journal/${t.id}`, { token: reg }), 200, 'original entry');
    assert.equal(orig.reversed_by, r.id, 'the reversed entry names its reversal');
    assert.equal(orig.hash, t.hash, 'reversal does not rewrite the original entry');

    const snap = await h.snapshot([[A, INST], [B, INST]]);
    assertError(await h.api('POST', '/reversals', { token: reg, body: { entry_id: t.id } }), 422, 'already_reversed');
    assertError(await h.api('POST', '/reversals', { token: reg, body: { entry_id: r.id } }), 422, 'cannot_reverse_reversal');
    await h.assertUnchanged(snap, 'refused reversals');
  });

  it('sum of all balances of the instrument is zero; supply statistics follow the entries', async () => {
    let sum = 0;
    for (const acct of Object.keys(expected)) sum += (await h.holding(Number(acct), INST)).balance;
    assert.equal(sum, 0);
    const s = expectStatus(await h.api('GET', '/stats/supply', { token: reg }), 200, 'supply');
    const row = s.items.find((x) => x.instrument === INST);
    assert.ok(row, `supply row for ${INST}`);
    assert.equal(row.family, 'CEA');
    assert.equal(row.issued, 10000);
    assert.equal(row.retired, 300);
    assert.equal(row.cancelled, 500);
    assert.equal(row.outstanding, 10000 - 300 - 500);
  });

  it('journal filters by account, instrument and kind return exactly the matching entries', async () => {
    const ids = (items) => items.map((e) => e.id);
    const newestFirst = (es) => es.map((e) => e.id).sort((a, b) => b - a);

    const byInst = await h.walkJournal(`instrument=${INST}`);
    assert.deepEqual(ids(byInst), newestFirst(mine), 'instrument filter');
    for (const e of byInst) {
      // Listed entries equal the created ones (reversed_by may have been set since).
      const m = mine.find((x) => x.id === e.id);
      assert.deepEqual({ ...e, reversed_by: null }, { ...m, reversed_by: null }, `entry ${e.id} as listed`);
    }

    const touchesA = mine.filter((e) => e.postings.some((p) => p.account_id === A));
    const byA = await h.walkJournal(`account=${A}`);
    assert.deepEqual(ids(byA), newestFirst(touchesA), 'account filter');

    const byKind = await h.walkJournal(`account=${A}&kind=freeze`);
    assert.deepEqual(ids(byKind), newestFirst(mine.filter((e) => e.kind === 'freeze' && e.postings.some((p) => p.account_id === A))));
    assert.equal(byKind.length, 1);

    const transfersOfInst = await h.walkJournal(`instrument=${INST}&kind=transfer`);
    assert.deepEqual(ids(transfersOfInst), newestFirst(mine.filter((e) => e.kind === 'transfer')));
    assert.equal(transfersOfInst.length, 2);

    const byB = await h.walkJournal(`account=${B}&instrument=${INST}&kind=cancel`);
    assert.deepEqual(ids(byB), newestFirst(mine.filter((e) => e.kind === 'cancel')));
  });

  it('journal time range filter (from/to) selects by created_at', async () => {
    const C = await h.makeAccount(org.id);
    const D = await h.makeAccount(org.id);
    const e1 = await post('/issuances', { instrument: INST, to_account: C, quantity: 40, memo: 'tr1' }, 'issue');
    await sleep(60);
    const e2 = await post('/transfers', { from_account: C, to_account: D, instrument: INST, quantity: 1, memo: 'tr2' }, 'transfer');
    const e3 = await post('/transfers', { from_account: C, to_account: D, instrument: INST, quantity: 2, memo: 'tr3' }, 'transfer');
    await sleep(60);
    const e4 = await post('/transfers', { from_account: C, to_account: D, instrument: INST, quantity: 3, memo: 'tr4' }, 'transfer');
    setExp(C, 34, 0); setExp(D, 6, 0); expected[ISS].balance -= 40; expected[ISS].available -= 40;
    const t = (e) => Date.parse(e.created_at);
    assert.ok(t(e2) - t(e1) >= 50 && t(e4) - t(e3) >= 50, 'server timestamps follow the clock');
    const from = new Date(t(e1) + 25).toISOString();
    const to = new Date(t(e4) - 25).toISOString();
    const got = await h.walkJournal(`account=${C}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    assert.deepEqual(got.map((e) => e.id), [e3.id, e2.id]);
    const onlyFrom = await h.walkJournal(`account=${C}&from=${encodeURIComponent(from)}`);
    assert.deepEqual(onlyFrom.map((e) => e.id), [e4.id, e3.id, e2.id]);
    const onlyTo = await h.walkJournal(`account=${C}&to=${encodeURIComponent(to)}`);
    assert.deepEqual(onlyTo.map((e) => e.id), [e3.id, e2.id, e1.id]);
    await checkHoldings('after time-range entries');
  });

  it('cursor pagination with a small limit walks every entry once, in order, without gaps', async () => {
    const all = await h.walkJournal(`instrument=${INST}`, { limit: 1000 });
    const expectedIds = mine.map((e) => e.id).sort((a, b) => b - a);
    assert.deepEqual(all.map((e) => e.id), expectedIds);
    for (const limit of [1, 2, 3, 5]) {
      const paged = await h.walkJournal(`instrument=${INST}`, { limit });
      assert.deepEqual(paged.map((e) => e.id), expectedIds, `limit=${limit}`);
    }
    // Whole journal in small pages: strictly decreasing ids, no duplicates, count = health.entries.
    const whole = await h.walkJournal('', { limit: 7 });
    const ids = whole.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i] < ids[i - 1], 'newest first');
    assert.equal(whole.length, (await h.health()).entries, 'pages cover every entry');
  });

  it('every journal entry is balanced and carries the previous entry\'s hash', async () => {
    const all = await h.walkJournal('', { limit: 500 });
    assert.ok(all.length > mine.length);
    for (let i = 0; i < all.length; i++) {
      checkEntryShape(all[i]);
      if (i + 1 < all.length) {
        assert.equal(all[i].prev_hash, all[i + 1].hash, `entry ${all[i].id}.prev_hash must equal entry ${all[i + 1].id}.hash`);
      }
    }
    assert.equal(new Set(all.map((e) => e.hash)).size, all.length, 'hashes are distinct');
  });

  it('GET /verify reports ok', async () => {
    const v = expectStatus(await h.api('GET', '/verify', { token: reg }), 200, 'verify');
    assert.equal(v.ok, true);
    assert.deepEqual(v.problems, []);
    assert.equal(v.entries, (await h.health()).entries);
  });

  it('instruments outside their validity: expired ones refuse issuance; future ones take issuance but refuse movements', async () => {
    // docs/api.md: allowances may be pre-allocated before their vintage is usable, so issuance
    // precedes valid_from, while every other movement waits for it.
    const past = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01', validTo: '2020-12-31' });
    const future = await h.makeInstrument({ family: 'CEA', validFrom: '2099-01-01', validTo: null });
    const snap = await h.snapshot([[A, past], [A, future], [B, future]]);
    assertError(await h.api('POST', '/issuances', { token: reg, body: { instrument: past, to_account: A, quantity: 5 } }), 422, 'instrument_expired');
    await h.assertUnchanged(snap, 'issuance after validity');
    await post('/issuances', { instrument: future, to_account: A, quantity: 5, memo: 'pre-allocation' }, 'issue');
    assert.equal((await h.holding(A, future)).available, 5);
    const snap2 = await h.snapshot([[A, future], [B, future]]);
    assertError(await h.api('POST', '/transfers', { token: reg, body: { from_account: A, to_account: B, instrument: future, quantity: 1 } }), 422, 'instrument_not_yet_valid');
    assertError(await h.api('POST', '/retirements', { token: reg, body: { account: A, instrument: future, quantity: 1 } }), 422, 'instrument_not_yet_valid');
    await h.assertUnchanged(snap2, 'movement before validity');
  });

  it('POST /expirations refuses an instrument whose valid_to has not passed', async () => {
    const X = await h.makeInstrument({ family: 'CEA', validFrom: '2020-01-01', validTo: '2099-12-31' });
    await post('/issuances', { instrument: X, to_account: A, quantity: 700 }, 'issue');
    const snap = await h.snapshot([[A, X], [CAN, X]]);
    assertError(await h.api('POST', '/expirations', { token: reg, body: { instrument: X, memo: 'too early' } }), 422, null);
    await h.assertUnchanged(snap, 'expiration before valid_to');
    const list = expectStatus(await h.api('GET', '/instruments?family=CEA', { token: reg }), 200, 'instruments');
    assert.equal(list.items.find((i) => i.code === X)?.status, 'active');
  });

  it('an instrument whose valid_to has passed refuses movements; POST /expirations sweeps its holdings to cancellation', async () => {
    // The API cannot move time, so this uses a demo instrument that was issued while valid and
    // whose valid_to has passed since (greenloop demo loads one), and derives every expected
    // holding from the holdings read before the sweep.
    const today = new Date().toISOString().slice(0, 10);
    const insts = expectStatus(await h.api('GET', '/instruments', { token: reg }), 200, 'instruments').items;
    const accounts = await h.accounts();
    const system = new Set(accounts.filter((a) => ['issuance', 'retirement', 'cancellation'].includes(a.kind)).map((a) => a.id));
    let X = null; let holders = [];
    for (const i of insts.filter((x) => x.valid_to && x.valid_to < today && x.status === 'active')) {
      const hs = [];
      for (const a of accounts.filter((x) => !system.has(x.id))) {
        const hd = await h.holding(a.id, i.code);
        if (hd.balance !== 0) hs.push([a.id, hd]);
      }
      if (hs.length > 0) { X = i.code; holders = hs; break; }
    }
    assert.ok(X, 'the demo data has an active instrument past its valid_to with holdings');
    const total = holders.reduce((s, [, hd]) => s + hd.balance, 0);
    const canBefore = await h.holding(CAN, X);
    const issBefore = await h.holding(ISS, X);
    const retBefore = await h.holding(RET, X);
    const [H1] = holders[0];

    const snap = await h.snapshot([...holders.map(([a]) => [a, X]), [CAN, X], [A, X]]);
    assertError(await h.transfer(reg, H1, A, X, 1), 422, 'instrument_expired');
    assertError(await h.api('POST', '/issuances', { token: reg, body: { instrument: X, to_account: A, quantity: 1 } }), 422, 'instrument_expired');
    assertError(await h.api('POST', '/retirements', { token: reg, body: { account: H1, instrument: X, quantity: 1 } }), 422, 'instrument_expired');
    await h.assertUnchanged(snap, 'movements of an expired instrument');

    const e = expectStatus(await h.api('POST', '/expirations', { token: reg, body: { instrument: X, memo: '到期注销' } }), 201, 'expiration');
    checkEntryShape(e, 'expire');
    assert.equal(e.memo, '到期注销');
    // Net effect per account: every holder loses its whole balance, cancellation gains the total.
    const net = new Map();
    for (const p of e.postings) {
      assert.equal(p.instrument, X);
      net.set(p.account_id, (net.get(p.account_id) || 0) + p.amount);
    }
    const expectedNet = new Map(holders.map(([a, hd]) => [a, -hd.balance]));
    expectedNet.set(CAN, total);
    assert.deepEqual([...net.entries()].filter(([, v]) => v !== 0).sort((x, y) => x[0] - y[0]),
      [...expectedNet.entries()].sort((x, y) => x[0] - y[0]));
    for (const [a] of holders) assert.deepEqual(await h.holding(a, X), { balance: 0, frozen: 0, available: 0 }, `holder ${a}`);
    assert.equal((await h.holding(CAN, X)).balance, canBefore.balance + total);
    assert.deepEqual(await h.holding(ISS, X), issBefore, 'the issuance account is not swept');
    assert.deepEqual(await h.holding(RET, X), retBefore, 'retired quantities stay retired');

    const list = expectStatus(await h.api('GET', '/instruments', { token: reg }), 200, 'instruments');
    assert.equal(list.items.find((i) => i.code === X)?.status, 'expired');
    const again = await h.snapshot([[CAN, X]]);
    assertError(await h.transfer(reg, CAN, A, X, 1), [403, 422], null);
    await h.assertUnchanged(again, 'after expiry');
  });
  it('frozen and closed accounts refuse movements', async () => {
    const F = await h.makeAccount(org.id);
    const G = await h.makeAccount(org.id);
    await post('/issuances', { instrument: INST, to_account: F, quantity: 50 }, 'issue');
    expected[ISS].balance -= 50; expected[ISS].available -= 50; setExp(F, 50, 0); setExp(G, 0, 0);

    const p1 = expectStatus(await h.api('PATCH', `/accounts/${F}`, { token: reg, body: { status: 'frozen' } }), 200, 'freeze account');
    assert.equal(p1.status, 'frozen');
    assert.equal(expectStatus(await h.api('GET', `/accounts/${F}`, { token: reg }), 200, 'get').status, 'frozen');
    let snap = await h.snapshot([[F, INST], [G, INST]]);
    assertError(await h.transfer(reg, F, G, INST, 10), 422, ['account_frozen', 'account_not_open']);
    assertError(await h.api('POST', '/retirements', { token: reg, body: { account: F, instrument: INST, quantity: 10 } }), 422, ['account_frozen', 'account_not_open']);
    await h.assertUnchanged(snap, 'movements from a frozen account');

    expectStatus(await h.api('PATCH', `/accounts/${F}`, { token: reg, body: { status: 'open' } }), 200, 'reopen account');
    await post('/transfers', { from_account: F, to_account: G, instrument: INST, quantity: 10 }, 'transfer');
    setExp(F, 40, 0); setExp(G, 10, 0);
    await checkHoldings('after reopening');

    const C = await h.makeAccount(org.id);
    const pc = expectStatus(await h.api('PATCH', `/accounts/${C}`, { token: reg, body: { status: 'closed' } }), 200, 'close account');
    assert.equal(pc.status, 'closed');
    snap = await h.snapshot([[F, INST], [C, INST]]);
    assertError(await h.transfer(reg, F, C, INST, 5), 422, ['account_closed', 'account_not_open']);
    assertError(await h.api('POST', '/issuances', { token: reg, body: { instrument: INST, to_account: C, quantity: 5 } }), 422, ['account_closed', 'account_not_open']);
    await h.assertUnchanged(snap, 'movements into a closed account');
  });

  it('a batch of 8000 transfers succeeds with one result per item', { timeout: 120_000 }, async () => {
    const S = await h.makeAccount(org.id);
    const D = await h.makeAccount(org.id);
    await post('/issuances', { instrument: INST, to_account: S, quantity: 8000 }, 'issue');
    const before = await h.journalState();
    const transfers = Array.from({ length: 8000 }, (_, i) => ({ from_account: S, to_account: D, instrument: INST, quantity: 1, memo: `b${i}` }));
    const r = await h.api('POST', '/transfers', { token: reg, body: { transfers } });
    const j = expectStatus(r, 200, 'batch of 8000');
    assert.equal(j.ok, 8000);
    assert.equal(j.failed, 0);
    assert.equal(j.results.length, 8000);
    const ids = new Set();
    j.results.forEach((x, i) => {
      assert.equal(x.index, i);
      assert.equal(x.result, 'ok');
      assert.ok(Number.isInteger(x.entry_id));
      ids.add(x.entry_id);
    });
    assert.equal(ids.size, 8000, 'distinct entries');
    const after = await h.journalState();
    assert.equal(after.entries, before.entries + 8000);
    assert.deepEqual(await h.holding(S, INST), { balance: 0, frozen: 0, available: 0 });
    assert.deepEqual(await h.holding(D, INST), { balance: 8000, frozen: 0, available: 8000 });
    const last = expectStatus(await h.api('GET', `/journal/${j.results[7999].entry_id}`, { token: reg }), 200, 'last batch entry');
    assert.equal(last.memo, 'b7999');
    assert.deepEqual(normPostings(last.postings), normPostings([
      { account_id: S, instrument: INST, bucket: 'available', amount: -1 },
      { account_id: D, instrument: INST, bucket: 'available', amount: 1 },
    ]));
  });

  it('a batch of 8001 transfers is refused with batch_too_large and applies nothing', { timeout: 60_000 }, async () => {
    const S = await h.makeAccount(org.id);
    const D = await h.makeAccount(org.id);
    await post('/issuances', { instrument: INST, to_account: S, quantity: 9000 }, 'issue');
    const snap = await h.snapshot([[S, INST], [D, INST]]);
    const transfers = Array.from({ length: 8001 }, () => ({ from_account: S, to_account: D, instrument: INST, quantity: 1 }));
    assertError(await h.api('POST', '/transfers', { token: reg, body: { transfers } }), 400, 'batch_too_large');
    await h.assertUnchanged(snap, 'batch of 8001');
  });

  it('linked chains succeed or fail as a whole; unlinked items still apply; an open chain is refused', async () => {
    const P = await h.makeAccount(org.id);
    const Q = await h.makeAccount(org.id);
    await post('/issuances', { instrument: INST, to_account: P, quantity: 100 }, 'issue');
    const before = await h.journalState();
    const tr = (quantity, extra = {}) => ({ from_account: P, to_account: Q, instrument: INST, quantity, ...extra });
    const transfers = [
      tr(10, { linked: true }),                 // 0  chain [0,1]: 1 fails → 0 linked_event_failed
      tr(1000),                                 // 1  insufficient_available
      tr(20),                                   // 2  ok
      { ...tr(1, { linked: true }), to_account: P }, // 3  chain [3,4]: 3 is a self-transfer → same_account
      tr(7),                                    // 4  linked_event_failed
      tr(30, { linked: true }),                 // 5  chain [5,6] ok
      tr(3),                                    // 6  ok
      tr(4, { linked: true }),                  // 7  open chain [7,8]
      tr(5, { linked: true }),                  // 8  linked_event_chain_open
    ];
    const j = expectStatus(await h.api('POST', '/transfers', { token: reg, body: { transfers } }), 200, 'linked batch');
    assert.equal(j.results.length, transfers.length);
    const res = j.results.map((x) => x.result);
    assert.deepEqual(res.slice(0, 7), ['linked_event_failed', 'insufficient_available', 'ok', 'same_account', 'linked_event_failed', 'ok', 'ok']);
    assert.equal(res[8], 'linked_event_chain_open');
    assert.ok(['linked_event_chain_open', 'linked_event_failed'].includes(res[7]), `item 7 of an open chain: ${res[7]}`);
    j.results.forEach((x, i) => {
      assert.equal(x.index, i);
      if (x.result === 'ok') assert.ok(Number.isInteger(x.entry_id));
      else {
        assert.equal(x.entry_id ?? null, null, `failed item ${i} has no entry`);
        assert.equal(typeof x.message, 'string');
        assert.ok(x.message.length > 0, `failed item ${i} explains itself`);
      }
    });
    assert.equal(j.ok, 3);
    assert.equal(j.failed, 6);
    assert.deepEqual(await h.holding(P, INST), { balance: 100 - 20 - 30 - 3, frozen: 0, available: 47 });
    assert.deepEqual(await h.holding(Q, INST), { balance: 53, frozen: 0, available: 53 });
    assert.equal((await h.journalState()).entries, before.entries + 3);
  });

  it('concurrent transfers from one account never overdraw it', async () => {
    const P = await h.makeAccount(org.id);
    const Q = await h.makeAccount(org.id);
    await post('/issuances', { instrument: INST, to_account: P, quantity: 100 }, 'issue');
    await post('/freezes', { account: P, instrument: INST, quantity: 10 }, 'freeze');
    const before = await h.journalState();
    // 90 available; 50 concurrent transfers of 3 → exactly 30 succeed.
    const rs = await Promise.all(Array.from({ length: 50 }, () => h.transfer(reg, P, Q, INST, 3)));
    const ok = rs.filter((r) => r.status === 201);
    for (const r of rs) if (r.status !== 201) assertError(r, 422, 'insufficient_available');
    assert.equal(ok.length, 30);
    assert.equal(new Set(ok.map((r) => r.json.id)).size, 30);
    assert.deepEqual(await h.holding(P, INST), { balance: 10, frozen: 10, available: 0 });
    assert.deepEqual(await h.holding(Q, INST), { balance: 90, frozen: 0, available: 90 });
    assert.equal((await h.journalState()).entries, before.entries + 30);
  });

  it('still verifies after all movements, and no request got a 5xx', async () => {
    const v = expectStatus(await h.api('GET', '/verify', { token: reg }), 200, 'verify');
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    const cli = h.cli(['verify', '--db', h.dbUrl]);
    assert.equal(cli.status, 0, `greenloop verify: ${cli.stdout}\n${cli.stderr}`);
    assertServerHealthy(h);
  });
});
