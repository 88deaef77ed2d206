// A TCP connection to an MQTT broker, as the subscriber (mqtt_connector.h) and the publisher
// (mqtt_publisher.h) use it: blocking calls with timeouts, errors as Unavailable (the
// connection is to be dropped and made again).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/mqtt/mqtt_codec.h"

namespace fh::connect {

// Closes a socket however a session ends.
class Socket {
 public:
  explicit Socket(int fd = -1) : fd_(fd) {}
  ~Socket() { Close(); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  void Close();

 private:
  int fd_;
};

// A connected socket to host:port (TCP_NODELAY), or Unavailable saying why not.
Result<int> Dial(const std::string& host, int port);
Status SendAll(int fd, std::string_view bytes);
// Reads what is available into `buffer` (waiting up to timeout_ms for something); false
// on timeout. Unavailable when the broker closed the connection.
Result<bool> ReadSome(int fd, std::string& buffer, int timeout_ms);
// Waits up to 10 s for one packet of `type` (others before it are an error) and takes it
// off the front of `buffer`.
Result<MqttPacket> Expect(int fd, std::string& buffer, MqttType type, std::string_view what);

}  // namespace fh::connect
