#include "connect/opcua/ua_types.h"

#include <limits>

namespace fh::opcua {

std::string_view BuiltinTypeName(BuiltinType t) {
  static constexpr std::string_view kNames[] = {
      "Null",          "Boolean",       "SByte",           "Byte",           "Int16",
      "UInt16",        "Int32",         "UInt32",          "Int64",          "UInt64",
      "Float",         "Double",        "String",          "DateTime",       "Guid",
      "ByteString",    "XmlElement",    "NodeId",          "ExpandedNodeId", "StatusCode",
      "QualifiedName", "LocalizedText", "ExtensionObject", "DataValue",      "Variant",
      "DiagnosticInfo"};
  const auto i = static_cast<size_t>(t);
  return i < std::size(kNames) ? kNames[i] : "Unknown";
}

int64_t DateTime::ToUnixNanos() const {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (ticks <= 0) return kMin;                          // MinValue, or a time before 1601
  if (ticks == kMax) return kMax;                       // MaxValue
  const int64_t since_epoch = ticks - kUnixEpochTicks;  // ticks > 0: cannot overflow
  if (since_epoch > kMax / 100) return kMax;
  if (since_epoch < kMin / 100) return kMin;
  return since_epoch * 100;
}

DateTime DateTime::FromUnixNanos(int64_t ns) {
  if (ns == std::numeric_limits<int64_t>::min()) return DateTime{0};
  if (ns == std::numeric_limits<int64_t>::max())
    return DateTime{std::numeric_limits<int64_t>::max()};
  // Floor division: a time before 1970 rounds towards the past like one after it.
  int64_t q = ns / 100;
  if (ns % 100 < 0) --q;
  return DateTime{q + kUnixEpochTicks};
}

void Write(Writer& w, DateTime v) {
  w.WriteInt64(v.ticks);
}

Status Read(Reader& r, DateTime* out) {
  return r.ReadInt64(&out->ticks, "DateTime");
}

void Write(Writer& w, const QualifiedName& v) {
  w.WriteUInt16(v.namespace_index);
  w.WriteString(v.name);
}

Status Read(Reader& r, QualifiedName* out) {
  FH_RETURN_IF_ERROR(r.ReadUInt16(&out->namespace_index, "QualifiedName.NamespaceIndex"));
  return r.ReadString(&out->name, "QualifiedName.Name");
}

void Write(Writer& w, const LocalizedText& v) {
  const uint8_t mask = (v.locale.empty() ? 0 : 0x01) | (v.text.empty() ? 0 : 0x02);
  w.WriteUInt8(mask);
  if (mask & 0x01) w.WriteString(v.locale);
  if (mask & 0x02) w.WriteString(v.text);
}

Status Read(Reader& r, LocalizedText* out) {
  uint8_t mask = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&mask, "LocalizedText.EncodingMask"));
  out->locale.clear();
  out->text.clear();
  if (mask & 0x01) FH_RETURN_IF_ERROR(r.ReadString(&out->locale, "LocalizedText.Locale"));
  if (mask & 0x02) FH_RETURN_IF_ERROR(r.ReadString(&out->text, "LocalizedText.Text"));
  return Status::Ok();
}

void Write(Writer& w, const ExtensionObject& v) {
  Write(w, v.type_id);
  w.WriteUInt8(v.encoding);
  if (v.encoding != 0) w.WriteString(v.body);
}

Status Read(Reader& r, ExtensionObject* out) {
  FH_RETURN_IF_ERROR(Read(r, &out->type_id));
  const size_t at = r.offset();
  FH_RETURN_IF_ERROR(r.ReadUInt8(&out->encoding, "ExtensionObject.Encoding"));
  out->body.clear();
  if (out->encoding == 0) return Status::Ok();
  if (out->encoding > 2) {
    return r.ErrorAt(at, "ExtensionObject.Encoding",
                     fmt::format("unknown body encoding {}", out->encoding));
  }
  return r.ReadString(&out->body, "ExtensionObject.Body");
}

Status SkipDiagnosticInfo(Reader& r) {
  NestingScope scope(r, "DiagnosticInfo");
  FH_RETURN_IF_ERROR(scope.status());
  uint8_t mask = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&mask, "DiagnosticInfo.EncodingMask"));
  // SymbolicId, NamespaceUri, Locale, LocalizedText: Int32 indexes into the string table.
  for (uint8_t bit : {0x01, 0x02, 0x08, 0x04}) {
    if (mask & bit) FH_RETURN_IF_ERROR(r.Skip(4, "DiagnosticInfo string table index"));
  }
  if (mask & 0x10) {
    std::string ignored;
    FH_RETURN_IF_ERROR(r.ReadString(&ignored, "DiagnosticInfo.AdditionalInfo"));
  }
  if (mask & 0x20) FH_RETURN_IF_ERROR(r.Skip(4, "DiagnosticInfo.InnerStatusCode"));
  if (mask & 0x40) FH_RETURN_IF_ERROR(SkipDiagnosticInfo(r));
  return Status::Ok();
}

Status SkipDiagnosticInfos(Reader& r) {
  size_t n = 0;
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, 1, "DiagnosticInfos"));
  for (size_t i = 0; i < n; ++i)
    FH_RETURN_IF_ERROR(SkipDiagnosticInfo(r));
  return Status::Ok();
}

Status ReadUInt32Array(Reader& r, std::vector<uint32_t>* out, std::string_view what) {
  size_t n = 0;
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, 4, what));
  out->resize(n);
  for (auto& e : *out)
    FH_RETURN_IF_ERROR(r.ReadUInt32(&e, what));
  return Status::Ok();
}

Status ReadStringArray(Reader& r, std::vector<std::string>* out, std::string_view what) {
  size_t n = 0;
  FH_RETURN_IF_ERROR(r.ReadArrayLength(&n, 4, what));
  out->resize(n);
  for (auto& e : *out)
    FH_RETURN_IF_ERROR(r.ReadString(&e, what));
  return Status::Ok();
}

void WriteUInt32Array(Writer& w, const std::vector<uint32_t>& v) {
  w.WriteArrayLength(v.size());
  for (uint32_t e : v)
    w.WriteUInt32(e);
}

void WriteStringArray(Writer& w, const std::vector<std::string>& v) {
  w.WriteArrayLength(v.size());
  for (const auto& e : v)
    w.WriteString(e);
}

}  // namespace fh::opcua
