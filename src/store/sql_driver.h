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
#include <variant>
#include <vector>

#include "core/status.h"

namespace greenloop {

using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlParams = std::vector<SqlValue>;

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
  // Runs the same statement once per parameter row (inside the caller's transaction).
  virtual Status ExecMany(const std::string& sql, const std::vector<SqlParams>& rows) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(const std::string& sql) = 0;
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
