#include "connect/mqtt/mqtt_codec.h"

namespace fh::connect {

namespace {

constexpr size_t kMaxPacket = 256 << 20;  // the protocol's limit

void PutLength(std::string& out, size_t n) {
  do {
    uint8_t byte = n % 128;
    n /= 128;
    if (n > 0) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (n > 0);
}

void PutU16(std::string& out, uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xff);
}

void PutString(std::string& out, std::string_view s) {
  PutU16(out, static_cast<uint16_t>(s.size()));
  out.append(s);
}

std::string Packet(uint8_t first_byte, const std::string& body) {
  std::string out;
  out += static_cast<char>(first_byte);
  PutLength(out, body.size());
  return out + body;
}

uint16_t U16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(s[at]) << 8 | static_cast<uint8_t>(s[at + 1]));
}

}  // namespace

std::string EncodeConnect(const MqttConnect& c) {
  std::string body;
  PutString(body, "MQTT");
  body += static_cast<char>(4);  // protocol level 3.1.1
  uint8_t flags = c.clean_session ? 0x02 : 0;
  if (!c.username.empty()) flags |= 0x80;
  if (!c.password.empty()) flags |= 0x40;
  if (!c.will_topic.empty()) {
    flags |= 0x04 | static_cast<uint8_t>((c.will_qos & 3) << 3) | (c.will_retain ? 0x20 : 0);
  }
  body += static_cast<char>(flags);
  PutU16(body, c.keep_alive_s);
  PutString(body, c.client_id);
  if (!c.will_topic.empty()) {
    PutString(body, c.will_topic);
    PutString(body, c.will_payload);  // binary data: the same two-byte length prefix
  }
  if (!c.username.empty()) PutString(body, c.username);
  if (!c.password.empty()) PutString(body, c.password);
  return Packet(0x10, body);
}

std::string EncodeSubscribe(uint16_t packet_id, const std::vector<std::string>& filters, int qos) {
  std::string body;
  PutU16(body, packet_id);
  for (const std::string& f : filters) {
    PutString(body, f);
    body += static_cast<char>(qos);
  }
  return Packet(0x82, body);  // SUBSCRIBE's reserved flags are 0010
}

std::string EncodePuback(uint16_t packet_id) {
  std::string body;
  PutU16(body, packet_id);
  return Packet(0x40, body);
}

std::string EncodePublish(std::string_view topic, std::string_view payload, int qos, bool retain,
                          uint16_t packet_id) {
  std::string body;
  PutString(body, topic);
  if (qos > 0) PutU16(body, packet_id);
  body.append(payload);
  return Packet(static_cast<uint8_t>(0x30 | ((qos & 3) << 1) | (retain ? 1 : 0)), body);
}

std::string EncodePingreq() {
  return Packet(0xC0, {});
}

std::string EncodeDisconnect() {
  return Packet(0xE0, {});
}

Result<std::optional<Decoded>> NextPacket(std::string_view buffer) {
  if (buffer.size() < 2) return std::optional<Decoded>();
  size_t length = 0, at = 1;
  for (int shift = 0;; shift += 7, ++at) {
    if (at >= buffer.size()) return std::optional<Decoded>();
    if (shift > 21) return InvalidArgument("mqtt: remaining length longer than 4 bytes");
    const auto byte = static_cast<uint8_t>(buffer[at]);
    length |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  ++at;
  if (length > kMaxPacket) return InvalidArgument("mqtt: a packet of {} bytes", length);
  if (buffer.size() - at < length) return std::optional<Decoded>();
  const std::string_view body = buffer.substr(at, length);
  Decoded d;
  d.size = at + length;
  const auto first = static_cast<uint8_t>(buffer[0]);
  d.packet.type = static_cast<MqttType>(first >> 4);
  d.packet.flags = first & 0x0f;
  MqttPacket& p = d.packet;
  switch (p.type) {
    case MqttType::kConnack:
      if (body.size() != 2) return InvalidArgument("mqtt: CONNACK of {} bytes", body.size());
      p.session_present = (body[0] & 1) != 0;
      p.code = static_cast<uint8_t>(body[1]);
      break;
    case MqttType::kSuback:
      if (body.size() < 3) return InvalidArgument("mqtt: SUBACK of {} bytes", body.size());
      p.packet_id = U16(body, 0);
      p.code = static_cast<uint8_t>(body[2]);
      break;
    case MqttType::kPublish: {
      p.qos = (p.flags >> 1) & 3;
      p.retain = (p.flags & 1) != 0;
      p.dup = (p.flags & 8) != 0;
      if (p.qos == 3) return InvalidArgument("mqtt: PUBLISH with QoS 3");
      if (body.size() < 2) return InvalidArgument("mqtt: PUBLISH without a topic");
      const size_t topic_length = U16(body, 0);
      size_t pos = 2 + topic_length;
      if (body.size() < pos + (p.qos > 0 ? 2 : 0)) {
        return InvalidArgument("mqtt: PUBLISH shorter than its topic");
      }
      p.topic = body.substr(2, topic_length);
      if (p.qos > 0) {
        p.packet_id = U16(body, pos);
        pos += 2;
      }
      p.payload = body.substr(pos);
      break;
    }
    case MqttType::kPuback:
      if (body.size() != 2) return InvalidArgument("mqtt: PUBACK of {} bytes", body.size());
      p.packet_id = U16(body, 0);
      break;
    case MqttType::kPingresp:
      break;
    default:
      return InvalidArgument("mqtt: unexpected packet type {} from the broker",
                             static_cast<int>(p.type));
  }
  return std::optional<Decoded>(d);
}

std::string_view ConnackReason(int code) {
  switch (code) {
    case 0:
      return "accepted";
    case 1:
      return "unacceptable protocol version";
    case 2:
      return "client identifier rejected";
    case 3:
      return "server unavailable";
    case 4:
      return "bad user name or password";
    case 5:
      return "not authorized";
  }
  return "unknown return code";
}

}  // namespace fh::connect
