// The bookkeeping of line protocol writes, on random bodies of good lines, repeated points
// and bad lines: a bad line is quarantined (and counted in the answer's `dropped`), every
// good line's point is stored, and a point written twice keeps its last value (InfluxDB's
// rule for one series at one time: a stream re-sends, it does not conflict) — the store
// holds exactly that, nothing lost, nothing else.
#include <map>
#include <random>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "store/governance/governance_store.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using nlohmann::json;

class ApiWriteInvariantTest : public ApiTest {};

TEST_F(ApiWriteInvariantTest, TheStoreHoldsEveryGoodPointLastWriteWins) {
  std::mt19937 rng(1203);
  std::map<std::pair<std::string, int64_t>, double> model;  // (tag, time) -> value
  int64_t bad_lines = 0;
  for (int request = 0; request < 25; ++request) {
    std::string body;
    int64_t bad_here = 0;
    const int lines = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < lines; ++i) {
      const std::string machine = "m" + std::to_string(rng() % 3);
      const int64_t t = 1767225600 + static_cast<int64_t>(rng() % 10);
      if (rng() % 8 == 0) {
        // Each bad line its own text, so that each is its own quarantine entry.
        body += "inv,machine=" + machine + ",n=" + std::to_string(request) + "_" +
                std::to_string(i) + " temp=1..2 " + std::to_string(t) + "\n";
        ++bad_here;
        continue;
      }
      const double v = static_cast<double>(rng() % 100) / 4;
      char text[32];
      std::snprintf(text, sizeof text, "%.2f", v);
      body += "inv,machine=" + machine + " temp=" + text + " " + std::to_string(t) + "\n";
      model[{"inv/machine=" + machine + "/temp", t * 1'000'000'000}] = v;
    }
    auto r = client_->Post("/write?db=plant&precision=s", body, "text/plain");
    ASSERT_TRUE(r);
    if (bad_here == 0) {
      EXPECT_EQ(r->status, 204) << r->body;
    } else {
      EXPECT_EQ(r->status, 400) << r->body;
      EXPECT_THAT(json::parse(r->body)["error"].get<std::string>(),
                  ::testing::HasSubstr("dropped=" + std::to_string(bad_here)));
    }
    bad_lines += bad_here;
  }
  std::map<std::pair<std::string, int64_t>, double> stored;
  for (const char* m : {"m0", "m1", "m2"}) {
    const std::string tag = std::string("inv/machine=") + m + "/temp";
    (void)hub_->storage().Scan(tag, {}, [&](auto ts, auto value, auto) {
      for (size_t i = 0; i < ts.size(); ++i)
        stored[{tag, ts[i]}] = value[i];
      return true;
    });
  }
  EXPECT_EQ(stored, model);
  CatalogSession session = hub_->OpenCatalog();
  QuarantineFilter filter;
  filter.mapping_name = "line-protocol";
  filter.limit = 100000;
  Result<int64_t> quarantined = session.governance().CountQuarantine(filter);
  ASSERT_OK(quarantined);
  EXPECT_EQ(*quarantined, bad_lines);
  EXPECT_GT(bad_lines, 0);
}

}  // namespace
}  // namespace fh::testing
