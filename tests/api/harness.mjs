// GreenLoop API test harness.
//
// Goal: let every API test file run against a real `greenloop serve` process on a database of its
// own, on SQLite or on PostgreSQL, and leave nothing running or lying around afterwards.
// Method: for each test file, make a fresh database (a file in a fresh temp dir, or a uniquely
// named PostgreSQL database created with psql), load it with `greenloop demo --db URL`, spawn
// `greenloop serve --db URL --port P` on a free loopback port and wait for GET /api/v1/health.
// The helpers below talk to that server with fetch (node built-ins only).
//
// Environment:
//   GREENLOOP_BIN          server binary (default <repo>/build/release/greenloop)
//   GREENLOOP_TEST_DB      "sqlite" (default) or "postgres" (or a postgresql:// base URL)
//   GREENLOOP_TEST_PG_URL  PostgreSQL base URL without a database, e.g. postgresql://postgres@127.0.0.1:55432
//   GREENLOOP_TEST_KEEP=1  keep temp dirs and PostgreSQL databases (for debugging)
//   GREENLOOP_TEST_LOG=1   print the server log when the harness closes

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const BIN = process.env.GREENLOOP_BIN || path.join(REPO, 'build', 'release', 'greenloop');

const rawDb = (process.env.GREENLOOP_TEST_DB || 'sqlite').trim();
export const DB_KIND = /^postgres(ql)?(:|$)/i.test(rawDb) ? 'postgres' : 'sqlite';
const PG_BASE = (() => {
  if (DB_KIND !== 'postgres') return null;
  const u = /^postgres(ql)?:\/\//i.test(rawDb) ? rawDb : process.env.GREENLOOP_TEST_PG_URL;
  if (!u) throw new Error('GREENLOOP_TEST_DB=postgres needs GREENLOOP_TEST_PG_URL (e.g. postgresql://postgres@127.0.0.1:55432)');
  return u.trim();
})();

/** PostgreSQL URL for database `name` on the base server (keeps any ?query of the base URL). */
export function pgUrl(name) {
  const q = PG_BASE.indexOf('?');
  const base = (q >= 0 ? PG_BASE.slice(0, q) : PG_BASE).replace(/\/+$/, '');
  const query = q >= 0 ? PG_BASE.slice(q) : '';
  // If the base URL already names a database, replace it.
  const m = base.match(/^(postgres(?:ql)?:\/\/[^/]*)(\/.*)?$/i);
  return `${m ? m[1] : base}/${name}${query}`;
}

export function psql(url, sql) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-c', sql], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${sql}\n${r.stderr}`);
  return r.stdout;
}

export function sqlite3(file, sql) {
  const r = spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', file, sql], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${sql}\n${r.stderr}`);
  return r.stdout;
}

/** Demo users and their passwords (loaded by `greenloop demo`). */
export const DEMO_PASSWORDS = {
  regulator: 'demo-regulator',
  'ent-power': 'demo-enterprise',
  'ent-alu': 'demo-enterprise',
  'ent-wind': 'demo-enterprise',
  'region-baotou': 'demo-region',
  'region-ordos': 'demo-region',
  verifier: 'demo-verifier',
  exchange: 'demo-exchange',
  public: 'demo-public',
};

// ---------------------------------------------------------------------------------------------
// USCC (统一社会信用代码, GB 32100-2015)

export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character for the first 17 characters of a USCC: 31 - (sum mod 31), 31 → 0. */
export function usccCheckChar(first17) {
  assert.equal(first17.length, 17);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]);
    assert.ok(v >= 0, `character ${first17[i]} is not allowed in a USCC`);
    sum += v * USCC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c];
}

