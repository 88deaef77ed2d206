// A real ZooKeeper (Debian's zookeeper package, standalone) for tests of replicated
// ClickHouse tables: its own configuration and data in a folder, a free 127.0.0.1 port,
// stopped with the object. The JVM takes two or three seconds to answer.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace fh::testing {

class ZooKeeperTestServer {
 public:
  explicit ZooKeeperTestServer(const std::filesystem::path& dir);
  ~ZooKeeperTestServer();
  ZooKeeperTestServer(const ZooKeeperTestServer&) = delete;
  ZooKeeperTestServer& operator=(const ZooKeeperTestServer&) = delete;

  int port() const { return port_; }

 private:
  std::filesystem::path dir_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace fh::testing
