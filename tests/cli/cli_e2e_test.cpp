// End-to-end: init → write → info → query → latest through the real binary.
#include <gmock/gmock.h>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kSamples =
    "timestamp,tag,value,quality\n"
    "2026-03-01T08:00:00Z,line1.temp,20.5,192\n"
    "2026-03-01T08:00:30Z,line1.temp,21.5,192\n"
    "2026-03-01T08:01:00Z,line1.temp,23,192\n"
    "2026-03-01T08:01:30Z,line1.temp,25,64\n"
    "2026-03-01T08:00:00Z,line1.speed,1500,192\n"
    "2026-03-01T08:01:00Z,line1.speed,1520,192\n"
    "2026-03-01T08:00:00Z,line2.temp,nan,0\n";

class CliEndToEnd : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Ok({"write", "--hub", hub(), WriteFile("samples.csv", kSamples)});
  }
};

TEST_F(CliTest, InitSaysWhatWasCreatedAndWhatToRunNext) {
  CliResult r = Ok({"init", hub(), "--name", "plant-a"});
  EXPECT_THAT(r.out, HasSubstr("Created hub 'plant-a'"));
  EXPECT_THAT(r.out, HasSubstr("factoryhub.yaml"));
  EXPECT_THAT(r.out, HasSubstr("factoryhub write"));
  json info = Json({"info", "--hub", hub()});
  EXPECT_EQ(info["name"], "plant-a");
  EXPECT_EQ(info["samples"], 0);
  EXPECT_GE(info["schema_version"].get<int>(), 1);
}

TEST_F(CliTest, WriteJsonReportsCounts) {
  InitHub();
  json w = Json({"write", "--hub", hub(), WriteFile("samples.csv", kSamples)});
  EXPECT_EQ(w["written"], 7);
  EXPECT_EQ(w["tags"], 3);
  EXPECT_GE(w["seconds"].get<double>(), 0);
  EXPECT_TRUE(w["samples_per_second"].is_number());
}

TEST_F(CliTest, WriteTextIsOneLineSummary) {
  InitHub();
  CliResult r = Ok({"write", "--hub", hub(), WriteFile("samples.csv", kSamples)});
  EXPECT_THAT(r.out, HasSubstr("Wrote 7 samples of 3 tags"));
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal
}

TEST_F(CliTest, WriteFromStdinWithEpochSeconds) {
  InitHub();
  CliRunOptions opts;
  opts.stdin_file = WriteFile("epoch.csv", "1772352000,m.x,1\n1772352001,m.x,2\n");
  Ok({"write", "--hub", hub(), "--epoch", "s", "-"}, opts);
  json latest = Json({"latest", "--hub", hub(), "--tag", "m.x"});
  EXPECT_EQ(latest["latest"][0]["ts"], "2026-03-01T08:00:01Z");
  EXPECT_EQ(latest["latest"][0]["value"], 2);
}

TEST_F(CliEndToEnd, InfoCountsEverything) {
  json info = Json({"info", "--hub", hub()});
  EXPECT_EQ(info["tags"], 3);
  EXPECT_EQ(info["samples"], 7);
  EXPECT_EQ(info["name"], "hub");
  EXPECT_GT(info["bytes_on_disk"].get<int64_t>(), 0);
  EXPECT_GT(info["bytes_per_sample"].get<double>(), 0);
  CliResult text = Ok({"info", "--hub", hub()});
  EXPECT_THAT(text.out, HasSubstr("samples"));
  EXPECT_THAT(text.out, HasSubstr("schema version"));
}

TEST_F(CliEndToEnd, QueryRawPoints) {
  json q = Json({"query", "--hub", hub(), "--tag", "line1.temp"});
  ASSERT_EQ(q["series"].size(), 1u);
  EXPECT_EQ(q["series"][0]["tag"], "line1.temp");
  EXPECT_EQ(q["series"][0]["truncated"], false);
  json expected = json::parse(R"([["2026-03-01T08:00:00Z", 20.5, 192],
                                  ["2026-03-01T08:00:30Z", 21.5, 192],
                                  ["2026-03-01T08:01:00Z", 23, 192],
                                  ["2026-03-01T08:01:30Z", 25, 64]])");
  EXPECT_EQ(q["series"][0]["points"], expected);
}

TEST_F(CliEndToEnd, QueryRawRangeIsHalfOpen) {
  json q = Json({"query", "--hub", hub(), "--tag", "line1.temp", "--from", "2026-03-01T08:00:30Z",
                 "--to", "2026-03-01T08:01:30Z"});
  json expected = json::parse(R"([["2026-03-01T08:00:30Z", 21.5, 192],
                                  ["2026-03-01T08:01:00Z", 23, 192]])");
  EXPECT_EQ(q["series"][0]["points"], expected);
}

TEST_F(CliEndToEnd, QueryBucketsPerMinute) {
  json q = Json(
      {"query", "--hub", hub(), "--tag", "line1.temp", "--every", "1m", "--agg", "mean,max,count"});
  EXPECT_EQ(q["every"], "1m");
  EXPECT_EQ(q["aggs"], json::parse(R"(["mean","max","count"])"));
  json expected = json::parse(R"([
      {"start": "2026-03-01T08:00:00Z", "mean": 21, "max": 21.5, "count": 2},
      {"start": "2026-03-01T08:01:00Z", "mean": 24, "max": 25, "count": 2}])");
  EXPECT_EQ(q["series"][0]["buckets"], expected);
}

