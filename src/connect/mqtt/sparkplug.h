// Sparkplug B over MQTT (Eclipse Sparkplug): edge nodes announce their metrics by name in
// NBIRTH (and their devices' in DBIRTH), each with an alias, then send values by alias in
// NDATA / DDATA, and die with NDEATH / DDEATH. factoryhub decodes the protobuf payloads
// itself (protobuf_wire.h), compressed ones too (sparkplug_compression.h), keeps each
// node's aliases and data types, and stores every numeric metric as the tag
// group/node[/device]/metric, plus group/node[/device]/online: 1 at birth, 0 at death,
// each change stamped after the one before, so that the latest value is the current
// state. Every message of a node but NDEATH carries a sequence number (0 at NBIRTH, then
// +1 mod 256): a gap, or data whose aliases no birth named, makes the connector ask the
// node to be born again (NCMD "Node Control/Rebirth"). An NBIRTH's bdSeq names the MQTT
// session; an NDEATH (the session's will) with another bdSeq is a stale one and is
// ignored.
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
// spBv1.0/<group>/<type>/<node>[/<device>] of a known type (NBIRTH, NDATA, NDEATH, NCMD
// and their D... twins, a device for those only), or a host's spBv1.0/STATE/<id> (type
// STATE, the id as node); nullopt otherwise.
std::optional<SparkplugTopic> ParseSparkplugTopic(std::string_view topic);

struct SparkplugMetric {
  std::string name;
  std::optional<uint64_t> alias;
  std::optional<uint64_t> timestamp;  // epoch ms
  uint32_t datatype = 0;              // 0: not given (DATA may leave it to the birth)
  bool is_null = false;
  bool is_transient = false;        // not to be historized (the spec's is_transient)
  uint32_t value_field = 0;         // the field of the value (10 int ... 16 bytes), 0: none
  uint64_t raw = 0;                 // a numeric value's field as read
  std::optional<std::string> text;  // string_value
};

// A numeric metric's value read as `datatype` (the metric's own, else its birth's): ints
// of their width and sign, floats, Boolean as 0/1, DateTime as epoch ms; nullopt for
// nulls and values that are no numbers (strings, bytes, datasets, templates).
std::optional<double> SparkplugNumber(const SparkplugMetric& m, uint32_t datatype);

struct SparkplugPayload {
  std::optional<uint64_t> timestamp;  // epoch ms
  std::optional<uint64_t> seq;
  std::vector<SparkplugMetric> metrics;
  std::string uuid;
  std::string body;
};

// The payload; a compressed one (uuid SPBV1.0_COMPRESSED) is inflated and its inner
// payload returned, with the outer timestamp and seq where the inner lacks them.
// InvalidArgument saying why it cannot be read.
Result<SparkplugPayload> DecodeSparkplugPayload(std::string_view bytes);
// An NCMD payload asking a node for a rebirth: the boolean metric "Node Control/Rebirth".
std::string EncodeRebirthRequest(uint64_t timestamp_ms);

class SparkplugState {
 public:
  struct Outcome {
    std::string error;     // why the message cannot be stored (it is quarantined)
    bool rebirth = false;  // ask the node to be born again
    int64_t skipped = 0;   // metrics that are not numbers (strings, bytes, nulls, ...)
    bool ignored = false;  // a stale NDEATH (another session's bdSeq): nothing to store
  };
  // Appends the message's points to `batch` (nothing when `error` is set).
  Outcome Apply(const SparkplugTopic& topic, std::string_view payload, TimestampNs arrival,
                SampleBatch& batch);
  // "group/node" and "group/node/device" that are online now.
  std::set<std::string> online() const;

 private:
  struct Edge {
    bool online = false;
    TimestampNs online_at = 0;                  // the stamp of its last online point
    std::map<uint64_t, std::string> aliases;    // alias → metric name
    std::map<std::string, uint32_t> datatypes;  // metric name → its birth's data type
  };
  struct Node {
    Edge edge;
    int last_seq = -1;               // -1: no birth seen
    std::optional<uint64_t> bd_seq;  // the birth's bdSeq: the session NDEATH must name
    std::map<std::string, Edge> devices;
  };
  // Appends `edge`'s online point, stamped `at` but after its previous one: clocks of a
  // node and of factoryhub differ, and a death must read as the latest state.
  static void AddOnline(Edge& edge, const std::string& tag, TimestampNs at, bool online,
                        SampleBatch& batch);
  std::map<std::string, Node> nodes_;  // by group/node
};

}  // namespace fh::connect
