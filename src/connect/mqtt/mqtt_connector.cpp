#include "connect/mqtt/mqtt_connector.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>

#include "common/time.h"
#include "connect/mqtt/mqtt_codec.h"
#include "connect/mqtt/mqtt_socket.h"

namespace fh::connect {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Result<std::unique_ptr<MqttConnector>> MqttConnector::Make(MqttConnectorSpec spec,
                                                           pipeline::StreamIngest& ingest) {
  if (spec.name.empty()) return InvalidArgument("mqtt: a connector needs a name");
  if (spec.topics.empty() && spec.sparkplug_groups.empty()) {
    return InvalidArgument("mqtt '{}': no topics and no sparkplug groups", spec.name);
  }
  if (spec.qos != 0 && spec.qos != 1) {
    return InvalidArgument("mqtt '{}': qos is 0 or 1, not {}", spec.name, spec.qos);
  }
  std::vector<TopicMapping> mappings;
  for (const TopicMappingSpec& t : spec.topics) {
    Result<TopicMapping> m = TopicMapping::Make(t);
    if (!m.ok()) return m.status().WithContext(fmt::format("mqtt '{}'", spec.name));
    mappings.push_back(std::move(*m));
  }
  if (spec.client_id.empty()) spec.client_id = "factoryhub-" + spec.name;
  std::shared_ptr<const TlsClient> tls;
  if (spec.tls.enabled) {
    Result<std::shared_ptr<const TlsClient>> made = TlsClient::Make(spec.tls);
    if (!made.ok()) return made.status().WithContext(fmt::format("mqtt '{}'", spec.name));
    tls = std::move(*made);
  }
  return std::unique_ptr<MqttConnector>(
      new MqttConnector(std::move(spec), std::move(tls), std::move(mappings), ingest));
}

MqttConnector::MqttConnector(MqttConnectorSpec spec, std::shared_ptr<const TlsClient> tls,
                             std::vector<TopicMapping> mappings, pipeline::StreamIngest& ingest)
    : ReconnectingConnector(
          spec.name, "mqtt",
          fmt::format("{}:{}{}", spec.host, spec.port, spec.tls.enabled ? " (TLS)" : "")),
      spec_(std::move(spec)),
      tls_(std::move(tls)),
      mappings_(std::move(mappings)),
      ingest_(ingest) {
  source_ = {"mqtt", fmt::format("{}:{} ({})", spec_.host, spec_.port, spec_.name)};
}

MqttConnector::~MqttConnector() {
  Stop();
}

Status MqttConnector::Session(bool* progressed) {
  BrokerConnection conn;
  FH_RETURN_IF_ERROR(conn.Open(spec_.host, spec_.port, tls_.get()));
  return Subscribed(conn, progressed);
}

Status MqttConnector::Subscribed(BrokerConnection& conn, bool* progressed) {
  std::string buffer;
  MqttConnect connect;
  connect.client_id = spec_.client_id;
  connect.clean_session = false;
  connect.keep_alive_s = static_cast<uint16_t>(spec_.keep_alive_s);
  connect.username = spec_.username;
  connect.password = spec_.password;
  // Sparkplug 3.0 host STATE: the will (offline) and the birth (online) carry the same
  // timestamp, so a node can tell a stale offline from the current session's.
  const std::string state_topic =
      spec_.sparkplug_host_id.empty() ? "" : "spBv1.0/STATE/" + spec_.sparkplug_host_id;
  const int64_t state_ms = NowNs() / 1'000'000;
  auto state = [state_ms](bool online) {
    return fmt::format(R"({{"online":{},"timestamp":{}}})", online, state_ms);
  };
  if (!state_topic.empty()) {
    connect.will_topic = state_topic;
    connect.will_payload = state(false);
    connect.will_qos = 1;
    connect.will_retain = true;
  }
  FH_RETURN_IF_ERROR(conn.Send(EncodeConnect(connect)));
  FH_ASSIGN_OR_RETURN(MqttPacket connack, Expect(conn, buffer, MqttType::kConnack, "CONNACK"));
  if (connack.code != 0) {
    return InvalidArgument("the broker refused the connection: {}", ConnackReason(connack.code));
  }
  std::vector<std::string> filters;
  for (const TopicMapping& m : mappings_)
    filters.push_back(m.filter());
  for (const std::string& group : spec_.sparkplug_groups)
    filters.push_back("spBv1.0/" + group + "/#");
  FH_RETURN_IF_ERROR(conn.Send(EncodeSubscribe(1, filters, spec_.qos)));
  // Messages of the persistent session may arrive before the SUBACK: keep them buffered.
  while (true) {
    FH_ASSIGN_OR_RETURN(std::optional<Decoded> d, NextPacket(buffer));
    if (d && d->packet.type == MqttType::kSuback) {
      if (d->packet.code == 0x80) return InvalidArgument("the broker refused the subscription");
      buffer.erase(0, d->size);
      break;
    }
    if (d && d->packet.type == MqttType::kPublish) break;  // handled below, SUBACK after it
    FH_ASSIGN_OR_RETURN(bool got, conn.ReadSome(buffer, 10000));
    if (!got) return Unavailable("no SUBACK within 10 s");
  }
  if (!state_topic.empty()) {
    FH_RETURN_IF_ERROR(conn.Send(EncodePublish(state_topic, state(true), 1, true, 2)));
  }
  SetState("connected");
  *progressed = true;

  SampleBatch batch;
  std::vector<pipeline::RejectedRecord> rejected;
  std::vector<uint16_t> acks;
  std::set<std::string> rebirths;  // NCMD topics to ask for a rebirth on
  const auto ping_every = std::chrono::seconds(std::max(1, spec_.keep_alive_s / 2));
  auto last_sent = Clock::now();
  auto last_heard = Clock::now();
  while (!stopping()) {
    batch.Clear();
    rejected.clear();
    acks.clear();
    int64_t messages = 0;
    int64_t skipped = 0;  // values of stored messages that are no numbers
    size_t used = 0;
    while (messages < static_cast<int64_t>(spec_.max_batch)) {
      FH_ASSIGN_OR_RETURN(std::optional<Decoded> d,
                          NextPacket(std::string_view(buffer).substr(used)));
      if (!d) break;
      used += d->size;
      last_heard = Clock::now();
      const MqttPacket& p = d->packet;
      if (p.type != MqttType::kPublish) continue;  // SUBACK, PINGRESP, PUBACK
      ++messages;
      // A message without a time of its own is stamped with its arrival, one nanosecond
      // after the previous one at least, so that messages read together stay apart.
      const TimestampNs arrival = last_arrival_ = std::max(NowNs(), last_arrival_ + 1);
      std::string error;
      const std::optional<SparkplugTopic> sparkplug =
          spec_.sparkplug_groups.empty() ? std::nullopt : ParseSparkplugTopic(p.topic);
      if (p.payload.size() > spec_.max_payload) {
        error = fmt::format("a payload of {} bytes: more than {} MiB is not decoded",
                            p.payload.size(), spec_.max_payload >> 20);
      } else if (sparkplug) {
        const SparkplugState::Outcome o = sparkplug_.Apply(*sparkplug, p.payload, arrival, batch);
        error = o.error;
        if (error.empty()) skipped += o.skipped;
        if (o.rebirth) rebirths.insert("spBv1.0/" + sparkplug->group + "/NCMD/" + sparkplug->node);
      } else {
        const TopicMapping* mapping = nullptr;
        for (const TopicMapping& m : mappings_) {
          if (m.Matches(p.topic)) {
            mapping = &m;
            break;
          }
        }
        if (mapping) {
          error = mapping->Decode(p.topic, p.payload, arrival, batch, &skipped);
        } else if (!spec_.sparkplug_groups.empty() && p.topic.starts_with("spBv1.0/")) {
          error = fmt::format(
              "topic '{}' is not Sparkplug B: spBv1.0/<group>/<NBIRTH, NDATA, NDEATH, NCMD, "
              "DBIRTH, DDATA, DDEATH or DCMD>/<node>[/<device>, for D...]",
              p.topic);
        } else {
          error = fmt::format("topic '{}' matches no mapping", p.topic);
        }
      }
      if (!error.empty()) {
        rejected.push_back(
            {0, fmt::format("{} {}", p.topic, p.payload.substr(0, 4096)), std::move(error)});
      }
      if (p.qos == 1) acks.push_back(p.packet_id);
    }
    buffer.erase(0, used);
    if (messages > 0) {
      FH_RETURN_IF_ERROR(StoreAndAck(conn, batch, rejected, acks, messages, skipped));
      // Nodes whose sequence broke, or whose aliases no birth named: born again, please.
      for (const std::string& ncmd : rebirths) {
        FH_RETURN_IF_ERROR(conn.Send(
            EncodePublish(ncmd, EncodeRebirthRequest(static_cast<uint64_t>(NowNs() / 1'000'000)))));
      }
      rebirths.clear();
      last_sent = Clock::now();
      continue;  // more may be buffered already
    }
    if (Clock::now() - last_heard > 3 * ping_every) {
      return Unavailable("the broker went silent (no answer to PINGREQ)");
    }
    if (Clock::now() - last_sent >= ping_every) {
      FH_RETURN_IF_ERROR(conn.Send(EncodePingreq()));
      last_sent = Clock::now();
    }
    FH_ASSIGN_OR_RETURN(bool got, conn.ReadSome(buffer, 100));
    (void)got;
  }
  // A clean DISCONNECT discards the will: the host says it is offline itself.
  if (!state_topic.empty()) (void)conn.Send(EncodePublish(state_topic, state(false), 1, true, 3));
  (void)conn.Send(EncodeDisconnect());
  return Status::Ok();
}

Status MqttConnector::StoreAndAck(BrokerConnection& conn, const SampleBatch& batch,
                                  const std::vector<pipeline::RejectedRecord>& rejected,
                                  const std::vector<uint16_t>& acks, int64_t messages,
                                  int64_t skipped) {
  // Not stored: no acknowledgement; the connection drops and the broker sends them again.
  Result<std::vector<govern::RejectedPoint>> failed =
      ingest_.Write(source_, "mqtt", batch, rejected);
  if (!failed.ok()) return failed.status().WithContext("storing");
  std::string out;
  out.reserve(acks.size() * 4);
  for (uint16_t id : acks)
    out += EncodePuback(id);
  Count([&](ConnectorStatus& st) {
    st.messages += messages;
    st.points += static_cast<int64_t>(batch.size() - failed->size());
    st.quarantined += static_cast<int64_t>(rejected.size() + failed->size());
    st.skipped += skipped;
  });
  return conn.Send(out);
}

}  // namespace fh::connect
