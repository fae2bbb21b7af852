#include "store/sql_store.h"

#include <algorithm>
#include <map>

#include "core/assert.h"
#include "core/embedded.h"
#include "core/time.h"
#include "store/postings_codec.h"

namespace greenloop {
namespace {

constexpr size_t kMaxPooledReaders = 16;
constexpr EntryId kScanPageEntries = 2000;

const char* const kInstrumentColumns =
    "code, family, name_zh, name_en, unit, scale, vintage, region, valid_from_days, valid_to_days, attributes, "
    "status, created_at_us";
const char* const kOrganizationColumns = "id, kind, name_zh, name_en, uscc, region, industry, created_at_us";
const char* const kAccountColumns = "a.id, a.org_id, a.kind, a.name, a.status, a.created_at_us, a.status_changed_at_us";
const char* const kEntryColumns =
    "e.id, e.kind, e.created_at_us, e.reverses, e.actor_user_id, e.memo, e.prev_hash, e.hash, e.postings";
const char* const kUserColumns = "id, name, display_name, role, org_id, password_hash, created_at_us";

SqlValue Opt(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Opt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Opt(const std::optional<std::int32_t>& v) { return v ? SqlValue(std::int64_t{*v}) : SqlValue(); }
SqlValue Str(std::string_view v) { return SqlValue(std::string(v)); }

std::string JoinAttributes(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

std::vector<std::string> SplitAttributes(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

InstrumentFamily ReadFamily(const SqlRow& r) {
  return InstrumentFamily{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), SplitAttributes(r.Text(5)), r.Text(6)};
}

Instrument ReadInstrument(const SqlRow& r) {
  Instrument i;
  i.code = r.Text(0);
  i.family = r.Text(1);
  i.name_zh = r.Text(2);
  i.name_en = r.Text(3);
  i.unit = r.Text(4);
  i.scale = r.Int(5);
  if (auto v = r.OptInt(6)) i.vintage = static_cast<std::int32_t>(*v);
  i.region = r.OptText(7);
  i.valid_from_days = r.OptInt(8);
  i.valid_to_days = r.OptInt(9);
  i.attributes_json = r.Text(10);
  i.status = ParseInstrumentStatus(r.Text(11)).value_or(InstrumentStatus::kActive);
  i.created_at_us = r.Int(12);
  return i;
}

Organization ReadOrganization(const SqlRow& r) {
  Organization o;
  o.id = r.Int(0);
  o.kind = ParseOrgKind(r.Text(1)).value_or(OrgKind::kEnterprise);
  o.name_zh = r.Text(2);
  o.name_en = r.Text(3);
  o.uscc = r.OptText(4);
  o.region = r.OptText(5);
  o.industry = r.OptText(6);
  o.created_at_us = r.Int(7);
  return o;
}

Account ReadAccount(const SqlRow& r) {
  Account a;
  a.id = r.Int(0);
  a.org_id = r.Int(1);
  a.kind = ParseAccountKind(r.Text(2)).value_or(AccountKind::kHolding);
  a.name = r.Text(3);
  a.status = ParseAccountStatus(r.Text(4)).value_or(AccountStatus::kClosed);
  a.created_at_us = r.Int(5);
  a.status_changed_at_us = r.Int(6);
  return a;
}

Entry ReadEntry(const SqlRow& r) {
  Entry e;
  e.id = r.Int(0);
  e.kind = ParseEntryKind(r.Text(1)).value_or(EntryKind::kTransfer);
  e.created_at_us = r.Int(2);
  e.reverses = r.OptInt(3);
  e.actor_user_id = r.Int(4);
  e.memo = r.Text(5);
  e.prev_hash = r.Text(6);
  e.hash = r.Text(7);
  // Postings that do not decode were altered outside GreenLoop; the entry is returned without
  // them, and its hash no longer matches, which is how `verify` names it.
  DecodePostings(r.Text(8), &e.postings);
  return e;
}

User ReadUser(const SqlRow& r) {
  User u;
  u.id = r.Int(0);
  u.name = r.Text(1);
  u.display_name = r.Text(2);
  u.role = ParseRole(r.Text(3)).value_or(Role::kPublic);
  u.org_id = r.OptInt(4);
  u.password_hash = r.Text(5);
  u.created_at_us = r.Int(6);
  return u;
}

Holding ReadHolding(const SqlRow& r) { return Holding{r.Int(0), r.Text(1), r.Int(2), r.Int(3)}; }

int MigrationVersion(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  return std::atoi(name.substr(0, 4).c_str());
}

}  // namespace

SqlStore::Reader::~Reader() {
  if (!connection_) return;
  std::lock_guard<std::mutex> lock(store_->pool_mutex_);
  if (store_->pool_.size() < kMaxPooledReaders) store_->pool_.push_back(std::move(connection_));
}

Status SqlStore::Open(std::unique_ptr<SqlDriver> driver, std::unique_ptr<Store>* out) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(driver)));
  GL_RETURN_IF_ERROR(store->driver_->Connect(&store->writer_));
  GL_RETURN_IF_ERROR(store->writer_->PrepareForWriting());
  *out = std::move(store);
  return Status::OK();
}

