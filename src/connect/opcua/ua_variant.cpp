// Variant and DataValue (OPC 10000-6 §5.2.2.16-17): the values a Read or a Publish brings.
// Decoding into the same Variant again reuses the alternative it holds (a string's buffer,
// an array's elements), which is what keeps a Publish loop from allocating per value.
#include <algorithm>

#include "connect/opcua/ua_types.h"

namespace fh::opcua {
namespace variant_detail {

constexpr uint8_t kArrayFlag = 0x80;
constexpr uint8_t kDimensionsFlag = 0x40;
constexpr uint8_t kTypeMask = 0x3F;

// The alternative T of `value`, keeping the one already there (and its buffers).
template <typename T>
T& Hold(VariantValue& value) {
  if (auto* p = std::get_if<T>(&value)) return *p;
  return value.emplace<T>();
}

// The least bytes one encoded scalar of `t` takes: bounds an array's length before the
// elements are allocated.
size_t MinEncodedSize(BuiltinType t) {
  switch (t) {
    case BuiltinType::kInt16:
    case BuiltinType::kUInt16:
      return 2;
    case BuiltinType::kInt32:
    case BuiltinType::kUInt32:
    case BuiltinType::kFloat:
    case BuiltinType::kStatusCode:
    case BuiltinType::kString:
    case BuiltinType::kByteString:
    case BuiltinType::kXmlElement:
      return 4;
    case BuiltinType::kInt64:
    case BuiltinType::kUInt64:
    case BuiltinType::kDouble:
    case BuiltinType::kDateTime:
      return 8;
    case BuiltinType::kGuid:
      return 16;
    case BuiltinType::kNodeId:
    case BuiltinType::kExpandedNodeId:
    case BuiltinType::kExtensionObject:
      return 2;
    case BuiltinType::kQualifiedName:
      return 6;
    default:
      return 1;
  }
}

// Reads one scalar of type `t` (not Variant, which only arrays hold) into `value`.
Status ReadScalar(Reader& r, BuiltinType t, VariantValue& value) {
  switch (t) {
    case BuiltinType::kNull:
      value = std::monostate{};
      return Status::Ok();
    case BuiltinType::kBoolean:
      return r.ReadBoolean(&Hold<bool>(value), "Variant Boolean");
    case BuiltinType::kSByte:
      return r.ReadInt8(&Hold<int8_t>(value), "Variant SByte");
    case BuiltinType::kByte:
      return r.ReadUInt8(&Hold<uint8_t>(value), "Variant Byte");
    case BuiltinType::kInt16:
      return r.ReadInt16(&Hold<int16_t>(value), "Variant Int16");
    case BuiltinType::kUInt16:
      return r.ReadUInt16(&Hold<uint16_t>(value), "Variant UInt16");
    case BuiltinType::kInt32:
      return r.ReadInt32(&Hold<int32_t>(value), "Variant Int32");
    case BuiltinType::kUInt32:
    case BuiltinType::kStatusCode:
      return r.ReadUInt32(&Hold<uint32_t>(value), "Variant UInt32");
    case BuiltinType::kInt64:
      return r.ReadInt64(&Hold<int64_t>(value), "Variant Int64");
    case BuiltinType::kUInt64:
      return r.ReadUInt64(&Hold<uint64_t>(value), "Variant UInt64");
    case BuiltinType::kFloat:
      return r.ReadFloat(&Hold<float>(value), "Variant Float");
    case BuiltinType::kDouble:
      return r.ReadDouble(&Hold<double>(value), "Variant Double");
    case BuiltinType::kString:
    case BuiltinType::kByteString:
    case BuiltinType::kXmlElement:
      return r.ReadString(&Hold<std::string>(value), "Variant String");
    case BuiltinType::kDateTime:
      return Read(r, &Hold<DateTime>(value));
    case BuiltinType::kGuid:
      return Read(r, &Hold<Guid>(value));
    case BuiltinType::kNodeId:
      return Read(r, &Hold<NodeId>(value));
    case BuiltinType::kExpandedNodeId:
      return Read(r, &Hold<ExpandedNodeId>(value));
    case BuiltinType::kQualifiedName:
      return Read(r, &Hold<QualifiedName>(value));
    case BuiltinType::kLocalizedText:
      return Read(r, &Hold<LocalizedText>(value));
    case BuiltinType::kExtensionObject:
      return Read(r, &Hold<ExtensionObject>(value));
    case BuiltinType::kDataValue: {
      auto& p = Hold<std::shared_ptr<DataValue>>(value);
      if (!p) p = std::make_shared<DataValue>();
      return Read(r, p.get());
    }
    case BuiltinType::kDiagnosticInfo:
      value = std::monostate{};
      return SkipDiagnosticInfo(r);
    case BuiltinType::kVariant:
      return r.Error("Variant", "a Variant scalar inside a Variant (only arrays may hold them)");
  }
  return r.Error("Variant", fmt::format("unknown built-in type {}", static_cast<int>(t)));
}

template <typename T>
const T* Get(const Variant& v) {
  return std::get_if<T>(&v.value);
}

Status WrongAlternative(BuiltinType t) {
  return InvalidArgument("OPC UA encode: a Variant of type {} holds another C++ type",
                         BuiltinTypeName(t));
}

Status WriteScalar(Writer& w, BuiltinType t, const VariantValue& value) {
  switch (t) {
    case BuiltinType::kNull:
      return Status::Ok();
#define FH_WRITE_SCALAR(Type, CppType, Call)      \
  case BuiltinType::Type: {                       \
    const auto* p = std::get_if<CppType>(&value); \
    if (!p) return WrongAlternative(t);           \
    Call;                                         \
    return Status::Ok();                          \
  }
      FH_WRITE_SCALAR(kBoolean, bool, w.WriteBoolean(*p))
      FH_WRITE_SCALAR(kSByte, int8_t, w.WriteInt8(*p))
      FH_WRITE_SCALAR(kByte, uint8_t, w.WriteUInt8(*p))
      FH_WRITE_SCALAR(kInt16, int16_t, w.WriteInt16(*p))
      FH_WRITE_SCALAR(kUInt16, uint16_t, w.WriteUInt16(*p))
      FH_WRITE_SCALAR(kInt32, int32_t, w.WriteInt32(*p))
      FH_WRITE_SCALAR(kUInt32, uint32_t, w.WriteUInt32(*p))
      FH_WRITE_SCALAR(kStatusCode, uint32_t, w.WriteUInt32(*p))
      FH_WRITE_SCALAR(kInt64, int64_t, w.WriteInt64(*p))
      FH_WRITE_SCALAR(kUInt64, uint64_t, w.WriteUInt64(*p))
      FH_WRITE_SCALAR(kFloat, float, w.WriteFloat(*p))
      FH_WRITE_SCALAR(kDouble, double, w.WriteDouble(*p))
      FH_WRITE_SCALAR(kString, std::string, w.WriteString(*p))
      FH_WRITE_SCALAR(kByteString, std::string, w.WriteString(*p))
      FH_WRITE_SCALAR(kXmlElement, std::string, w.WriteString(*p))
      FH_WRITE_SCALAR(kDateTime, DateTime, Write(w, *p))
      FH_WRITE_SCALAR(kGuid, Guid, Write(w, *p))
      FH_WRITE_SCALAR(kNodeId, NodeId, Write(w, *p))
      FH_WRITE_SCALAR(kExpandedNodeId, ExpandedNodeId, Write(w, *p))
      FH_WRITE_SCALAR(kQualifiedName, QualifiedName, Write(w, *p))
      FH_WRITE_SCALAR(kLocalizedText, LocalizedText, Write(w, *p))
      FH_WRITE_SCALAR(kExtensionObject, ExtensionObject, Write(w, *p))
#undef FH_WRITE_SCALAR
    case BuiltinType::kDataValue: {
      const auto* p = std::get_if<std::shared_ptr<DataValue>>(&value);
      if (!p || !*p) return WrongAlternative(t);
      return Write(w, **p);
    }
    case BuiltinType::kDiagnosticInfo:
    case BuiltinType::kVariant:
      break;
  }
  return InvalidArgument("OPC UA encode: a scalar of type {} cannot be written in a Variant",
                         BuiltinTypeName(t));
}

}  // namespace variant_detail

std::optional<double> Variant::ToDouble() const {
  if (is_array) return std::nullopt;
  switch (type) {
    case BuiltinType::kBoolean:
      return std::get<bool>(value) ? 1.0 : 0.0;
    case BuiltinType::kSByte:
      return std::get<int8_t>(value);
    case BuiltinType::kByte:
      return std::get<uint8_t>(value);
    case BuiltinType::kInt16:
      return std::get<int16_t>(value);
    case BuiltinType::kUInt16:
      return std::get<uint16_t>(value);
    case BuiltinType::kInt32:
      return std::get<int32_t>(value);
    case BuiltinType::kUInt32:
      return std::get<uint32_t>(value);
    case BuiltinType::kInt64:
      return static_cast<double>(std::get<int64_t>(value));
    case BuiltinType::kUInt64:
      return static_cast<double>(std::get<uint64_t>(value));
    case BuiltinType::kFloat:
      return std::get<float>(value);
    case BuiltinType::kDouble:
      return std::get<double>(value);
    default:
      return std::nullopt;
  }
}

bool Variant::operator==(const Variant& o) const {
  if (type != o.type || is_array != o.is_array || dimensions != o.dimensions) return false;
  // A DataValue inside is compared by value, not by pointer.
  const auto* a = std::get_if<std::shared_ptr<DataValue>>(&value);
  const auto* b = std::get_if<std::shared_ptr<DataValue>>(&o.value);
  if (a && b) return (*a && *b) ? **a == **b : *a == *b;
  return value == o.value;
}

Status Write(Writer& w, const Variant& v) {
  uint8_t encoding = static_cast<uint8_t>(v.type);
  if (!v.is_array) {
    w.WriteUInt8(encoding);
    return variant_detail::WriteScalar(w, v.type, v.value);
  }
  const auto* elements = std::get_if<std::vector<Variant>>(&v.value);
  if (!elements) return variant_detail::WrongAlternative(v.type);
  encoding |= variant_detail::kArrayFlag;
  if (!v.dimensions.empty()) encoding |= variant_detail::kDimensionsFlag;
  w.WriteUInt8(encoding);
  w.WriteArrayLength(elements->size());
  for (const auto& e : *elements) {
    if (v.type == BuiltinType::kVariant) {
      FH_RETURN_IF_ERROR(Write(w, e));
    } else {
      FH_RETURN_IF_ERROR(variant_detail::WriteScalar(w, v.type, e.value));
    }
  }
  if (!v.dimensions.empty()) {
    w.WriteArrayLength(v.dimensions.size());
    for (int32_t d : v.dimensions)
      w.WriteInt32(d);
  }
  return Status::Ok();
}

Status Read(Reader& r, Variant* out) {
  NestingScope scope(r, "Variant");
  FH_RETURN_IF_ERROR(scope.status());
  const size_t at = r.offset();
  uint8_t encoding = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&encoding, "Variant.EncodingMask"));
  const uint8_t type_id = encoding & variant_detail::kTypeMask;
  if (type_id > static_cast<uint8_t>(BuiltinType::kDiagnosticInfo)) {
    return r.ErrorAt(at, "Variant.EncodingMask", fmt::format("unknown built-in type {}", type_id));
  }
  out->type = static_cast<BuiltinType>(type_id);
  out->is_array = (encoding & variant_detail::kArrayFlag) != 0;
  out->dimensions.clear();
  if (!out->is_array) {
    if (encoding & variant_detail::kDimensionsFlag) {
      return r.ErrorAt(at, "Variant.EncodingMask", "dimensions on a scalar");
    }
    return variant_detail::ReadScalar(r, out->type, out->value);
  }
  // Null elements take no bytes, so their count could not be bounded by the bytes left.
  if (out->type == BuiltinType::kNull) {
    return r.ErrorAt(at, "Variant.EncodingMask", "an array of Null");
  }
  size_t n = 0;
  FH_RETURN_IF_ERROR(
      r.ReadArrayLength(&n, variant_detail::MinEncodedSize(out->type), "Variant.ArrayLength"));
  auto& elements = variant_detail::Hold<std::vector<Variant>>(out->value);
  elements.resize(n);
  for (auto& e : elements) {
    if (out->type == BuiltinType::kVariant) {
      FH_RETURN_IF_ERROR(Read(r, &e));
    } else {
      e.type = out->type;
      e.is_array = false;
      e.dimensions.clear();
      FH_RETURN_IF_ERROR(variant_detail::ReadScalar(r, out->type, e.value));
    }
  }
  if (encoding & variant_detail::kDimensionsFlag) {
    const size_t dims_at = r.offset();
    size_t rank = 0;
    FH_RETURN_IF_ERROR(r.ReadArrayLength(&rank, 4, "Variant.ArrayDimensions"));
    out->dimensions.resize(rank);
    uint64_t product = 1;
    for (auto& d : out->dimensions) {
      FH_RETURN_IF_ERROR(r.ReadInt32(&d, "Variant.ArrayDimensions"));
      if (d < 0) return r.ErrorAt(dims_at, "Variant.ArrayDimensions", "a negative dimension");
      product = std::min<uint64_t>(product * static_cast<uint64_t>(d), uint64_t{1} << 40);
    }
    if (product != n) {
      return r.ErrorAt(dims_at, "Variant.ArrayDimensions",
                       fmt::format("dimensions hold {} elements, the array {}", product, n));
    }
  }
  return Status::Ok();
}

