// The OPC UA test peer (tests/interop/opcua/server.mjs, node-opcua) as a process a test
// starts on a free 127.0.0.1 port and stops: an OPC UA server independent of factoryhub's
// client, with the machine-tool address space its README describes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fh::testing {

class OpcUaTestServer {
 public:
  // `args`: server.mjs's options besides --port (--rate-ms 50, --user a:b, --pki DIR, ...).
  explicit OpcUaTestServer(std::vector<std::string> args = {}, int port = 0);
  ~OpcUaTestServer();
  OpcUaTestServer(const OpcUaTestServer&) = delete;
  OpcUaTestServer& operator=(const OpcUaTestServer&) = delete;

  // Starts it and returns once it printed READY (a test failure after 60 s).
  void Start();
  // SIGTERM (SIGKILL after 5 s) and wait.
  void Stop();
  // Gone at once, as a crash or a pulled cable would leave it: nothing closed cleanly.
  void Kill();

  int port() const { return port_; }
  // opc.tcp://127.0.0.1:PORT/factoryhub
  std::string url() const;

 private:
  void CloseStdout();

  std::vector<std::string> args_;
  int port_;
  pid_t pid_ = -1;
  int stdout_ = -1;  // the read end of its stdout
};

}  // namespace fh::testing
