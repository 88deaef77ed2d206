#include "cli/cli_runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

extern char** environ;

namespace fh::testing {
namespace {

std::vector<std::string> BuildEnv(const CliRunOptions& options) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    if (name == "FH_HUB" || options.env.count(name) > 0) continue;
    env.push_back(entry);
  }
  for (const auto& [name, value] : options.env)
    env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::filesystem::path TempFile(const char* stem) {
  std::string templ = (std::filesystem::temp_directory_path() / stem).string() + "-XXXXXX";
  int fd = mkstemp(templ.data());
  if (fd >= 0) close(fd);
  return templ;
}

// Spawns FH_BIN; stdout goes to `out_fd` (if >= 0) or `out_file`, stderr to `err_file`.
pid_t Spawn(const std::vector<std::string>& args, const CliRunOptions& options, int out_fd,
            const std::filesystem::path& out_file, const std::filesystem::path& err_file) {
  std::vector<std::string> argv = {CliBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = BuildEnv(options);
  std::vector<char*> argv_p = Pointers(argv);
  std::vector<char*> env_p = Pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string in = options.stdin_file.empty() ? "/dev/null" : options.stdin_file.string();
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in.c_str(), O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, argv_p.data(), env_p.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << std::strerror(rc);
    return -1;
  }
  return pid;
}

}  // namespace

std::string CliBinary() {
  const char* bin = std::getenv("FH_BIN");
  if (bin == nullptr || *bin == '\0') {
    ADD_FAILURE() << "FH_BIN is not set (the path of the built factoryhub binary)";
    return "factoryhub";
  }
  return bin;
}

CliResult RunCli(const std::vector<std::string>& args, const CliRunOptions& options) {
  CliResult result;
  std::filesystem::path out_file = TempFile("fh-cli-out");
  std::filesystem::path err_file = TempFile("fh-cli-err");
  pid_t pid = Spawn(args, options, -1, out_file, err_file);
  if (pid > 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = DecodeWaitStatus(status);
  }
  result.out = ReadFile(out_file);
  result.err = ReadFile(err_file);
  std::error_code ec;
  std::filesystem::remove(out_file, ec);
  std::filesystem::remove(err_file, ec);
  return result;
}

CliProcess::CliProcess(const std::vector<std::string>& args, const CliRunOptions& options) {
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return;
  }
  err_file_ = TempFile("fh-cli-err");
  pid_ = Spawn(args, options, fds[1], {}, err_file_);
  close(fds[1]);
  out_fd_ = fds[0];
}

CliProcess::~CliProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  std::error_code ec;
  if (!err_file_.empty()) std::filesystem::remove(err_file_, ec);
}

std::string CliProcess::WaitForLine(const std::string& needle, int timeout_ms, std::string* seen) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t scanned = 0;
  while (true) {
    // Look for a complete line holding the needle in what has arrived.
    size_t pos = buffered_.find(needle, scanned);
    if (pos != std::string::npos) {
      size_t begin = buffered_.rfind('\n', pos);
      begin = begin == std::string::npos ? 0 : begin + 1;
      size_t end = buffered_.find('\n', pos);
      if (end != std::string::npos) {
        if (seen) *seen = buffered_;
        return buffered_.substr(begin, end - begin);
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0 || out_fd_ < 0) break;
    pollfd pfd{out_fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left)) <= 0) break;
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    buffered_.append(buf, static_cast<size_t>(n));
  }
  if (seen) *seen = buffered_;
  return "";
}

int CliProcess::Signal(int sig, int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return DecodeWaitStatus(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;  // still running: the destructor kills it
}

std::string CliProcess::ReadStderr() const {
  return ReadFile(err_file_);
}

std::string HttpGet(int port, const std::string& target) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET " + target + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = read(fd, buf, sizeof buf)) > 0)
        response.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return response;
}

std::string ResponseBody(const std::string& response) {
  const size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

std::pair<int, std::string> Shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string text;
  char buf[4096];
  while (pipe != nullptr) {
    const size_t n = fread(buf, 1, sizeof buf, pipe);
    if (n == 0) break;
    text.append(buf, n);
  }
  const int rc = pipe != nullptr ? pclose(pipe) : -1;
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, text};
}

int ServedPort(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("https?://localhost:([0-9]+)/"))) return -1;
  return std::stoi(m[1]);
}

}  // namespace fh::testing