Status SqlStore::Borrow(std::unique_ptr<Reader>* out) {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      *out = std::make_unique<Reader>(this, std::move(pool_.back()));
      pool_.pop_back();
      return Status::OK();
    }
  }
  std::unique_ptr<SqlConnection> connection;
  GL_RETURN_IF_ERROR(driver_->Connect(&connection));
  *out = std::make_unique<Reader>(this, std::move(connection));
  return Status::OK();
}

Status SqlStore::Migrate(std::vector<int>* applied) {
  std::lock_guard<std::mutex> lock(writer_mutex_);
  GL_RETURN_IF_ERROR(writer_->ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
  std::map<int, const EmbeddedFile*> migrations;
  const std::string prefix = "src/store/migrations/" + driver_->Dialect() + "/";
  for (const EmbeddedFile& file : EmbeddedMigrations()) {
    if (file.path.rfind(prefix, 0) == 0) migrations[MigrationVersion(file.path)] = &file;
  }
  GL_ASSERT(!migrations.empty());
  for (const auto& [version, file] : migrations) {
    GL_ASSERT(version > 0);
    bool done = false;
    GL_RETURN_IF_ERROR(writer_->Exec("SELECT 1 FROM schema_migrations WHERE version = ?", {std::int64_t{version}},
                                     [&](const SqlRow&) { done = true; }));
    if (done) continue;
    GL_RETURN_IF_ERROR(writer_->BeginWrite());
    Status st = writer_->ExecScript(file->content);
    if (st.ok()) {
      st = writer_->Exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                         {std::int64_t{version}, file->path});
    }
    if (st.ok()) st = writer_->Commit();
    if (!st.ok()) {
      writer_->Rollback();
      return st;
    }
    if (applied) applied->push_back(version);
  }
  return Status::OK();
}

Status SqlStore::SchemaVersion(int* version) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  *version = 0;
  bool exists = false;
  std::string probe = driver_->Dialect() == "sqlite"
                          ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                          : "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations'";
  GL_RETURN_IF_ERROR((*db)->Exec(probe, {}, [&](const SqlRow&) { exists = true; }));
  if (!exists) return Status::OK();
  return (*db)->Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                     [&](const SqlRow& r) { *version = static_cast<int>(r.Int(0)); });
}

Status SqlStore::Commit(const WriteBatch& batch) {
  if (batch.empty()) return Status::OK();
  std::lock_guard<std::mutex> lock(writer_mutex_);
  GL_RETURN_IF_ERROR(writer_->BeginWrite());
  Status st = WriteAll(batch);
  if (st.ok()) st = writer_->Commit();
  if (!st.ok()) writer_->Rollback();
  return st;
}

