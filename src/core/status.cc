#include "core/status.h"

namespace greenloop {

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = code_ + ": " + message_;
  if (!field_.empty()) out += " (field " + field_ + ")";
  return out;
}

int HttpStatusFor(const Status& status) {
  switch (status.kind()) {
    case ErrorKind::kOk: return 200;
    case ErrorKind::kInvalidArgument: return 400;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kRefused: return 422;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kCorruption: return 500;
  }
  return 500;
}

}  // namespace greenloop
