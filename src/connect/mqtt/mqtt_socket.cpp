#include "connect/mqtt/mqtt_socket.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace fh::connect {

void Socket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<int> Dial(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return Unavailable("{}:{}: {}", host, port, gai_strerror(rc));
  }
  int fd = -1;
  std::string error = "no address";
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return Unavailable("{}:{}: {}", host, port, error);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

Status SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable("send: {}", std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Result<bool> ReadSome(int fd, std::string& buffer, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, timeout_ms);
  if (ready < 0)
    return errno == EINTR ? Result<bool>(false) : Unavailable("poll: {}", std::strerror(errno));
  if (ready == 0) return false;
  const size_t old = buffer.size();
  buffer.resize(old + (1 << 20));
  const ssize_t n = ::recv(fd, buffer.data() + old, 1 << 20, 0);
  if (n <= 0) {
    buffer.resize(old);
    if (n < 0 && errno == EINTR) return false;
    return Unavailable("the broker closed the connection{}",
                       n < 0 ? std::string(": ") + std::strerror(errno) : "");
  }
  buffer.resize(old + static_cast<size_t>(n));
  return true;
}

Result<MqttPacket> Expect(int fd, std::string& buffer, MqttType type, std::string_view what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    FH_ASSIGN_OR_RETURN(std::optional<Decoded> d, NextPacket(buffer));
    if (d) {
      if (d->packet.type != type) {
        return Unavailable("expected {}, got packet type {}", what,
                           static_cast<int>(d->packet.type));
      }
      MqttPacket p = d->packet;
      buffer.erase(0, d->size);
      return p;
    }
    if (std::chrono::steady_clock::now() > deadline) return Unavailable("no {} within 10 s", what);
    FH_ASSIGN_OR_RETURN(bool got, ReadSome(fd, buffer, 200));
    (void)got;
  }
}

}  // namespace fh::connect