Status Write(Writer& w, const DataValue& v) {
  const uint8_t mask = (v.has_value ? 0x01 : 0) | (v.has_status ? 0x02 : 0) |
                       (v.has_source_timestamp ? 0x04 : 0) | (v.has_server_timestamp ? 0x08 : 0) |
                       (v.has_source_picoseconds ? 0x10 : 0) |
                       (v.has_server_picoseconds ? 0x20 : 0);
  w.WriteUInt8(mask);
  if (v.has_value) FH_RETURN_IF_ERROR(Write(w, v.value));
  if (v.has_status) w.WriteUInt32(v.status);
  if (v.has_source_timestamp) Write(w, v.source_timestamp);
  if (v.has_source_picoseconds) w.WriteUInt16(v.source_picoseconds);
  if (v.has_server_timestamp) Write(w, v.server_timestamp);
  if (v.has_server_picoseconds) w.WriteUInt16(v.server_picoseconds);
  return Status::Ok();
}

Status Read(Reader& r, DataValue* out) {
  NestingScope scope(r, "DataValue");
  FH_RETURN_IF_ERROR(scope.status());
  uint8_t mask = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&mask, "DataValue.EncodingMask"));
  out->has_value = mask & 0x01;
  out->has_status = mask & 0x02;
  out->has_source_timestamp = mask & 0x04;
  out->has_server_timestamp = mask & 0x08;
  out->has_source_picoseconds = mask & 0x10;
  out->has_server_picoseconds = mask & 0x20;
  if (out->has_value) {
    FH_RETURN_IF_ERROR(Read(r, &out->value));
  } else {
    out->value.type = BuiltinType::kNull;
    out->value.is_array = false;
    out->value.value = std::monostate{};
    out->value.dimensions.clear();
  }
  out->status = kGood;
  if (out->has_status) FH_RETURN_IF_ERROR(r.ReadUInt32(&out->status, "DataValue.Status"));
  out->source_timestamp = {};
  out->server_timestamp = {};
  out->source_picoseconds = 0;
  out->server_picoseconds = 0;
  if (out->has_source_timestamp) {
    FH_RETURN_IF_ERROR(r.ReadInt64(&out->source_timestamp.ticks, "DataValue.SourceTimestamp"));
  }
  if (out->has_source_picoseconds) {
    FH_RETURN_IF_ERROR(r.ReadUInt16(&out->source_picoseconds, "DataValue.SourcePicoseconds"));
  }
  if (out->has_server_timestamp) {
    FH_RETURN_IF_ERROR(r.ReadInt64(&out->server_timestamp.ticks, "DataValue.ServerTimestamp"));
  }
  if (out->has_server_picoseconds) {
    FH_RETURN_IF_ERROR(r.ReadUInt16(&out->server_picoseconds, "DataValue.ServerPicoseconds"));
  }
  return Status::Ok();
}

}  // namespace fh::opcua
