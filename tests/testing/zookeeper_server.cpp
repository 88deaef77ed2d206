#include "testing/zookeeper_server.h"

#include <arpa/inet.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "testing/mqtt_peers.h"

namespace fh::testing {
namespace {

// ZooKeeper's four-letter health check: "ruok" answered "imok".
bool AnswersImOk(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      write(fd, "ruok", 4) == 4) {
    char answer[4];
    ok = read(fd, answer, 4) == 4 && std::string(answer, 4) == "imok";
  }
  close(fd);
  return ok;
}

}  // namespace

ZooKeeperTestServer::ZooKeeperTestServer(const std::filesystem::path& dir)
    : dir_(dir), port_(FreeLoopbackPort()) {
  std::filesystem::create_directories(dir_ / "data");
  std::ofstream(dir_ / "zoo.cfg") << "tickTime=500\n"
                                  << "dataDir=" << (dir_ / "data").string() << "\n"
                                  << "clientPort=" << port_ << "\n"
                                  << "clientPortAddress=127.0.0.1\n"
                                  << "admin.enableServer=false\n"
                                  << "4lw.commands.whitelist=ruok\n";
  const std::string config = (dir_ / "zoo.cfg").string();
  const std::string out = (dir_ / "zookeeper.log").string();
  pid_ = fork();
  if (pid_ == 0) {
    FILE* f = freopen(out.c_str(), "w", stdout);
    (void)f;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    execl("/usr/bin/java", "java", "-Xmx256m", "-cp",
          "/usr/share/java/zookeeper.jar:/etc/zookeeper/conf_example",
          "org.apache.zookeeper.server.ZooKeeperServerMain", config.c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    if (AnswersImOk(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "ZooKeeper did not start on port " << port_ << " (see " << out << ")";
}

ZooKeeperTestServer::~ZooKeeperTestServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

}  // namespace fh::testing
