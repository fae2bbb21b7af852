// SQLite driver: WAL journal, synchronous=FULL so that a commit is on disk (fsync) before it
// returns, foreign keys on, a busy timeout so readers and the writer do not fail on contention.
#include <sqlite3.h>

#include <map>
#include <string>

#include "core/assert.h"
#include "store/sql_driver.h"

namespace greenloop {
namespace {

class SqliteRow : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return "";
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Status Exec(const std::string& sql, const SqlParams& params, const RowCallback& on_row) override {
    sqlite3_stmt* stmt = nullptr;
    GL_RETURN_IF_ERROR(Prepare(sql, &stmt));
    GL_RETURN_IF_ERROR(Bind(stmt, params));
    SqliteRow row(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status st = Error("step", rc);
        sqlite3_reset(stmt);
        return st;
      }
      if (on_row) on_row(row);
    }
    sqlite3_reset(stmt);
    return Status::OK();
  }

  // An INSERT … VALUES (…) runs as one statement per kRowsPerStatement rows: SQLite's cost per
  // statement execution (bind, step, reset, starting the program) is then paid once per chunk
  // instead of once per row, which halves the time of a large commit.
  Status ExecMany(const std::string& sql, size_t count, const RowFiller& fill) override {
    SqlParams row;
    size_t done = 0;
    const std::string* multi = count >= kRowsPerStatement ? MultiRowInsert(sql) : nullptr;
    if (multi != nullptr) {
      SqlParams chunk;
      for (; done + kRowsPerStatement <= count; done += kRowsPerStatement) {
        size_t width = 0;
        for (size_t r = 0; r < kRowsPerStatement; ++r) {
          fill(done + r, &row);
          if (r == 0) {
            width = row.size();
            chunk.resize(width * kRowsPerStatement);
          }
          GL_ASSERT(row.size() == width);
          for (size_t c = 0; c < width; ++c) {
            SqlValue& slot = chunk[r * width + c];
            if (const auto* text = std::get_if<std::string>(&row[c])) {
              SetText(&slot, *text);
            } else {
              slot = row[c];
            }
          }
        }
        GL_RETURN_IF_ERROR(Exec(*multi, chunk, nullptr));
      }
    }
    for (; done < count; ++done) {
      fill(done, &row);
      GL_RETURN_IF_ERROR(Exec(sql, row, nullptr));
    }
    return Status::OK();
  }

  Status PrepareForWriting() override {
    // 256 MiB of page cache keeps the journal's index pages in memory across commits.
    return ExecScript("PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144;");
  }

  Status ExecScript(const std::string& sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return Status::Unavailable("sqlite: " + message);
    }
    return Status::OK();
  }

  Status BeginWrite() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  static constexpr size_t kRowsPerStatement = 256;

  // "INSERT … VALUES (?, ?) tail" as "INSERT … VALUES (?, ?), (?, ?), … tail" with
  // kRowsPerStatement tuples; nullptr when the statement is not of that form.
  const std::string* MultiRowInsert(const std::string& sql) {
    auto cached = multi_row_.find(sql);
    if (cached != multi_row_.end()) return cached->second.empty() ? nullptr : &cached->second;
    std::string multi;
    size_t values = sql.find("VALUES (");
    if (sql.rfind("INSERT", 0) == 0 && values != std::string::npos) {
      size_t open = values + 7;
      size_t close = sql.find(')', open);
      GL_ASSERT(close != std::string::npos);
      std::string tuple = sql.substr(open, close - open + 1);
      multi = sql.substr(0, open);
      for (size_t r = 0; r < kRowsPerStatement; ++r) {
        if (r > 0) multi += ", ";
        multi += tuple;
      }
      multi += sql.substr(close + 1);
    }
    auto inserted = multi_row_.emplace(sql, std::move(multi)).first;
    return inserted->second.empty() ? nullptr : &inserted->second;
  }

  Status Prepare(const std::string& sql, sqlite3_stmt** out) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
      *out = it->second;
      return Status::OK();
    }
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), out, nullptr);
    if (rc != SQLITE_OK) return Error("prepare", rc);
    statements_.emplace(sql, *out);
    return Status::OK();
  }

  Status Bind(sqlite3_stmt* stmt, const SqlParams& params) {
    GL_ASSERT(static_cast<int>(params.size()) == sqlite3_bind_parameter_count(stmt));
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::int64_t>(params[i])) {
        rc = sqlite3_bind_int64(stmt, index, std::get<std::int64_t>(params[i]));
      } else if (std::holds_alternative<std::string>(params[i])) {
        const std::string& s = std::get<std::string>(params[i]);
        // Static: the parameters outlive the statement's execution, which follows at once.
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return Error("bind", rc);
    }
    return Status::OK();
  }

  Status Error(const char* what, int rc) {
    return Status::Unavailable(std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_) + " (" +
                               sqlite3_errstr(rc) + ")");
  }

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
  std::map<std::string, std::string> multi_row_;
};

class SqliteDriver : public SqlDriver {
 public:
  explicit SqliteDriver(std::string path) : path_(std::move(path)) {}
  std::string Dialect() const override { return "sqlite"; }

  Status Connect(std::unique_ptr<SqlConnection>* out) override {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      return Status::Unavailable("cannot open SQLite database '" + path_ + "': " + message);
    }
    sqlite3_busy_timeout(db, 10000);
    auto connection = std::make_unique<SqliteConnection>(db);
    // FULL makes every commit wait for the WAL's fsync: an acknowledged write survives a crash
    // or power loss, which is the promise the API makes.
    GL_RETURN_IF_ERROR(connection->ExecScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
    *out = std::move(connection);
    return Status::OK();
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<SqlDriver> NewSqliteDriver(const std::string& path) { return std::make_unique<SqliteDriver>(path); }

}  // namespace greenloop
