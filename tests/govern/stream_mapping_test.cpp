// The stream mapping: its YAML, its errors (file:line:column), and what StreamGovernor keeps,
// converts and rejects.
#include "govern/stream_mapping.h"
#include "testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fh::govern {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMapping = R"(mapping: plant-streams
signals:
  - tags: "line-*.*.process_temperature"
    unit: °F
    to: K
    rules: [{ rule: range, min: 280, max: 360 }]
  - tags: ["line-*.*.spindle_speed", "line-*.*.rpm"]
    rules:
      - { rule: range, min: 0, max: 6000 }
      - { rule: range, id: slow, min: 100, severity: warn }
  - tags: "line-*.*.*"
    rules: [{ rule: monotonic, field: timestamp }]
rules:
  - { rule: regex, field: tag, pattern: '[a-z0-9_.-]+' }
)";

std::unique_ptr<StreamGovernor> Governor(const std::string& text) {
  Result<StreamMapping> m = ParseStreamMapping(text, "streams.yaml");
  EXPECT_OK(m);
  if (!m.ok()) return nullptr;
  Result<std::unique_ptr<StreamGovernor>> g = StreamGovernor::Make(std::move(m).value());
  EXPECT_OK(g);
  return g.ok() ? std::move(g).value() : nullptr;
}

std::string StreamParseError(const std::string& text) {
  Result<StreamMapping> m = ParseStreamMapping(text, "streams.yaml");
  return m.ok() ? "(parsed)" : m.status().message();
}

TEST(StreamMappingTest, ReadsSignalsAndRules) {
  Result<StreamMapping> m = ParseStreamMapping(kMapping, "streams.yaml");
  ASSERT_OK(m);
  EXPECT_EQ(m->name, "plant-streams");
  ASSERT_EQ(m->signals.size(), 3u);
  EXPECT_EQ(m->signals[0].tags, std::vector<std::string>{"line-*.*.process_temperature"});
  EXPECT_EQ(m->signals[0].unit, "°F");
  EXPECT_EQ(m->signals[0].to_unit, "K");
  EXPECT_EQ(m->signals[0].line, 3);
  ASSERT_EQ(m->signals[1].rules.size(), 2u);
  EXPECT_EQ(m->signals[1].rules[0].id, "range:value");  // the field defaults to value
  EXPECT_EQ(m->signals[1].rules[1].id, "slow");
  EXPECT_EQ(m->signals[1].rules[1].severity, Severity::kWarn);
  ASSERT_EQ(m->rules.size(), 1u);
  EXPECT_EQ(m->rules[0].fields, std::vector<std::string>{"tag"});
  EXPECT_EQ(m->text, kMapping);
}

TEST(StreamMappingTest, ErrorsSayWhereAndWhat) {
  EXPECT_EQ(StreamParseError("signals:\n  - tags: a\n    unti: K\n"),
            "streams.yaml:3:5: signal: unknown key 'unti' (allowed: tags, unit, to, rules)");
  EXPECT_THAT(StreamParseError("signals:\n  - tags: a\n    rules: [{ rule: unique }]\n"),
              HasSubstr("streams.yaml:3:13: rule 'unique' does not apply to streams"));
  EXPECT_THAT(StreamParseError("signals:\n  - tags: a\n    unit: K\n    to: rpm\n"),
              HasSubstr("streams.yaml:2:5: signal: cannot convert K (temperature) to rpm"));
  EXPECT_THAT(StreamParseError("signals:\n  - tags: a\n    to: K\n"),
              HasSubstr("streams.yaml:3:9: signal: 'to' needs the 'unit' it is in"));
  EXPECT_THAT(StreamParseError("rules:\n  - { rule: range }\n"),
              HasSubstr("streams.yaml:2:5: rule 'range': needs min or max"));
  EXPECT_THAT(StreamParseError("rules:\n  - { rule: range, field: qty, min: 1 }\n"),
              HasSubstr("points have fields value, timestamp and tag, not 'qty'"));
  EXPECT_THAT(StreamParseError("mapping: [1\n"), HasSubstr("streams.yaml:"));
  EXPECT_THAT(StreamParseError("signals:\n  - unit: K\n"), HasSubstr("needs 'tags'"));
}

TEST(StreamMappingTest, PointsThatPassAreStoredAsTheyCame) {
  auto g = Governor(kMapping);
  ASSERT_TRUE(g);
  SampleBatch in;
  in.Add("line-1.cnc-01.spindle_speed", 1, 1500);
  in.Add("line-1.cnc-01.torque", 1, 40);
  in.Add("other", 1, -5);  // no signal group: only the every-point rules
  GovernedBatch out = g->Apply(in, 0);
  EXPECT_TRUE(out.all_kept);  // nothing converted or rejected: no copy
  EXPECT_TRUE(out.kept.empty());
  EXPECT_TRUE(out.rejected.empty());
  EXPECT_EQ(out.warnings, 0);
}