Status SqlStore::WriteAll(const WriteBatch& b) {
  SqlConnection& db = *writer_;
  std::vector<SqlParams> rows;
  auto run = [&](const char* sql) {
    Status st = db.ExecRows(sql, rows);
    rows.clear();
    return st;
  };
  for (const InstrumentFamily& f : b.families) {
    rows.push_back({f.code, f.name_zh, f.name_en, f.unit, f.scale, JoinAttributes(f.required_attributes), f.source});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO instrument_families (code, name_zh, name_en, unit, scale, required_attributes, source) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, "
      "name_en = excluded.name_en, source = excluded.source, required_attributes = excluded.required_attributes"));
  for (const Instrument& i : b.instruments) {
    rows.push_back({i.code, i.family, i.name_zh, i.name_en, i.unit, i.scale, Opt(i.vintage), Opt(i.region),
                    Opt(i.valid_from_days), Opt(i.valid_to_days), i.attributes_json, Str(ToString(i.status)),
                    i.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO instruments (code, family, name_zh, name_en, unit, scale, vintage, region, valid_from_days, "
      "valid_to_days, attributes, status, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (code) DO UPDATE SET status = excluded.status"));
  for (const Organization& o : b.organizations) {
    rows.push_back({o.id, Str(ToString(o.kind)), o.name_zh, o.name_en, Opt(o.uscc), Opt(o.region), Opt(o.industry),
                    o.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO organizations (id, kind, name_zh, name_en, uscc, region, industry, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, "
      "name_en = excluded.name_en, region = excluded.region, industry = excluded.industry"));
  for (const Account& a : b.accounts) {
    rows.push_back({a.id, a.org_id, Str(ToString(a.kind)), a.name, Str(ToString(a.status)), a.created_at_us,
                    a.status_changed_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO accounts (id, org_id, kind, name, status, created_at_us, status_changed_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
      "status_changed_at_us = excluded.status_changed_at_us, name = excluded.name"));
  for (const User& u : b.users) {
    rows.push_back({u.id, u.name, u.display_name, Str(ToString(u.role)), Opt(u.org_id), u.password_hash,
                    u.created_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO users (id, name, display_name, role, org_id, password_hash, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, "
      "role = excluded.role, org_id = excluded.org_id, password_hash = excluded.password_hash"));
  for (const TokenRecord& t : b.tokens) rows.push_back({t.token_hash, t.user_id, t.expires_at_us});
  GL_RETURN_IF_ERROR(run("INSERT INTO tokens (token_hash, user_id, expires_at_us) VALUES (?, ?, ?)"));
  // The rows of every commit: filled in place, without building a row vector first.
  GL_RETURN_IF_ERROR(db.ExecMany(
      "INSERT INTO entries (id, kind, created_at_us, reverses, actor_user_id, memo, postings, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      b.entries.size(), [&](size_t i, SqlParams* p) {
        const Entry& e = b.entries[i];
        p->resize(9);
        (*p)[0] = e.id;
        SetText(&(*p)[1], ToString(e.kind));
        (*p)[2] = e.created_at_us;
        (*p)[3] = Opt(e.reverses);
        (*p)[4] = e.actor_user_id;
        SetText(&(*p)[5], e.memo);
        if (!std::holds_alternative<std::string>((*p)[6])) (*p)[6] = std::string();
        std::string& postings = std::get<std::string>((*p)[6]);
        postings.clear();
        EncodePostings(e.postings, &postings);
        SetText(&(*p)[7], e.prev_hash);
        SetText(&(*p)[8], e.hash);
      }));
  // The index rows: each account and each instrument an entry touches, once.
  std::vector<std::pair<EntryId, AccountId>> entry_accounts;
  std::vector<std::pair<EntryId, const std::string*>> entry_instruments;
  for (const Entry& e : b.entries) {
    size_t accounts_from = entry_accounts.size();
    size_t instruments_from = entry_instruments.size();
    for (const Posting& p : e.postings) {
      bool seen = false;
      for (size_t k = accounts_from; k < entry_accounts.size() && !seen; ++k) seen = entry_accounts[k].second == p.account_id;
      if (!seen) entry_accounts.emplace_back(e.id, p.account_id);
      seen = false;
      for (size_t k = instruments_from; k < entry_instruments.size() && !seen; ++k) {
        seen = *entry_instruments[k].second == p.instrument;
      }
      if (!seen) entry_instruments.emplace_back(e.id, &p.instrument);
    }
  }
  GL_RETURN_IF_ERROR(db.ExecMany("INSERT INTO entry_accounts (account_id, entry_id) VALUES (?, ?)",
                                 entry_accounts.size(), [&](size_t i, SqlParams* p) {
                                   p->resize(2);
                                   (*p)[0] = entry_accounts[i].second;
                                   (*p)[1] = entry_accounts[i].first;
                                 }));
  GL_RETURN_IF_ERROR(db.ExecMany("INSERT INTO entry_instruments (instrument, entry_id) VALUES (?, ?)",
                                 entry_instruments.size(), [&](size_t i, SqlParams* p) {
                                   p->resize(2);
                                   SetText(&(*p)[0], *entry_instruments[i].second);
                                   (*p)[1] = entry_instruments[i].first;
                                 }));
  GL_RETURN_IF_ERROR(db.ExecMany(
      "INSERT INTO holdings (account_id, instrument, available, frozen) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (account_id, instrument) DO UPDATE SET available = excluded.available, frozen = excluded.frozen",
      b.holdings.size(), [&](size_t i, SqlParams* p) {
        const Holding& h = b.holdings[i];
        p->resize(4);
        (*p)[0] = h.account_id;
        SetText(&(*p)[1], h.instrument);
        (*p)[2] = h.available;
        (*p)[3] = h.frozen;
      }));
  GL_RETURN_IF_ERROR(db.ExecMany(
      "INSERT INTO idempotency (user_id, key, request_hash, http_status, response_body, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      b.idempotency.size(), [&](size_t i, SqlParams* p) {
        const IdempotencyRecord& r = b.idempotency[i];
        p->resize(6);
        (*p)[0] = r.user_id;
        SetText(&(*p)[1], r.key);
        SetText(&(*p)[2], r.request_hash);
        (*p)[3] = std::int64_t{r.http_status};
        SetText(&(*p)[4], r.response_body);
        (*p)[5] = r.created_at_us;
      }));
  if (!b.mrv.empty()) GL_RETURN_IF_ERROR(WriteMrv(b.mrv));
  if (!b.market.empty()) GL_RETURN_IF_ERROR(WriteMarket(b.market));
  if (!b.energy_reports.empty()) GL_RETURN_IF_ERROR(WriteEnergyReports(b.energy_reports));
  for (const AuditEvent& a : b.audit) rows.push_back({a.at_us, a.user_id, a.action, a.target, a.details_json});
  return run("INSERT INTO audit_log (at_us, user_id, action, target, details) VALUES (?, ?, ?, ?, ?)");
}

Status SqlStore::LoadSnapshot(LedgerSnapshot* out) {
  std::unique_ptr<Reader> reader;
  GL_RETURN_IF_ERROR(Borrow(&reader));
  SqlConnection& db = **reader;
  *out = LedgerSnapshot();
  GL_RETURN_IF_ERROR(db.Exec("SELECT code, name_zh, name_en, unit, scale, required_attributes, source "
                             "FROM instrument_families ORDER BY code",
                             {}, [&](const SqlRow& r) { out->families.push_back(ReadFamily(r)); }));
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kInstrumentColumns + " FROM instruments ORDER BY code", {},
                             [&](const SqlRow& r) { out->instruments.push_back(ReadInstrument(r)); }));
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kAccountColumns + " FROM accounts a ORDER BY a.id", {},
                             [&](const SqlRow& r) { out->accounts.push_back(ReadAccount(r)); }));
  GL_RETURN_IF_ERROR(db.Exec("SELECT account_id, instrument, available, frozen FROM holdings", {},
                             [&](const SqlRow& r) { out->holdings.push_back(ReadHolding(r)); }));
  GL_RETURN_IF_ERROR(db.Exec("SELECT reverses FROM entries WHERE reverses IS NOT NULL", {},
                             [&](const SqlRow& r) { out->reversed_entries.push_back(r.Int(0)); }));
  out->last_hash = std::string(kGenesisHash);
  GL_RETURN_IF_ERROR(db.Exec("SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1", {}, [&](const SqlRow& r) {
    out->last_entry_id = r.Int(0);
    out->last_hash = r.Text(1);
  }));
  GL_RETURN_IF_ERROR(db.Exec("SELECT COALESCE(MAX(id), 0) FROM organizations", {},
                             [&](const SqlRow& r) { out->max_org_id = r.Int(0); }));
  return db.Exec("SELECT COALESCE(MAX(id), 0) FROM users", {}, [&](const SqlRow& r) { out->max_user_id = r.Int(0); });
}

Status SqlStore::ListFamilies(std::vector<InstrumentFamily>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec("SELECT code, name_zh, name_en, unit, scale, required_attributes, source "
                     "FROM instrument_families ORDER BY code",
                     {}, [&](const SqlRow& r) { out->push_back(ReadFamily(r)); });
}

Status SqlStore::ListInstruments(const std::optional<std::string>& family, std::vector<Instrument>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kInstrumentColumns + " FROM instruments";
  SqlParams params;
  if (family) {
    sql += " WHERE family = ?";
    params.push_back(*family);
  }
  sql += " ORDER BY family, code";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadInstrument(r)); });
}

