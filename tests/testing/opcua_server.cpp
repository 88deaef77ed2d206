#include "testing/opcua_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "testing/mqtt_peers.h"
#include "testing/source_dir.h"

namespace fh::testing {

OpcUaTestServer::OpcUaTestServer(std::vector<std::string> args, int port)
    : args_(std::move(args)), port_(port == 0 ? FreeLoopbackPort() : port) {
  Start();
}

OpcUaTestServer::~OpcUaTestServer() {
  Stop();
}

std::string OpcUaTestServer::url() const {
  return "opc.tcp://127.0.0.1:" + std::to_string(port_) + "/factoryhub";
}

void OpcUaTestServer::Start() {
  if (pid_ > 0) {
    ADD_FAILURE() << "the OPC UA server on port " << port_ << " is running already";
    return;
  }
  const std::string script = (SourceDir() / "tests/interop/opcua/server.mjs").string();
  std::vector<std::string> argv = {"node", script, "--port", std::to_string(port_)};
  argv.insert(argv.end(), args_.begin(), args_.end());
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    // node-opcua's warnings go to stderr: out of the test's way unless asked for.
    if (getenv("FH_OPCUA_SERVER_LOG") == nullptr) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDERR_FILENO);
    }
    std::vector<char*> c;
    for (std::string& a : argv)
      c.push_back(a.data());
    c.push_back(nullptr);
    execvp("node", c.data());
    _exit(127);
  }
  close(out[1]);
  // READY on its stdout once it accepts connections; node-opcua loads its nodeset first
  // (1.5-2 s, much more on a loaded machine).
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen.find("READY ") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buffer[512];
    const ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;  // it exited
    seen.append(buffer, static_cast<size_t>(n));
  }
  // Kept open until it stops: a write to a closed pipe would kill it (EPIPE).
  stdout_ = out[0];
  if (seen.find("READY ") == std::string::npos) {
    ADD_FAILURE() << "the OPC UA test server did not start on port " << port_ << ": " << seen
                  << " (FH_OPCUA_SERVER_LOG=1 shows its errors)";
  }
}

void OpcUaTestServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      CloseStdout();
      return;
    }
    usleep(50'000);
  }
  Kill();
}

void OpcUaTestServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  CloseStdout();
}

void OpcUaTestServer::CloseStdout() {
  if (stdout_ >= 0) close(stdout_);
  stdout_ = -1;
}

}  // namespace fh::testing
