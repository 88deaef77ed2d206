// ClickHouse's RowBinary input format (its HTTP interface: INSERT ... FORMAT RowBinary): the
// columns of a row one after the other, little-endian, strings as a LEB128 length and their
// bytes. What the back end sends its batches in: no text to format or parse on either side.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fh::clickhouse {

class RowBinaryWriter {
 public:
  explicit RowBinaryWriter(std::string* out) : out_(out) {}

  void String(std::string_view s) {
    uint64_t n = s.size();
    // LEB128: seven bits a byte, the high bit set on every byte but the last.
    do {
      uint8_t byte = n & 0x7F;
      n >>= 7;
      if (n != 0) byte |= 0x80;
      out_->push_back(static_cast<char>(byte));
    } while (n != 0);
    out_->append(s);
  }
  void UInt8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void UInt32(uint32_t v) { Fixed(v); }
  void UInt64(uint64_t v) { Fixed(v); }
  void Int64(int64_t v) { Fixed(v); }
  void Float64(double v) { Fixed(std::bit_cast<uint64_t>(v)); }

 private:
  template <typename T>
  void Fixed(T v) {
    static_assert(std::endian::native == std::endian::little, "RowBinary is little-endian");
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    out_->append(bytes, sizeof(T));
  }

  std::string* out_;
};

}  // namespace fh::clickhouse
