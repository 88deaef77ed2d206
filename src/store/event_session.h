// EventSession: the hub's live events — SPC episodes, the alarm journal — in a
// database of their own, events.db beside factoryhub.db. Events can come in storms (a
// process out of control on every tag); in their own file, writing them never holds the
// write lock that the points' writes and the catalog need. Like CatalogSession, one caller
// at a time: a session holds the events connection from Hub::OpenEvents() until it is
// destroyed. A hub opened read-only without an events.db has no events: reads find none
// and writes fail, saying why.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "store/models/alarm_journal_store.h"
#include "store/models/spc_event_store.h"

namespace fh {

namespace sqlite {
class Db;
}

inline constexpr const char* kEventsDbFile = "events.db";

class EventSession {
 public:
  EventSession(EventSession&&) noexcept;
  EventSession& operator=(EventSession&&) = delete;
  ~EventSession();

  SpcEventStore& spc_events();
  AlarmJournalStore& alarm_journal();

 private:
  friend class Hub;
  EventSession(std::mutex& mutex, sqlite::Db* db);

  std::unique_lock<std::mutex> lock_;
  sqlite::Db* db_;  // null: no events database
  std::optional<SpcEventStore> spc_events_;
  std::optional<AlarmJournalStore> alarm_journal_;
};

}  // namespace fh
