// Sparkplug B over MQTT (Eclipse Sparkplug): edge nodes announce their metrics by name in
// NBIRTH (and their devices' in DBIRTH), each with an alias, then send values by alias in
// NDATA / DDATA, and die with NDEATH / DDEATH. factoryhub decodes the protobuf payloads
// itself (protobuf_wire.h), keeps each node's aliases, and stores every numeric metric as
// the tag group/node[/device]/metric, plus group/node[/device]/online: 1 at birth, 0 at
// death. Every message of a node carries a sequence number (0 at NBIRTH, then +1 mod 256):
// a gap, or data whose aliases no birth named, makes the connector ask the node to be
// born again (NCMD "Node Control/Rebirth").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::connect {

struct SparkplugTopic {
  std::string group, type, node, device;  // type: NBIRTH, NDATA, DBIRTH, ...; device may be ""
};
// spBv1.0/<group>/<type>/<node>[/<device>], or nullopt.
std::optional<SparkplugTopic> ParseSparkplugTopic(std::string_view topic);

struct SparkplugMetric {
  std::string name;
  std::optional<uint64_t> alias;
  std::optional<uint64_t> timestamp;  // epoch ms
  uint32_t datatype = 0;
  bool is_null = false;
  std::optional<double> value;  // numeric types only (ints, floats, boolean, DateTime)
};

struct SparkplugPayload {
  std::optional<uint64_t> timestamp;  // epoch ms
  std::optional<uint64_t> seq;
  std::vector<SparkplugMetric> metrics;
};

Result<SparkplugPayload> DecodeSparkplugPayload(std::string_view bytes);
// An NCMD payload asking a node for a rebirth: the boolean metric "Node Control/Rebirth".
std::string EncodeRebirthRequest(uint64_t timestamp_ms);

class SparkplugState {
 public:
  struct Outcome {
    std::string error;     // why the message cannot be stored (it is quarantined)
    bool rebirth = false;  // ask the node to be born again
  };
  // Appends the message's points to `batch` (nothing when `error` is set).
  Outcome Apply(const SparkplugTopic& topic, std::string_view payload, TimestampNs arrival,
                SampleBatch& batch);
  // "group/node" and "group/node/device" that are online now.
  std::set<std::string> online() const;

 private:
  struct Edge {
    bool online = false;
    std::map<uint64_t, std::string> aliases;  // alias → metric name
  };
  struct Node {
    Edge edge;
    int last_seq = -1;  // -1: no birth seen
    std::map<std::string, Edge> devices;
  };
  std::map<std::string, Node> nodes_;  // by group/node
};

}  // namespace fh::connect
