#include "store/event_session.h"

namespace fh {

EventSession::EventSession(std::mutex& mutex, sqlite::Db* db) : lock_(mutex), db_(db) {}
EventSession::EventSession(EventSession&&) noexcept = default;
EventSession::~EventSession() = default;

SpcEventStore& EventSession::spc_events() {
  if (!spc_events_) spc_events_.emplace(db_);
  return *spc_events_;
}

AlarmJournalStore& EventSession::alarm_journal() {
  if (!alarm_journal_) alarm_journal_.emplace(db_);
  return *alarm_journal_;
}

}  // namespace fh
