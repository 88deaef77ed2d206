// MqttConnector: subscribes to a broker's topics and stores their messages through the
// StreamIngest: decoded by TopicMapping, quarantined when they cannot be, acknowledged
// (PUBACK) only once stored. Every message a socket read brings is stored as one batch and
// then acknowledged together, so a slow store stops acknowledgements (the broker holds
// the rest) instead of queueing in memory. A persistent session (clean_session false, a
// fixed client id) makes the broker keep QoS 1 messages while the connector is away. A
// lost connection is retried with exponential backoff (0.2 s to 10 s). Sparkplug B groups
// are decoded by SparkplugState.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "connect/mqtt/mqtt_socket.h"
#include "connect/mqtt/sparkplug.h"
#include "connect/mqtt/sparkplug_compression.h"
#include "connect/mqtt/topic_mapping.h"
#include "connect/reconnecting_connector.h"
#include "pipeline/stream_ingest.h"

namespace fh::connect {

// The largest payload decoded: as large as a Sparkplug payload may inflate to.
inline constexpr size_t kMaxDecodedPayload = kMaxInflatedSparkplugPayload;

struct MqttConnectorSpec {
  std::string name;
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id;  // default: factoryhub-<name>
  std::string username, password;
  TlsClientSpec tls;
  int qos = 1;  // 0 or 1
  int keep_alive_s = 30;
  std::vector<TopicMappingSpec> topics;
  // Sparkplug B groups to subscribe to (spBv1.0/<group>/#; "+" for every group).
  std::vector<std::string> sparkplug_groups;
  // As a Sparkplug primary host application: its id. While connected, the connector's
  // STATE (spBv1.0/STATE/<id>, retained) says online, and its will says offline, so edge
  // nodes that wait for their primary host publish to it. Empty: not a primary host.
  std::string sparkplug_host_id;
  size_t max_batch = 20000;  // messages stored per commit, at most
  // A payload larger is quarantined unread (MQTT allows 256 MiB): decoding JSON or
  // Sparkplug costs a multiple of the payload's size.
  size_t max_payload = kMaxDecodedPayload;
};

class MqttConnector final : public ReconnectingConnector {
 public:
  // InvalidArgument naming the topic or tag template at fault.
  static Result<std::unique_ptr<MqttConnector>> Make(MqttConnectorSpec spec,
                                                     pipeline::StreamIngest& ingest);
  ~MqttConnector() override;  // Stop()s

 private:
  MqttConnector(MqttConnectorSpec spec, std::shared_ptr<const TlsClient> tls,
                std::vector<TopicMapping> mappings, pipeline::StreamIngest& ingest);
  // Connects, subscribes and stores until the connection fails or Stop().
  Status Session(bool* progressed) override;
  Status Subscribed(BrokerConnection& conn, bool* progressed);
  // Stores the decoded messages, then acknowledges them; `skipped` values that are no
  // numbers are counted.
  Status StoreAndAck(BrokerConnection& conn, const SampleBatch& batch,
                     const std::vector<pipeline::RejectedRecord>& rejected,
                     const std::vector<uint16_t>& acks, int64_t messages, int64_t skipped);

  MqttConnectorSpec spec_;
  std::shared_ptr<const TlsClient> tls_;  // null: plain TCP
  std::vector<TopicMapping> mappings_;
  pipeline::StreamIngest& ingest_;
  pipeline::StreamSource source_;
  TimestampNs last_arrival_ = 0;  // the session thread's
  SparkplugState sparkplug_;      // the session thread's; kept across reconnects
};

}  // namespace fh::connect