Status SqlStore::GetInstrument(const std::string& code, Instrument* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kInstrumentColumns + " FROM instruments WHERE code = ?",
                                 {code}, [&](const SqlRow& r) {
                                   *out = ReadInstrument(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("instrument '" + code + "' does not exist", "instrument");
}

Status SqlStore::ListOrganizations(const OrganizationFilter& filter, std::vector<Organization>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kOrganizationColumns + " FROM organizations WHERE 1 = 1";
  SqlParams params;
  if (filter.kind) {
    sql += " AND kind = ?";
    params.push_back(Str(ToString(*filter.kind)));
  }
  if (filter.region) {
    sql += " AND region = ?";
    params.push_back(*filter.region);
  }
  sql += " ORDER BY id";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadOrganization(r)); });
}

Status SqlStore::GetOrganization(OrgId id, Organization* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kOrganizationColumns + " FROM organizations WHERE id = ?",
                                 {id}, [&](const SqlRow& r) {
                                   *out = ReadOrganization(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("organization " + std::to_string(id) + " does not exist", "id");
}

Status SqlStore::FindOrganizationByUscc(const std::string& uscc, Organization* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kOrganizationColumns + " FROM organizations WHERE uscc = ?",
                                 {uscc}, [&](const SqlRow& r) {
                                   *out = ReadOrganization(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("no organization has USCC " + uscc, "uscc");
}

Status SqlStore::ListAccounts(const AccountFilter& filter, std::vector<Account>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kAccountColumns +
                    " FROM accounts a JOIN organizations o ON o.id = a.org_id WHERE 1 = 1";
  SqlParams params;
  if (filter.org_id) {
    sql += " AND a.org_id = ?";
    params.push_back(*filter.org_id);
  }
  if (filter.kind) {
    sql += " AND a.kind = ?";
    params.push_back(Str(ToString(*filter.kind)));
  }
  if (filter.region) {
    sql += " AND o.region = ?";
    params.push_back(*filter.region);
  }
  sql += " ORDER BY a.id";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadAccount(r)); });
}

Status SqlStore::GetAccount(AccountId id, Account* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE a.id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadAccount(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("account " + std::to_string(id) + " does not exist", "account");
}

Status SqlStore::ListHoldings(AccountId account, std::vector<Holding>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec("SELECT account_id, instrument, available, frozen FROM holdings WHERE account_id = ? "
                     "ORDER BY instrument",
                     {account}, [&](const SqlRow& r) { out->push_back(ReadHolding(r)); });
}

Status SqlStore::ScanHoldings(const std::function<void(const Holding&)>& fn) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  return (*db)->Exec("SELECT account_id, instrument, available, frozen FROM holdings ORDER BY account_id, instrument",
                     {}, [&](const SqlRow& r) { fn(ReadHolding(r)); });
}

Status SqlStore::GetEntry(EntryId id, Entry* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  std::vector<Entry> entries;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kEntryColumns + " FROM entries e WHERE e.id = ?", {id},
                                 [&](const SqlRow& r) { entries.push_back(ReadEntry(r)); }));
  if (entries.empty()) return Status::NotFound("entry " + std::to_string(id) + " does not exist", "entry_id");
  *out = std::move(entries.front());
  return Status::OK();
}

