// src/store/sql_driver.h
//
// The little that differs between SQLite and PostgreSQL, behind one interface: connecting,
// running a statement with parameters, running one statement for many parameter rows, and
// transactions. Statements are written once, with '?' placeholders; the PostgreSQL driver
// numbers them. SqlStore (sql_store.h) holds all the SQL.
#ifndef GREENLOOP_STORE_SQL_DRIVER_H_
#define GREENLOOP_STORE_SQL_DRIVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace greenloop {

using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlParams = std::vector<SqlValue>;

// Assigns without giving up a string's buffer when the slot held a string already.
inline void SetText(SqlValue* slot, std::string_view text) {
  if (auto* s = std::get_if<std::string>(slot)) {
    s->assign(text);
  } else {
    *slot = std::string(text);
  }
}

// One result row; columns are read by position, as the statement listed them.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;

  std::optional<std::int64_t> OptInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }
  std::optional<std::string> OptText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }
};

using RowCallback = std::function<void(const SqlRow&)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Status Exec(const std::string& sql, const SqlParams& params, const RowCallback& on_row) = 0;
  Status Exec(const std::string& sql, const SqlParams& params = {}) { return Exec(sql, params, nullptr); }
  // Runs the same statement `count` times (inside the caller's transaction); `fill` writes the
  // parameters of row i into a buffer that is reused from row to row, so a commit of thousands
  // of rows allocates almost nothing.
  using RowFiller = std::function<void(size_t row, SqlParams* params)>;
  virtual Status ExecMany(const std::string& sql, size_t count, const RowFiller& fill) = 0;
  Status ExecRows(const std::string& sql, const std::vector<SqlParams>& rows) {
    return ExecMany(sql, rows.size(), [&](size_t i, SqlParams* params) { *params = rows[i]; });
  }
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(const std::string& sql) = 0;
  // Settings for the one connection that writes (SQLite: a large page cache; the ledger has
  // checked every reference before it writes, so SQLite's per-row foreign-key lookups are
  // skipped there and `greenloop verify` checks the references instead).
  virtual Status PrepareForWriting() = 0;
  // Opens a write transaction that will not be refused later for a conflicting writer.
  virtual Status BeginWrite() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
};

class SqlDriver {
 public:
  virtual ~SqlDriver() = default;
  virtual std::string Dialect() const = 0;  // "sqlite" or "postgresql"
  virtual Status Connect(std::unique_ptr<SqlConnection>* out) = 0;
};

std::unique_ptr<SqlDriver> NewSqliteDriver(const std::string& path);
std::unique_ptr<SqlDriver> NewPostgresDriver(const std::string& conninfo);

}  // namespace greenloop

#endif  // GREENLOOP_STORE_SQL_DRIVER_H_
