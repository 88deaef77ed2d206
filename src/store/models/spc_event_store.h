// SpcEventStore: the episodes serve's SPC monitor saw on live data, one row each, updated
// while it grows, in the hub's events database (store/event_session.h). Kept for
// `factoryhub spc events`, the API and the alarm system.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

struct StoredSpcEvent {
  int64_t id = 0;  // assigned by the store
  std::string characteristic;
  int limits_version = 0;
  std::string chart;  // xbar, i, r, s, mr, ewma, cusum
  std::string rule;   // nelson-1 .. nelson-8, we-1 .. we-4, beyond-limits, upper, lower
  std::string what;
  int64_t first_ts = 0, ts = 0, last_ts = 0;
  int64_t points = 0;
  double value = 0;
  bool active = false;
  int64_t raised_at = 0, updated_at = 0;
};

// An episode to record, its texts borrowed (valid for the call): what the monitor writes
// many of, without a copy of a string each.
struct SpcEventRow {
  std::string_view characteristic;
  int limits_version = 0;
  std::string_view chart, rule, what;
  int64_t first_ts = 0, ts = 0, last_ts = 0;
  int64_t points = 0;
  double value = 0;
  bool active = false;
  int64_t raised_at = 0;
};

struct SpcEventFilter {
  std::string characteristic;  // empty: every one
  int64_t from = INT64_MIN;    // ts at or after
  int64_t to = INT64_MAX;      // ts before
  bool active_only = false;
  int64_t updated_from = INT64_MIN;  // written (opened, grown or ended) at or after
  int64_t limit = 100;
  // Events of these characteristics only (a scoped principal's); unset: no such limit.
  std::optional<std::vector<std::string>> among;
};

class SpcEventStore {
 public:
  // `db` null: a hub without an events database (opened read-only before it had one).
  explicit SpcEventStore(sqlite::Db* db) : db_(db) {}

  // Adds each episode, or updates the one with its key (characteristic, chart, rule, ts):
  // its end, point count and whether it is active. One transaction. `raised_at` is kept from
  // the first time.
  Status Upsert(std::span<const SpcEventRow> events);
  Status Upsert(std::span<const StoredSpcEvent> events);
  // The newest first (by ts, then id).
  Result<std::vector<StoredSpcEvent>> List(const SpcEventFilter& filter);

 private:
  sqlite::Db* db_;
};

}  // namespace fh
