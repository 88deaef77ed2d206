// Freezing a characteristic's control limits (phase I → phase II) and reading them back:
// each freeze is a new version in the hub (store/models/spc_limit_store.h), and a study of
// the characteristic judges its subgroups by the newest version.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_study.h"
#include "common/status.h"
#include "store/hub.h"

namespace fh::analytics::spc {

// Estimates the limits from the characteristic's baseline (its first `baseline` subgroups
// in `range`) and stores them as its next version.
Result<FrozenLimits> FreezeLimits(Hub& hub, const Characteristic& c, TimeRange range,
                                  const std::string& note);
// The newest version, if the characteristic has one.
Result<std::optional<FrozenLimits>> LatestLimits(Hub& hub, const std::string& characteristic);
// Every version, oldest first.
Result<std::vector<FrozenLimits>> LimitHistory(Hub& hub, const std::string& characteristic);

}  // namespace fh::analytics::spc
