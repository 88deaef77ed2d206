// Retention with the real binary (docs/retention.md): `factoryhub retention` shows, then
// applies, the hub's retention.yaml, and `serve` applies it on its own from the start, its
// work counted on /api/v1/connectors; a wrong retention.yaml stops both, saying where.
#include <chrono>
#include <thread>

#include "cli/cli_fixture.h"
#include "common/time.h"
#include "testing/mqtt_peers.h"

namespace fh::testing {
namespace {

class CliRetentionTest : public CliTest {
 protected:
  // press.p1 and tank.level: a point every 10 minutes for the ten days before the hour now
  // falls in (so that the counts do not depend on the minute the test runs).
  void WriteTenDays() {
    InitHub();
    end_ = NowNs() / kNanosPerHour * kNanosPerHour;
    std::string csv = "timestamp,tag,value\n";
    for (TimestampNs t = end_ - 240 * kNanosPerHour; t < end_; t += 10 * kNanosPerMinute) {
      csv += FormatRfc3339(t) + ",press.p1," + std::to_string((t / kNanosPerMinute) % 60) + "\n";
      csv += FormatRfc3339(t) + ",tank.level,1\n";
    }
    Ok({"write", "--hub", hub(), WriteFile("points.csv", csv)});
    WriteFile("hub/retention.yaml",
              "policies:\n"
              "  - name: presses\n"
              "    tags: 'press.*'\n"
              "    raw: 7d\n"
              "    rollup: 1h\n"
              "    aggregates: [mean, max]\n");
  }
  int64_t Points(const std::string& tag) {
    const nlohmann::json tags = Json({"tags", "--hub", hub()});
    for (const auto& t : tags["tags"])
      if (t["name"].get<std::string>() == tag) return t["samples"].get<int64_t>();
    return 0;
  }

  TimestampNs end_ = 0;
};

TEST_F(CliRetentionTest, ShowsThenAppliesThePoliciesOnce) {
  WriteTenDays();
  // The cut is 7 days before now, to the hour: 3 days of 6 points an hour go, or, when the
  // test runs in the hour's first moments, ... still whole hours: 72 of them.
  nlohmann::json dry = Json({"retention", "--hub", hub(), "--dry-run"});
  EXPECT_TRUE(dry["dry_run"].get<bool>());
  EXPECT_EQ(dry["tags_covered"].get<int64_t>(), 1);
  EXPECT_EQ(dry["deleted"].get<int64_t>(), 72 * 6) << dry.dump();
  EXPECT_EQ(dry["rollup_points"].get<int64_t>(), 72 * 3) << dry.dump();  // count, mean, max an hour
  EXPECT_EQ(Points("press.p1"), 240 * 6);

  nlohmann::json done = Json({"retention", "--hub", hub()});
  EXPECT_EQ(done["deleted"].get<int64_t>(), 72 * 6);
  ASSERT_EQ(done["tags"].size(), 1u);
  EXPECT_EQ(done["tags"][0]["tag"].get<std::string>(), "press.p1");
  EXPECT_EQ(done["tags"][0]["policy"].get<std::string>(), "presses");
  EXPECT_EQ(Points("press.p1"), 168 * 6);
  EXPECT_EQ(Points("press.p1:mean_1h"), 72);
  EXPECT_EQ(Points("press.p1:count_1h"), 72);
  EXPECT_EQ(Points("press.p1:min_1h"), 0);   // not asked for
  EXPECT_EQ(Points("tank.level"), 240 * 6);  // no policy covers it
  // Each hour's mean is of the minutes 0, 10, ..., 50: 25.
  nlohmann::json mean =
      Json({"query", "--hub", hub(), "--tag", "press.p1:mean_1h", "--agg", "min,max"});
  EXPECT_EQ(mean["series"][0]["buckets"][0]["min"].get<double>(), 25) << mean.dump();
  EXPECT_EQ(mean["series"][0]["buckets"][0]["max"].get<double>(), 25);

  CliResult text = Ok({"retention", "--hub", hub()});
  EXPECT_NE(text.out.find("Deleted 0 points of 0 tags (1 covered by 1 policies)"),
            std::string::npos)
      << text.out;
}

TEST_F(CliRetentionTest, ServeAppliesThePoliciesFromTheStart) {
  WriteTenDays();
  const int port = FreeLoopbackPort();
  CliProcess serve({"serve", "--hub", hub(), "--port", std::to_string(port)});
  std::string seen;
  ASSERT_FALSE(serve.WaitForLine("Press Ctrl-C", 20000, &seen).empty()) << serve.ReadStderr();
  EXPECT_NE(seen.find("Retention: 1 policies of retention.yaml applied now and every 1h"),
            std::string::npos)
      << seen;
  nlohmann::json retention;
  for (int i = 0; i < 200; ++i) {
    nlohmann::json c = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/connectors")));
    for (const auto& s : c["connectors"])
      if (s.value("kind", std::string()) == "retention") retention = s;
    if (!retention.is_null() && retention.value("points", 0) > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(retention.is_null());
  EXPECT_EQ(retention["points"].get<int64_t>(), 72 * 6) << retention.dump();
  EXPECT_EQ(retention["errors"].get<int64_t>(), 0) << retention.dump();
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
  EXPECT_EQ(Points("press.p1"), 168 * 6);
}

TEST_F(CliRetentionTest, AWrongFileSaysWhere) {
  InitHub();
  WriteFile("hub/retention.yaml", "policies:\n  - {name: a, tags: '*', raw: soon}\n");
  CliResult r = RunCli({"retention", "--hub", hub()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("retention.yaml:2: policy 'a'.raw"), std::string::npos) << r.err;
  CliResult s = RunCli({"serve", "--hub", hub(), "--port", "0"});
  EXPECT_NE(s.exit_code, 0);
  EXPECT_NE(s.err.find("retention.yaml:2"), std::string::npos) << s.err;
}

}  // namespace
}  // namespace fh::testing
