// src/core/status.h
//
// Status carries an expected failure as a value: a kind (which maps to an HTTP status class), a
// stable machine code such as "insufficient_available", a sentence for people, and optionally the
// request field at fault. Result<T> is a value or a Status (g++ 12 has no std::expected in C++20).
#ifndef GREENLOOP_CORE_STATUS_H_
#define GREENLOOP_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>

#include "core/assert.h"

namespace greenloop {

enum class ErrorKind {
  kOk,
  kInvalidArgument,   // 400: the request is malformed or a field is wrong
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kConflict,          // 409: duplicate, idempotency conflict
  kRefused,           // 422: well formed, but the rules refuse it
  kUnavailable,       // 503: storage or dependency failed; nothing was changed
  kCorruption,        // stored data violates an invariant
};

class Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status Invalid(std::string code, std::string message, std::string field = "") {
    return Status(ErrorKind::kInvalidArgument, std::move(code), std::move(message), std::move(field));
  }
  static Status Unauthenticated(std::string message) {
    return Status(ErrorKind::kUnauthenticated, "unauthenticated", std::move(message), "");
  }
  static Status Forbidden(std::string message) {
    return Status(ErrorKind::kForbidden, "forbidden", std::move(message), "");
  }
  static Status NotFound(std::string message, std::string field = "") {
    return Status(ErrorKind::kNotFound, "not_found", std::move(message), std::move(field));
  }
  static Status Conflict(std::string code, std::string message, std::string field = "") {
    return Status(ErrorKind::kConflict, std::move(code), std::move(message), std::move(field));
  }
  static Status Refused(std::string code, std::string message, std::string field = "") {
    return Status(ErrorKind::kRefused, std::move(code), std::move(message), std::move(field));
  }
  static Status Unavailable(std::string message) {
    return Status(ErrorKind::kUnavailable, "storage_unavailable", std::move(message), "");
  }
  static Status Corruption(std::string message) {
    return Status(ErrorKind::kCorruption, "corruption", std::move(message), "");
  }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  bool IsNotFound() const { return kind_ == ErrorKind::kNotFound; }
  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  std::string ToString() const;
  // The same error (kind and code) told differently: for callers that map a lower layer's field
  // names to their own.
  Status Restated(std::string message, std::string field) const {
    GL_ASSERT(!ok());
    return Status(kind_, code_, std::move(message), std::move(field));
  }

 private:
  Status(ErrorKind kind, std::string code, std::string message, std::string field)
      : kind_(kind), code_(std::move(code)), message_(std::move(message)), field_(std::move(field)) {
    GL_ASSERT(kind_ != ErrorKind::kOk);
    GL_ASSERT(!code_.empty());
  }

  ErrorKind kind_ = ErrorKind::kOk;
  std::string code_;
  std::string message_;
  std::string field_;
};

// HTTP status for a Status: 200 when ok.
int HttpStatusFor(const Status& status);

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, like expected
  Result(Status status) : status_(std::move(status)) { GL_ASSERT(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() {
    GL_ASSERT(ok());
    return *value_;
  }
  const T& value() const {
    GL_ASSERT(ok());
    return *value_;
  }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace greenloop

#define GL_RETURN_IF_ERROR(expr)         \
  do {                                   \
    ::greenloop::Status _st = (expr);    \
    if (!_st.ok()) return _st;           \
  } while (false)

#endif  // GREENLOOP_CORE_STATUS_H_