TEST_F(CliEndToEnd, QueryEveryDefaultsToMean) {
  json q = Json({"query", "--hub", hub(), "--tag", "line1.speed", "--every", "1h"});
  EXPECT_EQ(q["aggs"], json::parse(R"(["mean"])"));
  EXPECT_EQ(q["series"][0]["buckets"][0]["mean"], 1510);
}

TEST_F(CliEndToEnd, QueryAggWithoutEveryIsOneBucketPerTag) {
  json q = Json({"query", "--hub", hub(), "--tag", "line1.*", "--agg", "count,min,max,sum"});
  EXPECT_TRUE(q["every"].is_null());
  ASSERT_EQ(q["series"].size(), 2u);
  // Globs expand in name order.
  EXPECT_EQ(q["series"][0]["tag"], "line1.speed");
  EXPECT_EQ(q["series"][1]["tag"], "line1.temp");
  json temp = q["series"][1]["buckets"];
  ASSERT_EQ(temp.size(), 1u);
  EXPECT_EQ(temp[0]["count"], 4);
  EXPECT_EQ(temp[0]["min"], 20.5);
  EXPECT_EQ(temp[0]["max"], 25);
  EXPECT_EQ(temp[0]["sum"], 90);
  EXPECT_EQ(temp[0]["start"], "2026-03-01T08:00:00Z");
}

TEST_F(CliEndToEnd, QueryNaNIsNullInJson) {
  json q = Json({"query", "--hub", hub(), "--tag", "line2.temp"});
  EXPECT_EQ(q["series"][0]["points"], json::parse(R"([["2026-03-01T08:00:00Z", null, 0]])"));
  CliResult text = Ok({"query", "--hub", hub(), "--tag", "line2.temp"});
  EXPECT_THAT(text.out, HasSubstr("NaN"));
}

TEST_F(CliEndToEnd, QueryLimitTruncatesPerTag) {
  json q = Json({"query", "--hub", hub(), "--tag", "line1.temp", "--limit", "3"});
  EXPECT_EQ(q["series"][0]["points"].size(), 3u);
  EXPECT_EQ(q["series"][0]["truncated"], true);
  json exact = Json({"query", "--hub", hub(), "--tag", "line1.temp", "--limit", "4"});
  EXPECT_EQ(exact["series"][0]["truncated"], false);
  CliResult text = Ok({"query", "--hub", hub(), "--tag", "line1.temp", "--limit", "3"});
  EXPECT_THAT(text.err, HasSubstr("showing the first 3 points"));
}

TEST_F(CliEndToEnd, QueryTableIsAligned) {
  CliResult r = Ok({"query", "--hub", hub(), "--tag", "line1.temp"});
  EXPECT_EQ(r.out,
            "time                  value  quality\n"
            "2026-03-01T08:00:00Z   20.5      192\n"
            "2026-03-01T08:00:30Z   21.5      192\n"
            "2026-03-01T08:01:00Z     23      192\n"
            "2026-03-01T08:01:30Z     25       64\n");
  CliResult buckets =
      Ok({"query", "--hub", hub(), "--tag", "line1.*", "--every", "1m", "--agg", "mean,max"});
  EXPECT_EQ(buckets.out,
            "tag          start                 mean   max\n"
            "line1.speed  2026-03-01T08:00:00Z  1500  1500\n"
            "line1.speed  2026-03-01T08:01:00Z  1520  1520\n"
            "line1.temp   2026-03-01T08:00:00Z    21  21.5\n"
            "line1.temp   2026-03-01T08:01:00Z    24    25\n");
}

TEST_F(CliEndToEnd, QueryEmptyRangeSaysSo) {
  CliResult r = Ok({"query", "--hub", hub(), "--tag", "line1.temp", "--from", "2030-01-01"});
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("no points"));
}

TEST_F(CliEndToEnd, LatestOfSeveralTags) {
  json l = Json({"latest", "--hub", hub(), "--tag", "line1.temp", "--tag", "line1.speed"});
  json expected = json::parse(R"({"latest": [
      {"tag": "line1.temp", "ts": "2026-03-01T08:01:30Z", "value": 25, "quality": 64},
      {"tag": "line1.speed", "ts": "2026-03-01T08:01:00Z", "value": 1520, "quality": 192}]})");
  EXPECT_EQ(l, expected);
  CliResult text = Ok({"latest", "--hub", hub(), "--tag", "line1.temp"});
  EXPECT_THAT(text.out, HasSubstr("2026-03-01T08:01:30Z"));
}

