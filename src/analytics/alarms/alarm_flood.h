// What a control room sees live of a bad alarm day (EEMUA 191 / ISA-18.2): a flood — more
// alarms than an operator can handle, more than 10 within 10 minutes — with its first-out
// (the alarm that opened the burst, most often the cause of the rest), and chattering
// alarms (3 or more activations within a minute: a candidate for shelving and for a
// deadband). The same thresholds as the performance report (alarm_report.h).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "common/time.h"

namespace fh::analytics::alarms {

struct FloodOptions {
  int64_t window_ns = 10 * kNanosPerMinute;
  int begin_above = 10;  // annunciations within the window: a flood begins
  int end_below = 5;     // and ends when fewer remain in it
};

// Floods of annunciations, by alarm index.
class FloodTracker {
 public:
  struct Flood {
    TimestampNs since = 0;
    uint32_t first_out = 0;  // the alarm of the window's first annunciation
    TimestampNs first_out_at = 0;
    int peak = 0;  // the most annunciations within a window during it
  };

  explicit FloodTracker(FloodOptions options = {}) : options_(options) {}

  // An annunciation of `alarm` at `ts`: true when a flood begins with it.
  bool Annunciated(uint32_t alarm, TimestampNs ts);
  // Time has come to `now`: true when the flood ends.
  bool Tick(TimestampNs now);

  const std::optional<Flood>& flood() const { return flood_; }
  int in_window() const { return static_cast<int>(window_.size()); }

 private:
  void Expire(TimestampNs now);

  const FloodOptions options_;
  std::deque<std::pair<TimestampNs, uint32_t>> window_;  // annunciations within the window
  std::optional<Flood> flood_;
};

// Whether one alarm chatters: 3 activations within a minute, the last of them within a
// minute of `now`.
class ChatterDetector {
 public:
  void Activated(TimestampNs ts);
  bool Chattering(TimestampNs now) const;

 private:
  std::array<TimestampNs, 3> last_{};  // the newest activations, a ring
  int count_ = 0;
};

}  // namespace fh::analytics::alarms
