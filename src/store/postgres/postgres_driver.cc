// PostgreSQL driver over libpq. Statements are prepared once per connection and sent with text
// parameters; ExecMany uses libpq's pipeline mode so that a commit group of thousands of rows
// costs a few round trips instead of one per row.
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <vector>
#include <map>
#include <string>

#include "core/assert.h"
#include "store/sql_driver.h"

namespace greenloop {
namespace {

// Rows per pipeline round: small enough that the results never fill the socket buffer while
// we are still sending (which would deadlock a blocking connection).
constexpr size_t kPipelineChunkRows = 256;

std::string NumberPlaceholders(const std::string& sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_literal = false;
  for (char c : sql) {
    if (c == '\'') in_literal = !in_literal;
    if (c == '?' && !in_literal) {
      out.push_back('$');
      out.append(std::to_string(++n));
    } else {
      out.push_back(c);
    }
  }
  *count = n;
  return out;
}

class PgRow : public SqlRow {
 public:
  PgRow(PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  std::int64_t Int(int column) const override { return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10); }
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column)));
  }

 private:
  PGresult* result_;
  int row_;
};

struct ParamArrays {
  std::vector<std::string> storage;
  std::vector<const char*> values;
  explicit ParamArrays(const SqlParams& params) {
    storage.resize(params.size());
    values.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::int64_t>(params[i])) {
        storage[i] = std::to_string(std::get<std::int64_t>(params[i]));
        values[i] = storage[i].c_str();
      } else if (std::holds_alternative<std::string>(params[i])) {
        values[i] = std::get<std::string>(params[i]).c_str();
      } else {
        values[i] = nullptr;
      }
    }
  }
};

class PgConnection : public SqlConnection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Status Exec(const std::string& sql, const SqlParams& params, const RowCallback& on_row) override {
    const Prepared* prepared = nullptr;
    GL_RETURN_IF_ERROR(Prepare(sql, &prepared));
    GL_ASSERT(static_cast<size_t>(prepared->param_count) == params.size());
    ParamArrays arrays(params);
    PGresult* result = PQexecPrepared(conn_, prepared->name.c_str(), prepared->param_count, arrays.values.data(),
                                      nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Status st = Error("query", result);
      PQclear(result);
      return st;
    }
    if (on_row) {
      int rows = PQntuples(result);
      for (int r = 0; r < rows; ++r) on_row(PgRow(result, r));
    }
    PQclear(result);
    return Status::OK();
  }

  Status ExecMany(const std::string& sql, size_t count, const RowFiller& fill) override {
    if (count == 0) return Status::OK();
    const Prepared* prepared = nullptr;
    GL_RETURN_IF_ERROR(Prepare(sql, &prepared));
    for (size_t start = 0; start < count; start += kPipelineChunkRows) {
      size_t end = std::min(count, start + kPipelineChunkRows);
      GL_RETURN_IF_ERROR(RunPipeline(*prepared, fill, start, end));
    }
    return Status::OK();
  }

  Status PrepareForWriting() override { return Status::OK(); }

  Status ExecScript(const std::string& sql) override {
    PGresult* result = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(result);
    Status st = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) ? Status::OK() : Error("script", result);
    PQclear(result);
    return st;
  }

  Status BeginWrite() override { return ExecScript("BEGIN"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  void Rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  struct Prepared {
    std::string name;
    int param_count = 0;
  };

  Status Prepare(const std::string& sql, const Prepared** out) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      Prepared prepared;
      prepared.name = "s";
      prepared.name.append(std::to_string(prepared_.size() + 1));
      std::string numbered = NumberPlaceholders(sql, &prepared.param_count);
      PGresult* result = PQprepare(conn_, prepared.name.c_str(), numbered.c_str(), 0, nullptr);
      if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        Status st = Error("prepare", result);
        PQclear(result);
        return st;
      }
      PQclear(result);
      it = prepared_.emplace(sql, std::move(prepared)).first;
    }
    *out = &it->second;
    return Status::OK();
  }

  Status RunPipeline(const Prepared& prepared, const RowFiller& fill, size_t start, size_t end) {
    if (PQenterPipelineMode(conn_) != 1) return Status::Unavailable("postgresql: cannot enter pipeline mode");
    Status st;
    SqlParams params;
    for (size_t i = start; i < end && st.ok(); ++i) {
      fill(i, &params);
      GL_ASSERT(static_cast<size_t>(prepared.param_count) == params.size());
      ParamArrays arrays(params);
      if (PQsendQueryPrepared(conn_, prepared.name.c_str(), prepared.param_count, arrays.values.data(), nullptr,
                              nullptr, 0) != 1) {
        st = Status::Unavailable(std::string("postgresql send: ") + PQerrorMessage(conn_));
      }
    }
    if (PQpipelineSync(conn_) != 1 && st.ok()) {
      st = Status::Unavailable(std::string("postgresql sync: ") + PQerrorMessage(conn_));
    }
    // Drain every result up to the sync point, keeping the first error.
    while (true) {
      PGresult* result = PQgetResult(conn_);
      if (result == nullptr) {
        if (PQstatus(conn_) != CONNECTION_OK) {
          if (st.ok()) st = Status::Unavailable("postgresql: connection lost in pipeline");
          break;
        }
        continue;
      }
      ExecStatusType status = PQresultStatus(result);
      if (status == PGRES_PIPELINE_SYNC) {
        PQclear(result);
        break;
      }
      if (status == PGRES_FATAL_ERROR && st.ok()) st = Error("pipeline", result);
      PQclear(result);
    }
    PQexitPipelineMode(conn_);
    return st;
  }

  Status Error(const char* what, PGresult* result) {
    const char* message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    std::string text = message ? message : "unknown error";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return Status::Unavailable(std::string("postgresql ") + what + ": " + text);
  }

  PGconn* conn_;
  std::map<std::string, Prepared> prepared_;
};

class PgDriver : public SqlDriver {
 public:
  explicit PgDriver(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  std::string Dialect() const override { return "postgresql"; }

  Status Connect(std::unique_ptr<SqlConnection>* out) override {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      PQfinish(conn);
      while (!message.empty() && message.back() == '\n') message.pop_back();
      return Status::Unavailable("cannot connect to PostgreSQL: " + message);
    }
    auto connection = std::make_unique<PgConnection>(conn);
    // Commits wait for the WAL flush (the server default, stated so that no configuration can
    // silently weaken the durability the API promises).
    GL_RETURN_IF_ERROR(connection->ExecScript("SET synchronous_commit = on; SET client_min_messages = warning;"));
    *out = std::move(connection);
    return Status::OK();
  }

 private:
  std::string conninfo_;
};

}  // namespace

std::unique_ptr<SqlDriver> NewPostgresDriver(const std::string& conninfo) {
  return std::make_unique<PgDriver>(conninfo);
}

}  // namespace greenloop
