// A blocking TCP connection with deadlines, run in the caller's thread (Boost.Asio behind
// a pointer, so that includers do not compile Asio). Each call waits at most until its
// deadline and then fails with Unavailable, closing nothing: the caller decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/status.h"

namespace fh::opcua {

using Clock = std::chrono::steady_clock;

class TcpConnection {
 public:
  TcpConnection();
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // Resolves `host` and connects to the first address that answers.
  Status Connect(const std::string& host, uint16_t port, Clock::time_point deadline);
  Status WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline);
  // Fills `bytes` exactly; a peer that closes first is an IOError.
  Status ReadExact(std::span<uint8_t> bytes, Clock::time_point deadline);
  void Close();
  bool is_open() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fh::opcua
