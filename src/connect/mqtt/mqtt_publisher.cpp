#include "connect/mqtt/mqtt_publisher.h"

#include "connect/mqtt/mqtt_codec.h"

namespace fh::connect {

MqttPublisher::~MqttPublisher() {
  if (conn_.is_open()) (void)conn_.Send(EncodeDisconnect());
}

Status MqttPublisher::Connect() {
  buffer_.clear();
  if (spec_.tls.enabled && tls_ == nullptr) {
    FH_ASSIGN_OR_RETURN(tls_, TlsClient::Make(spec_.tls));
  }
  FH_RETURN_IF_ERROR(conn_.Open(spec_.host, spec_.port, tls_.get()));
  MqttConnect connect;
  connect.client_id = spec_.client_id;
  connect.clean_session = true;
  connect.keep_alive_s = 0;  // idle for hours between alarms: the broker must not hang up
  connect.username = spec_.username;
  connect.password = spec_.password;
  FH_RETURN_IF_ERROR(conn_.Send(EncodeConnect(connect)));
  FH_ASSIGN_OR_RETURN(MqttPacket connack, Expect(conn_, buffer_, MqttType::kConnack, "CONNACK"));
  if (connack.code != 0) {
    conn_.Close();
    return InvalidArgument("the broker refused the connection: {}", ConnackReason(connack.code));
  }
  return Status::Ok();
}

Status MqttPublisher::Publish(std::string_view topic, std::string_view payload, int qos,
                              bool retain) {
  // A connection the broker closed while we were idle reads as end of file: make it again
  // rather than send into it.
  if (conn_.is_open() && !conn_.ReadSome(buffer_, 0).ok()) conn_.Close();
  if (!conn_.is_open()) FH_RETURN_IF_ERROR(Connect());
  const uint16_t id = qos > 0 ? next_id_ : 0;
  if (qos > 0) next_id_ = next_id_ == UINT16_MAX ? 1 : next_id_ + 1;
  Status sent = conn_.Send(EncodePublish(topic, payload, qos, retain, id));
  if (sent.ok() && qos > 0) {
    while (true) {
      Result<MqttPacket> ack = Expect(conn_, buffer_, MqttType::kPuback, "PUBACK");
      if (!ack.ok()) {
        sent = ack.status();
        break;
      }
      if (ack->packet_id == id) break;  // an older one's, after a timeout: skipped
    }
  }
  if (!sent.ok()) conn_.Close();
  return sent;
}

}  // namespace fh::connect
