// A real clickhouse-server (Debian's package) for tests: started with a configuration of its
// own in a temporary folder, on free 127.0.0.1 ports, stopped with the object. Version 18.16
// (Debian bookworm) starts in a fraction of a second.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "testing/zookeeper_server.h"

namespace fh::testing {

class ClickHouseTestServer {
 public:
  // `extra_config`: more of config.xml (remote_servers, zookeeper, macros); `tcp_port`: the
  // native port, for a cluster whose configuration names it before the server is made
  // (0: a free one).
  explicit ClickHouseTestServer(const std::filesystem::path& dir,
                                const std::string& extra_config = "", int tcp_port = 0);
  ~ClickHouseTestServer();
  ClickHouseTestServer(const ClickHouseTestServer&) = delete;
  ClickHouseTestServer& operator=(const ClickHouseTestServer&) = delete;

  void Start();  // returns once /ping answers (a test failure after 30 s)
  void Stop();
  int http_port() const { return http_port_; }
  int tcp_port() const { return tcp_port_; }

 private:
  void WriteConfig();
  bool Launch();  // false: it exited or did not answer (stopped then)

  std::filesystem::path dir_;
  std::string extra_config_;
  bool fixed_tcp_port_;
  int http_port_, tcp_port_;
  pid_t pid_ = -1;
};

// Two ClickHouse servers as the two shards of cluster "fh" (one replica each; tables
// ReplicatedMergeTree through a ZooKeeper of their own, read through Distributed tables):
// the multi-node layout docs/storage.md describes, on one machine.
class ClickHouseTestCluster {
 public:
  explicit ClickHouseTestCluster(const std::filesystem::path& dir);
  ~ClickHouseTestCluster();
  static constexpr const char* kName = "fh";
  ClickHouseTestServer& node(int i) { return *nodes_[i]; }

 private:
  std::unique_ptr<ZooKeeperTestServer> zookeeper_;
  std::unique_ptr<ClickHouseTestServer> nodes_[2];
};

// One cluster for the whole test binary, started on first use (tests/store/clickhouse_harness.cpp).
ClickHouseTestCluster& SharedCluster();

}  // namespace fh::testing
