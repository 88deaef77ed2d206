#include "connect/mqtt/mqtt_publisher.h"

#include <poll.h>

#include "connect/mqtt/mqtt_codec.h"

namespace fh::connect {

MqttPublisher::~MqttPublisher() {
  if (socket_.fd() >= 0) (void)SendAll(socket_.fd(), EncodeDisconnect());
}

Status MqttPublisher::Connect() {
  buffer_.clear();
  FH_ASSIGN_OR_RETURN(int fd, Dial(spec_.host, spec_.port));
  socket_.Reset(fd);
  MqttConnect connect;
  connect.client_id = spec_.client_id;
  connect.clean_session = true;
  connect.keep_alive_s = 0;  // idle for hours between alarms: the broker must not hang up
  connect.username = spec_.username;
  connect.password = spec_.password;
  FH_RETURN_IF_ERROR(SendAll(fd, EncodeConnect(connect)));
  FH_ASSIGN_OR_RETURN(MqttPacket connack, Expect(fd, buffer_, MqttType::kConnack, "CONNACK"));
  if (connack.code != 0) {
    socket_.Close();
    return InvalidArgument("the broker refused the connection: {}", ConnackReason(connack.code));
  }
  return Status::Ok();
}

Status MqttPublisher::Publish(std::string_view topic, std::string_view payload, int qos,
                              bool retain) {
  if (socket_.fd() >= 0) {
    // A connection the broker closed while we were idle reads as end of file: make it
    // again rather than send into it.
    pollfd p{socket_.fd(), POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      Result<bool> read = ReadSome(socket_.fd(), buffer_, 0);
      if (!read.ok()) socket_.Close();
    }
  }
  if (socket_.fd() < 0) FH_RETURN_IF_ERROR(Connect());
  const uint16_t id = qos > 0 ? next_id_ : 0;
  if (qos > 0) next_id_ = next_id_ == UINT16_MAX ? 1 : next_id_ + 1;
  Status sent = SendAll(socket_.fd(), EncodePublish(topic, payload, qos, retain, id));
  if (sent.ok() && qos > 0) {
    while (true) {
      Result<MqttPacket> ack = Expect(socket_.fd(), buffer_, MqttType::kPuback, "PUBACK");
      if (!ack.ok()) {
        sent = ack.status();
        break;
      }
      if (ack->packet_id == id) break;  // an older one's, after a timeout: skipped
    }
  }
  if (!sent.ok()) socket_.Close();
  return sent;
}

}  // namespace fh::connect
