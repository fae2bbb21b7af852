#include "store/store.h"

#include <array>

#include "store/sql_driver.h"
#include "store/sql_store.h"

namespace greenloop {
namespace {
constexpr std::array<std::string_view, 6> kRoleNames = {"regulator", "region", "enterprise",
                                                        "verifier",  "exchange", "public"};
}  // namespace

std::string_view ToString(Role role) {
  auto index = static_cast<size_t>(role);
  GL_ASSERT(index < kRoleNames.size());
  return kRoleNames[index];
}

std::optional<Role> ParseRole(std::string_view s) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == s) return static_cast<Role>(i);
  }
  return std::nullopt;
}

Status OpenStore(const std::string& url, std::unique_ptr<Store>* out) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return SqlStore::Open(NewPostgresDriver(url), out);
  }
  std::string path = url;
  if (url.rfind("sqlite:", 0) == 0) path = url.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://relative/path
  if (path.empty()) {
    return Status::Invalid("invalid_field", "database URL '" + url + "' names no file; use sqlite:PATH or postgresql://…",
                           "db");
  }
  if (url.rfind("sqlite:", 0) != 0 && url.find("://") != std::string::npos) {
    return Status::Invalid("invalid_field", "unsupported database URL '" + url + "'; use sqlite:PATH or postgresql://…",
                           "db");
  }
  return SqlStore::Open(NewSqliteDriver(path), out);
}

}  // namespace greenloop
