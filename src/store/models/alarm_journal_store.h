// AlarmJournalStore: the alarm system's tables in events.db (events migration 0002): the
// journal of alarm events, each alarm's state now, and the operators' actions the CLI asks
// the running server to apply. Names (events, states, priorities, actions) are the texts
// analytics/alarms defines; the schema's CHECK constraints list the same ones.
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

// One journal event to write, its texts borrowed for the call.
struct AlarmJournalRow {
  std::string_view alarm, equipment, priority, event, state;
  int64_t ts = 0;
  bool annunciated = false;
  std::optional<double> value;
  std::string_view user, comment;
  int64_t recorded_at = 0;
};

struct StoredAlarmEvent {
  int64_t id = 0;
  std::string alarm, equipment, priority, event, state;
  int64_t ts = 0;
  bool annunciated = false;
  std::optional<double> value;
  std::string user, comment;
  int64_t recorded_at = 0;
};

struct AlarmJournalFilter {
  std::string alarm;         // empty: every one
  int64_t from = INT64_MIN;  // ts at or after
  int64_t to = INT64_MAX;    // ts before
  int64_t limit = 100;
  bool oldest_first = false;  // the report's order; else the newest first
  std::string scope;          // an ISA-95 path: events of equipment under it only ("": all)
};

struct StoredAlarmState {
  std::string alarm, state;
  bool active = false, acknowledged = true, latched = false;
  std::string shelving = "unshelved";  // unshelved, timed, one-shot
  int64_t shelved_until = 0;
  bool suppressed = false, out_of_service = false;
  int64_t active_since = 0, acknowledged_at = 0, updated_at = 0;
};

struct AlarmActionRequest {
  int64_t id = 0;  // assigned by the store
  std::string alarm;
  std::string action;            // acknowledge, shelve, unshelve, reset, remove, return, comment
  std::optional<int64_t> until;  // shelve: its end; none: until the alarm clears
  std::string user, comment;
  int64_t requested_at = 0;
  std::optional<std::string> outcome;  // none: not applied yet; "applied" or why refused
  std::optional<int64_t> done_at;
};

class AlarmJournalStore {
 public:
  // `db` null: a hub without an events database (opened read-only before it had one).
  explicit AlarmJournalStore(sqlite::Db* db) : db_(db) {}

  // Appends the events and saves the states (each replacing the alarm's), in one
  // transaction: the journal and the states never disagree.
  Status Record(std::span<const AlarmJournalRow> events, std::span<const StoredAlarmState> states);
  Result<std::vector<StoredAlarmEvent>> List(const AlarmJournalFilter& filter);
  // The events journaled after event `id`, in the order journaled, at most `limit`: what an
  // edge hub forwards (sync/catalog_records.h).
  Result<std::vector<StoredAlarmEvent>> After(int64_t id, int64_t limit);
  // On a central hub: an edge site's events (their ids the edge's), journaled here as
  // "<site>/<alarm>" on the equipment the edge names; those at or below the last id applied
  // for the site are skipped, unless `new_outbox` (an edge restored from a backup numbers
  // its events again from there). One transaction. Returns how many were journaled.
  Result<int64_t> RecordForwarded(std::string_view site, std::span<const StoredAlarmEvent> events,
                                  bool new_outbox);
  // On an edge hub: the last event queued for its central hub (0: none yet), kept in the
  // same table under the site "" (no site is named so).
  Result<int64_t> QueuedUpTo();
  Status SetQueuedUpTo(int64_t id);
  Result<std::vector<StoredAlarmState>> States();

  Result<int64_t> RequestAction(const AlarmActionRequest& request);
  // Not applied yet, oldest first.
  Result<std::vector<AlarmActionRequest>> PendingActions();
  Status FinishAction(int64_t id, std::string_view outcome, int64_t done_at);
  Result<std::optional<AlarmActionRequest>> Action(int64_t id);

 private:
  Status NeedDb() const;
  // One event into the journal (inside the caller's transaction).
  Status Append(const AlarmJournalRow& event);
  sqlite::Db* db_;
};

}  // namespace fh