Status SqlStore::FindReversal(EntryId id, std::optional<EntryId>* reversal) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  reversal->reset();
  return (*db)->Exec("SELECT id FROM entries WHERE reverses = ?", {id}, [&](const SqlRow& r) { *reversal = r.Int(0); });
}

Status SqlStore::QueryJournal(const JournalQuery& q, std::vector<Entry>* out) {
  GL_ASSERT(q.limit > 0 && q.limit <= 1000);
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kEntryColumns + " FROM entries e WHERE 1 = 1";
  SqlParams params;
  if (q.account_id) {
    sql += " AND e.id IN (SELECT entry_id FROM entry_accounts WHERE account_id = ?)";
    params.push_back(*q.account_id);
  }
  if (q.instrument) {
    sql += " AND e.id IN (SELECT entry_id FROM entry_instruments WHERE instrument = ?)";
    params.push_back(*q.instrument);
  }
  if (q.kind) {
    sql += " AND e.kind = ?";
    params.push_back(Str(ToString(*q.kind)));
  }
  if (q.from_us) {
    sql += " AND e.created_at_us >= ?";
    params.push_back(*q.from_us);
  }
  if (q.to_us) {
    sql += " AND e.created_at_us < ?";
    params.push_back(*q.to_us);
  }
  if (q.before_id) {
    sql += " AND e.id < ?";
    params.push_back(*q.before_id);
  }
  if (q.visible_org_id) {
    sql += " AND e.id IN (SELECT x.entry_id FROM entry_accounts x JOIN accounts a ON a.id = x.account_id "
           "WHERE a.org_id = ?)";
    params.push_back(*q.visible_org_id);
  }
  if (q.visible_region) {
    sql += " AND e.id IN (SELECT x.entry_id FROM entry_accounts x JOIN accounts a ON a.id = x.account_id "
           "JOIN organizations o ON o.id = a.org_id WHERE o.region = ?)";
    params.push_back(*q.visible_region);
  }
  sql += " ORDER BY e.id DESC LIMIT ?";
  params.push_back(std::int64_t{q.limit});
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadEntry(r)); });
}

