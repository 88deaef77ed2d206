// TextSampleStore: text values per tag and time, last write wins, refused whole when one is
// bad, read back in time order, by range, limit and glob, and kept across a reopen.
#include "store/catalog/text_samples.h"

#include <gtest/gtest.h>

#include "store/catalog_fixture.h"
#include "store/hub.h"
#include "testing/hub_test.h"

namespace fh::testing {
namespace {

class TextSamplesTest : public CatalogTest {
 protected:
  TextSampleStore store() { return TextSampleStore(db()); }
};

TEST_F(TextSamplesTest, LastWriteWinsAndReadsAreInTimeOrder) {
  const std::vector<TextSample> first = {
      {"m7/status", 30, "idle"}, {"m7/status", 10, "running"}, {"m7/note", 5, ""}};
  ASSERT_OK(store().Write(first));
  const std::vector<TextSample> second = {
      {"m7/status", 30, "stopped"}, {"m7/status", 20, "say \"hi\" 温度"}, {"m7/status", 20, "x"}};
  ASSERT_OK(store().Write(second));
  ASSERT_OK_AND_ASSIGN(std::vector<TextSample> all, store().Read("m7/status", {}));
  EXPECT_EQ(all, (std::vector<TextSample>{{"m7/status", 10, "running"},
                                          {"m7/status", 20, "x"},
                                          {"m7/status", 30, "stopped"}}));
  ASSERT_OK_AND_ASSIGN(std::vector<TextSample> range, store().Read("m7/status", {20, 30}));
  EXPECT_EQ(range, (std::vector<TextSample>{{"m7/status", 20, "x"}}));
  ASSERT_OK_AND_ASSIGN(std::vector<TextSample> limited, store().Read("m7/status", {}, 2));
  EXPECT_EQ(limited.size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::optional<TextSample> latest, store().Latest("m7/status"));
  EXPECT_EQ(latest, (TextSample{"m7/status", 30, "stopped"}));
  ASSERT_OK_AND_ASSIGN(std::optional<TextSample> none, store().Latest("nope"));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<TextSample> unknown, store().Read("nope", {}));
  EXPECT_TRUE(unknown.empty());
  ASSERT_OK_AND_ASSIGN(int64_t count, store().Count());
  EXPECT_EQ(count, 4);

  ASSERT_NO_FATAL_FAILURE(Open());  // durable: read back from the file
  ASSERT_OK_AND_ASSIGN(std::vector<TextTagInfo> tags, store().ListTags());
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].name, "m7/note");
  EXPECT_EQ(tags[1].name, "m7/status");
  EXPECT_EQ(tags[1].values, 3);
  EXPECT_EQ(tags[1].first_ts, 10);
  EXPECT_EQ(tags[1].last_ts, 30);
}

TEST_F(TextSamplesTest, ABadValueRefusesTheWholeWrite) {
  const std::string too_long(kMaxTextValueBytes + 1, 'x');
  const std::vector<std::pair<TextSample, std::string>> cases = {
      {{"", 1, "x"}, "text value: tag name must be 1..255 bytes, got 0"},
      {{std::string(256, 't'), 1, "x"}, "text value: tag name must be 1..255 bytes, got 256"},
      {{"t", std::numeric_limits<TimestampNs>::max(), "x"},
       "text value of tag 't': timestamp 9223372036854775807 is out of range "
       "(-9223372036854775808..9223372036854775806)"},
      {{"t", 1, too_long}, "text value of tag 't': 65537 bytes, at most 65536"},
  };
  for (const auto& [bad, message] : cases) {
    const std::vector<TextSample> batch = {{"good", 1, "ok"}, bad};
    Status s = store().Write(batch);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), message);
  }
  ASSERT_OK_AND_ASSIGN(int64_t count, store().Count());
  EXPECT_EQ(count, 0);
  // The extremes of the range and the longest value are stored.
  const std::vector<TextSample> edges = {{"t", kMinStorableTimestamp, "min"},
                                         {"t", kMaxStorableTimestamp, too_long.substr(1)}};
  ASSERT_OK(store().Write(edges));
  ASSERT_OK_AND_ASSIGN(std::vector<TextSample> all, store().Read("t", {}));
  EXPECT_EQ(all, edges);
}

TEST_F(TextSamplesTest, MatchTagsTakesNamesAndGlobs) {
  const std::vector<TextSample> batch = {
      {"line-1/m7/status", 1, "a"}, {"line-1/m8/status", 1, "b"}, {"line-2/m9/status", 1, "c"}};
  ASSERT_OK(store().Write(batch));
  ASSERT_OK_AND_ASSIGN(
      std::vector<std::string> tags,
      store().MatchTags({"line-2/m9/status", "line-1/*", "line-1/m7/status", "numeric/tag", "x*"}));
  EXPECT_EQ(tags,
            (std::vector<std::string>{"line-2/m9/status", "line-1/m7/status", "line-1/m8/status"}));
}

TEST_F(TextSamplesTest, AWriteInsideTheCallersTransactionRollsBackWithIt) {
  {
    auto txn = sqlite::Transaction::Begin(db());
    ASSERT_OK(txn);
    const std::vector<TextSample> batch = {{"t", 1, "x"}};
    ASSERT_OK(store().Write(batch));
  }  // not committed
  ASSERT_OK_AND_ASSIGN(int64_t count, store().Count());
  EXPECT_EQ(count, 0);
}

// A query's patterns: text tags go to the text store, the rest (and unknown names, for the
// numeric store to report) to the numeric store; a name holding both kinds goes to both.
class SplitTagPatternsTest : public HubTest {};

TEST_F(SplitTagPatternsTest, EachPatternGoesWhereItsTagsAre) {
  SampleBatch batch;
  batch.Add("m7/speed", 1, 1480);
  batch.Add("m7/both", 1, 1);
  ASSERT_TRUE(hub_->storage().Write(batch).ok());
  CatalogSession session = hub_->OpenCatalog();
  TextSampleStore& texts = session.text_samples();
  const std::vector<TextSample> values = {{"m7/status", 1, "running"}, {"m7/both", 2, "x"}};
  ASSERT_OK(texts.Write(values));
  ASSERT_OK_AND_ASSIGN(TagPatternSplit split, SplitTagPatterns(hub_->storage(), texts,
                                                               {"m7/status", "m7/speed", "m7/both",
                                                                "m7/nope", "m7/*", "s*"}));
  EXPECT_EQ(split.numeric_patterns,
            (std::vector<std::string>{"m7/speed", "m7/both", "m7/nope", "m7/*", "s*"}));
  EXPECT_EQ(split.text_tags, (std::vector<std::string>{"m7/status", "m7/both"}));
  ASSERT_OK_AND_ASSIGN(TagPatternSplit none,
                       SplitTagPatterns(hub_->storage(), texts, {"m7/speed"}));
  EXPECT_EQ(none.numeric_patterns, (std::vector<std::string>{"m7/speed"}));
  EXPECT_TRUE(none.text_tags.empty());
}

}  // namespace
}  // namespace fh::testing
