#include "security/api_token.h"

#include <sodium.h>

#include "security/sodium_init.h"

namespace fh::security {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

NewToken GenerateToken() {
  EnsureSodium();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  NewToken t;
  t.secret = std::string(kTokenPrefix) +
             Hex(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  sodium_memzero(raw, sizeof raw);
  t.hash = TokenHash(t.secret);
  t.display = t.secret.substr(0, kTokenPrefix.size() + 8) + "…";
  return t;
}

std::string TokenHash(std::string_view token) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

bool LooksLikeToken(std::string_view text) {
  if (text.size() != kTokenLength || text.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  for (char c : text.substr(kTokenPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace fh::security
