// Goal: the greenloop command does what the README says — users created from the command line
// can sign in with their role, tokens it prints are accepted, bad arguments exit 2 with a
// message and change nothing, migrate is repeatable, verify reports a clean journal, and every
// subcommand has --help. Method: the real binary against the harness's fresh database (SQLite or
// PostgreSQL), with the server running for the API checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectStatus, startHarness, uid } from './harness.mjs';

describe('command line', () => {
  let h;
  before(async () => { h = await startHarness('cli'); });
  after(async () => { await h?.close(); });

  it('user add --password-stdin creates a user who can sign in with that role', async () => {
    const orgs = expectStatus(await h.api('GET', '/organizations?kind=verifier', { token: await h.as('regulator') }), 200, 'orgs').items;
    const name = `cli-${uid(4)}`;
    const r = h.cli(['user', 'add', '--db', h.dbUrl, '--name', name, '--role', 'verifier', '--org', String(orgs[0].id),
      '--password-stdin', '--json'], { stdin: 'a-long-password\n' });
    assert.equal(r.status, 0, r.stderr);
    const created = JSON.parse(r.stdout);
    assert.equal(created.name, name);
    assert.equal(created.role, 'verifier');
    const login = expectStatus(await h.api('POST', '/auth/login', { body: { name, password: 'a-long-password' } }), 200, 'login');
    assert.equal(login.user.role, 'verifier');
    assert.equal(login.user.org_id, orgs[0].id);
    const wrong = await h.api('POST', '/auth/login', { body: { name, password: 'a-long-passwordX' } });
    assert.equal(wrong.status, 401);
  });

  it('user add refuses a bad role, a missing organization, a short password and a duplicate name', () => {
    const base = ['user', 'add', '--db', h.dbUrl, '--password-stdin'];
    const cases = [
      [['--name', `x-${uid(3)}`, '--role', 'king'], 'long-enough-pw\n', /role/],
      [['--name', `x-${uid(3)}`, '--role', 'enterprise'], 'long-enough-pw\n', /organization/],
      [['--name', `x-${uid(3)}`, '--role', 'public'], 'short\n', /8 characters/],
      [['--name', 'regulator', '--role', 'public'], 'long-enough-pw\n', /already exists/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = h.cli([...base, ...args], { stdin });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('token create prints a bearer token the API accepts for that user', async () => {
    const r = h.cli(['token', 'create', '--db', h.dbUrl, '--user', 'ent-alu']);
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.trim();
    assert.ok(token.length >= 40);
    const me = expectStatus(await h.api('GET', '/auth/me', { token }), 200, 'me');
    assert.equal(me.user.name, 'ent-alu');
    const unknown = h.cli(['token', 'create', '--db', h.dbUrl, '--user', 'nobody-here']);
    assert.equal(unknown.status, 2);
  });

  it('migrate is repeatable and verify reports a clean journal', () => {
    const m = h.cli(['migrate', '--db', h.dbUrl, '--json']);
    assert.equal(m.status, 0, m.stderr);
    const migrated = JSON.parse(m.stdout);
    assert.deepEqual(migrated.applied, []);
    assert.ok(migrated.schema_version >= 1);
    const v = h.cli(['verify', '--db', h.dbUrl, '--json']);
    assert.equal(v.status, 0, v.stdout);
    const report = JSON.parse(v.stdout);
    assert.equal(report.ok, true);
    assert.ok(report.entries >= 200, 'the demo data has at least 200 entries');
  });

  it('every subcommand has --help, and usage errors exit 2', () => {
    for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['demo', '--help'], ['verify', '--help'],
      ['user', 'add', '--help'], ['token', 'create', '--help']]) {
      const r = h.cli(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /--/, `${args.join(' ')} lists its options`);
    }
    assert.equal(h.cli(['frobnicate']).status, 2);
    assert.equal(h.cli(['verify', '--db', 'mysql://nowhere/x']).status, 2);
  });
});
