// Goal: prove that a crash loses nothing acknowledged and duplicates nothing: every transfer the
// server answered 201 (or every batch it answered 200) exists exactly once after a SIGKILL and
// restart, retries under the same Idempotency-Key return the same entry without creating another,
// unacknowledged in-flight requests exist at most once (exactly once after a retry), and the
// journal still verifies with balances equal to the initial ones minus the transfers present.
// Method: 8 concurrent clients (6 sending single transfers, 2 sending batches of 20) each loop
// with unique keys from one funded source account to 4 destination accounts; after ~2 s the
// server gets SIGKILL mid-run. After a restart every request is retried with its key, the
// journal of the source account is walked, balances are compared with the sums derived from
// the requests, and `greenloop verify --db URL` (CLI) must exit 0.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertServerHealthy, expectStatus, sleep, startHarness, uid } from './harness.mjs';

const CLIENTS = 8;
const BATCH_CLIENTS = 2;
const BATCH_SIZE = 20;
const RUN_MS = 2000;
const INITIAL = 100_000_000;

async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) { const k = i++; await fn(items[k], k); }
  }));
}

describe('crash safety (SIGKILL mid-run)', { timeout: 170_000 }, () => {
  let h; let reg; let S; let D; let INST;
  const attempts = [];   // {key, body, batch, status, json, error}
  let baseline;

  before(async () => {
    h = await startHarness('crash');
    reg = await h.as('regulator');
    const org = await h.makeOrg();
    S = await h.makeAccount(org.id);
    D = [];
    for (let i = 0; i < 4; i++) D.push(await h.makeAccount(org.id));
    INST = await h.makeInstrument({ family: 'CEA' });
    await h.issue(INST, S, INITIAL);
    baseline = await h.journalState();
  });
  after(async () => { await h?.close(); });

  it('runs concurrent transfers and is killed with SIGKILL', async (t) => {
    let stop = false;
    const token = reg;
    const base = h.baseUrl;
    let n = 0;
    const client = async (c) => {
      while (!stop) {
        const batch = c < BATCH_CLIENTS;
        const mk = () => ({ from_account: S, to_account: D[(n++) % 4], instrument: INST, quantity: 1 + (n % 9), memo: `c${c}` });
        const body = batch ? { transfers: Array.from({ length: BATCH_SIZE }, mk) } : mk();
        const a = { key: `crash-${c}-${uid(8)}`, body, batch, status: null, json: null, error: null };
        attempts.push(a);
        try {
          const res = await fetch(`${base}/api/v1/transfers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': a.key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          a.status = res.status;
          try { a.json = JSON.parse(text); } catch { a.json = text; }
        } catch (e) {
          a.error = String(e?.cause?.code || e?.message || e);
          return;   // the server is gone
        }
      }
    };
    const running = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await sleep(RUN_MS);
    await h.kill9();
    stop = true;
    await Promise.all(running);

    const acked = attempts.filter((a) => a.status !== null);
    t.diagnostic(`${attempts.length} requests sent, ${acked.length} answered before the kill`);
    const bad = acked.filter((a) => a.status !== (a.batch ? 200 : 201));
    assert.deepEqual(bad.map((a) => `${a.status} ${JSON.stringify(a.json).slice(0, 200)}`), [], 'every answered request succeeded');
    assert.ok(acked.length >= CLIENTS, `too few acknowledged requests (${acked.length}) to test anything`);
    for (const a of acked.filter((x) => x.batch)) {
      assert.equal(a.json.ok, BATCH_SIZE, `batch ${a.key}: ${JSON.stringify(a.json).slice(0, 300)}`);
    }
  });

  it('after restart every acknowledged transfer exists exactly once and retries return it', async () => {
    await h.start();
    reg = await h.as('regulator');
    const ackedSingles = attempts.filter((a) => a.status === 201);
    // Each acknowledged entry is stored as answered.
    await pool(ackedSingles, 8, async (a) => {
      const g = await h.api('GET', `/journal/${a.json.id}`, { token: reg });
      expectStatus(g, 200, `acknowledged entry ${a.json.id} (key ${a.key}) must survive the crash`);
      assert.equal(g.json.kind, 'transfer');
      assert.equal(g.json.hash, a.json.hash);
      const q = a.body.quantity;
      assert.deepEqual(
        g.json.postings.map((p) => [p.account_id, p.amount]).sort((x, y) => x[0] - y[0]),
        [[S, -q], [a.body.to_account, q]].sort((x, y) => x[0] - y[0]),
      );
    });
    const before = await h.journalState();
    // Retrying every request (acknowledged or not) with its key.
    await pool(attempts, 8, async (a) => {
      const r = await h.api('POST', '/transfers', { token: reg, body: a.body, idempotencyKey: a.key });
      if (a.status !== null) {
        assert.equal(r.status, a.status, `retry of acknowledged ${a.key}`);
        assert.deepEqual(r.json, a.json, `retry of acknowledged ${a.key} returns the first answer`);
      } else {
        assert.equal(r.status, a.batch ? 200 : 201, `retry of unacknowledged ${a.key}: ${r.text.slice(0, 300)}`);
        a.retryJson = r.json;
      }
    });
    const unackedNew = attempts.filter((a) => a.status === null);
    // Retrying acknowledged ones creates nothing; unacknowledged ones create at most their size.
    const afterRetry = await h.journalState();
    const maxNew = unackedNew.reduce((s, a) => s + (a.batch ? BATCH_SIZE : 1), 0);
    assert.ok(afterRetry.entries - before.entries <= maxNew, 'retries of acknowledged requests created entries');
    // A second round of retries changes nothing at all.
    await pool(attempts, 8, async (a) => {
      const r = await h.api('POST', '/transfers', { token: reg, body: a.body, idempotencyKey: a.key });
      assert.deepEqual(r.json, a.status !== null ? a.json : a.retryJson, `second retry of ${a.key}`);
    });
    assert.deepEqual(await h.journalState(), afterRetry);
  });

  it('the journal holds each transfer exactly once and balances equal initial minus transfers', async () => {
    // Every request is now answered; collect the entry ids and quantities it names.
    const expectedIds = new Map();   // entry id → [to, quantity]
    for (const a of attempts) {
      const j = a.status !== null ? a.json : a.retryJson;
      if (a.batch) {
        assert.equal(j.results.length, BATCH_SIZE);
        j.results.forEach((r, i) => {
          assert.equal(r.result, 'ok');
          assert.ok(!expectedIds.has(r.entry_id), `entry ${r.entry_id} answered twice`);
          expectedIds.set(r.entry_id, [a.body.transfers[i].to_account, a.body.transfers[i].quantity]);
        });
      } else {
        assert.ok(!expectedIds.has(j.id), `entry ${j.id} answered twice`);
        expectedIds.set(j.id, [a.body.to_account, a.body.quantity]);
      }
    }
    const journal = (await h.walkJournal(`account=${S}&kind=transfer`, { limit: 500 })).map((e) => e.id);
    assert.equal(new Set(journal).size, journal.length, 'no duplicates in the journal');
    assert.deepEqual([...journal].sort((x, y) => x - y), [...expectedIds.keys()].sort((x, y) => x - y),
      'the journal holds exactly the answered transfers');
    const st = await h.journalState();
    assert.equal(st.entries, baseline.entries + expectedIds.size);

    let total = 0;
    const perDest = new Map(D.map((d) => [d, 0]));
    for (const [to, q] of expectedIds.values()) { total += q; perDest.set(to, perDest.get(to) + q); }
    assert.deepEqual(await h.holding(S, INST), { balance: INITIAL - total, frozen: 0, available: INITIAL - total });
    for (const d of D) assert.deepEqual(await h.holding(d, INST), { balance: perDest.get(d), frozen: 0, available: perDest.get(d) });
    assertServerHealthy(h);
  });

  it('`greenloop verify` exits 0 after the crash', async () => {
    await h.stop();
    const v = h.cli(['verify', '--db', h.dbUrl]);
    assert.equal(v.status, 0, `greenloop verify failed:\n${v.stdout}\n${v.stderr}`);
  });
});
