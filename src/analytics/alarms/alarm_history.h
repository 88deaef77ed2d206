// The alarms that a hub's definitions would have raised over stored history: each alarm
// definition of alarms.yaml applied to its tag's stored values (and its set-point's and its
// suppressing tag's), or to its SPC characteristic's recorded episodes, in time order,
// through the same condition (alarm_condition.h) and state machine (alarm_state.h) that
// serve applies live, with no operator acting. What `factoryhub alarms evaluate` prints,
// and what an alarm rationalisation is done with: how many alarms would these limits have
// raised last month, which would chatter, how often would the board flood?
#pragma once

#include <vector>

#include "analytics/alarms/alarm_config.h"
#include "analytics/alarms/alarm_journal.h"
#include "common/status.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::analytics::alarms {

struct HistoryOptions {
  // The range is read this much at a time (each tag of a definition together), so that a
  // year of data costs a day's memory.
  int64_t window_ns = kNanosPerDay;
};

// The journal of `config`'s alarms over [range.from, range.to), in time order (events of
// the same time in the order of the definitions). An alarm's tag without values in the
// range raises nothing; a stale alarm's goes stale `after` its last value before range.to.
Result<std::vector<JournalEntry>> EvaluateHistory(Hub& hub, const AlarmConfig& config,
                                                  TimeRange range, HistoryOptions options = {});

}  // namespace fh::analytics::alarms
