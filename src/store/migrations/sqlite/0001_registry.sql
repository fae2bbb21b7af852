-- GreenLoop registry schema, version 1 (SQLite).
-- Quantities are integers in the instrument's smallest unit; times are microseconds since the
-- Unix epoch (UTC); dates are days since 1970-01-01.
CREATE TABLE instrument_families (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL,
  scale INTEGER NOT NULL CHECK (scale > 0),
  required_attributes TEXT NOT NULL,
  source TEXT NOT NULL
) STRICT;

CREATE TABLE instruments (
  code TEXT PRIMARY KEY,
  family TEXT NOT NULL REFERENCES instrument_families(code),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL,
  scale INTEGER NOT NULL CHECK (scale > 0),
  vintage INTEGER,
  region TEXT,
  valid_from_days INTEGER,
  valid_to_days INTEGER,
  attributes TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'expired')),
  created_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('region', 'enterprise', 'verifier', 'exchange', 'government')),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  uscc TEXT UNIQUE,
  region TEXT,
  industry TEXT,
  created_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  kind TEXT NOT NULL CHECK (kind IN ('holding', 'reserve', 'issuance', 'retirement', 'cancellation', 'clearing')),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'frozen', 'closed')),
  created_at_us INTEGER NOT NULL,
  status_changed_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_org ON accounts(org_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('regulator', 'region', 'enterprise', 'verifier', 'exchange', 'public')),
  org_id INTEGER REFERENCES organizations(id),
  password_hash TEXT NOT NULL,
  created_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  expires_at_us INTEGER NOT NULL
) STRICT;

-- An entry keeps its postings in one column, a JSON array of [account_id, instrument, bucket,
-- amount] in posting order: one row written per entry instead of one per posting. The two
-- narrow index tables answer "entries touching this account" and "entries of this instrument".
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('issue', 'transfer', 'freeze', 'unfreeze', 'retire', 'cancel', 'expire', 'reverse')),
  created_at_us INTEGER NOT NULL,
  reverses INTEGER REFERENCES entries(id),
  actor_user_id INTEGER NOT NULL,
  memo TEXT NOT NULL,
  postings TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX entries_created ON entries(created_at_us);
CREATE INDEX entries_reverses ON entries(reverses) WHERE reverses IS NOT NULL;

CREATE TABLE entry_accounts (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  PRIMARY KEY (account_id, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE entry_instruments (
  instrument TEXT NOT NULL REFERENCES instruments(code),
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  PRIMARY KEY (instrument, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE holdings (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  instrument TEXT NOT NULL REFERENCES instruments(code),
  available INTEGER NOT NULL,
  frozen INTEGER NOT NULL,
  PRIMARY KEY (account_id, instrument)
) STRICT, WITHOUT ROWID;

CREATE TABLE idempotency (
  user_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
