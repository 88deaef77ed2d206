// Running the built `factoryhub` binary (FH_BIN) from end-to-end tests.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fh::testing {

struct CliResult {
  int exit_code = -1;  // the process's exit status; 128 + N if killed by signal N
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
};

struct CliRunOptions {
  // Extra environment variables (FH_HUB is removed from the inherited environment unless
  // set here, so a developer's own FH_HUB cannot leak into a test).
  std::map<std::string, std::string> env;
  std::filesystem::path stdin_file;  // empty: /dev/null
};

// The binary under test: $FH_BIN (fails the test if unset).
std::string CliBinary();

// Runs factoryhub with `args` to completion.
CliResult RunCli(const std::vector<std::string>& args, const CliRunOptions& options = {});

// A factoryhub process left running (serve, demo): stdout is a pipe read line by line.
class CliProcess {
 public:
  explicit CliProcess(const std::vector<std::string>& args, const CliRunOptions& options = {});
  ~CliProcess();  // kills the process if it still runs
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  // Reads stdout until a line contains `needle` or `timeout_ms` passes; returns the line,
  // or an empty string on timeout or end of output. *seen gets everything read.
  std::string WaitForLine(const std::string& needle, int timeout_ms, std::string* seen = nullptr);
  // Sends `sig` and waits for the exit; returns the exit code as CliResult does.
  int Signal(int sig, int timeout_ms = 10000);
  std::string ReadStderr() const;

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
  std::filesystem::path err_file_;
};

// Minimal HTTP/1.0 GET against 127.0.0.1:port; returns the whole response (status line,
// headers, body), or an empty string if the connection failed.
std::string HttpGet(int port, const std::string& target);
// The body of a response HttpGet returned; empty without one.
std::string ResponseBody(const std::string& response);

// The port of serve's "http://localhost:PORT/" line in `text`; -1 when there is none.
int ServedPort(const std::string& text);

// Runs `command` in a shell (stderr with stdout): its exit code and output.
std::pair<int, std::string> Shell(const std::string& command);

}  // namespace fh::testing
