// Helpers of the OPC UA protocol tests: bytes written out by hand as hex, and encoding a
// value into a fresh buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "connect/opcua/ua_binary.h"

namespace fh::opcua::test_bytes {

// "01 00 d2 08" → {0x01, 0x00, 0xD2, 0x08}; spaces and newlines are ignored.
inline std::vector<uint8_t> HexBytes(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    const int v = HexDigitValue(c);
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

inline std::string ToHex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

// The bytes Write(w, value) produces.
template <typename T>
std::vector<uint8_t> Encoded(const T& value) {
  std::vector<uint8_t> out;
  Writer w(&out);
  if constexpr (std::is_same_v<decltype(Write(w, value)), void>) {
    Write(w, value);
  } else {
    Status s = Write(w, value);
    if (!s.ok()) out.clear();
  }
  return out;
}

}  // namespace fh::opcua::test_bytes
