// API tokens for machines and scripts: 32 random bytes, written "fh_" + 64 hex digits, shown
// once when created and kept only as their SHA-256 (a token carries 256 bits of entropy, so
// a fast hash is as safe as a slow one and lets every request be checked in microseconds).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fh::security {

inline constexpr std::string_view kTokenPrefix = "fh_";
inline constexpr size_t kTokenLength = 3 + 64;

struct NewToken {
  std::string secret;   // what the user is shown, once
  std::string hash;     // TokenHash(secret): what the hub keeps
  std::string display;  // "fh_3f9a0c…": enough to tell tokens apart in a list
};
NewToken GenerateToken();

// The SHA-256 of `token`, 64 lowercase hex digits.
std::string TokenHash(std::string_view token);
// Whether `text` has a token's shape (checked before any lookup).
bool LooksLikeToken(std::string_view text);

// Lowercase hex of `bytes`.
std::string Hex(std::string_view bytes);
inline std::string Hex(std::span<const uint8_t> bytes) {
  return Hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace fh::security
