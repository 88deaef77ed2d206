// The protobuf wire format, read and written by hand for the few messages factoryhub
// exchanges (Sparkplug B payloads): varints, 32- and 64-bit fields, length-delimited
// fields. Reading never runs past the buffer: a truncated or malformed message is an
// error, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fh::connect {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

// One field of a message.
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t value = 0;      // varint, fixed64, fixed32 (zero-extended)
  std::string_view bytes;  // length-delimited
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}
  // The next field, or false at the end; `error()` says whether the end was a bad one.
  bool Next(WireField* field);
  bool error() const { return error_; }

 private:
  bool Varint(uint64_t* v);
  std::string_view data_;
  size_t at_ = 0;
  bool error_ = false;
};

class WireWriter {
 public:
  void Varint(uint32_t number, uint64_t v);
  void Bytes(uint32_t number, std::string_view bytes);
  const std::string& data() const { return out_; }

 private:
  void Raw(uint64_t v);
  std::string out_;
};

}  // namespace fh::connect
