// A real clickhouse-server (Debian's package) for tests: started with a configuration of its
// own in a temporary folder, on free 127.0.0.1 ports, stopped with the object. Version 18.16
// (Debian bookworm) starts in a fraction of a second.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace fh::testing {

class ClickHouseTestServer {
 public:
  explicit ClickHouseTestServer(const std::filesystem::path& dir);
  ~ClickHouseTestServer();
  ClickHouseTestServer(const ClickHouseTestServer&) = delete;
  ClickHouseTestServer& operator=(const ClickHouseTestServer&) = delete;

  void Start();  // returns once /ping answers (a test failure after 30 s)
  void Stop();
  int http_port() const { return http_port_; }

 private:
  std::filesystem::path dir_;
  int http_port_, tcp_port_;
  pid_t pid_ = -1;
};

}  // namespace fh::testing
