// MqttPublisher: messages to an MQTT 3.1.1 broker, for what the hub tells others (alarm
// notifications). One connection, made on the first Publish and again after it breaks;
// QoS 1 waits for the broker's PUBACK, so a message Publish accepted is the broker's. Not
// thread-safe: one caller (a notifier's own thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/mqtt/mqtt_socket.h"

namespace fh::connect {

struct MqttPublisherSpec {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "factoryhub-notify";
  std::string username, password;
  TlsClientSpec tls;
};

class MqttPublisher {
 public:
  explicit MqttPublisher(MqttPublisherSpec spec) : spec_(std::move(spec)) {}
  ~MqttPublisher();  // a clean DISCONNECT when connected

  // Publishes one message (QoS 0 or 1), connecting first when needed. Unavailable when the
  // broker cannot be reached or the connection broke (the caller retries: the connection is
  // made again), InvalidArgument when the broker refuses us.
  Status Publish(std::string_view topic, std::string_view payload, int qos, bool retain);

 private:
  Status Connect();

  const MqttPublisherSpec spec_;
  std::shared_ptr<const TlsClient> tls_;  // made on the first connection with TLS
  BrokerConnection conn_;
  std::string buffer_;  // what the broker sent and was not read yet
  uint16_t next_id_ = 1;
};

}  // namespace fh::connect