TEST(StreamMappingTest, ConvertsUnitsAndRejectsWhatFailsARule) {
  auto g = Governor(kMapping);
  ASSERT_TRUE(g);
  SampleBatch in;
  in.Add("line-1.cnc-01.process_temperature", 10, 98.6);  // 310.15 K
  in.Add("line-1.cnc-01.spindle_speed", 10, 9000);        // above 6000
  in.Add("line-1.cnc-01.rpm", 10, 50);                    // stored, with a warning
  in.Add("line-1.cnc-01.process_temperature", 20, 2000);  // 1366 K: out of range
  in.Add("Line-1.CNC", 10, 1);                            // the tag fails the regex
  GovernedBatch out = g->Apply(in, 0);
  EXPECT_FALSE(out.all_kept);
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept.tag_names()[out.kept.tag()[0]], "line-1.cnc-01.process_temperature");
  EXPECT_NEAR(out.kept.value()[0], 310.15, 1e-9);
  EXPECT_EQ(out.kept.tag_names()[out.kept.tag()[1]], "line-1.cnc-01.rpm");
  EXPECT_EQ(out.kept.value()[1], 50);
  EXPECT_EQ(out.warnings, 1);

  ASSERT_EQ(out.rejected.size(), 3u);
  EXPECT_EQ(out.rejected[0].index, 1u);
  EXPECT_EQ(out.rejected[0].tag, "line-1.cnc-01.spindle_speed");
  EXPECT_EQ(out.rejected[0].value, 9000);
  EXPECT_THAT(FailureText(out.rejected[0]), HasSubstr("rule 'range:value': "));
  EXPECT_THAT(FailureText(out.rejected[0]), HasSubstr("6000"));
  // As received, before conversion: what the sender can fix and send again.
  EXPECT_EQ(out.rejected[1].index, 3u);
  EXPECT_EQ(out.rejected[1].value, 2000);
  EXPECT_EQ(out.rejected[2].tag, "Line-1.CNC");
  EXPECT_THAT(FailureText(out.rejected[2]), HasSubstr("rule 'regex:tag'"));

  // Per rule and group: the speed group's range checked 2 points and failed 1.
  bool found = false;
  for (const auto& [tags, t] : g->Tallies()) {
    EXPECT_LE(t.check, CheckKind::kRowCountChange) << t.rule;  // no built-in checks
    if (tags == "line-*.*.spindle_speed,line-*.*.rpm" && t.rule == "range:value") {
      EXPECT_EQ(t.checked, 2);
      EXPECT_EQ(t.failed, 1);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(StreamMappingTest, TheFirstMatchingSignalGroupApplies) {
  auto g = Governor(
      "signals:\n"
      "  - { tags: 'a.*', rules: [{ rule: range, max: 1 }] }\n"
      "  - { tags: '*', rules: [{ rule: range, max: 100 }] }\n");
  ASSERT_TRUE(g);
  SampleBatch in;
  in.Add("a.x", 1, 50);  // the first group: rejected
  in.Add("b.x", 1, 50);  // the second: kept
  GovernedBatch out = g->Apply(in, 0);
  ASSERT_EQ(out.rejected.size(), 1u);
  EXPECT_EQ(out.rejected[0].tag, "a.x");
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept.tag_names()[out.kept.tag()[0]], "b.x");
}

TEST(StreamMappingTest, MonotonicRemembersEachTagAcrossWrites) {
  auto g = Governor(kMapping);
  ASSERT_TRUE(g);
  SampleBatch first;
  first.Add("line-1.cnc-01.torque", 100, 1);
  EXPECT_TRUE(g->Apply(first, 0).rejected.empty());
  SampleBatch late;
  late.Add("line-1.cnc-01.torque", 50, 2);  // before the tag's last time
  late.Add("line-1.cnc-02.torque", 50, 2);  // another tag: fine
  GovernedBatch out = g->Apply(late, 0);
  ASSERT_EQ(out.rejected.size(), 1u);
  EXPECT_EQ(out.rejected[0].tag, "line-1.cnc-01.torque");
  EXPECT_THAT(FailureText(out.rejected[0]), HasSubstr("monotonic:timestamp"));
}

TEST(StreamMappingTest, FreshnessUsesTheGivenNow) {
  auto g = Governor("rules: [{ rule: freshness, field: timestamp, max_age: 1h }]\n");
  ASSERT_TRUE(g);
  const int64_t now = 10 * 3600 * int64_t{1'000'000'000};
  SampleBatch in;
  in.Add("t", now - 7200 * int64_t{1'000'000'000}, 1);  // two hours old
  in.Add("t", now - 60 * int64_t{1'000'000'000}, 2);
  GovernedBatch out = g->Apply(in, now);
  ASSERT_EQ(out.rejected.size(), 1u);
  EXPECT_EQ(out.rejected[0].value, 1);
  ASSERT_EQ(out.kept.size(), 1u);
}

}  // namespace
}  // namespace fh::govern
