#include "store/models/alarm_journal_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/sqlite/db.h"

namespace fh {
namespace {

StoredAlarmEvent EventOf(const sqlite::Stmt& st) {
  StoredAlarmEvent e;
  e.id = st.Int(0);
  e.alarm = std::string(st.Text(1));
  e.equipment = std::string(st.Text(2));
  e.priority = std::string(st.Text(3));
  e.event = std::string(st.Text(4));
  e.ts = st.Int(5);
  e.state = std::string(st.Text(6));
  e.annunciated = st.Int(7) != 0;
  e.value = st.OptDouble(8);
  e.user = std::string(st.Text(9));
  e.comment = std::string(st.Text(10));
  e.recorded_at = st.Int(11);
  return e;
}

AlarmActionRequest ActionOf(const sqlite::Stmt& st) {
  AlarmActionRequest a;
  a.id = st.Int(0);
  a.alarm = std::string(st.Text(1));
  a.action = std::string(st.Text(2));
  a.until = st.OptInt(3);
  a.user = std::string(st.Text(4));
  a.comment = std::string(st.Text(5));
  a.requested_at = st.Int(6);
  a.outcome = st.OptText(7);
  a.done_at = st.OptInt(8);
  return a;
}

constexpr const char* kActionColumns =
    "id, alarm, action, until, user, comment, requested_at, outcome, done_at";

}  // namespace

Status AlarmJournalStore::NeedDb() const {
  if (!db_) return FailedPrecondition("the hub has no events database (it is open read-only)");
  return Status::Ok();
}

Status AlarmJournalStore::Append(const AlarmJournalRow& e) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * insert,
                      db_->Cached("INSERT INTO alarm_journal(alarm, equipment, priority, event, "
                                  "ts, state, annunciated, value, user, comment, recorded_at) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  insert->Bind(1, e.alarm)
      .Bind(2, e.equipment)
      .Bind(3, e.priority)
      .Bind(4, e.event)
      .Bind(5, e.ts)
      .Bind(6, e.state)
      .Bind(7, int64_t{e.annunciated ? 1 : 0})
      .Bind(8, e.value)
      .Bind(9, e.user)
      .Bind(10, e.comment)
      .Bind(11, e.recorded_at);
  Result<bool> step = insert->Step();
  insert->Reset();
  if (!step.ok()) {
    return step.status().WithContext("journaling an event of alarm " + std::string(e.alarm));
  }
  return Status::Ok();
}

Status AlarmJournalStore::Record(std::span<const AlarmJournalRow> events,
                                 std::span<const StoredAlarmState> states) {
  if (events.empty() && states.empty()) return Status::Ok();
  FH_RETURN_IF_ERROR(NeedDb());
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(*db_));
  for (const AlarmJournalRow& e : events)
    FH_RETURN_IF_ERROR(Append(e));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * save,
      db_->Cached("INSERT OR REPLACE INTO alarm_states(alarm, state, active, acknowledged, "
                  "latched, shelving, shelved_until, suppressed, out_of_service, active_since, "
                  "acknowledged_at, updated_at) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  for (const StoredAlarmState& s : states) {
    save->Bind(1, std::string_view(s.alarm))
        .Bind(2, std::string_view(s.state))
        .Bind(3, int64_t{s.active})
        .Bind(4, int64_t{s.acknowledged})
        .Bind(5, int64_t{s.latched})
        .Bind(6, std::string_view(s.shelving))
        .Bind(7, s.shelved_until)
        .Bind(8, int64_t{s.suppressed})
        .Bind(9, int64_t{s.out_of_service})
        .Bind(10, s.active_since)
        .Bind(11, s.acknowledged_at)
        .Bind(12, s.updated_at);
    Result<bool> step = save->Step();
    save->Reset();
    if (!step.ok()) return step.status().WithContext("saving the state of alarm " + s.alarm);
  }
  return tx.Commit();
}

Result<std::vector<StoredAlarmEvent>> AlarmJournalStore::List(const AlarmJournalFilter& f) {
  if (!db_) return std::vector<StoredAlarmEvent>{};
  const std::string sql = fmt::format(
      "SELECT id, alarm, equipment, priority, event, ts, state, annunciated, value, user, "
      "comment, recorded_at FROM alarm_journal WHERE (?1 = '' OR alarm = ?1) AND ts >= ?2 AND "
      "ts < ?3 AND (?5 = '' OR equipment = ?5 OR substr(equipment, 1, length(?5) + 1) = ?5 || "
      "'/') ORDER BY ts {0}, id {0} LIMIT ?4",
      f.oldest_first ? "ASC" : "DESC");
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st, db_->Prepare(sql));
  st.Bind(1, std::string_view(f.alarm)).Bind(2, f.from).Bind(3, f.to).Bind(4, f.limit);
  st.Bind(5, std::string_view(f.scope));
  std::vector<StoredAlarmEvent> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(EventOf(st));
  }
  return out;
}

Result<std::vector<StoredAlarmEvent>> AlarmJournalStore::After(int64_t id, int64_t limit) {
  if (!db_) return std::vector<StoredAlarmEvent>{};
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare("SELECT id, alarm, equipment, priority, event, ts, state, annunciated, value, "
                   "user, comment, recorded_at FROM alarm_journal WHERE id > ?1 ORDER BY id "
                   "LIMIT ?2"));
  st.Bind(1, id).Bind(2, limit);
  std::vector<StoredAlarmEvent> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(EventOf(st));
  }
  return out;
}

