// The demo's data sharing (docs/sharing.md): the plant shares what a tool maker needs for
// a tool-life study — quarter-hourly tool wear and torque of line 1 and the bore
// inspections, their work orders pseudonymised — with a partner hub beside it, under an
// agreement written to the demo's folder; each start exports the history's window and the
// partner imports it, both ledgers recording the exchange.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoAgreementFile = "share-tool-life.yaml";
inline constexpr const char* kDemoPartnerDir = "partner-hub";

struct DemoShare {
  std::filesystem::path partner_dir, agreement_file, package_file;
  std::string agreement, partner;
  int64_t series = 0, buckets = 0, records = 0;
};

// Shares [from, to) of the demo hub in `dir` with the partner hub in dir/partner-hub
// (created on first use).
Result<DemoShare> ShareWithDemoPartner(Hub& hub, const std::filesystem::path& dir, TimestampNs from,
                                       TimestampNs to);

}  // namespace fh::cli
