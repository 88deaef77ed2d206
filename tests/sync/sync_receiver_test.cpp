// A central hub applying edge hubs' pushes: each record once, whatever is sent again; the
// tags under the site's name; bad input refused whole with what and where.
#include "sync/sync_receiver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/catalog_session.h"
#include "store/outbox/sample_batch_codec.h"
#include "store/storage_harness.h"
#include "sync/sync_protocol.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::sync {
namespace {

using ::testing::HasSubstr;

outbox::Record MakeRecord(uint64_t position, int first_ts, int n, double value) {
  SampleBatch batch;
  for (int i = 0; i < n; ++i)
    batch.Add("line-1.temp", first_ts + i, value + i);
  outbox::Record r;
  outbox::EncodeSampleBatch(batch, &r.payload);
  r.position = position;
  r.end = position + 100;
  r.appended_ns = 1'000 + static_cast<int64_t>(position);
  r.points = static_cast<uint32_t>(n);
  return r;
}

class SyncReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(Hub::Init(dir_.path() / "central", HubConfig{}));
    auto hub = Hub::Open(dir_.path() / "central");
    ASSERT_OK(hub);
    hub_ = std::move(hub).value();
  }
  std::string Push(const std::vector<outbox::Record>& records) {
    std::string body;
    EncodePush(records, &body);
    return body;
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(SyncReceiverTest, ARecordSentAgainIsAppliedOnce) {
  const outbox::Record a = MakeRecord(0, 0, 10, 1), b = MakeRecord(100, 10, 10, 100),
                       c = MakeRecord(200, 20, 10, 1000);
  auto first = ApplyPush(*hub_, "shanghai", "e1", Push({a, b}), 5);
  ASSERT_OK(first);
  EXPECT_EQ(first->records, 2);
  EXPECT_EQ(first->applied_end, 200u);
  // The edge did not hear the answer: it sends a and b again, with c.
  auto again = ApplyPush(*hub_, "shanghai", "e1", Push({a, b, c}), 6);
  ASSERT_OK(again);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(again->records, 1);
  EXPECT_EQ(again->points, 10);
  EXPECT_EQ(again->applied_end, 300u);
  std::vector<Sample> stored = testing::ReadAll(hub_->storage(), "shanghai/line-1.temp");
  ASSERT_EQ(stored.size(), 30u);
  EXPECT_EQ(stored[25].value, 1005.0);

  CatalogSession session = hub_->OpenCatalog();
  auto site = session.sync_sites().Find("shanghai");
  ASSERT_OK(site);
  ASSERT_TRUE(site->has_value());
  EXPECT_EQ((*site)->points, 30);
  EXPECT_EQ((*site)->duplicates, 2);
  EXPECT_EQ((*site)->applied_end, 300u);
  EXPECT_EQ((*site)->newest_ts, 29);
  EXPECT_EQ((*site)->last_appended_at, 1'200);
}

// An edge restored from a backup starts a new outbox: its positions count from 0 again, and
// nothing of it may be taken for what the old one sent.
TEST_F(SyncReceiverTest, ANewOutboxEpochCountsFromTheStart) {
  ASSERT_OK(ApplyPush(*hub_, "shanghai", "old",
                      Push({MakeRecord(0, 0, 10, 1), MakeRecord(100, 10, 10, 1)}), 1)
                .status());
  auto fresh = ApplyPush(*hub_, "shanghai", "new", Push({MakeRecord(0, 100, 10, 5)}), 2);
  ASSERT_OK(fresh);
  EXPECT_EQ(fresh->records, 1);
  EXPECT_EQ(fresh->duplicates, 0);
  EXPECT_EQ(fresh->applied_end, 100u);
  EXPECT_EQ(testing::ReadAll(hub_->storage(), "shanghai/line-1.temp").size(), 30u);
}

TEST_F(SyncReceiverTest, SitesAreKeptApartAndBadPushesStoreNothing) {
  ASSERT_OK(ApplyPush(*hub_, "suzhou", "e1", Push({MakeRecord(0, 0, 5, 1)}), 1).status());
  ASSERT_OK(ApplyPush(*hub_, "shanghai", "e1", Push({MakeRecord(0, 0, 5, 7)}), 1).status());
  EXPECT_EQ(testing::ReadAll(hub_->storage(), "suzhou/line-1.temp")[0].value, 1.0);
  EXPECT_EQ(testing::ReadAll(hub_->storage(), "shanghai/line-1.temp")[0].value, 7.0);

  EXPECT_THAT(ApplyPush(*hub_, "a/b", "e1", Push({MakeRecord(0, 0, 1, 1)}), 1).status().message(),
              HasSubstr("site 'a/b'"));
  std::string body = Push({MakeRecord(100, 100, 5, 1), MakeRecord(200, 200, 5, 1)});
  auto cut = ApplyPush(*hub_, "suzhou", "e1", std::string_view(body).substr(0, body.size() - 3), 2);
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(cut.status().message(), HasSubstr("record 1"));
  EXPECT_EQ(testing::ReadAll(hub_->storage(), "suzhou/line-1.temp").size(), 5u);
  std::string backwards = Push({MakeRecord(200, 200, 1, 1), MakeRecord(100, 100, 1, 1)});
  EXPECT_THAT(ApplyPush(*hub_, "suzhou", "e1", backwards, 3).status().message(),
              HasSubstr("out of order"));
}

// The edge says with each push what still waits in its outbox; the central hub keeps the last
// it heard, and a header that does not read as three counts is not taken.
TEST_F(SyncReceiverTest, TheEdgesBacklogIsKeptAsItLastSaid) {
  ASSERT_OK(ApplyPush(*hub_, "suzhou", "e1", Push({MakeRecord(0, 0, 5, 1)}), 1,
                      EdgeBacklog{.records = 7, .points = 350'000, .bytes = 8'400'000})
                .status());
  {
    CatalogSession session = hub_->OpenCatalog();
    auto site = session.sync_sites().Find("suzhou");
    ASSERT_OK(site);
    EXPECT_EQ((*site)->backlog_records, 7);
    EXPECT_EQ((*site)->backlog_points, 350'000);
    EXPECT_EQ((*site)->backlog_bytes, 8'400'000);
  }
  ASSERT_OK(ApplyPush(*hub_, "suzhou", "e1", Push({MakeRecord(100, 5, 5, 1)}), 2, EdgeBacklog{})
                .status());
  CatalogSession session = hub_->OpenCatalog();
  EXPECT_EQ(session.sync_sites().Find("suzhou").value()->backlog_points, 0);

  const std::optional<EdgeBacklog> read = ParseBacklog(FormatBacklog({3, 4, 5}));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->records, 3);
  EXPECT_EQ(read->points, 4);
  EXPECT_EQ(read->bytes, 5);
  for (std::string_view bad : {"", "1 2", "1 2 3 4", "1 -2 3", "a b c", "1  2 3", "1 2 3 "})
    EXPECT_FALSE(ParseBacklog(bad).has_value()) << "'" << bad << "'";
}

}  // namespace
}  // namespace fh::sync
