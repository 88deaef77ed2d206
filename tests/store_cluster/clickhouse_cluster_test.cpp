// The ClickHouse back end on two servers, the two shards of one cluster (built into
// store_cluster_test with the conformance suite on the cluster: one cluster for them all,
// run alone, tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include "common/time.h"
#include "store/clickhouse/clickhouse_storage.h"
#include "store/storage_harness.h"
#include "testing/clickhouse_server.h"
#include "testing/status_matchers.h"

namespace fh::clickhouse {
namespace {

using testing::ReadAll;

// The multi-node layout: two servers, the two shards of one cluster, tables replicated
// through ZooKeeper and read through Distributed tables. A tag's points live on one shard;
// either server answers for all of them.
TEST(ClickHouseClusterTest, TwoShardsHoldTheTagsAndEitherServerAnswersForAll) {
  testing::ClickHouseTestCluster& cluster = testing::SharedCluster();
  auto config = [&](int node) {
    StorageConfig c;
    c.backend = "clickhouse";
    c.clickhouse.url = "http://127.0.0.1:" + std::to_string(cluster.node(node).http_port());
    c.clickhouse.database = "group_plants";
    c.clickhouse.cluster = testing::ClickHouseTestCluster::kName;
    c.clickhouse.site = "shanghai";
    return c;
  };
  auto first = ClickHouseStorage::Open(config(0));
  ASSERT_OK(first);
  SampleBatch batch;
  for (int t = 0; t < 50; ++t) {
    for (int i = 0; i < 20; ++i)
      batch.Add("line-1.m" + std::to_string(t),
                1'767'225'600 * kNanosPerSecond + i * kNanosPerSecond, t * 100 + i);
  }
  ASSERT_OK((*first)->Write(batch));

  // Each server holds a part of the rows, whole tags each.
  int64_t held = 0;
  for (int node = 0; node < 2; ++node) {
    Endpoint e;
    e.port = cluster.node(node).http_port();
    e.database = "group_plants";
    HttpClient client(e);
    auto rows = client.Query("SELECT count(), uniqExact(tag) FROM samples");
    ASSERT_OK(rows);
    int64_t n = std::stoll(*rows);
    EXPECT_GT(n, 0) << "node " << node << " holds nothing: " << *rows;
    EXPECT_EQ(n % 20, 0) << "a tag split across shards";
    held += n;
  }
  EXPECT_EQ(held, 1000);

  // The other server, opened by another hub process, answers for every shard.
  auto second = ClickHouseStorage::Open(config(1));
  ASSERT_OK(second);
  auto tags = (*second)->ListTags();
  ASSERT_OK(tags);
  EXPECT_EQ(tags->size(), 50u);
  auto agg =
      (*second)->Aggregate({.tags = {"line-1.m7", "line-1.m42"}, .aggs = kAggCount | kAggMax});
  ASSERT_OK(agg);
  EXPECT_EQ((*agg)[0].buckets[0].count, 20);
  EXPECT_EQ((*agg)[1].buckets[0].max, 4219.0);
  EXPECT_EQ(ReadAll(**second, "line-1.m3").size(), 20u);

  // A retried write counts once through either server, and compaction keeps it so.
  ASSERT_OK((*first)->Write(batch));
  EXPECT_EQ((*(*second)->Stats()).samples, 1000);
  ASSERT_OK((*first)->Compact());
  EXPECT_EQ((*(*second)->Stats()).samples, 1000);
  EXPECT_EQ(ReadAll(**first, "line-1.m49").back().value, 4919.0);
}

}  // namespace
}  // namespace fh::clickhouse
