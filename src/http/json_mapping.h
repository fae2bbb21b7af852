// src/http/json_mapping.h
//
// How the registry's records look in the API (docs/api.md). One function per record, so that
// every endpoint renders a record the same way.
#ifndef GREENLOOP_HTTP_JSON_MAPPING_H_
#define GREENLOOP_HTTP_JSON_MAPPING_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/verify_store.h"
#include "store/store.h"

namespace greenloop {

nlohmann::json ToJson(const InstrumentFamily& family);
nlohmann::json ToJson(const Instrument& instrument);
nlohmann::json ToJson(const Organization& org);
nlohmann::json ToJson(const Account& account, const std::string& org_name_zh);
nlohmann::json ToJson(const Holding& holding);
nlohmann::json ToJson(const Entry& entry, const std::string& actor_name, std::optional<EntryId> reversed_by);
nlohmann::json ToJson(const User& user);
// {"ok", "entries", "problems": [{kind, message, entry_id?, account_id?, instrument?}]}
nlohmann::json ToJson(const VerifyReport& report);

}  // namespace greenloop

#endif  // GREENLOOP_HTTP_JSON_MAPPING_H_
