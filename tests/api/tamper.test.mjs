// Goal: prove that `greenloop verify` detects a journal or holding altered behind the server's
// back and names what was altered, and that it passes again once the change is undone.
// Method: make some movements through the API, stop the server, then change rows directly in
// the database (sqlite3 for SQLite, psql for PostgreSQL): a posting's amount, an entry's memo, a
// holding's available quantity. After each change `greenloop verify --db URL --json` must exit
// non-zero and its JSON must name the entry (or the account of the holding); after undoing it,
// verify must exit 0. GET /verify on a restarted server must report the same.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectStatus, startHarness, assertServerHealthy } from './harness.mjs';

/** Does `value` (parsed JSON) contain an object naming `id` under a key that contains `word`? */
function names(value, word, id) {
  if (Array.isArray(value)) return value.some((v) => names(v, word, id));
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.toLowerCase().includes(word) && (v === id || v === String(id))) return true;
      if (typeof v === 'string' && new RegExp(`${word}\\D{0,12}${id}(?!\\d)`, 'i').test(v)) return true;
      if (names(v, word, id)) return true;
    }
  }
  return false;
}

describe('tamper detection', () => {
  let h; let reg; let A; let B; let INST; let X; let Y;

  function verify() {
    const r = h.cli(['verify', '--db', h.dbUrl, '--json']);
    let json = null;
    try { json = JSON.parse(r.stdout); } catch { /* checked below */ }
    return { ...r, json };
  }
  function assertDetected(v, word, id, what) {
    assert.notEqual(v.status, 0, `verify must fail after ${what}:\n${v.stdout}\n${v.stderr}`);
    assert.ok(v.json, `verify --json must print JSON:\n${v.stdout}\n${v.stderr}`);
    assert.equal(v.json.ok, false);
    assert.ok(Array.isArray(v.json.problems) && v.json.problems.length > 0, 'problems are listed');
    assert.ok(names(v.json.problems, word, id), `verify must name ${word} ${id} after ${what}:\n${v.stdout}`);
  }
  function assertClean(what) {
    const v = verify();
    assert.equal(v.status, 0, `verify must pass ${what}:\n${v.stdout}\n${v.stderr}`);
    assert.ok(v.json, `verify --json must print JSON:\n${v.stdout}`);
    assert.equal(v.json.ok, true);
    assert.deepEqual(v.json.problems, []);
  }
  const q = (sql) => h.sql(sql).trim();
  // An entry's postings are stored in its row as a JSON array of [account_id, instrument, bucket,
  // amount] (docs/architecture.md); an attacker with database access edits that text.
  const readPostings = (id) => JSON.parse(q(`SELECT postings FROM entries WHERE id = ${id}`));
  const writePostings = (id, postings) => h.sql(`UPDATE entries SET postings = '${JSON.stringify(postings)}' WHERE id = ${id}`);

  before(async () => {
    h = await startHarness('tamper');
    reg = await h.as('regulator');
    const org = await h.makeOrg();
    A = await h.makeAccount(org.id);
    B = await h.makeAccount(org.id);
    INST = await h.makeInstrument({ family: 'CEA' });
    await h.issue(INST, A, 5000);
    X = expectStatus(await h.transfer(reg, A, B, INST, 1200), 201, 'transfer').id;
    expectStatus(await h.api('POST', '/freezes', { token: reg, body: { account: B, instrument: INST, quantity: 200 } }), 201, 'freeze');
    Y = expectStatus(await h.transfer(reg, B, A, INST, 300, { memo: 'original memo' }), 201, 'transfer back').id;
    expectStatus(await h.transfer(reg, A, B, INST, 1), 201, 'later transfer');
    assertServerHealthy(h);
    await h.stop();
  });
  after(async () => { await h?.close(); });

  it('an untouched journal verifies', () => { assertClean('before tampering'); });

  it('a changed posting amount is detected and names the entry', async () => {
    const postings = readPostings(X);
    const orig = postings[0][3];
    assert.ok(Number.isInteger(orig), `posting (${X}, 0) exists`);
    postings[0][3] = orig + 1;
    writePostings(X, postings);
    assert.equal(readPostings(X)[0][3], orig + 1);
    assertDetected(verify(), 'entry', X, `changing posting (${X}, 0)`);

    // The running server's GET /verify sees it too.
    await h.start();
    const r = expectStatus(await h.api('GET', '/verify', { token: await h.as('regulator') }), 200, 'GET /verify');
    assert.equal(r.ok, false);
    assert.ok(names(r.problems, 'entry', X), `GET /verify names entry ${X}: ${JSON.stringify(r.problems)}`);
    await h.stop();

    postings[0][3] = orig;
    writePostings(X, postings);
    assertClean('after undoing the posting change');
  });

  it('a changed memo is detected by the hash chain and names the entry', () => {
    assert.equal(q(`SELECT memo FROM entries WHERE id = ${Y}`), 'original memo');
    h.sql(`UPDATE entries SET memo = 'forged memo' WHERE id = ${Y}`);
    assertDetected(verify(), 'entry', Y, `changing the memo of entry ${Y}`);
    h.sql(`UPDATE entries SET memo = 'original memo' WHERE id = ${Y}`);
    assertClean('after undoing the memo change');
  });

  it('a changed holding is detected and names the account', () => {
    h.sql(`UPDATE holdings SET available = available + 5 WHERE account_id = ${B} AND instrument = '${INST}'`);
    assertDetected(verify(), 'account', B, `changing the holding of account ${B}`);
    h.sql(`UPDATE holdings SET available = available - 5 WHERE account_id = ${B} AND instrument = '${INST}'`);
    assertClean('after undoing the holding change');
  });

  it('a consistent rewrite of postings and holdings is caught by the hash and names the entry', () => {
    // Move 100 more from A to B in entry X and fix both holdings, so that every sum still agrees:
    // only the entry's hash can tell.
    const rows = readPostings(X);
    assert.deepEqual(rows.map(([a, , , amt]) => [a, amt]).sort((x, y) => x[1] - y[1]), [[A, -1200], [B, 1200]]);
    const rewrite = (d) => {
      writePostings(X, readPostings(X).map(([a, i, bucket, amt]) => [a, i, bucket, a === A ? amt - d : a === B ? amt + d : amt]));
      h.sql(`UPDATE holdings SET available = available - ${d} WHERE account_id = ${A} AND instrument = '${INST}'`);
      h.sql(`UPDATE holdings SET available = available + ${d} WHERE account_id = ${B} AND instrument = '${INST}'`);
    };
    rewrite(100);
    assertDetected(verify(), 'entry', X, `rewriting entry ${X} and the holdings consistently`);
    rewrite(-100);
    assertClean('after undoing the rewrite');
  });

  it('a deleted entry breaks the chain', () => {
    h.sql(`DELETE FROM entry_accounts WHERE entry_id = ${Y}`);
    h.sql(`DELETE FROM entry_instruments WHERE entry_id = ${Y}`);
    h.sql(`DELETE FROM entries WHERE id = ${Y}`);
    const v = verify();
    assert.notEqual(v.status, 0, `verify must fail after deleting entry ${Y}:\n${v.stdout}`);
    assert.ok(v.json && v.json.ok === false && v.json.problems.length > 0, v.stdout);
    assert.ok(names(v.json.problems, 'entry', Y) || names(v.json.problems, 'entry', Y + 1),
      `verify names the gap at entry ${Y}: ${v.stdout}`);
  });
});