/** Check character of a 9-character organization code (GB 11714): weights 3,7,9,10,5,8,4,2. */
export function orgCodeCheckChar(first8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * w[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** A fresh valid USCC for an enterprise ("91") registered in `region` (6-digit code). */
export function makeUscc(region = '150200') {
  const body = String(crypto.randomInt(10_000_000, 100_000_000));
  const first17 = `91${region}${body}${orgCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

// ---------------------------------------------------------------------------------------------
// small helpers used by the test files

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const uid = (n = 6) => crypto.randomBytes(n).toString('hex');
export const HEX64 = /^[0-9a-f]{64}$/;
export const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Assert that `res` is an error answer of the contract: the HTTP status (number or list), the
 * error.code (string or list), a non-empty explanatory message and, if given, the field.
 */
export function assertError(res, status, codes, { field } = {}) {
  const statuses = Array.isArray(status) ? status : [status];
  const cs = codes == null ? null : Array.isArray(codes) ? codes : [codes];
  const what = `expected HTTP ${statuses.join('|')}${cs ? ' ' + cs.join('|') : ''}, got ${res.status}: ${String(res.text).slice(0, 400)}`;
  assert.ok(statuses.includes(res.status), what);
  assert.ok(res.json && typeof res.json === 'object' && res.json.error && typeof res.json.error === 'object',
    `error body must be {"error":{...}}: ${what}`);
  const e = res.json.error;
  if (cs) assert.ok(cs.includes(e.code), `error.code: ${what}`);
  assert.equal(typeof e.message, 'string', `error.message must be a string: ${what}`);
  assert.ok(e.message.trim().length >= 8, `error.message must explain the problem: ${what}`);
  assert.notEqual(e.message.trim(), e.code, `error.message must say more than the code: ${what}`);
  if (field !== undefined) assert.equal(e.field, field, `error.field: ${what}`);
  return e;
}

/** Assert a 2xx (or the given status) answer and return its JSON body. */
export function expectStatus(res, status, ctx = '') {
  assert.equal(res.status, status, `${ctx} expected HTTP ${status}, got ${res.status}: ${String(res.text).slice(0, 600)}`);
  return res.json;
}

/** Sort postings to compare them as multisets. */
export function normPostings(ps) {
  return ps
    .map((p) => ({ account_id: p.account_id, instrument: p.instrument, bucket: p.bucket, amount: p.amount }))
    .sort((a, b) => a.account_id - b.account_id || a.instrument.localeCompare(b.instrument)
      || a.bucket.localeCompare(b.bucket) || a.amount - b.amount);
}

/** Sum of postings per instrument must be zero. */
export function assertBalanced(entry) {
  const sums = new Map();
  for (const p of entry.postings) sums.set(p.instrument, (sums.get(p.instrument) || 0n) + BigInt(p.amount));
  for (const [inst, s] of sums) assert.equal(s, 0n, `entry ${entry.id}: postings of ${inst} sum to ${s}, not 0`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------

const liveChildren = new Set();
process.on('exit', () => {
  for (const c of liveChildren) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Start a fresh database and server for one test file.
 * @param {string} tag short name used in temp dir and database names
 */
export async function startHarness(tag) {
  if (!fs.existsSync(BIN)) throw new Error(`server binary not found: ${BIN} (set GREENLOOP_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `greenloop-${tag}-`));
  const dbName = `gl_${tag.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${Date.now().toString(36)}_${uid(3)}`;
  let dbUrl;
  let dbFile = null;
  if (DB_KIND === 'sqlite') {
    dbFile = path.join(dir, 'x.db');
    dbUrl = `sqlite:${dbFile}`;
  } else {
    psql(pgUrl('postgres'), `CREATE DATABASE ${dbName}`);
    dbUrl = pgUrl(dbName);
  }

  const h = {
    tag, dir, dbUrl, dbFile, dbName, dbKind: DB_KIND, bin: BIN,
    child: null, port: null, baseUrl: null, logFile: null, starts: 0,
    serverErrors: [],      // every 5xx answer seen: {method, path, status, text}
    unexpectedExits: [],   // server exits that no stop()/kill9() asked for
    tokens: new Map(),
  };

  h.cli = (args, { stdin, timeoutMs = 120_000, env } = {}) => {
    const r = spawnSync(BIN, args, {
      input: stdin, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...(env || {}) },
    });
    return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
  };

  h.logTail = (n = 4000) => {
    try {
      const t = fs.readFileSync(h.logFile, 'utf8');
      return t.slice(-n);
    } catch { return ''; }
  };

  async function waitHealthy(child, deadlineMs) {
    const deadline = Date.now() + deadlineMs;
    let last = '';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy\n${h.logTail()}`);
      }
      try {
        const r = await fetch(`${h.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) { await r.text(); return; }
        last = `HTTP ${r.status}`;
      } catch (e) { last = String(e?.cause?.code || e?.message || e); }
      await sleep(100);
    }
    throw new Error(`server not healthy within ${deadlineMs} ms (${last})\n${h.logTail()}`);
  }

  h.start = async () => {
    assert.equal(h.child, null, 'server already running');
    h.port = await freePort();
    h.baseUrl = `http://127.0.0.1:${h.port}`;
    h.starts += 1;
    h.logFile = path.join(dir, `server-${h.starts}.log`);
    const fd = fs.openSync(h.logFile, 'a');
    const child = spawn(BIN, ['serve', '--db', dbUrl, '--port', String(h.port)], {
      stdio: ['ignore', fd, fd], detached: false,
    });
    fs.closeSync(fd);
    child.expectedExit = false;
    child.exited = new Promise((resolve) => child.on('exit', (code, sig) => {
      liveChildren.delete(child);
      if (!child.expectedExit) h.unexpectedExits.push({ code, sig, log: h.logTail(2000) });
      resolve({ code, sig });
    }));
    liveChildren.add(child);
    h.child = child;
    try {
      await waitHealthy(child, 20_000);
    } catch (e) {
      child.expectedExit = true;
      child.kill('SIGKILL');
      await child.exited;
      h.child = null;
      throw e;
    }
  };

  /** Graceful stop: SIGTERM, then SIGKILL after 10 s. */
  h.stop = async () => {
    const c = h.child;
    if (!c) return;
    c.expectedExit = true;
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      const t = setTimeout(() => { try { c.kill('SIGKILL'); } catch { /* gone */ } }, 10_000);
      await c.exited;
      clearTimeout(t);
    }
    h.child = null;
    h.tokens.clear();
  };

  /** Crash: SIGKILL, no chance to clean up. */
  h.kill9 = async () => {
    const c = h.child;
    if (!c) return;
    c.expectedExit = true;
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await c.exited;
    h.child = null;
    h.tokens.clear();
  };

  h.restart = async () => {
    if (h.child) await h.stop();
    await h.start();
  };

  /**
   * HTTP call. Paths are relative to /api/v1 unless they start with /api/.
   * POST/PATCH/PUT/DELETE get a fresh Idempotency-Key unless idempotencyKey is given (null = none).
   */
  h.api = async (method, p, { token, body, rawBody, headers = {}, idempotencyKey, timeoutMs = 120_000 } = {}) => {
    const url = h.baseUrl + (p.startsWith('/api/') ? p : `/api/v1${p}`);
    const hd = { ...headers };
    if (token) hd.authorization = `Bearer ${token}`;
    let payload;
    if (rawBody !== undefined) {
      payload = rawBody;
      if (!Object.keys(hd).some((k) => k.toLowerCase() === 'content-type')) hd['content-type'] = 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      hd['content-type'] = 'application/json';
    }
    const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (idempotencyKey !== undefined) {
      if (idempotencyKey !== null) hd['idempotency-key'] = idempotencyKey;
    } else if (mutating && !p.includes('/auth/')) {
      hd['idempotency-key'] = crypto.randomUUID();
    }
    const res = await fetch(url, { method, headers: hd, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    if (res.status >= 500) h.serverErrors.push({ method, path: p, status: res.status, text: text.slice(0, 500) });
    return { status: res.status, json, text, headers: res.headers };
  };

  h.login = async (name, password = DEMO_PASSWORDS[name]) => {
    const r = await h.api('POST', '/auth/login', { body: { name, password } });
    expectStatus(r, 200, `login ${name}:`);
    assert.equal(typeof r.json.token, 'string');
    assert.ok(r.json.token.length > 0);
    return r.json.token;
  };

  /** Cached token of a demo user (cache is cleared on stop/restart). */
  h.as = async (name) => {
    if (!h.tokens.has(name)) h.tokens.set(name, await h.login(name));
    return h.tokens.get(name);
  };

  /** GET /auth/me as `name`. */
  h.me = async (name) => expectStatus(await h.api('GET', '/auth/me', { token: await h.as(name) }), 200, 'me').user;

  // ----- ledger helpers -----

  h.health = async () => expectStatus(await h.api('GET', '/health'), 200, 'health');

  /** Number of entries and newest entry id (as the regulator). */
  h.journalState = async () => {
    const reg = await h.as('regulator');
    const hl = await h.health();
    const j = expectStatus(await h.api('GET', '/journal?limit=1', { token: reg }), 200, 'journal');
    return { entries: hl.entries, latestId: j.items.length ? j.items[0].id : null };
  };

  /** {balance, frozen, available} of account/instrument as `token` (regulator by default). */
  h.holding = async (account, instrument, token) => {
    token = token || await h.as('regulator');
    const j = expectStatus(await h.api('GET', `/accounts/${account}/holdings`, { token }), 200, `holdings of ${account}`);
    assert.equal(j.account_id, account);
    const it = j.items.find((x) => x.instrument === instrument);
    if (!it) return { balance: 0, frozen: 0, available: 0 };
    assert.equal(it.balance, it.available + it.frozen, `holding ${account}/${instrument}: balance must be available + frozen`);
    return { balance: it.balance, frozen: it.frozen, available: it.available };
  };

  /** Snapshot to prove that a refused request changed nothing. */
  h.snapshot = async (holdings = []) => {
    const s = await h.journalState();
    s.holdings = [];
    for (const [acct, inst] of holdings) s.holdings.push([acct, inst, await h.holding(acct, inst)]);
    return s;
  };
  h.assertUnchanged = async (before, ctx = '') => {
    const after = await h.snapshot(before.holdings.map(([a, i]) => [a, i]));
    assert.deepEqual(after, before, `${ctx}: a refused request must change nothing`);
  };

  /** Walk GET /journal?query with cursor pagination; returns all items (newest first). */
  h.walkJournal = async (query = '', { token, limit = 200 } = {}) => {
    token = token || await h.as('regulator');
    const items = [];
    let cursor = null;
    for (let page = 0; page < 100_000; page++) {
      const q = new URLSearchParams(query);
      q.set('limit', String(limit));
      if (cursor) q.set('cursor', cursor);
      const j = expectStatus(await h.api('GET', `/journal?${q}`, { token }), 200, `journal ${q}`);
      assert.ok(Array.isArray(j.items), 'journal items');
      assert.ok(j.items.length <= limit, `journal page has ${j.items.length} items, limit was ${limit}`);
      items.push(...j.items);
      if (j.next_cursor === null || j.next_cursor === undefined) return items;
      assert.equal(typeof j.next_cursor, 'string');
      assert.ok(j.items.length > 0, 'a page with a next_cursor must not be empty');
      cursor = j.next_cursor;
    }
    throw new Error('journal pagination did not end');
  };

  /** Accounts of a kind (as the regulator). */
  h.accounts = async (query = '') => {
    const reg = await h.as('regulator');
    return expectStatus(await h.api('GET', `/accounts${query ? '?' + query : ''}`, { token: reg }), 200, 'accounts').items;
  };

  /** The registry's system account of a kind (issuance, retirement, cancellation). */
  h.systemAccount = async (kind) => {
    const items = (await h.accounts(`kind=${kind}`)).filter((a) => a.kind === kind);
    assert.ok(items.length >= 1, `demo data must have an ${kind} account`);
    return items[0].id;
  };

  /** An open holding account of demo user `name` (as seen by that user) holding ≥ min of instrument. */
  h.findHolding = async (name, instrument = null, min = 0) => {
    const t = await h.as(name);
    const items = expectStatus(await h.api('GET', '/accounts', { token: t }), 200, `accounts of ${name}`).items;
    for (const a of items.filter((x) => x.kind === 'holding' && x.status === 'open')) {
      if (!instrument || (await h.holding(a.id, instrument)).available >= min) return a.id;
    }
    throw new Error(`${name} has no open holding account${instrument ? ` with ${min} ${instrument}` : ''}`);
  };

  // ----- fixtures created by the regulator -----

  h.makeOrg = async ({ region = '150200', kind = 'enterprise', industry = 'power', name } = {}) => {
    const reg = await h.as('regulator');
    const n = name || `测试企业-${uid(4)}`;
    const body = { kind, name_zh: n, name_en: `Test org ${n}`, uscc: makeUscc(region), region, industry };
    const r = await h.api('POST', '/organizations', { token: reg, body });
    const org = expectStatus(r, 201, 'create organization');
    assert.equal(typeof org.id, 'number');
    return org;
  };

  h.makeAccount = async (orgId, { kind = 'holding', name } = {}) => {
    const reg = await h.as('regulator');
    const r = await h.api('POST', '/accounts', { token: reg, body: { org_id: orgId, kind, name: name || `acct-${uid(4)}` } });
    const a = expectStatus(r, 201, 'create account');
    assert.equal(a.org_id, orgId);
    assert.equal(a.status, 'open');
    return a.id;
  };

  h.makeInstrument = async ({ family = 'CEA', validFrom = '2020-01-01', validTo = null, code } = {}) => {
    const reg = await h.as('regulator');
    const c = code || `${family}-T${uid(4).toUpperCase()}`;
    const body = {
      code: c, family, name_zh: `测试品种 ${c}`, name_en: `Test instrument ${c}`, vintage: 2024,
      region: null, valid_from: validFrom, valid_to: validTo, attributes: {},
    };
    const r = await h.api('POST', '/instruments', { token: reg, body });
    const inst = expectStatus(r, 201, 'create instrument');
    assert.equal(inst.code, c);
    return c;
  };

  h.issue = async (instrument, toAccount, quantity, memo = 'test issuance') => {
    const reg = await h.as('regulator');
    const r = await h.api('POST', '/issuances', { token: reg, body: { instrument, to_account: toAccount, quantity, memo } });
    return expectStatus(r, 201, `issue ${quantity} ${instrument} to ${toAccount}`);
  };

  h.transfer = async (token, from, to, instrument, quantity, opts = {}) => {
    const r = await h.api('POST', '/transfers', {
      token, body: { from_account: from, to_account: to, instrument, quantity, memo: opts.memo || 'test transfer' }, ...opts,
    });
    return r;
  };

  /** Run SQL directly on the test database (sqlite3 or psql); returns the text output. */
  h.sql = (sql) => (DB_KIND === 'sqlite' ? sqlite3(dbFile, sql) : psql(dbUrl, sql));

  /** Column names of a table in the test database. */
  h.columns = (table) => {
    const out = DB_KIND === 'sqlite'
      ? sqlite3(dbFile, `SELECT name FROM pragma_table_info('${table}')`)
      : psql(dbUrl, `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`);
    return out.split('\n').map((x) => x.trim()).filter(Boolean);
  };

  /** Close: stop the server, drop the database, remove the temp dir. Safe to call twice. */
  h.close = async () => {
    try { await h.kill9(); } catch { /* ignore */ }
    if (process.env.GREENLOOP_TEST_LOG) process.stderr.write(`--- server log (${tag}) ---\n${h.logTail(20000)}\n`);
    if (process.env.GREENLOOP_TEST_KEEP) return;
    if (DB_KIND === 'postgres' && !h.dropped) {
      h.dropped = true;
      try { psql(pgUrl('postgres'), `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`); } catch (e) { process.stderr.write(String(e) + '\n'); }
    }
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* ignore */ }
  };

  try {
    const d = h.cli(['demo', '--db', dbUrl], { timeoutMs: 180_000 });
    if (d.status !== 0) throw new Error(`greenloop demo failed (${d.status ?? d.signal}):\n${d.stdout}\n${d.stderr}`);
    await h.start();
  } catch (e) {
    await h.close();
    throw e;
  }
  return h;
}

/** Assert that no request got a 5xx and the server never died on its own. */
export function assertServerHealthy(h) {
  assert.deepEqual(h.serverErrors, [], 'no request may get a 5xx answer');
  assert.deepEqual(h.unexpectedExits.map((e) => `${e.code ?? e.sig}`), [], `the server must not exit by itself\n${h.unexpectedExits.map((e) => e.log).join('\n')}`);
}
