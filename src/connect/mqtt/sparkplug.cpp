#include "connect/mqtt/sparkplug.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "common/text_excerpt.h"
#include "connect/mqtt/protobuf_wire.h"
#include "connect/mqtt/sparkplug_compression.h"

namespace fh::connect {

namespace {

// Sparkplug B data types that hold numbers.
enum DataType : uint32_t {
  kInt8 = 1,
  kInt16 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kUInt8 = 5,
  kUInt16 = 6,
  kUInt32 = 7,
  kUInt64 = 8,
  kFloat = 9,
  kDouble = 10,
  kBoolean = 11,
  kDateTime = 13,
};

Result<SparkplugMetric> DecodeMetric(std::string_view bytes) {
  SparkplugMetric m;
  WireReader r(bytes);
  WireField f;
  while (r.Next(&f)) {
    switch (f.number) {
      case 1:
        m.name = std::string(f.bytes);
        break;
      case 2:
        m.alias = f.value;
        break;
      case 3:
        m.timestamp = f.value;
        break;
      case 4:
        m.datatype = static_cast<uint32_t>(f.value);
        break;
      case 6:
        m.is_transient = f.value != 0;
        break;
      case 7:
        m.is_null = f.value != 0;
        break;
      case 10:
      case 11:
      case 12:
      case 13:
      case 14:
        // Which number it means depends on the data type, perhaps the birth's: read later.
        m.value_field = f.number;
        m.raw = f.value;
        m.text.reset();
        break;
      case 15:
        m.value_field = f.number;
        m.text = std::string(f.bytes);
        break;
      case 16:
      case 17:
      case 18:
      case 19:
        m.value_field = f.number;  // bytes, dataset, template, extension: not numbers
        m.text.reset();
        break;
      default:
        break;  // metadata, properties, flags
    }
  }
  if (r.error()) return InvalidArgument("sparkplug: a damaged metric");
  return m;
}

// The payload as it is on the wire (compressed or not).
Result<SparkplugPayload> DecodeWire(std::string_view bytes) {
  SparkplugPayload p;
  WireReader r(bytes);
  WireField f;
  while (r.Next(&f)) {
    if (f.number == 1 && f.type == WireType::kVarint) p.timestamp = f.value;
    if (f.number == 3 && f.type == WireType::kVarint) p.seq = f.value;
    if (f.number == 4 && f.type == WireType::kLength) p.uuid = std::string(f.bytes);
    if (f.number == 5 && f.type == WireType::kLength) p.body = std::string(f.bytes);
    if (f.number == 2 && f.type == WireType::kLength) {
      FH_ASSIGN_OR_RETURN(SparkplugMetric m, DecodeMetric(f.bytes));
      p.metrics.push_back(std::move(m));
    }
  }
  if (r.error()) return InvalidArgument("sparkplug: the payload is not a protobuf message");
  return p;
}

// The latest epoch milliseconds a point can be stamped with (model/sample.h).
constexpr uint64_t kMaxStorableMs = static_cast<uint64_t>(kMaxStorableTimestamp / 1'000'000);

// Why a payload's times cannot be stored (past the year 2262), or "".
std::string CheckTimes(const SparkplugPayload& p) {
  auto bad = [](std::optional<uint64_t> ms) { return ms && *ms > kMaxStorableMs; };
  if (bad(p.timestamp)) {
    return fmt::format("sparkplug: the timestamp {} ms is out of range", *p.timestamp);
  }
  for (const SparkplugMetric& m : p.metrics) {
    if (bad(m.timestamp)) {
      return fmt::format("sparkplug: metric '{}': the timestamp {} ms is out of range",
                         Excerpt(m.name, 64), *m.timestamp);
    }
  }
  return {};
}

std::string EdgeName(const SparkplugTopic& t) {
  return t.device.empty() ? t.group + "/" + t.node : t.group + "/" + t.node + "/" + t.device;
}

}  // namespace

std::optional<SparkplugTopic> ParseSparkplugTopic(std::string_view topic) {
  std::vector<std::string_view> parts;
  for (size_t begin = 0;;) {
    const size_t end = topic.find('/', begin);
    parts.push_back(topic.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  if (parts[0] != "spBv1.0") return std::nullopt;
  for (std::string_view p : parts) {
    if (p.empty()) return std::nullopt;
  }
  // A host application's STATE (Sparkplug 3.0): spBv1.0/STATE/<host id>.
  if (parts.size() == 3 && parts[1] == "STATE")
    return SparkplugTopic{"", "STATE", std::string(parts[2]), ""};
  if (parts.size() < 4 || parts.size() > 5) return std::nullopt;
  SparkplugTopic t{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
                   parts.size() == 5 ? std::string(parts[4]) : std::string()};
  static constexpr std::string_view kTypes[] = {"NBIRTH", "NDATA", "NDEATH", "NCMD",
                                                "DBIRTH", "DDATA", "DDEATH", "DCMD"};
  if (std::find(std::begin(kTypes), std::end(kTypes), t.type) == std::end(kTypes)) {
    return std::nullopt;
  }
  const bool device = t.type[0] == 'D';
  if (device != !t.device.empty()) return std::nullopt;
  return t;
}

std::optional<double> SparkplugNumber(const SparkplugMetric& m, uint32_t datatype) {
  if (m.is_null) return std::nullopt;
  const uint64_t v = m.raw;
  switch (m.value_field) {
    case 10:  // int_value: 32 bits; signed types as two's complement of their width
      switch (datatype) {
        case kInt8:
          return static_cast<int8_t>(static_cast<uint8_t>(v));
        case kInt16:
          return static_cast<int16_t>(static_cast<uint16_t>(v));
        case kInt32:
        case kInt64:
          return static_cast<int32_t>(static_cast<uint32_t>(v));
        default:
          return static_cast<uint32_t>(v);
      }
    case 11:  // long_value
      switch (datatype) {
        case kInt8:
        case kInt16:
        case kInt32:
        case kInt64:
          return static_cast<double>(static_cast<int64_t>(v));
        default:
          return static_cast<double>(v);
      }
    case 12:
      return std::bit_cast<float>(static_cast<uint32_t>(v));
    case 13:
      return std::bit_cast<double>(v);
    case 14:
      return v != 0 ? 1 : 0;
    default:
      return std::nullopt;
  }
}

Result<SparkplugPayload> DecodeSparkplugPayload(std::string_view bytes) {
  FH_ASSIGN_OR_RETURN(SparkplugPayload outer, DecodeWire(bytes));
  if (outer.uuid != kSparkplugCompressedUuid) return outer;
  SparkplugCompression algorithm = SparkplugCompression::kDeflate;  // when none is named
  for (const SparkplugMetric& m : outer.metrics) {
    if (m.name != "algorithm") continue;
    if (!m.text) return InvalidArgument("sparkplug: the compressed payload's algorithm is no text");
    FH_ASSIGN_OR_RETURN(algorithm, ParseSparkplugCompression(*m.text));
  }
  FH_ASSIGN_OR_RETURN(std::string inflated, InflateSparkplugBody(outer.body, algorithm));
  Result<SparkplugPayload> inner = DecodeWire(inflated);
  if (!inner.ok()) {
    return InvalidArgument("sparkplug: the compressed payload holds no payload: {}",
                           inner.status().message());
  }
  if (inner->uuid == kSparkplugCompressedUuid) {
    return InvalidArgument("sparkplug: a compressed payload inside a compressed payload");
  }
  if (!inner->timestamp) inner->timestamp = outer.timestamp;
  if (!inner->seq) inner->seq = outer.seq;
  return inner;
}

std::string EncodeRebirthRequest(uint64_t timestamp_ms) {
  WireWriter metric;
  metric.Bytes(1, "Node Control/Rebirth");
  metric.Varint(3, timestamp_ms);
  metric.Varint(4, kBoolean);
  metric.Varint(14, 1);
  WireWriter payload;
  payload.Varint(1, timestamp_ms);
  payload.Bytes(2, metric.data());
  return payload.data();
}

void SparkplugState::AddOnline(Edge& edge, const std::string& tag, TimestampNs at, bool online,
                               SampleBatch& batch) {
  edge.online_at = std::max(at, edge.online_at + 1);
  edge.online = online;
  batch.Add(tag, edge.online_at, online ? 1 : 0);
}

SparkplugState::Outcome SparkplugState::Apply(const SparkplugTopic& t, std::string_view bytes,
                                              TimestampNs arrival, SampleBatch& batch) {
  Outcome out;
  if (t.type == "STATE" || t.type == "NCMD" || t.type == "DCMD") return out;  // not data
  Result<SparkplugPayload> decoded = DecodeSparkplugPayload(bytes);
  if (!decoded.ok()) {
    out.error = decoded.status().message();
    return out;
  }
  const SparkplugPayload& p = *decoded;
  // Times are checked before anything changes: a message is applied whole or not at all.
  if (std::string e = CheckTimes(p); !e.empty()) {
    out.error = std::move(e);
    return out;
  }
  Node& node = nodes_[t.group + "/" + t.node];
  Edge* edge = &node.edge;
  if (!t.device.empty()) edge = &node.devices[t.device];
  const std::string prefix = EdgeName(t) + "/";
  const bool node_message = t.device.empty();
  // bdSeq names the node's MQTT session (NBIRTH and its will, NDEATH): not a measurement.
  auto bd_seq_of = [&]() -> std::optional<uint64_t> {
    for (const SparkplugMetric& m : p.metrics) {
      if (m.name != "bdSeq") continue;
      const std::optional<double> v = SparkplugNumber(m, m.datatype ? m.datatype : kUInt64);
      if (v) return static_cast<uint64_t>(*v);
    }
    return std::nullopt;
  };
  auto ts_of = [&](const SparkplugMetric& m) -> TimestampNs {
    if (m.timestamp) return static_cast<TimestampNs>(*m.timestamp) * 1'000'000;
    if (p.timestamp) return static_cast<TimestampNs>(*p.timestamp) * 1'000'000;
    return arrival;
  };
  const TimestampNs at = p.timestamp ? static_cast<TimestampNs>(*p.timestamp) * 1'000'000 : arrival;

  if (t.type == "NDEATH") {
    // The will was written when the session began; the broker sends it when the session
    // ends. Another session's will (a stale bdSeq) says nothing about the current one.
    const std::optional<uint64_t> bd_seq = bd_seq_of();
    if (bd_seq && node.bd_seq && *bd_seq != *node.bd_seq) {
      out.ignored = true;
      return out;
    }
    node.last_seq = -1;
    AddOnline(*edge, prefix + "online", arrival, false, batch);
    for (auto& [name, device] : node.devices) {
      if (device.online) {
        AddOnline(device, t.group + "/" + t.node + "/" + name + "/online", arrival, false, batch);
      }
    }
    return out;
  }
  // The sequence: NBIRTH restarts it at 0; every other message (DDEATH too) follows the
  // last.
  if (t.type == "NBIRTH") {
    node.last_seq = p.seq ? static_cast<int>(*p.seq % 256) : 0;
    node.bd_seq = bd_seq_of();
  } else if (node.last_seq < 0) {
    out.rebirth = true;  // data from a node whose birth was missed
  } else if (p.seq) {
    if (static_cast<int>(*p.seq % 256) != (node.last_seq + 1) % 256) out.rebirth = true;
    node.last_seq = static_cast<int>(*p.seq % 256);
  }
  if (t.type == "DDEATH") {
    AddOnline(*edge, prefix + "online", at, false, batch);
    return out;
  }
  const bool birth = t.type == "NBIRTH" || t.type == "DBIRTH";
  if (birth) {
    edge->aliases.clear();
    edge->datatypes.clear();
  }
  // Names first: a DATA metric names itself or goes by an alias its birth gave.
  std::vector<std::pair<std::string, double>> points;
  std::vector<TimestampNs> stamps;
  for (const SparkplugMetric& m : p.metrics) {
    std::string name = m.name;
    if (birth && m.alias && !name.empty()) edge->aliases[*m.alias] = name;
    if (name.empty() && m.alias) {
      auto it = edge->aliases.find(*m.alias);
      if (it == edge->aliases.end()) {
        out.rebirth = true;
        out.error = fmt::format("alias {} of {} was named by no birth", *m.alias, EdgeName(t));
        return out;
      }
      name = it->second;
    }
    if (name.empty()) {
      ++out.skipped;  // neither a name nor an alias: nothing to store it as
      continue;
    }
    if (node_message && name == "bdSeq") continue;
    if (birth && m.datatype) edge->datatypes[name] = m.datatype;
    if (prefix.size() + name.size() > kMaxTagNameBytes) {
      out.error = fmt::format("metric '{}' of {}: the tag name would be longer than {} bytes",
                              Excerpt(name, 64), EdgeName(t), kMaxTagNameBytes);
      return out;
    }
    // DATA may leave the data type to the birth (the spec recommends it).
    uint32_t datatype = m.datatype;
    if (datatype == 0) {
      auto known = edge->datatypes.find(name);
      if (known != edge->datatypes.end()) datatype = known->second;
    }
    const std::optional<double> v = SparkplugNumber(m, datatype);
    // Not a number, NaN or an infinity (which line protocol refuses too), or transient
    // (the spec says a host application does not historize it): no point.
    if (!v || !std::isfinite(*v) || m.is_transient) {
      ++out.skipped;
      continue;
    }
    points.emplace_back(std::move(name), *v);
    stamps.push_back(ts_of(m));
  }
  if (birth) AddOnline(*edge, prefix + "online", at, true, batch);
  for (size_t i = 0; i < points.size(); ++i) {
    batch.Add(prefix + points[i].first, stamps[i], points[i].second);
  }
  return out;
}

std::set<std::string> SparkplugState::online() const {
  std::set<std::string> out;
  for (const auto& [name, node] : nodes_) {
    if (node.edge.online) out.insert(name);
    for (const auto& [device, edge] : node.devices) {
      if (edge.online) out.insert(name + "/" + device);
    }
  }
  return out;
}

}  // namespace fh::connect