Result<int64_t> AlarmJournalStore::RecordForwarded(std::string_view site,
                                                   std::span<const StoredAlarmEvent> events,
                                                   bool new_outbox) {
  FH_RETURN_IF_ERROR(NeedDb());
  if (events.empty()) return int64_t{0};
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(*db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * last,
                      db_->Cached("SELECT last_id FROM sync_alarm_applied WHERE site = ?1"));
  last->Bind(1, site);
  FH_ASSIGN_OR_RETURN(const bool found, last->Step());
  const int64_t applied = found && !new_outbox ? last->Int(0) : 0;
  last->Reset();
  int64_t written = 0, newest = applied;
  std::string alarm;
  for (const StoredAlarmEvent& e : events) {
    if (e.id <= applied) continue;
    alarm.assign(site).append("/").append(e.alarm);
    const AlarmJournalRow row{.alarm = alarm,
                              .equipment = e.equipment,
                              .priority = e.priority,
                              .event = e.event,
                              .state = e.state,
                              .ts = e.ts,
                              .annunciated = e.annunciated,
                              .value = e.value,
                              .user = e.user,
                              .comment = e.comment,
                              .recorded_at = e.recorded_at};
    FH_RETURN_IF_ERROR(Append(row).WithContext(fmt::format("site {}: event {}", site, e.id)));
    ++written;
    newest = std::max(newest, e.id);
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * mark,
                      db_->Cached("INSERT INTO sync_alarm_applied(site, last_id) VALUES(?1, ?2) "
                                  "ON CONFLICT(site) DO UPDATE SET last_id = excluded.last_id"));
  mark->Bind(1, site).Bind(2, newest);
  FH_RETURN_IF_ERROR(mark->Run());
  FH_RETURN_IF_ERROR(tx.Commit());
  return written;
}

Result<int64_t> AlarmJournalStore::QueuedUpTo() {
  FH_RETURN_IF_ERROR(NeedDb());
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_->Cached("SELECT last_id FROM sync_alarm_applied WHERE site = ''"));
  FH_ASSIGN_OR_RETURN(const bool found, st->Step());
  const int64_t id = found ? st->Int(0) : 0;
  st->Reset();
  return id;
}

Status AlarmJournalStore::SetQueuedUpTo(int64_t id) {
  FH_RETURN_IF_ERROR(NeedDb());
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_->Cached("INSERT INTO sync_alarm_applied(site, last_id) VALUES('', ?1) "
                                  "ON CONFLICT(site) DO UPDATE SET last_id = excluded.last_id"));
  st->Bind(1, id);
  return st->Run();
}

Result<std::vector<StoredAlarmState>> AlarmJournalStore::States() {
  if (!db_) return std::vector<StoredAlarmState>{};
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare("SELECT alarm, state, active, acknowledged, latched, shelving, shelved_until, "
                   "suppressed, out_of_service, active_since, acknowledged_at, updated_at "
                   "FROM alarm_states ORDER BY alarm"));
  std::vector<StoredAlarmState> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StoredAlarmState s;
    s.alarm = std::string(st.Text(0));
    s.state = std::string(st.Text(1));
    s.active = st.Int(2) != 0;
    s.acknowledged = st.Int(3) != 0;
    s.latched = st.Int(4) != 0;
    s.shelving = std::string(st.Text(5));
    s.shelved_until = st.Int(6);
    s.suppressed = st.Int(7) != 0;
    s.out_of_service = st.Int(8) != 0;
    s.active_since = st.Int(9);
    s.acknowledged_at = st.Int(10);
    s.updated_at = st.Int(11);
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> AlarmJournalStore::RequestAction(const AlarmActionRequest& a) {
  FH_RETURN_IF_ERROR(NeedDb());
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_->Prepare("INSERT INTO alarm_actions(alarm, action, until, user, "
                                   "comment, requested_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  st.Bind(1, std::string_view(a.alarm))
      .Bind(2, std::string_view(a.action))
      .Bind(3, a.until)
      .Bind(4, std::string_view(a.user))
      .Bind(5, std::string_view(a.comment))
      .Bind(6, a.requested_at);
  FH_RETURN_IF_ERROR(st.Step().status());
  return db_->LastInsertRowId();
}

Result<std::vector<AlarmActionRequest>> AlarmJournalStore::PendingActions() {
  if (!db_) return std::vector<AlarmActionRequest>{};
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_->Cached("SELECT id, alarm, action, until, user, comment, requested_at, outcome, "
                  "done_at FROM alarm_actions WHERE outcome IS NULL ORDER BY id"));
  std::vector<AlarmActionRequest> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back(ActionOf(*st));
  }
  st->Reset();
  return out;
}

Status AlarmJournalStore::FinishAction(int64_t id, std::string_view outcome, int64_t done_at) {
  FH_RETURN_IF_ERROR(NeedDb());
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare("UPDATE alarm_actions SET outcome = ?2, done_at = ?3 WHERE id = ?1 AND "
                   "outcome IS NULL"));
  st.Bind(1, id).Bind(2, outcome).Bind(3, done_at);
  return st.Step().status();
}

Result<std::optional<AlarmActionRequest>> AlarmJournalStore::Action(int64_t id) {
  if (!db_) return std::optional<AlarmActionRequest>{};
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_->Prepare(fmt::format("SELECT {} FROM alarm_actions WHERE id = ?1", kActionColumns)));
  st.Bind(1, id);
  FH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<AlarmActionRequest>{};
  return std::optional<AlarmActionRequest>(ActionOf(st));
}

}  // namespace fh
