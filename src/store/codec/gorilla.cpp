#include "store/codec/gorilla.h"

#include <algorithm>
#include <bit>
#include <cstdint>

#include "store/codec/bit_stream.h"

namespace fh::codec {
namespace {

constexpr int kMaxLeading = 31;  // 5 bits

}  // namespace

void AppendGorilla(std::span<const double> values, std::string* out) {
  if (values.empty()) return;
  BitWriter w(out);
  uint64_t prev = std::bit_cast<uint64_t>(values[0]);
  w.Write(prev, 64);
  int win_leading = -1;  // no window yet
  int win_len = 0;
  for (size_t i = 1; i < values.size(); ++i) {
    const uint64_t cur = std::bit_cast<uint64_t>(values[i]);
    const uint64_t x = cur ^ prev;
    prev = cur;
    if (x == 0) {
      w.Write(0, 1);
      continue;
    }
    const int leading = std::min(std::countl_zero(x), kMaxLeading);
    const int trailing = std::countr_zero(x);
    const int len = 64 - leading - trailing;
    const int win_trailing = 64 - win_leading - win_len;
    if (win_leading >= 0 && leading >= win_leading && trailing >= win_trailing &&
        win_len <= len + 11) {
      w.Write(0b10, 2);
      w.Write(x >> win_trailing, win_len);
    } else {
      w.Write(0b11, 2);
      w.Write(static_cast<uint64_t>(leading), 5);
      w.Write(static_cast<uint64_t>(len - 1), 6);
      w.Write(x >> trailing, len);
      win_leading = leading;
      win_len = len;
    }
  }
  w.Finish();
}

Status CheckGorillaSize(std::string_view bytes, size_t count) {
  // 64 bits for the first value and at least one bit for each other.
  const size_t min_bits = count == 0 ? 0 : 64 + (count - 1);
  if (bytes.size() < (min_bits + 7) / 8) {
    return Corruption("gorilla: {} bytes cannot hold {} values", bytes.size(), count);
  }
  return Status::Ok();
}

Status DecodeGorilla(std::string_view bytes, size_t count, double* out) {
  FH_RETURN_IF_ERROR(CheckGorillaSize(bytes, count));
  if (count == 0) {
    if (!bytes.empty()) return Corruption("gorilla: {} bytes for no values", bytes.size());
    return Status::Ok();
  }
  BitReader r(bytes);
  uint64_t prev = r.Read(64);
  out[0] = std::bit_cast<double>(prev);
  int win_leading = -1;
  int win_len = 0;
  for (size_t i = 1; i < count; ++i) {
    if (r.ReadBit()) {
      if (r.ReadBit()) {
        win_leading = static_cast<int>(r.Read(5));
        win_len = static_cast<int>(r.Read(6)) + 1;
        if (win_leading + win_len > 64) {
          return Corruption("gorilla: value {}: window {}+{} bits > 64", i, win_leading, win_len);
        }
      } else if (win_leading < 0) {
        return Corruption("gorilla: value {}: reuses a window before any was set", i);
      }
      prev ^= r.Read(win_len) << (64 - win_leading - win_len);
    }
    out[i] = std::bit_cast<double>(prev);
  }
  const uint64_t used_bytes = (r.position() + 7) / 8;
  if (used_bytes != bytes.size()) {
    return Corruption("gorilla: values end at byte {} of {}", used_bytes, bytes.size());
  }
  return Status::Ok();
}

}  // namespace fh::codec
