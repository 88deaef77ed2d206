#include "security/audit_entry.h"

#include <fmt/format.h>

namespace fh::security {

std::string CanonicalEntry(const AuditEntry& e) {
  // nlohmann::json keeps object keys sorted (std::map), at every depth: canonical as dumped.
  nlohmann::json j = {{"seq", e.seq},       {"ts", e.ts},           {"actor", e.actor},
                      {"action", e.action}, {"subject", e.subject}, {"detail", e.detail}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<AuditEntry> ParseCanonicalEntry(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("not a JSON object");
  AuditEntry e;
  try {
    e.seq = j.at("seq").get<uint64_t>();
    e.ts = j.at("ts").get<int64_t>();
    e.actor = j.at("actor").get<std::string>();
    e.action = j.at("action").get<std::string>();
    e.subject = j.at("subject").get<std::string>();
    e.detail = j.at("detail");
  } catch (const nlohmann::json::exception& ex) {
    return InvalidArgument("{}", ex.what());
  }
  return e;
}

std::string TreeHeadMessage(const TreeHead& head) {
  return fmt::format("factoryhub-tree-head-v1\n{}\n{}\n{}\n", head.size, HashHex(head.root),
                     head.ts);
}

}  // namespace fh::security
