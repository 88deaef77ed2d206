#include "testing/clickhouse_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "testing/mqtt_peers.h"

namespace fh::testing {

ClickHouseTestServer::ClickHouseTestServer(const std::filesystem::path& dir,
                                           const std::string& extra_config, int tcp_port)
    : dir_(dir),
      extra_config_(extra_config),
      fixed_tcp_port_(tcp_port != 0),
      http_port_(FreeLoopbackPort()),
      tcp_port_(tcp_port ? tcp_port : FreeLoopbackPort()) {
  std::filesystem::create_directories(dir_);
  // A free port can be taken by another test's server between being chosen and bound: the
  // server then exits at once, and is started again on others.
  for (int attempt = 0; attempt < 3; ++attempt) {
    WriteConfig();
    if (Launch()) return;
    http_port_ = FreeLoopbackPort();
    if (!fixed_tcp_port_) tcp_port_ = FreeLoopbackPort();
  }
  ADD_FAILURE() << "clickhouse-server did not start (see " << (dir_ / "error.log").string() << ")";
}

void ClickHouseTestServer::WriteConfig() {
  const std::string d = dir_.string();
  // The least a server needs: its ports on loopback, its folders, one user without a
  // password reachable from this machine only.
  std::ofstream(dir_ / "config.xml")
      << "<yandex>\n"
      << "  <logger><level>warning</level><log>" << d << "/server.log</log><errorlog>" << d
      << "/error.log</errorlog></logger>\n"
      << "  <http_port>" << http_port_ << "</http_port>\n"
      << "  <tcp_port>" << tcp_port_ << "</tcp_port>\n"
      << "  <listen_host>127.0.0.1</listen_host>\n"
      << "  <path>" << d << "/data/</path>\n"
      << "  <tmp_path>" << d << "/tmp/</tmp_path>\n"
      << "  <user_files_path>" << d << "/user_files/</user_files_path>\n"
      << "  <format_schema_path>" << d << "/format_schemas/</format_schema_path>\n"
      << "  <users_config>" << d << "/users.xml</users_config>\n"
      << "  <default_profile>default</default_profile>\n"
      << "  <default_database>default</default_database>\n"
      << "  <mark_cache_size>67108864</mark_cache_size>\n"
      << extra_config_ << "</yandex>\n";
  std::ofstream(dir_ / "users.xml")
      << "<yandex>\n"
         "  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default>"
         "</profiles>\n"
         "  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>"
         "<profile>default</profile><quota>default</quota></default></users>\n"
         "  <quotas><default><interval><duration>3600</duration><queries>0</queries>"
         "<errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>"
         "<execution_time>0</execution_time></interval></default></quotas>\n"
         "</yandex>\n";
}

ClickHouseTestServer::~ClickHouseTestServer() {
  Stop();
}

void ClickHouseTestServer::Start() {
  if (pid_ > 0) return;
  if (!Launch()) {
    ADD_FAILURE() << "clickhouse-server did not start on port " << http_port_ << " (see "
                  << (dir_ / "error.log").string() << ")";
  }
}

bool ClickHouseTestServer::Launch() {
  const std::string config = "--config-file=" + (dir_ / "config.xml").string();
  const std::string out = (dir_ / "stdout.log").string();
  pid_ = fork();
  if (pid_ == 0) {
    FILE* f = freopen(out.c_str(), "w", stdout);
    (void)f;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    execl("/usr/sbin/clickhouse-server", "clickhouse-server", config.c_str(), nullptr);
    _exit(127);
  }
  httplib::Client client("127.0.0.1", http_port_);
  client.set_connection_timeout(std::chrono::milliseconds(200));
  for (int i = 0; i < 150; ++i) {
    if (auto res = client.Get("/ping"); res && res->status == 200) return true;
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {  // it exited: a port taken, most likely
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  Stop();
  return false;
}

void ClickHouseTestServer::Stop() {
  if (pid_ <= 0) return;
  // A server with a client's kept-alive connection open waits ~10 s for it on SIGTERM; a
  // test server has nothing to save that SIGKILL would lose (its writes are in its files).
  kill(pid_, SIGTERM);
  for (int i = 0; i < 40; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ClickHouseTestCluster::ClickHouseTestCluster(const std::filesystem::path& dir) {
  zookeeper_ = std::make_unique<ZooKeeperTestServer>(dir / "zookeeper");
  const int tcp[2] = {FreeLoopbackPort(), FreeLoopbackPort()};
  std::string shards;
  for (int port : tcp) {
    shards +=
        "<shard><internal_replication>true</internal_replication><replica><host>127.0.0.1"
        "</host><port>" +
        std::to_string(port) + "</port></replica></shard>";
  }
  for (int i = 0; i < 2; ++i) {
    const std::string n = std::to_string(i + 1);
    const std::string extra =
        "  <remote_servers><" + std::string(kName) + ">" + shards + "</" + kName +
        "></remote_servers>\n"
        "  <zookeeper><node><host>127.0.0.1</host><port>" +
        std::to_string(zookeeper_->port()) +
        "</port></node><session_timeout_ms>30000</session_timeout_ms>"
        "<operation_timeout_ms>30000</operation_timeout_ms></zookeeper>\n"
        "  <macros><shard>0" +
        n + "</shard><replica>ch" + n +
        "</replica></macros>\n"
        "  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>\n"
        "  <interserver_http_port>" +
        std::to_string(FreeLoopbackPort()) +
        "</interserver_http_port><interserver_http_host>127.0.0.1</interserver_http_host>\n";
    nodes_[i] = std::make_unique<ClickHouseTestServer>(dir / ("node" + n), extra, tcp[i]);
  }
  // Up is not ready: a server answers /ping before its ZooKeeper session is there, and a
  // statement ON CLUSTER sent before then fails.
  for (auto& node : nodes_) {
    httplib::Client client("127.0.0.1", node->http_port());
    bool ready = false;
    for (int i = 0; i < 150 && !ready; ++i) {
      auto res =
          client.Get("/?query=" + httplib::detail::encode_query_param(
                                      "SELECT count() FROM system.zookeeper WHERE path = '/'"));
      ready = res && res->status == 200;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!ready)
      ADD_FAILURE() << "clickhouse-server on " << node->http_port() << " has no ZooKeeper";
  }
}

ClickHouseTestCluster::~ClickHouseTestCluster() = default;

}  // namespace fh::testing
