#include "store/models/spc_event_store.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include <nlohmann/json.hpp>

#include "store/sqlite/db.h"

namespace fh {

Status SpcEventStore::Upsert(std::span<const StoredSpcEvent> events) {
  std::vector<SpcEventRow> rows;
  rows.reserve(events.size());
  for (const StoredSpcEvent& e : events) {
    rows.push_back({e.characteristic, e.limits_version, e.chart, e.rule, e.what, e.first_ts, e.ts,
                    e.last_ts, e.points, e.value, e.active, e.raised_at});
  }
  return Upsert(rows);
}

Status SpcEventStore::Upsert(std::span<const SpcEventRow> events) {
  if (events.empty()) return Status::Ok();
  if (!db_) return FailedPrecondition("the hub has no events database (it is open read-only)");
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(*db_));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare("INSERT INTO spc_events(characteristic, limits_version, chart, rule, what, "
                   "first_ts, ts, last_ts, points, value, active, raised_at, updated_at) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
                   "ON CONFLICT(characteristic, chart, rule, ts) DO UPDATE SET "
                   "last_ts = max(last_ts, excluded.last_ts), "
                   "points = max(points, excluded.points), active = excluded.active, "
                   "updated_at = excluded.updated_at"));
  // In the order of the key: a live server's episodes come chart by chart, and inserted so
  // the key's index is written page after page rather than at random (at a hundred
  // thousand episodes a second, half the time on a table that has grown). Stable: an
  // episode given twice takes its later state.
  std::vector<uint32_t> order(events.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const SpcEventRow& x = events[a];
    const SpcEventRow& y = events[b];
    return std::tie(x.characteristic, x.chart, x.rule, x.ts) <
           std::tie(y.characteristic, y.chart, y.rule, y.ts);
  });
  for (uint32_t i : order) {
    const SpcEventRow& e = events[i];
    st.BindStatic(1, e.characteristic)
        .Bind(2, static_cast<int64_t>(e.limits_version))
        .BindStatic(3, e.chart)
        .BindStatic(4, e.rule)
        .BindStatic(5, e.what)
        .Bind(6, e.first_ts)
        .Bind(7, e.ts)
        .Bind(8, e.last_ts)
        .Bind(9, e.points)
        .Bind(10, e.value)
        .Bind(11, int64_t{e.active ? 1 : 0})
        .Bind(12, e.raised_at);
    if (Result<bool> step = st.Step(); !step.ok()) {
      return step.status().WithContext(
          fmt::format("recording an SPC event of {}", e.characteristic));
    }
    st.Reset();
  }
  return tx.Commit();
}

Result<std::vector<StoredSpcEvent>> SpcEventStore::List(const SpcEventFilter& f) {
  if (!db_) return std::vector<StoredSpcEvent>{};
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare("SELECT id, characteristic, limits_version, chart, rule, what, first_ts, ts, "
                   "last_ts, points, value, active, raised_at, updated_at FROM spc_events "
                   "WHERE (?1 = '' OR characteristic = ?1) AND ts >= ?2 AND ts < ?3 "
                   "AND (?4 = 0 OR active = 1) AND updated_at >= ?6 "
                   "AND (?7 IS NULL OR characteristic IN (SELECT value FROM json_each(?7))) "
                   "ORDER BY ts DESC, id DESC LIMIT ?5"));
  st.Bind(1, std::string_view(f.characteristic))
      .Bind(2, f.from)
      .Bind(3, f.to)
      .Bind(4, int64_t{f.active_only ? 1 : 0})
      .Bind(5, f.limit)
      .Bind(6, f.updated_from);
  const std::string among = f.among ? nlohmann::json(*f.among).dump() : std::string();
  if (f.among) st.Bind(7, std::string_view(among));
  std::vector<StoredSpcEvent> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StoredSpcEvent e;
    e.id = st.Int(0);
    e.characteristic = std::string(st.Text(1));
    e.limits_version = static_cast<int>(st.Int(2));
    e.chart = std::string(st.Text(3));
    e.rule = std::string(st.Text(4));
    e.what = std::string(st.Text(5));
    e.first_ts = st.Int(6);
    e.ts = st.Int(7);
    e.last_ts = st.Int(8);
    e.points = st.Int(9);
    e.value = st.Double(10);
    e.active = st.Int(11) != 0;
    e.raised_at = st.Int(12);
    e.updated_at = st.Int(13);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace fh
