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

// Serving: ZooKeeper's four-letter "srvr" answers its mode once it serves sessions ("ruok"
// says imok before then, and a client's handshake is cut off).
bool Serving(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      write(fd, "srvr", 4) == 4) {
    std::string answer;
    char buf[512];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
      answer.append(buf, static_cast<size_t>(n));
    ok = answer.find("Mode:") != std::string::npos;
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
                                  << "4lw.commands.whitelist=srvr\n";
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
    if (Serving(port_)) return;
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