Status SqlStore::ScanJournal(const std::function<void(const Entry&)>& fn) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  EntryId after = 0;
  while (true) {
    std::vector<Entry> page;
    GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kEntryColumns +
                                       " FROM entries e WHERE e.id > ? ORDER BY e.id LIMIT ?",
                                   {after, kScanPageEntries}, [&](const SqlRow& r) { page.push_back(ReadEntry(r)); }));
    if (page.empty()) return Status::OK();
    for (const Entry& e : page) fn(e);
    after = page.back().id;
  }
}

Status SqlStore::CountEntries(std::int64_t* count) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  return (*db)->Exec("SELECT COUNT(*) FROM entries", {}, [&](const SqlRow& r) { *count = r.Int(0); });
}

Status SqlStore::GetUserByName(const std::string& name, User* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?", {name},
                                 [&](const SqlRow& r) {
                                   *out = ReadUser(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("user '" + name + "' does not exist", "name");
}

Status SqlStore::GetUser(UserId id, User* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadUser(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("user " + std::to_string(id) + " does not exist", "user");
}

Status SqlStore::ListUsers(std::vector<User>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id", {},
                     [&](const SqlRow& r) { out->push_back(ReadUser(r)); });
}

Status SqlStore::GetToken(const std::string& token_hash, TokenRecord* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec("SELECT token_hash, user_id, expires_at_us FROM tokens WHERE token_hash = ?",
                                 {token_hash}, [&](const SqlRow& r) {
                                   *out = TokenRecord{r.Text(0), r.Int(1), r.Int(2)};
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("unknown token");
}

Status SqlStore::GetIdempotency(UserId user, const std::string& key, IdempotencyRecord* out) {
  // A reader connection, so that the writer thread can look keys up while a commit is in
  // flight; the service itself remembers the keys of the group being committed.
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(
      "SELECT user_id, key, request_hash, http_status, response_body, created_at_us FROM idempotency "
      "WHERE user_id = ? AND key = ?",
      {user, key}, [&](const SqlRow& r) {
        *out = IdempotencyRecord{r.Int(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)), r.Text(4), r.Int(5)};
        found = true;
      }));
  return found ? Status::OK() : Status::NotFound("no such idempotency key");
}

Status SqlStore::Supply(std::vector<SupplyRow>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT i.code, i.family, "
      "COALESCE(SUM(CASE WHEN a.kind = 'issuance' THEN -(h.available + h.frozen) ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.kind = 'retirement' THEN h.available + h.frozen ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.kind = 'cancellation' THEN h.available + h.frozen ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.kind IN ('holding', 'reserve', 'clearing') THEN h.available + h.frozen ELSE 0 END), 0) "
      "FROM instruments i LEFT JOIN holdings h ON h.instrument = i.code LEFT JOIN accounts a ON a.id = h.account_id "
      "GROUP BY i.code, i.family ORDER BY i.family, i.code",
      {}, [&](const SqlRow& r) { out->push_back(SupplyRow{r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)}); });
}

Status SqlStore::Activity(time_us since_us, std::vector<ActivityRow>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> counts;
  GL_RETURN_IF_ERROR((*db)->Exec(
      "SELECT created_at_us / 86400000000, kind, COUNT(*) FROM entries WHERE created_at_us >= ? "
      "GROUP BY created_at_us / 86400000000, kind",
      {since_us}, [&](const SqlRow& r) { counts[{r.Int(0), r.Text(1)}] += r.Int(2); }));
  for (const auto& [key, count] : counts) {
    out->push_back(ActivityRow{FormatDateDays(key.first), ParseEntryKind(key.second).value_or(EntryKind::kTransfer), count});
  }
  return Status::OK();
}

}  // namespace greenloop
