// UA Binary's primitive layer (OPC 10000-6 §5.2.2): little-endian integers and IEEE floats,
// length-prefixed strings and arrays. The Reader is what stands between a peer's bytes and
// the hub: every read checks the bytes left, a length is checked against the bytes left and
// a configured limit before anything is allocated, and nesting (Variant in Variant,
// DiagnosticInfo in DiagnosticInfo) is bounded. Errors say what was read and at which byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::opcua {

// Bounds a decoder applies beyond "fits in the bytes given". The defaults suit a client:
// a message is at most what the transport negotiated, and these only stop one field from
// claiming all of it in a form that costs more memory than bytes (arrays of Variants).
struct DecodeLimits {
  uint32_t max_string_length = 16u << 20;  // String, ByteString, XmlElement bytes
  uint32_t max_array_length = 1u << 20;    // elements of any one array
  // Variant/DataValue/ExtensionObject/DiagnosticInfo nested in each other. The spec asks
  // decoders to support at least 4 levels of DiagnosticInfo and not expect more than 10.
  uint32_t max_nesting_depth = 10;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data, DecodeLimits limits = {})
      : data_(data), limits_(limits) {}
  explicit Reader(std::string_view data, DecodeLimits limits = {})
      : Reader(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
               limits) {}

  // A Reader views its bytes: it cannot be made over a temporary buffer.
  Reader(std::vector<uint8_t>&&, DecodeLimits = {}) = delete;
  Reader(std::string&&, DecodeLimits = {}) = delete;

  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }
  const DecodeLimits& limits() const { return limits_; }
  // The bytes not read yet (a message body after its header, say).
  std::span<const uint8_t> Rest() const { return data_.subspan(pos_); }

  Status ReadBoolean(bool* out, std::string_view what);
  Status ReadUInt8(uint8_t* out, std::string_view what);
  Status ReadInt8(int8_t* out, std::string_view what);
  Status ReadUInt16(uint16_t* out, std::string_view what);
  Status ReadInt16(int16_t* out, std::string_view what);
  Status ReadUInt32(uint32_t* out, std::string_view what);
  Status ReadInt32(int32_t* out, std::string_view what);
  Status ReadUInt64(uint64_t* out, std::string_view what);
  Status ReadInt64(int64_t* out, std::string_view what);
  Status ReadFloat(float* out, std::string_view what);
  Status ReadDouble(double* out, std::string_view what);
  // String and ByteString: an Int32 length, -1 for null (read as empty; *is_null says
  // which when given), then the bytes. Reuses *out's capacity.
  Status ReadString(std::string* out, std::string_view what, bool* is_null = nullptr);
  // `n` raw bytes, viewed in place (valid while the underlying buffer is).
  Status ReadBytes(size_t n, std::span<const uint8_t>* out, std::string_view what);
  Status Skip(size_t n, std::string_view what);
  // An array's Int32 length (-1, null, reads as 0), checked against the limit and against
  // the bytes left given that each element takes at least `min_element_size` bytes.
  Status ReadArrayLength(size_t* count, size_t min_element_size, std::string_view what);

  // Nesting: Enter before decoding a structure that may contain itself, Leave after.
  Status Enter(std::string_view what);
  void Leave() { --depth_; }

  // An error naming what was being read and where: "OPC UA decode: Variant.ArrayLength at
  // byte 17: 2000000 elements exceed the limit 1048576".
  Status Error(std::string_view what, std::string_view detail) const {
    return ErrorAt(pos_, what, detail);
  }
  Status ErrorAt(size_t offset, std::string_view what, std::string_view detail) const;

 private:
  Status Need(size_t n, std::string_view what) const;
  template <typename T>
  Status ReadLittleEndian(T* out, std::string_view what);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  DecodeLimits limits_;
  uint32_t depth_ = 0;
};

// Keeps a Reader's nesting depth balanced on every return path.
class NestingScope {
 public:
  NestingScope(Reader& reader, std::string_view what) : reader_(reader) {
    status_ = reader.Enter(what);
  }
  ~NestingScope() {
    if (status_.ok()) reader_.Leave();
  }
  NestingScope(const NestingScope&) = delete;
  NestingScope& operator=(const NestingScope&) = delete;
  const Status& status() const { return status_; }

 private:
  Reader& reader_;
  Status status_;
};

// Appends UA Binary to a byte buffer, either a std::vector<uint8_t> or a std::string.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>* out) : vec_(out) {}
  explicit Writer(std::string* out) : str_(out) {}

  size_t size() const { return vec_ ? vec_->size() : str_->size(); }

  void WriteBoolean(bool v) { WriteUInt8(v ? 1 : 0); }
  void WriteUInt8(uint8_t v) { Append(&v, 1); }
  void WriteInt8(int8_t v) { WriteUInt8(static_cast<uint8_t>(v)); }
  void WriteUInt16(uint16_t v) { WriteLittleEndian(v); }
  void WriteInt16(int16_t v) { WriteLittleEndian(static_cast<uint16_t>(v)); }
  void WriteUInt32(uint32_t v) { WriteLittleEndian(v); }
  void WriteInt32(int32_t v) { WriteLittleEndian(static_cast<uint32_t>(v)); }
  void WriteUInt64(uint64_t v) { WriteLittleEndian(v); }
  void WriteInt64(int64_t v) { WriteLittleEndian(static_cast<uint64_t>(v)); }
  void WriteFloat(float v);
  void WriteDouble(double v);
  // A String or ByteString with its Int32 length. Longer than INT32_MAX cannot be encoded;
  // callers bound their inputs far below that.
  void WriteString(std::string_view v);
  void WriteByteString(std::span<const uint8_t> v);
  void WriteNullString() { WriteInt32(-1); }
  void WriteArrayLength(size_t n) { WriteInt32(static_cast<int32_t>(n)); }
  void WriteBytes(std::span<const uint8_t> v) { Append(v.data(), v.size()); }
  void WriteBytes(std::string_view v) {
    Append(reinterpret_cast<const uint8_t*>(v.data()), v.size());
  }
  // Overwrites 4 bytes already written at `offset` (a size known only at the end).
  void PatchUInt32(size_t offset, uint32_t v);

 private:
  template <typename T>
  void WriteLittleEndian(T v) {
    uint8_t bytes[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i)
      bytes[i] = static_cast<uint8_t>(v >> (8 * i));
    Append(bytes, sizeof(T));
  }
  void Append(const uint8_t* p, size_t n);

  std::vector<uint8_t>* vec_ = nullptr;
  std::string* str_ = nullptr;
};

// A view of a string's bytes, for the byte-oriented APIs.
inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace fh::opcua
