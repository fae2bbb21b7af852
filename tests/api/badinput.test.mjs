// Goal: prove that bad input gets a clear 4xx error that names what was wrong and changes
// nothing: no 5xx, no crash, no half-written state.
// Method: against a real server on a fresh database, send malformed JSON, wrong types, missing
// and unknown fields, zero/negative/overflowing quantities, unknown instruments and accounts,
// impossible movements, invalid USCCs, bad tokens and wrong roles. For each: the HTTP status and
// error.code the contract (docs/api.md) prescribes, a non-empty explanatory message, the field
// where one field is at fault, and a snapshot (journal count, newest entry id, the involved
// holdings) taken before equals the one taken after.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  USCC_CHARS, assertError, assertServerHealthy, expectStatus, makeUscc, sleep, uid, usccCheckChar, startHarness,
} from './harness.mjs';

const I64_MAX = '9223372036854775807';

describe('bad input', () => {
  let h; let reg; let org; let A; let B; let INST;
  let snap;

  before(async () => {
    h = await startHarness('badinput');
    reg = await h.as('regulator');
    org = await h.makeOrg();
    A = await h.makeAccount(org.id);
    B = await h.makeAccount(org.id);
    INST = await h.makeInstrument({ family: 'CEA' });
    await h.issue(INST, A, 1000);
  });
  after(async () => { await h?.close(); });

  const valid = () => ({ from_account: A, to_account: B, instrument: INST, quantity: 10, memo: 'x' });
  const raw = (o) => JSON.stringify(o);
  // Replace the quantity of a valid transfer body by a raw JSON literal.
  const withQty = (lit) => raw({ ...valid(), quantity: 0 }).replace('"quantity":0', `"quantity":${lit}`);

  async function refused(method, path, opts, status, code, field, token = reg) {
    snap = await h.snapshot([[A, INST], [B, INST]]);
    const r = await h.api(method, path, { token, ...opts });
    assertError(r, status, code, field === undefined ? {} : { field });
    await h.assertUnchanged(snap, `${method} ${path} ${opts.rawBody ?? JSON.stringify(opts.body)}`);
    return r;
  }

  describe('malformed requests on POST /transfers', () => {
    const cases = [
      ['truncated JSON', '{"from_account": 1,', 'malformed_json'],
      ['not JSON at all', 'transfer 10 please', 'malformed_json'],
      ['empty body', '', 'malformed_json'],
      ['trailing garbage', () => raw(valid()) + ' }', 'malformed_json'],
      ['single quotes', () => raw(valid()).replaceAll('"', "'"), 'malformed_json'],
      ['JSON array instead of object', () => `[${raw(valid())}]`, ['invalid_field', 'malformed_json']],
      ['JSON string instead of object', '"hello"', ['invalid_field', 'malformed_json']],
    ];
    for (const [name, body, code] of cases) {
      it(name, async () => {
        await refused('POST', '/transfers', { rawBody: typeof body === 'function' ? body() : body }, 400, code);
      });
    }
  });

  describe('wrong types, missing and unknown fields on POST /transfers', () => {
    const cases = [
      ['string quantity', () => withQty('"10"'), ['invalid_quantity', 'invalid_field'], 'quantity'],
      ['float quantity 1.5', () => withQty('1.5'), 'invalid_quantity', 'quantity'],
      ['boolean quantity', () => withQty('true'), ['invalid_quantity', 'invalid_field'], 'quantity'],
      ['null quantity', () => withQty('null'), ['invalid_quantity', 'invalid_field', 'missing_field'], 'quantity'],
      ['object quantity', () => withQty('{"v":10}'), ['invalid_quantity', 'invalid_field'], 'quantity'],
      ['string account id', () => raw({ ...valid(), to_account: String(B) }), 'invalid_field', 'to_account'],
      ['float account id', () => raw({ ...valid(), from_account: A + 0.5 }), 'invalid_field', 'from_account'],
      ['numeric instrument', () => raw({ ...valid(), instrument: 2024 }), 'invalid_field', 'instrument'],
      ['numeric memo', () => raw({ ...valid(), memo: 5 }), 'invalid_field', 'memo'],
      ['missing quantity', () => { const v = valid(); delete v.quantity; return raw(v); }, 'missing_field', 'quantity'],
      ['missing from_account', () => { const v = valid(); delete v.from_account; return raw(v); }, 'missing_field', 'from_account'],
      ['missing to_account', () => { const v = valid(); delete v.to_account; return raw(v); }, 'missing_field', 'to_account'],
      ['missing instrument', () => { const v = valid(); delete v.instrument; return raw(v); }, 'missing_field', 'instrument'],
      ['unknown field', () => raw({ ...valid(), foo: 1 }), 'unknown_field', 'foo'],
      ['identity smuggled in the body', () => raw({ ...valid(), actor: 'regulator' }), 'unknown_field', 'actor'],
      ['zero quantity', () => withQty('0'), 'invalid_quantity', 'quantity'],
      ['negative quantity', () => withQty('-5'), 'invalid_quantity', 'quantity'],
      ['quantity -2^63', () => withQty('-9223372036854775808'), 'invalid_quantity', 'quantity'],
      ['quantity 2^63', () => withQty('9223372036854775808'), 'invalid_quantity', 'quantity'],
      ['quantity 2^64', () => withQty('18446744073709551616'), 'invalid_quantity', 'quantity'],
      ['quantity 2^64+10', () => withQty('18446744073709551626'), 'invalid_quantity', 'quantity'],
      ['quantity 10^30', () => withQty('1000000000000000000000000000000'), 'invalid_quantity', 'quantity'],
      ['quantity 1e30', () => withQty('1e30'), 'invalid_quantity', 'quantity'],
    ];
    for (const [name, body, code, field] of cases) {
      it(name, async () => { await refused('POST', '/transfers', { rawBody: body() }, 400, code, field); });
    }
  });

  describe('ledger refusals on POST /transfers', () => {
    it('unknown instrument → 404', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), instrument: 'NOPE-0000' } }, 404, 'not_found');
    });
    it('unknown to_account → 404', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), to_account: 987654321 } }, 404, 'not_found');
    });
    it('unknown from_account → 404', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), from_account: 987654321 } }, 404, 'not_found');
    });
    it('insufficient available → 422', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), quantity: 1001 } }, 422, 'insufficient_available');
    });
    it('quantity 2^63-1 is a valid quantity but not available → 422', async () => {
      await refused('POST', '/transfers', { rawBody: withQty(I64_MAX) }, 422, 'insufficient_available');
    });
    it('self-transfer → 422 same_account', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), to_account: A } }, 422, 'same_account');
    });
  });

  describe('batches', () => {
    it('an empty batch is refused', async () => {
      await refused('POST', '/transfers', { body: { transfers: [] } }, 400, ['invalid_field', 'missing_field', 'batch_too_large'], 'transfers');
    });
    it('a batch that is not a list is refused', async () => {
      await refused('POST', '/transfers', { body: { transfers: 'all of them' } }, 400, 'invalid_field', 'transfers');
    });
    it('a batch with one malformed item is refused whole', async () => {
      await refused('POST', '/transfers', {
        rawBody: `{"transfers":[${raw(valid())},${withQty('1.5')}]}`,
      }, 400, 'invalid_quantity');
    });
  });

  describe('other movement endpoints', () => {
    it('issuance of quantity 0 → 400', async () => {
      await refused('POST', '/issuances', { body: { instrument: INST, to_account: A, quantity: 0 } }, 400, 'invalid_quantity', 'quantity');
    });
    it('issuance without to_account → 400', async () => {
      await refused('POST', '/issuances', { body: { instrument: INST, quantity: 5 } }, 400, 'missing_field', 'to_account');
    });
    it('issuance of an unknown instrument → 404', async () => {
      await refused('POST', '/issuances', { body: { instrument: 'CEA-NOPE', to_account: A, quantity: 5 } }, 404, 'not_found');
    });
    it('issuance to an unknown account → 404', async () => {
      await refused('POST', '/issuances', { body: { instrument: INST, to_account: 987654321, quantity: 5 } }, 404, 'not_found');
    });
    it('freeze of more than available → 422', async () => {
      await refused('POST', '/freezes', { body: { account: A, instrument: INST, quantity: 1001 } }, 422, 'insufficient_available');
    });
    it('unfreeze of more than frozen → 422', async () => {
      await refused('POST', '/unfreezes', { body: { account: A, instrument: INST, quantity: 1 } }, 422, 'insufficient_frozen');
    });
    it('retirement of a negative quantity → 400', async () => {
      await refused('POST', '/retirements', { body: { account: A, instrument: INST, quantity: -1 } }, 400, 'invalid_quantity', 'quantity');
    });
    it('cancellation with a float quantity → 400', async () => {
      await refused('POST', '/cancellations', { rawBody: `{"account":${A},"instrument":"${INST}","quantity":2.5}` }, 400, 'invalid_quantity', 'quantity');
    });
    it('reversal of an unknown entry → 404', async () => {
      await refused('POST', '/reversals', { body: { entry_id: 987654321 } }, 404, 'not_found');
    });
    it('reversal with a string entry id → 400', async () => {
      await refused('POST', '/reversals', { body: { entry_id: 'last' } }, 400, 'invalid_field', 'entry_id');
    });
    it('issuance that would overflow a 64-bit holding → 422 quantity_overflow', async () => {
      const O = await h.makeAccount(org.id);
      const X = await h.makeInstrument({ family: 'CEA' });
      const r = await h.api('POST', '/issuances', { token: reg, rawBody: `{"instrument":"${X}","to_account":${O},"quantity":${I64_MAX}}` });
      expectStatus(r, 201, 'issuance of 2^63-1');
      const hold = await h.api('GET', `/accounts/${O}/holdings`, { token: reg });
      expectStatus(hold, 200, 'holdings');
      assert.match(hold.text, new RegExp(`"balance"\\s*:\\s*${I64_MAX}\\b`), `exact balance 2^63-1 in ${hold.text}`);
      const before = await h.journalState();
      const r2 = await h.api('POST', '/issuances', { token: reg, body: { instrument: X, to_account: O, quantity: 1 } });
      assertError(r2, 422, 'quantity_overflow');
      assert.deepEqual(await h.journalState(), before);
      const hold2 = await h.api('GET', `/accounts/${O}/holdings`, { token: reg });
      assert.equal(hold2.text, hold.text, 'holding unchanged');
    });
  });

  describe('organizations, accounts, instruments', () => {
    const orgBody = (uscc) => ({ kind: 'enterprise', name_zh: `坏数据-${uid(4)}`, name_en: `Bad ${uid(4)}`, uscc, region: '150200', industry: 'power' });
    async function orgRefused(body, status, code, field) {
      const before = expectStatus(await h.api('GET', '/organizations', { token: reg }), 200, 'orgs').items;
      const r = await h.api('POST', '/organizations', { token: reg, body });
      assertError(r, status, code, field === undefined ? {} : { field });
      const afterItems = expectStatus(await h.api('GET', '/organizations', { token: reg }), 200, 'orgs').items;
      assert.deepEqual(afterItems, before, 'refused organization changes nothing');
      assert.ok(!afterItems.some((o) => o.name_zh === body.name_zh));
    }
    it('USCC with a wrong check digit → 400 invalid_uscc', async () => {
      const good = makeUscc();
      const bad = good.slice(0, 17) + USCC_CHARS[(USCC_CHARS.indexOf(good[17]) + 1) % 31];
      await orgRefused(orgBody(bad), 400, 'invalid_uscc', 'uscc');
    });
    for (const letter of ['I', 'O', 'S', 'V', 'Z']) {
      it(`USCC with forbidden letter ${letter} → 400 invalid_uscc`, async () => {
        const good = makeUscc();
        const bad = good.slice(0, 10) + letter + good.slice(11);
        await orgRefused(orgBody(bad), 400, 'invalid_uscc', 'uscc');
      });
    }
    it('USCC of 17 and 19 characters → 400 invalid_uscc', async () => {
      const good = makeUscc();
      await orgRefused(orgBody(good.slice(0, 17)), 400, 'invalid_uscc', 'uscc');
      const f18 = good.slice(0, 17) + '0';
      await orgRefused(orgBody(f18 + usccCheckChar(f18.slice(1))), 400, 'invalid_uscc', 'uscc');
    });
    it('enterprise without USCC → 400 missing_field', async () => {
      const b = orgBody(null); delete b.uscc;
      await orgRefused(b, 400, 'missing_field', 'uscc');
    });
    it('duplicate USCC → 409 duplicate', async () => {
      expectStatus(await h.api('GET', `/organizations/${org.id}`, { token: reg }), 200, 'org');
      await orgRefused(orgBody(org.uscc), 409, 'duplicate');
    });
    it('account with an unknown kind → 400, for an unknown organization → 404', async () => {
      const before = await h.accounts();
      assertError(await h.api('POST', '/accounts', { token: reg, body: { org_id: org.id, kind: 'piggybank', name: 'x' } }), 400, 'invalid_field', { field: 'kind' });
      assertError(await h.api('POST', '/accounts', { token: reg, body: { org_id: 987654321, kind: 'holding', name: 'x' } }), 404, 'not_found');
      assert.deepEqual(await h.accounts(), before);
    });
    it('PATCH account with an unknown status → 400', async () => {
      assertError(await h.api('PATCH', `/accounts/${A}`, { token: reg, body: { status: 'sleeping' } }), 400, 'invalid_field', { field: 'status' });
      assert.equal(expectStatus(await h.api('GET', `/accounts/${A}`, { token: reg }), 200, 'acct').status, 'open');
    });
    for (const [name, patch, field, status, codes] of [
      ['an impossible date', { valid_from: '2024-02-30' }, 'valid_from', 400, 'invalid_field'],
      ['a date that is not a date', { valid_to: 'soon' }, 'valid_to', 400, 'invalid_field'],
      ['valid_to before valid_from', { valid_from: '2025-01-01', valid_to: '2024-12-31' }, undefined, 400, 'invalid_field'],
      ['an unknown family', { family: 'NOPE' }, undefined, [400, 404], ['invalid_field', 'not_found']],
      ['a missing family', { family: undefined }, 'family', 400, 'missing_field'],
      ['a numeric code', { code: 42 }, 'code', 400, 'invalid_field'],
    ]) {
      it(`instrument with ${name} → 4xx`, async () => {
        const code = `CEA-B${uid(3).toUpperCase()}`;
        const body = { code, family: 'CEA', name_zh: 'x', name_en: 'x', vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {}, ...patch };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        const r = await h.api('POST', '/instruments', { token: reg, body });
        assertError(r, status, codes, field === undefined ? {} : { field });
        const list = expectStatus(await h.api('GET', '/instruments', { token: reg }), 200, 'instruments').items;
        assert.ok(!list.some((i) => i.code === code || i.code === body.code), 'no instrument was created');
      });
    }
    it('duplicate instrument code → 409 duplicate', async () => {
      const r = await h.api('POST', '/instruments', {
        token: reg,
        body: { code: INST, family: 'CEA', name_zh: 'dup', name_en: 'dup', vintage: 2024, region: null, valid_from: '2020-01-01', valid_to: null, attributes: {} },
      });
      assertError(r, 409, 'duplicate');
    });
  });

  describe('query parameters and routes', () => {
    for (const q of ['/journal?limit=abc', '/journal?limit=-1', '/journal?cursor=%00garbage%FF', '/journal?from=yesterday',
      '/journal?to=2026-13-45T00:00:00Z', '/journal?account=abc', '/journal?kind=bogus', '/accounts?kind=bogus', '/accounts?org=abc',
      '/organizations?kind=bogus', '/stats/activity?days=abc', '/stats/activity?days=-1']) {
      it(`GET ${q} → 400`, async () => {
        assertError(await h.api('GET', q, { token: reg }), 400, 'invalid_field');
      });
    }
    it('unknown route → 404 not_found', async () => {
      assertError(await h.api('GET', '/no/such/thing', { token: reg }), 404, 'not_found');
    });
    it('non-numeric account id → 400 or 404', async () => {
      assertError(await h.api('GET', '/accounts/abc', { token: reg }), [400, 404], ['invalid_field', 'not_found']);
    });
    it('unknown entry → 404', async () => {
      assertError(await h.api('GET', '/journal/987654321', { token: reg }), 404, 'not_found');
    });
    it('Idempotency-Key longer than 128 characters → 400', async () => {
      await refused('POST', '/transfers', { body: valid(), idempotencyKey: 'k'.repeat(129) }, 400, ['invalid_field', 'missing_idempotency_key']);
    });
    it('POST without Idempotency-Key is either accepted or refused with missing_idempotency_key', async () => {
      const before = await h.snapshot([[A, INST], [B, INST]]);
      const r = await h.api('POST', '/transfers', { token: reg, body: { ...valid(), quantity: 1 }, idempotencyKey: null });
      if (r.status === 201) {
        assert.equal((await h.journalState()).entries, before.entries + 1);
        assert.equal((await h.holding(B, INST)).balance, before.holdings[1][2].balance + 1);
        // Put it back so the other cases keep their expected holdings.
        expectStatus(await h.transfer(reg, B, A, INST, 1), 201, 'transfer back');
      } else {
        assertError(r, 400, 'missing_idempotency_key');
        await h.assertUnchanged(before, 'no key');
      }
    });
  });

  describe('hostile bodies and identifiers', () => {
    it('negative zero quantity → 400', async () => {
      await refused('POST', '/transfers', { rawBody: withQty('-0') }, 400, 'invalid_quantity', 'quantity');
    });
    it('account id 2^63 → 400 or 404', async () => {
      await refused('POST', '/transfers', { rawBody: raw(valid()).replace(`"to_account":${B}`, '"to_account":9223372036854775808') },
        [400, 404], ['invalid_field', 'not_found']);
    });
    it('deeply nested JSON (100000 levels) → 400, no crash', async () => {
      await refused('POST', '/transfers', { rawBody: '['.repeat(100000) + ']'.repeat(100000) }, 400, ['malformed_json', 'invalid_field']);
      await refused('POST', '/transfers', { rawBody: raw(valid()).replace('"memo":"x"', `"memo":${'['.repeat(50000)}${']'.repeat(50000)}`) },
        400, ['malformed_json', 'invalid_field']);
    });
    it('invalid UTF-8 in a string → 400', async () => {
      const body = Buffer.concat([Buffer.from(raw(valid()).replace('"memo":"x"', '"memo":"')), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
      const trimmed = Buffer.concat([body.subarray(0, body.length - 2), Buffer.from('"}')]);
      await refused('POST', '/transfers', { rawBody: trimmed }, 400, ['malformed_json', 'invalid_field']);
    });
    it('a 12 MB body → 4xx, no crash', async () => {
      await refused('POST', '/transfers', { body: { ...valid(), memo: 'x'.repeat(12 * 1024 * 1024) } }, [400, 413], null);
    });
    it('ids beyond 64 bits in paths → 400 or 404', async () => {
      for (const p of ['/accounts/99999999999999999999', '/accounts/99999999999999999999/holdings', '/journal/99999999999999999999',
        '/journal/-1', '/organizations/1e3']) {
        assertError(await h.api('GET', p, { token: reg }), [400, 404], ['invalid_field', 'not_found']);
      }
    });
    it('a huge page size is clamped or refused', async () => {
      const r = await h.api('GET', '/journal?limit=100000000', { token: reg });
      if (r.status === 200) assert.ok(Array.isArray(r.json.items));
      else assertError(r, 400, 'invalid_field', { field: 'limit' });
    });
  });

  describe('authentication and roles', () => {
    it('missing token → 401', async () => {
      await refused('POST', '/transfers', { body: valid() }, 401, 'unauthenticated', undefined, null);
      assertError(await h.api('GET', '/accounts'), 401, 'unauthenticated');
      assertError(await h.api('GET', `/accounts/${A}/holdings`), 401, 'unauthenticated');
    });
    it('forged token → 401', async () => {
      const t = await h.login('regulator');
      const last = t[t.length - 1];
      const forged = t.slice(0, -1) + (last === 'A' ? 'B' : 'A');
      await refused('POST', '/transfers', { body: valid() }, 401, 'unauthenticated', undefined, forged);
      await refused('POST', '/transfers', { body: valid() }, 401, 'unauthenticated', undefined, 'not-a-token');
      assertError(await h.api('GET', '/accounts', { headers: { authorization: `Basic ${Buffer.from('regulator:demo-regulator').toString('base64')}` } }), 401, 'unauthenticated');
    });
    it('expired token → 401', async () => {
      // `greenloop token create --ttl-hours 0.0003` gives a token that lives about one second; it
      // is used once while fresh (so any cache of checked tokens holds it) and again after expiry.
      const c = h.cli(['token', 'create', '--db', h.dbUrl, '--user', 'ent-wind', '--ttl-hours', '0.0003', '--json']);
      assert.equal(c.status, 0, `token create: ${c.stdout}${c.stderr}`);
      const { token: tok, expires_at: exp } = JSON.parse(c.stdout);
      expectStatus(await h.api('GET', '/auth/me', { token: tok }), 200, 'fresh token works');
      await sleep(Math.max(0, Date.parse(exp) - Date.now()) + 500);
      assertError(await h.api('GET', '/auth/me', { token: tok }), 401, 'unauthenticated');
      await refused('POST', '/transfers', { body: valid() }, 401, 'unauthenticated', undefined, tok);
    });
    it('wrong password and unknown user → 401', async () => {
      assertError(await h.api('POST', '/auth/login', { body: { name: 'regulator', password: 'wrong' } }), 401, 'unauthenticated');
      assertError(await h.api('POST', '/auth/login', { body: { name: 'nobody-' + uid(), password: 'x' } }), 401, 'unauthenticated');
      assertError(await h.api('POST', '/auth/login', { rawBody: '{"name":' }), 400, 'malformed_json');
    });
    it('enterprise cannot issue → 403', async () => {
      const ent = await h.as('ent-power');
      await refused('POST', '/issuances', { body: { instrument: INST, to_account: A, quantity: 5 } }, 403, 'forbidden', undefined, ent);
    });
  });

  it('no request got a 5xx and the server never crashed; the journal still verifies', async () => {
    const v = expectStatus(await h.api('GET', '/verify', { token: reg }), 200, 'verify');
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assertServerHealthy(h);
  });
});
