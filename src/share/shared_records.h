// The records part of a share package (docs/sharing.md#records): on the sender, the records
// an agreement names, only their agreed fields, pseudonymised where it says (and always
// where the hub holds a field as personal or encrypted); on the receiver, the same checked
// against the agreement before anything is stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "security/sealed_box.h"
#include "share/agreement.h"
#include "store/hub.h"
#include "store/share/share_store.h"

namespace fh::share {

// At most this many records of one entity in one package (a larger exchange is split by
// window or condition).
inline constexpr int64_t kMaxSharedRecords = 1'000'000;

// A value replaced by a keyed hash under the agreement: "p_" and 32 hex digits. The same
// value gives the same pseudonym in every field and package of one agreement (the partner
// can join an inspection's lot with a lot's), another in another agreement.
std::string SharedPseudonym(const security::BoxKey& box, const Agreement& a,
                            std::string_view value);

// [{entity, fields, pseudonymised, rows: [[key, [value|null, ...]], ...]}, ...] of the
// agreement's `records`; `count`: the rows. FailedPrecondition for a personal or encrypted
// field not pseudonymised, or more than kMaxSharedRecords; InvalidArgument for a field
// that is neither the entity's nor an attribute of its records.
Result<nlohmann::json> ExportRecords(Hub& hub, const Agreement& a, const security::BoxKey& box,
                                     int64_t& count);

// The package's `records` as the receiver stores them, each block and row checked against
// the agreement: its entities and fields in its order, pseudonyms where it says, times in
// its window. InvalidArgument naming `name` and what does not match.
Result<std::vector<SharedRecord>> ReadSharedRecords(const nlohmann::json& payload,
                                                    const Agreement& a, std::string_view name);

}  // namespace fh::share
