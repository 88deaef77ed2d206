// The alarm journal read for a part of the plant: the events of equipment under an ISA-95
// path, the path itself included, not a sibling whose name starts the same way.
#include <gtest/gtest.h>

#include "store/event_session.h"
#include "store/models/alarm_journal_store.h"
#include "testing/hub_test.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

class AlarmJournalScopeTest : public HubTest {};

TEST_F(AlarmJournalScopeTest, AScopeReadsItsEquipmentsEventsOnly) {
  const std::vector<AlarmJournalRow> rows = {
      {"oven-1-high", "acme/line-2/oven-1", "high", "activated", "unacknowledged", 1},
      {"line-2-flow", "acme/line-2", "low", "activated", "unacknowledged", 2},
      {"oven-9-high", "acme/line-20/oven-9", "high", "activated", "unacknowledged", 3},
      {"press-high", "acme/line-1/press", "high", "activated", "unacknowledged", 4},
  };
  {
    EventSession session = hub_->OpenEvents();
    ASSERT_OK(session.alarm_journal().Record(rows, {}));
  }
  auto alarms_of = [&](const std::string& scope) {
    EventSession session = hub_->OpenEvents();
    std::vector<std::string> out;
    const std::vector<StoredAlarmEvent> events =
        session.alarm_journal().List({.limit = 100, .oldest_first = true, .scope = scope}).value();
    for (const StoredAlarmEvent& e : events)
      out.push_back(e.alarm);
    return out;
  };
  EXPECT_EQ(alarms_of("acme/line-2"), (std::vector<std::string>{"oven-1-high", "line-2-flow"}));
  EXPECT_EQ(alarms_of("acme/line-1/press"), (std::vector<std::string>{"press-high"}));
  EXPECT_EQ(alarms_of("").size(), 4u);
  EXPECT_TRUE(alarms_of("acme/line-3").empty());
}

}  // namespace
}  // namespace fh::testing
