#include "connect/sparkplug.h"

#include <bit>
#include <cstring>

#include "connect/protobuf_wire.h"

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
  // The value's field; which number it means depends on the datatype, read after.
  std::optional<WireField> value;
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
      case 7:
        m.is_null = f.value != 0;
        break;
      case 10:
      case 11:
      case 12:
      case 13:
      case 14:
        value = f;
        break;
      default:
        break;  // metadata, properties, strings, datasets, templates: not numbers
    }
  }
  if (r.error()) return InvalidArgument("sparkplug: a damaged metric");
  if (!value || m.is_null) return m;
  const uint64_t v = value->value;
  switch (value->number) {
    case 10:  // int_value: 32 bits, signed types as two's complement
      m.value = m.datatype == kInt8 || m.datatype == kInt16 || m.datatype == kInt32
                    ? static_cast<double>(static_cast<int32_t>(static_cast<uint32_t>(v)))
                    : static_cast<double>(static_cast<uint32_t>(v));
      break;
    case 11:  // long_value
      m.value = m.datatype == kInt64 ? static_cast<double>(static_cast<int64_t>(v))
                                     : static_cast<double>(v);
      break;
    case 12:
      m.value = std::bit_cast<float>(static_cast<uint32_t>(v));
      break;
    case 13:
      m.value = std::bit_cast<double>(v);
      break;
    case 14:
      m.value = v != 0 ? 1 : 0;
      break;
  }
  return m;
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
  if (parts.size() < 4 || parts.size() > 5 || parts[0] != "spBv1.0") return std::nullopt;
  for (std::string_view p : parts) {
    if (p.empty()) return std::nullopt;
  }
  SparkplugTopic t{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
                   parts.size() == 5 ? std::string(parts[4]) : std::string()};
  const bool device = t.type[0] == 'D';
  if (device != !t.device.empty()) return std::nullopt;
  return t;
}

Result<SparkplugPayload> DecodeSparkplugPayload(std::string_view bytes) {
  SparkplugPayload p;
  WireReader r(bytes);
  WireField f;
  while (r.Next(&f)) {
    if (f.number == 1 && f.type == WireType::kVarint) p.timestamp = f.value;
    if (f.number == 3 && f.type == WireType::kVarint) p.seq = f.value;
    if (f.number == 2 && f.type == WireType::kLength) {
      FH_ASSIGN_OR_RETURN(SparkplugMetric m, DecodeMetric(f.bytes));
      p.metrics.push_back(std::move(m));
    }
  }
  if (r.error()) return InvalidArgument("sparkplug: the payload is not a protobuf message");
  return p;
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
  Node& node = nodes_[t.group + "/" + t.node];
  Edge* edge = &node.edge;
  if (!t.device.empty()) edge = &node.devices[t.device];
  const std::string prefix = EdgeName(t) + "/";
  auto ts_of = [&](const SparkplugMetric& m) -> TimestampNs {
    if (m.timestamp) return static_cast<TimestampNs>(*m.timestamp) * 1'000'000;
    if (p.timestamp) return static_cast<TimestampNs>(*p.timestamp) * 1'000'000;
    return arrival;
  };
  const TimestampNs at = p.timestamp ? static_cast<TimestampNs>(*p.timestamp) * 1'000'000 : arrival;

  if (t.type == "NDEATH" || t.type == "DDEATH") {
    edge->online = false;
    batch.Add(prefix + "online", at, 0);
    if (t.type == "NDEATH") {
      node.last_seq = -1;
      for (auto& [name, device] : node.devices) {
        if (device.online) batch.Add(t.group + "/" + t.node + "/" + name + "/online", at, 0);
        device.online = false;
      }
    }
    return out;
  }
  // The sequence: NBIRTH restarts it at 0; every other message follows the last.
  if (t.type == "NBIRTH") {
    node.last_seq = p.seq ? static_cast<int>(*p.seq % 256) : 0;
  } else if (node.last_seq < 0) {
    out.rebirth = true;  // data from a node whose birth was missed
  } else if (p.seq) {
    if (static_cast<int>(*p.seq % 256) != (node.last_seq + 1) % 256) out.rebirth = true;
    node.last_seq = static_cast<int>(*p.seq % 256);
  }
  const bool birth = t.type == "NBIRTH" || t.type == "DBIRTH";
  if (birth) edge->aliases.clear();
  // Names first: a DATA metric names itself or goes by an alias its birth gave.
  std::vector<std::pair<std::string, const SparkplugMetric*>> points;
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
    if (name.empty()) continue;
    if (prefix.size() + name.size() > kMaxTagNameBytes) {
      out.error = fmt::format("metric '{}' of {}: the tag name would be longer than {} bytes",
                              name.substr(0, 40), EdgeName(t), kMaxTagNameBytes);
      return out;
    }
    if (m.value) points.emplace_back(std::move(name), &m);
  }
  if (birth) {
    edge->online = true;
    batch.Add(prefix + "online", at, 1);
  }
  for (const auto& [name, m] : points) {
    batch.Add(prefix + name, ts_of(*m), *m->value);
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