TEST_F(CliEndToEnd, TagsListsNamesCountsAndSpan) {
  json t = Json({"tags", "--hub", hub()});
  json expected = json::parse(R"({"tags": [
      {"name": "line1.speed", "samples": 2, "first": "2026-03-01T08:00:00Z",
       "last": "2026-03-01T08:01:00Z"},
      {"name": "line1.temp", "samples": 4, "first": "2026-03-01T08:00:00Z",
       "last": "2026-03-01T08:01:30Z"},
      {"name": "line2.temp", "samples": 1, "first": "2026-03-01T08:00:00Z",
       "last": "2026-03-01T08:00:00Z"}]})");
  EXPECT_EQ(t, expected);
}

TEST_F(CliEndToEnd, CompactKeepsAnswersAndReportsBeforeAfter) {
  json before = Json({"query", "--hub", hub(), "--tag", "*"});
  json c = Json({"compact", "--hub", hub()});
  EXPECT_EQ(c["before"]["samples"], 7);
  EXPECT_EQ(c["after"]["samples"], 7);
  EXPECT_EQ(c["after"]["buffered"], 0);
  EXPECT_EQ(Json({"query", "--hub", hub(), "--tag", "*"}), before);
  CliResult text = Ok({"compact", "--hub", hub()});
  EXPECT_THAT(text.out, HasSubstr("before"));
}

TEST_F(CliEndToEnd, HubFromEnvironment) {
  CliRunOptions opts;
  opts.env["FH_HUB"] = hub();
  CliResult r = Ok({"info", "--json"}, opts);
  EXPECT_THAT(r.out, HasSubstr("\"samples\":7"));
}

// Line 3's value is not a number.
constexpr const char* kOneBadValue =
    "timestamp,tag,value\n"
    "2026-03-01T08:00:00Z,a,1\n"
    "2026-03-01T08:00:01Z,a,abc\n"
    "2026-03-01T08:00:02Z,a,3\n";

TEST_F(CliTest, MalformedLineFailsTheWholeFileAndStoresNothing) {
  InitHub();
  std::string file = WriteFile("bad.csv", kOneBadValue);
  CliResult r = RunCli({"write", "--hub", hub(), file});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("factoryhub: error: "));
  EXPECT_THAT(r.err, HasSubstr("bad.csv:3:"));
  EXPECT_THAT(r.err, HasSubstr("value"));
  EXPECT_THAT(r.err, HasSubstr("nothing was stored"));
  EXPECT_EQ(r.out, "");
  json info = Json({"info", "--hub", hub()});
  EXPECT_EQ(info["samples"], 0);
  EXPECT_EQ(info["tags"], 0);
}

TEST_F(CliTest, WriteQuarantineStoresTheRestAndQuarantinesTheBadLine) {
  InitHub();
  std::string file = WriteFile("bad.csv", kOneBadValue);
  CliResult r = Ok({"write", "--hub", hub(), "--quarantine", file});
  EXPECT_THAT(r.out, HasSubstr("Wrote 2 samples of 1 tag"));
  EXPECT_THAT(r.out, HasSubstr("Quarantined 1 record"));
  EXPECT_THAT(r.out, HasSubstr("line 3: field 'value': not a number: 'abc'"));
  EXPECT_EQ(Json({"info", "--hub", hub()})["samples"], 2);
  CliResult listed = Ok({"quarantine", "list", "--hub", hub()});
  EXPECT_THAT(listed.out, HasSubstr("field 'value': not a number"));
}

// The hub's stream mapping governs a written file as it governs live points.
TEST_F(CliTest, WriteGoesThroughTheHubsStreamMapping) {
  InitHub();
  WriteFile("hub/streams.yaml",
            "mapping: plant-streams\n"
            "signals:\n"
            "  - tags: \"*.temp\"\n"
            "    rules: [{ rule: range, min: 0, max: 100 }]\n");
  std::string file = WriteFile("hot.csv",
                               "timestamp,tag,value\n"
                               "2026-03-01T08:00:00Z,a.temp,21\n"
                               "2026-03-01T08:01:00Z,a.temp,900\n");
  CliResult r = RunCli({"write", "--hub", hub(), file});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("hot.csv:3: tag a.temp: rule 'range:value'"));
  EXPECT_EQ(Json({"info", "--hub", hub()})["samples"], 0);

  json w = Json({"write", "--hub", hub(), "--quarantine", file});
  EXPECT_EQ(w["written"], 1);
  EXPECT_EQ(w["quarantined"], 1);
  EXPECT_EQ(w["read"], 2);
  EXPECT_EQ(w["mapping"], "plant-streams@1");
  EXPECT_EQ(w["rejected"][0]["line"], 3);
}

TEST_F(CliTest, MalformedLineAfterManyBatchesStillStoresNothing) {
  InitHub();
  std::string csv = "timestamp,tag,value\n";
  for (int i = 0; i < 300000; ++i) {
    csv += "2026-03-01T08:00:00Z,t" + std::to_string(i % 7) + "," + std::to_string(i) + "\n";
  }
  csv += "2026-03-01T08:00:00Z,t1,\n";  // empty value on line 300002
  CliResult r = RunCli({"write", "--hub", hub(), WriteFile("big.csv", csv)});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("big.csv:300002:"));
  EXPECT_EQ(Json({"info", "--hub", hub()})["samples"], 0);
}

}  // namespace
}  // namespace fh::testing
