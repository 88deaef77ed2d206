// ClickHouse's RowBinary input format (its HTTP interface: INSERT ... FORMAT RowBinary): the
// columns of a row one after the other, little-endian, strings as a LEB128 length and their
// bytes. What the back end sends its batches in: no text to format or parse on either side.
#pragma once

#include <algorithm>
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

// Reads rows of fixed-width columns from an answer in FORMAT RowBinary as its bytes arrive
// in pieces of any size: a row split between two pieces is kept until it is whole.
class RowBinaryReader {
 public:
  explicit RowBinaryReader(size_t row_bytes) : row_bytes_(row_bytes) {}

  // Calls row(const char* bytes) for each whole row in `piece`, in order; false from `row`
  // stops and is returned.
  template <typename RowFn>
  bool Feed(std::string_view piece, RowFn&& row) {
    if (!pending_.empty()) {
      size_t take = std::min(row_bytes_ - pending_.size(), piece.size());
      pending_.append(piece.substr(0, take));
      piece.remove_prefix(take);
      if (pending_.size() < row_bytes_) return true;
      if (!row(pending_.data())) return false;
      pending_.clear();
    }
    while (piece.size() >= row_bytes_) {
      if (!row(piece.data())) return false;
      piece.remove_prefix(row_bytes_);
    }
    pending_.assign(piece);
    return true;
  }
  // Bytes of a row not yet whole: an answer that ends with some was cut off.
  size_t pending() const { return pending_.size(); }

  template <typename T>
  static T Get(const char* bytes) {
    T v;
    std::memcpy(&v, bytes, sizeof(T));
    return v;
  }

 private:
  size_t row_bytes_;
  std::string pending_;
};

// Reads rows of one string followed by fixed-width columns (a tag and its bucket) from an
// answer as its bytes arrive, like RowBinaryReader.
class StringRowReader {
 public:
  explicit StringRowReader(size_t fixed_bytes) : fixed_bytes_(fixed_bytes) {}

  // Calls row(std::string_view text, const char* fixed) for each whole row.
  template <typename RowFn>
  bool Feed(std::string_view piece, RowFn&& row) {
    pending_.append(piece);
    std::string_view rest = pending_;
    bool go_on = true;
    while (go_on) {
      uint64_t n = 0;
      size_t header = 0;
      bool whole = false;
      for (int shift = 0; header < rest.size() && shift <= 63; shift += 7) {
        const uint8_t byte = static_cast<uint8_t>(rest[header++]);
        n |= uint64_t{byte & 0x7Fu} << shift;
        if ((byte & 0x80) == 0) {
          whole = true;
          break;
        }
      }
      if (!whole || rest.size() - header < n + fixed_bytes_) break;
      go_on = row(rest.substr(header, n), rest.data() + header + n);
      rest.remove_prefix(header + n + fixed_bytes_);
    }
    pending_.erase(0, pending_.size() - rest.size());
    return go_on;
  }
  size_t pending() const { return pending_.size(); }

 private:
  size_t fixed_bytes_;
  std::string pending_;
};

// Reads a whole (small) RowBinary answer whose rows hold strings: tags, stages.
class RowBinaryCursor {
 public:
  explicit RowBinaryCursor(std::string_view data) : data_(data) {}

  bool done() const { return data_.empty(); }
  bool String(std::string* out) {
    uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (data_.empty() || shift > 63) return false;
      const uint8_t byte = static_cast<uint8_t>(data_.front());
      data_.remove_prefix(1);
      n |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (n > data_.size()) return false;
    out->assign(data_.substr(0, n));
    data_.remove_prefix(n);
    return true;
  }
  template <typename T>
  bool Fixed(T* out) {
    if (data_.size() < sizeof(T)) return false;
    std::memcpy(out, data_.data(), sizeof(T));
    data_.remove_prefix(sizeof(T));
    return true;
  }

 private:
  std::string_view data_;
};

}  // namespace fh::clickhouse
