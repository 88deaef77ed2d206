#include "analytics/alarms/alarm_flood.h"

#include <algorithm>

namespace fh::analytics::alarms {

void FloodTracker::Expire(TimestampNs now) {
  while (!window_.empty() && window_.front().first <= now - options_.window_ns)
    window_.pop_front();
}

bool FloodTracker::Annunciated(uint32_t alarm, TimestampNs ts) {
  window_.emplace_back(ts, alarm);
  Expire(ts);
  const int n = in_window();
  if (flood_) {
    flood_->peak = std::max(flood_->peak, n);
    return false;
  }
  if (n <= options_.begin_above) return false;
  flood_ = Flood{ts, window_.front().second, window_.front().first, n};
  return true;
}

bool FloodTracker::Tick(TimestampNs now) {
  Expire(now);
  if (!flood_ || in_window() >= options_.end_below) return false;
  flood_.reset();
  return true;
}

void ChatterDetector::Activated(TimestampNs ts) {
  last_[static_cast<size_t>(count_ % 3)] = ts;
  ++count_;
}

bool ChatterDetector::Chattering(TimestampNs now) const {
  if (count_ < 3) return false;
  const auto [oldest, newest] = std::minmax_element(last_.begin(), last_.end());
  return *newest - *oldest <= kNanosPerMinute && now - *newest <= kNanosPerMinute;
}

}  // namespace fh::analytics::alarms
