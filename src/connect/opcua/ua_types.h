// OPC UA's built-in types (OPC 10000-6 §5.1.2, binary encoding §5.2.2) as the client keeps
// them: DateTime, QualifiedName, LocalizedText, ExtensionObject (passed through as its type
// id and raw body), DiagnosticInfo (read and skipped), Variant and DataValue. NodeId and
// Guid are in ua_node_id.h. Every type has Write(Writer&, const T&) and
// Read(Reader&, T*); Read reuses *out's buffers, so decoding into the same object again
// (a Publish loop) does not allocate once capacities have grown.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua/ua_binary.h"
#include "connect/opcua/ua_node_id.h"

namespace fh::opcua {

// The built-in type ids a Variant's encoding byte names (OPC 10000-6 Table 1).
enum class BuiltinType : uint8_t {
  kNull = 0,
  kBoolean = 1,
  kSByte = 2,
  kByte = 3,
  kInt16 = 4,
  kUInt16 = 5,
  kInt32 = 6,
  kUInt32 = 7,
  kInt64 = 8,
  kUInt64 = 9,
  kFloat = 10,
  kDouble = 11,
  kString = 12,
  kDateTime = 13,
  kGuid = 14,
  kByteString = 15,
  kXmlElement = 16,
  kNodeId = 17,
  kExpandedNodeId = 18,
  kStatusCode = 19,
  kQualifiedName = 20,
  kLocalizedText = 21,
  kExtensionObject = 22,
  kDataValue = 23,
  kVariant = 24,
  kDiagnosticInfo = 25,
};
std::string_view BuiltinTypeName(BuiltinType t);

// 100 ns ticks since 1601-01-01T00:00:00Z. 0 is "no time" (the spec's MinValue).
struct DateTime {
  int64_t ticks = 0;

  // The hub's ns since the Unix epoch. Ticks outside int64 ns's range (before 1677, after
  // 2262) clamp to its ends; 0 ticks (no time) gives INT64_MIN.
  int64_t ToUnixNanos() const;
  static DateTime FromUnixNanos(int64_t ns);
  bool IsNull() const { return ticks == 0; }
  bool operator==(const DateTime&) const = default;
};
// Ticks between 1601-01-01 and 1970-01-01.
inline constexpr int64_t kUnixEpochTicks = 116444736000000000;

struct QualifiedName {
  uint16_t namespace_index = 0;
  std::string name;
  bool operator==(const QualifiedName&) const = default;
};

struct LocalizedText {
  std::string locale;  // empty: not sent (mask bit 0x01 clear)
  std::string text;    // empty: not sent (mask bit 0x02 clear)
  bool operator==(const LocalizedText&) const = default;
};

// A structure the client passes through without knowing it: its encoding's NodeId and the
// body as sent. encoding 0: no body; 1: binary; 2: XML.
struct ExtensionObject {
  NodeId type_id;
  uint8_t encoding = 0;
  std::string body;
  bool operator==(const ExtensionObject&) const = default;
};

// DiagnosticInfo is read (to get past it) but not kept: its strings are indexes into a
// response header's string table that the hub has no use for.
Status SkipDiagnosticInfo(Reader& r);
Status SkipDiagnosticInfos(Reader& r);  // an array of them

struct DataValue;
struct Variant;

// A Variant's value. Types that share a C++ representation are told apart by
// Variant::type: String, ByteString and XmlElement are std::string; StatusCode is uint32_t.
// An array is a std::vector<Variant> whose elements are scalars of the array's type (or,
// for an array of Variant, of their own types).
using VariantValue =
    std::variant<std::monostate, bool, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t,
                 int64_t, uint64_t, float, double, std::string, DateTime, Guid, NodeId,
                 ExpandedNodeId, QualifiedName, LocalizedText, ExtensionObject,
                 std::shared_ptr<DataValue>, std::vector<Variant>>;

struct Variant {
  BuiltinType type = BuiltinType::kNull;
  bool is_array = false;
  VariantValue value;
  // A multi-dimensional array's dimensions (the array itself is flat, in row-major order
  // per the spec); empty for a scalar or a one-dimensional array.
  std::vector<int32_t> dimensions;

  bool IsNull() const { return type == BuiltinType::kNull; }
  // A scalar number or Boolean as a double (Boolean 0/1, integers converted, DateTime not);
  // nullopt for anything else.
  std::optional<double> ToDouble() const;

  static Variant Of(bool v) { return {BuiltinType::kBoolean, false, v, {}}; }
  static Variant Of(int32_t v) { return {BuiltinType::kInt32, false, v, {}}; }
  static Variant Of(uint32_t v) { return {BuiltinType::kUInt32, false, v, {}}; }
  static Variant Of(int64_t v) { return {BuiltinType::kInt64, false, v, {}}; }
  static Variant Of(float v) { return {BuiltinType::kFloat, false, v, {}}; }
  static Variant Of(double v) { return {BuiltinType::kDouble, false, v, {}}; }
  static Variant Of(std::string v) { return {BuiltinType::kString, false, std::move(v), {}}; }
  static Variant Of(DateTime v) { return {BuiltinType::kDateTime, false, v, {}}; }

  bool operator==(const Variant& o) const;
};

struct DataValue {
  bool has_value = false;
  bool has_status = false;  // absent means Good
  bool has_source_timestamp = false;
  bool has_server_timestamp = false;
  bool has_source_picoseconds = false;
  bool has_server_picoseconds = false;
  Variant value;
  StatusCode status = kGood;
  DateTime source_timestamp;
  DateTime server_timestamp;
  uint16_t source_picoseconds = 0;
  uint16_t server_picoseconds = 0;

  bool operator==(const DataValue&) const = default;
};

void Write(Writer& w, DateTime v);
void Write(Writer& w, const QualifiedName& v);
void Write(Writer& w, const LocalizedText& v);
void Write(Writer& w, const ExtensionObject& v);
// Fails (InvalidArgument) only on a Variant that cannot be encoded: a value whose C++ type
// does not match its BuiltinType, or a DiagnosticInfo.
Status Write(Writer& w, const Variant& v);
Status Write(Writer& w, const DataValue& v);

Status Read(Reader& r, DateTime* out);
Status Read(Reader& r, QualifiedName* out);
Status Read(Reader& r, LocalizedText* out);
Status Read(Reader& r, ExtensionObject* out);
Status Read(Reader& r, Variant* out);
Status Read(Reader& r, DataValue* out);

// Arrays of the types above and of the primitives used in services' structures. Read
// resizes *out (reusing its elements) after the length is checked against the limit and
// the bytes left.
template <typename T>
Status ReadArray(Reader& r, std::vector<T>* out, size_t min_element_size, std::string_view what) {
  size_t n = 0;
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, min_element_size, what));
  out->resize(n);
  for (auto& e : *out)
    FH_RETURN_IF_ERROR(Read(r, &e));
  return Status::Ok();
}
template <typename T>
void WriteArray(Writer& w, const std::vector<T>& v) {
  w.WriteArrayLength(v.size());
  for (const auto& e : v)
    Write(w, e);
}
Status ReadUInt32Array(Reader& r, std::vector<uint32_t>* out, std::string_view what);
Status ReadStringArray(Reader& r, std::vector<std::string>* out, std::string_view what);
void WriteUInt32Array(Writer& w, const std::vector<uint32_t>& v);
void WriteStringArray(Writer& w, const std::vector<std::string>& v);

}  // namespace fh::opcua
