// Retention policies (retention.yaml): what they say, and what applying them leaves in a
// real store: raw points deleted to the nanosecond, rollups whose values are the aggregates
// of the points they replace, late points merged into a rollup already there, rollups
// deleted in their turn, other tags untouched, a dry run changing nothing, a second run
// nothing more.
#include <gmock/gmock.h>

#include <cmath>

#include "analytics/retention/retention_run.h"
#include "testing/hub_test.h"

namespace fh::analytics::retention {
namespace {

using ::testing::HasSubstr;
using testing::HubTest;

constexpr TimestampNs kDay = 24 * kNanosPerHour;
constexpr TimestampNs kT0 = 1767225600 * kNanosPerSecond;  // 2026-01-01T00:00:00Z

std::string Error(const std::string& yaml) {
  Result<RetentionConfig> c = RetentionConfig::Parse(yaml, "retention.yaml");
  return c.ok() ? "" : c.status().message();
}

TEST(RetentionConfigTest, ReadsPoliciesAndSaysWhereAFileIsWrong) {
  Result<RetentionConfig> c = RetentionConfig::Parse(
      "policies:\n"
      "  - name: signals\n"
      "    tags: ['line-*.*', 'press.*']\n"
      "    raw: 30d\n"
      "    rollup: 1m\n"
      "    rollups: 730d\n"
      "  - {name: rest, tags: '*', raw: 365d}\n"
      "every: 15m\n",
      "retention.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->policies.size(), 2u);
  EXPECT_EQ(c->every_ns, 15 * kNanosPerMinute);
  const RetentionPolicy& p = c->policies[0];
  EXPECT_EQ(p.raw_ns, 30 * kDay);
  EXPECT_EQ(p.rollup_ns, kNanosPerMinute);
  EXPECT_EQ(p.aggregates, (std::vector<std::string>{"mean", "min", "max"}));
  EXPECT_EQ(p.RollupTag("line-1.m1.temp", "mean"), "line-1.m1.temp:mean_1m");
  EXPECT_EQ(c->PolicyFor("line-1.m1.temp"), &c->policies[0]);
  EXPECT_EQ(c->PolicyFor("tank.level"), &c->policies[1]);      // the first that matches
  EXPECT_EQ(c->PolicyFor("line-1.m1.temp:mean_1m"), nullptr);  // rollups are not rolled up
  EXPECT_TRUE(IsRollupTag("x:count_1h30m"));
  EXPECT_FALSE(IsRollupTag("opc:ns=2;s=temp"));

  EXPECT_EQ(Error("policies:\n  - {name: a, tags: '*', raw: 30d, keep: 1d}\n"),
            "retention.yaml:2: unknown key 'policies[0].keep'");
  EXPECT_THAT(Error("policies:\n  - {name: a, tags: '*'}\n"),
              HasSubstr("retention.yaml:2: policy 'a' needs raw"));
  EXPECT_THAT(Error("policies:\n  - {name: a, tags: '*', raw: 30 days}\n"),
              HasSubstr("policy 'a'.raw"));
  EXPECT_THAT(Error("policies:\n  - {name: a, tags: '*', raw: 1h, rollup: 1d}\n"),
              HasSubstr("longer than raw"));
  EXPECT_THAT(Error("policies:\n  - {name: a, tags: '*', raw: 1d, aggregates: [mean]}\n"),
              HasSubstr("needs a rollup interval"));
  EXPECT_THAT(
      Error("policies:\n  - {name: a, tags: '*', raw: 1d, rollup: 1m, aggregates: [p99]}\n"),
      HasSubstr("'p99' is none of mean, min, max, sum, count"));
  EXPECT_THAT(Error("policies:\n  - {name: a, tags: [], raw: 1d}\n"), HasSubstr("tags is empty"));
  EXPECT_THAT(Error("every: 1h\npolicies: []\nkeep: x\n"), HasSubstr("unknown key 'keep'"));
}

class RetentionRunTest : public HubTest {
 protected:
  // A point every 10 s for three days of two tags; the policy covers one of them.
  void SetUp() override {
    HubTest::SetUp();
    SampleBatch b;
    for (TimestampNs t = kT0; t < kT0 + 3 * kDay; t += 10 * kNanosPerSecond) {
      const double v = static_cast<double>((t - kT0) / kNanosPerSecond % 997);
      b.Add("line-1.m1.temp", t, v);
      b.Add("tank.level", t, v);
    }
    ASSERT_OK(hub_->storage().Write(b));
    config_ = *RetentionConfig::Parse(
        "policies:\n  - {name: signals, tags: 'line-*', raw: 1d, rollup: 1m, rollups: 3d}\n", "r");
  }
  std::vector<std::pair<TimestampNs, double>> Points(const std::string& tag, TimeRange range = {}) {
    std::vector<std::pair<TimestampNs, double>> out;
    Status st = hub_->storage().Scan(
        tag, range,
        [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
          for (size_t i = 0; i < ts.size(); ++i)
            out.emplace_back(ts[i], v[i]);
          return true;
        });
    EXPECT_TRUE(st.ok() || st.code() == StatusCode::kNotFound) << st.message();
    return out;
  }

  RetentionConfig config_;
};

TEST_F(RetentionRunTest, RollsUpThenDeletesTheOlderRawPoints) {
  const TimestampNs now = kT0 + 3 * kDay;
  const TimestampNs cutoff = kT0 + 2 * kDay;  // now - 1d
  // A dry run says what it would do and does nothing.
  Result<RetentionReport> dry = ApplyRetention(hub_->storage(), config_, now, /*dry_run=*/true);
  ASSERT_OK(dry);
  EXPECT_EQ(dry->tags_covered, 1);
  EXPECT_EQ(dry->deleted, 2 * 24 * 360);
  EXPECT_EQ(dry->rollup_points, 2 * 24 * 60 * 4);
  EXPECT_EQ(Points("line-1.m1.temp").size(), 3u * 24 * 360);
  EXPECT_TRUE(Points("line-1.m1.temp:mean_1m").empty());

  // The cut falls on a whole rollup interval: 30 s later it is still the same minute.
  Result<RetentionReport> dry_later =
      ApplyRetention(hub_->storage(), config_, now + 30 * kNanosPerSecond, /*dry_run=*/true);
  ASSERT_OK(dry_later);
  ASSERT_EQ(dry_later->tags.size(), 1u);
  EXPECT_EQ(dry_later->tags[0].cutoff, cutoff);

  Result<RetentionReport> r = ApplyRetention(hub_->storage(), config_, now);
  ASSERT_OK(r);
  EXPECT_EQ(r->deleted, 2 * 24 * 360);
  ASSERT_EQ(r->tags.size(), 1u);
  EXPECT_EQ(r->tags[0].cutoff, cutoff);
  const auto raw = Points("line-1.m1.temp");
  ASSERT_EQ(raw.size(), 24u * 360);
  EXPECT_EQ(raw.front().first, cutoff);
  EXPECT_EQ(Points("tank.level").size(), 3u * 24 * 360);  // no policy covers it
  // Each minute before the cut is one point per aggregate, of that minute's six points.
  const auto mean = Points("line-1.m1.temp:mean_1m");
  const auto count = Points("line-1.m1.temp:count_1m");
  const auto lo = Points("line-1.m1.temp:min_1m");
  const auto hi = Points("line-1.m1.temp:max_1m");
  ASSERT_EQ(mean.size(), 2u * 24 * 60);
  ASSERT_EQ(count.size(), mean.size());
  for (size_t m : {size_t{0}, size_t{1}, size_t{1234}, mean.size() - 1}) {
    const TimestampNs start = kT0 + static_cast<TimestampNs>(m) * kNanosPerMinute;
    EXPECT_EQ(mean[m].first, start);
    double sum = 0, mn = INFINITY, mx = -INFINITY;
    for (int k = 0; k < 6; ++k) {
      const double wrapped = static_cast<double>(((start - kT0) / kNanosPerSecond + 10 * k) % 997);
      sum += wrapped;
      mn = std::min(mn, wrapped);
      mx = std::max(mx, wrapped);
    }
    EXPECT_EQ(count[m].second, 6);
    EXPECT_DOUBLE_EQ(mean[m].second, sum / 6) << m;
    EXPECT_EQ(lo[m].second, mn);
    EXPECT_EQ(hi[m].second, mx);
  }
  // Run again: nothing more to do.
  Result<RetentionReport> again = ApplyRetention(hub_->storage(), config_, now);
  ASSERT_OK(again);
  EXPECT_EQ(again->deleted, 0);
  EXPECT_TRUE(again->tags.empty());

  // A point that arrives late, in a minute already rolled up, is merged into its rollup.
  SampleBatch late;
  late.Add("line-1.m1.temp", kT0 + 5 * kNanosPerSecond, 1000);
  ASSERT_OK(hub_->storage().Write(late));
  ASSERT_OK(ApplyRetention(hub_->storage(), config_, now));
  EXPECT_EQ(Points("line-1.m1.temp", {kT0, cutoff}).size(), 0u);
  EXPECT_EQ(Points("line-1.m1.temp:count_1m")[0].second, 7);
  EXPECT_DOUBLE_EQ(Points("line-1.m1.temp:mean_1m")[0].second,
                   (0 + 10 + 20 + 30 + 40 + 50 + 1000) / 7.0);
  EXPECT_EQ(Points("line-1.m1.temp:max_1m")[0].second, 1000);
  EXPECT_EQ(Points("line-1.m1.temp:min_1m")[0].second, 0);

  // Two days later the next day is rolled up, and the rollups older than three days go.
  ASSERT_OK(ApplyRetention(hub_->storage(), config_, now + 2 * kDay));
  ASSERT_OK(ApplyRetention(hub_->storage(), config_, now + 2 * kDay));
  const auto later = Points("line-1.m1.temp:mean_1m");
  ASSERT_FALSE(later.empty());
  EXPECT_EQ(later.front().first, now + 2 * kDay - 3 * kDay);
  EXPECT_EQ(later.back().first, kT0 + 3 * kDay - kNanosPerMinute);
  EXPECT_EQ(later.size(), Points("line-1.m1.temp:count_1m").size());
  EXPECT_TRUE(Points("line-1.m1.temp").empty());
}

TEST_F(RetentionRunTest, AStoppedRunChangesNothingMore) {
  std::atomic<bool> stop{true};
  Result<RetentionReport> r =
      ApplyRetention(hub_->storage(), config_, kT0 + 3 * kDay, /*dry_run=*/false, &stop);
  ASSERT_OK(r);
  EXPECT_EQ(r->deleted, 0);
  EXPECT_EQ(Points("line-1.m1.temp").size(), 3u * 24 * 360);
}

}  // namespace
}  // namespace fh::analytics::retention
