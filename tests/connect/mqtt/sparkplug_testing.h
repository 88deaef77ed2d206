// What the Sparkplug B tests share: the node's clock and topics that must parse.
#pragma once

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "common/time.h"
#include "connect/mqtt/sparkplug.h"

namespace fh::connect::sparkplug_testing {

inline constexpr uint64_t kT = 1767225600000;  // ms, the node's clock at its birth
inline constexpr TimestampNs kTns = kT * kNanosPerMilli;

inline SparkplugTopic Topic(const std::string& text) {
  std::optional<SparkplugTopic> t = ParseSparkplugTopic(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(SparkplugTopic{});
}

}  // namespace fh::connect::sparkplug_testing
