// query shows a tag's text values (line protocol's string fields) as its raw points, beside
// numeric tags, by name or glob, range and limit; aggregates skip them and say so.
#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "store/catalog/text_samples.h"
#include "store/hub.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr TimestampNs kT0 = 1'772'352'000'000'000'000;  // 2026-03-01T08:00:00Z
constexpr TimestampNs kMinute = 60'000'000'000;

class CliQueryText : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Ok({"write", "--hub", hub(),
        WriteFile("samples.csv", "timestamp,tag,value\n2026-03-01T08:00:00Z,m7/speed,1480\n")});
    Result<std::unique_ptr<Hub>> h = Hub::Open(hub());
    ASSERT_OK(h);
    const std::vector<TextSample> texts = {{"m7/status", kT0, "running"},
                                           {"m7/status", kT0 + kMinute, "say \"hi\""},
                                           {"m7/status", kT0 + 2 * kMinute, "stopped"}};
    CatalogSession session = (*h)->OpenCatalog();
    Status s = session.text_samples().Write(texts);
    ASSERT_OK(s);
  }
};

TEST_F(CliQueryText, RawPointsOfATextTagShowTheText) {
  CliResult table = Ok({"query", "--hub", hub(), "--tag", "m7/status"});
  EXPECT_THAT(table.out, HasSubstr("running"));
  EXPECT_THAT(table.out, HasSubstr("say \"hi\""));
  json q = Json({"query", "--hub", hub(), "--tag", "m7/*", "--from", "2026-03-01T08:00:00Z", "--to",
                 "2026-03-01T08:02:00Z"});
  ASSERT_EQ(q["series"].size(), 2u);
  EXPECT_EQ(q["series"][0]["tag"], "m7/speed");
  EXPECT_EQ(q["series"][1]["tag"], "m7/status");
  EXPECT_EQ(q["series"][1]["type"], "text");
  EXPECT_EQ(q["series"][1]["points"], json::parse(R"([["2026-03-01T08:00:00Z", "running"],
                            ["2026-03-01T08:01:00Z", "say \"hi\""]])"));
  json limited = Json({"query", "--hub", hub(), "--tag", "m7/status", "--limit", "1"});
  ASSERT_EQ(limited["series"].size(), 1u);
  EXPECT_EQ(limited["series"][0]["points"].size(), 1u);
  EXPECT_EQ(limited["series"][0]["truncated"], true);
}

TEST_F(CliQueryText, AggregatesSkipTextTagsAndSaySo) {
  CliResult r = Ok({"query", "--hub", hub(), "--tag", "m7/*", "--agg", "count", "--json"});
  EXPECT_THAT(r.err, HasSubstr("m7/status: text values are not aggregated"));
  json q = json::parse(r.out);
  ASSERT_EQ(q["series"].size(), 1u);
  EXPECT_EQ(q["series"][0]["tag"], "m7/speed");
  // An unknown tag is still an error.
  CliResult unknown = RunCli({"query", "--hub", hub(), "--tag", "m7/nope"});
  EXPECT_NE(unknown.exit_code, 0);
}

}  // namespace
}  // namespace fh::testing
