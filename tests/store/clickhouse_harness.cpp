// The ClickHouse back end for the conformance suite: one real clickhouse-server for the
// whole test binary (started on first use, on free ports, stopped at exit), and a database
// of its own for every harness, so that tests share nothing but the server; and the same on
// a cluster of two shards (two servers and a ZooKeeper).
#include <atomic>
#include <memory>

#include <gtest/gtest.h>

#include "store/hub.h"
#include "store/storage_harness.h"
#include "testing/clickhouse_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

ClickHouseTestServer& SharedServer() {
  static TempDir* dir = new TempDir();
  static ClickHouseTestServer server(dir->path() / "clickhouse");
  return server;
}

class ClickHouseHarnessImpl final : public StorageHarness {
 public:
  explicit ClickHouseHarnessImpl(bool cluster) {
    static std::atomic<int> next{0};
    config_.name = "conformance";
    config_.storage.backend = "clickhouse";
    const int port = cluster ? SharedCluster().node(0).http_port() : SharedServer().http_port();
    if (cluster) config_.storage.clickhouse.cluster = ClickHouseTestCluster::kName;
    config_.storage.clickhouse.url = "http://127.0.0.1:" + std::to_string(port);
    config_.storage.clickhouse.database =
        "conformance_" + std::to_string(getpid()) + "_" + std::to_string(next.fetch_add(1));
    config_.storage.clickhouse.site = "plant";
    Status s = Hub::Init(dir_.path() / "hub", config_);
    EXPECT_OK(s);
    Reopen();
  }
  Storage& storage() override { return hub_->storage(); }
  void Reopen() override {
    hub_.reset();
    auto hub = Hub::Open(dir_.path() / "hub");
    ASSERT_OK(hub);
    hub_ = std::move(hub).value();
  }
  std::unique_ptr<Storage> OpenAnother() override { return nullptr; }

 private:
  TempDir dir_;
  HubConfig config_;
  std::unique_ptr<Hub> hub_;
};

}  // namespace

ClickHouseTestCluster& SharedCluster() {
  static TempDir* dir = new TempDir();
  static ClickHouseTestCluster cluster(dir->path() / "cluster");
  return cluster;
}

HarnessFactory ClickHouseHarness() {
  return {"ClickHouse", [] { return std::make_unique<ClickHouseHarnessImpl>(false); }};
}

HarnessFactory ClickHouseClusterHarness() {
  return {"ClickHouseTwoShards", [] { return std::make_unique<ClickHouseHarnessImpl>(true); }};
}

}  // namespace fh::testing
