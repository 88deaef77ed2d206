// SpcLimitStore: control limits frozen for SPC characteristics (migration 0018), versioned:
// freezing again adds a version, and the history stays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

struct StoredSpcLimits {
  std::string characteristic;
  int version = 0;  // assigned by Freeze
  std::string chart;
  int subgroup_size = 0;
  double location_center = 0, location_lower = 0, location_upper = 0;
  double spread_center = 0, spread_lower = 0, spread_upper = 0;
  double sigma_within = 0;
  int64_t baseline_from = 0, baseline_to = 0;
  int64_t subgroups = 0;
  int64_t frozen_at = 0;
  std::optional<std::string> note;
};

class SpcLimitStore {
 public:
  explicit SpcLimitStore(sqlite::Db& db) : db_(db) {}

  // Stores the limits as the characteristic's next version; returns it.
  Result<int> Freeze(const StoredSpcLimits& limits);
  // The newest version, if any.
  Result<std::optional<StoredSpcLimits>> Latest(std::string_view characteristic);
  // The newest version of every characteristic that has one: one query, for a monitor that
  // checks whether anything was frozen again.
  Result<std::vector<std::pair<std::string, int>>> LatestVersions();
  // Every version, oldest first.
  Result<std::vector<StoredSpcLimits>> History(std::string_view characteristic);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
