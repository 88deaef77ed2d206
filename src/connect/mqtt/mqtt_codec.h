// MQTT 3.1.1 packets, the part a subscriber needs: CONNECT (with a will), SUBSCRIBE,
// PUBACK, PINGREQ, DISCONNECT and PUBLISH out; CONNACK, SUBACK, PUBLISH, PUBACK and PINGRESP
// in. Pure functions over bytes.
//
// factoryhub speaks MQTT itself rather than through libmosquitto because of one rule: a
// message is acknowledged (PUBACK) only once its points are durable. libmosquitto 2.0
// sends the PUBACK before it hands the message to the application, and a crash between
// the two would lose a message the broker believes delivered. Owning the acknowledgement
// also lets a whole socket read of messages be stored as one batch and then acknowledged
// together. (The tests publish with libmosquitto, an independent implementation.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::connect {

enum class MqttType : uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kSubscribe = 8,
  kSuback = 9,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
};

struct MqttConnect {
  std::string client_id;
  bool clean_session = false;  // false: the broker keeps our subscriptions and QoS 1 queue
  uint16_t keep_alive_s = 30;
  std::string username, password;  // empty: none
  // The will: what the broker publishes when the connection ends without a DISCONNECT
  // (the Sparkplug host's offline STATE). Empty topic: none.
  std::string will_topic, will_payload;
  int will_qos = 0;
  bool will_retain = false;
};

std::string EncodeConnect(const MqttConnect& c);
std::string EncodeSubscribe(uint16_t packet_id, const std::vector<std::string>& filters, int qos);
std::string EncodePuback(uint16_t packet_id);
// A PUBLISH: QoS 0 (the Sparkplug rebirth request), or QoS 1 with a packet id (the
// Sparkplug host's STATE, retained).
std::string EncodePublish(std::string_view topic, std::string_view payload, int qos = 0,
                          bool retain = false, uint16_t packet_id = 0);
std::string EncodePingreq();
std::string EncodeDisconnect();

// One packet from the broker.
struct MqttPacket {
  MqttType type{};
  uint8_t flags = 0;
  // CONNACK: return code (0 accepted); SUBACK: granted QoS of the first filter (0x80 failure)
  int code = 0;
  bool session_present = false;  // CONNACK
  uint16_t packet_id = 0;        // PUBLISH (QoS > 0), SUBACK, PUBACK
  int qos = 0;                   // PUBLISH
  bool retain = false, dup = false;
  std::string_view topic;    // PUBLISH: into the buffer given to NextPacket
  std::string_view payload;  // PUBLISH
};

// The next whole packet at the front of `buffer`, and how many bytes it took; nullopt when
// the buffer holds only part of one. A malformed packet is an error (the connection must
// be dropped), naming what is wrong.
struct Decoded {
  MqttPacket packet;
  size_t size = 0;
};
Result<std::optional<Decoded>> NextPacket(std::string_view buffer);

// What a CONNACK return code means.
std::string_view ConnackReason(int code);

}  // namespace fh::connect
