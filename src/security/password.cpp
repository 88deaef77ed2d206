#include "security/password.h"

#include <sodium.h>

#include "security/sodium_init.h"

namespace fh::security {
namespace {

// OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = size_t{19} << 20;

}  // namespace

Status CheckPasswordRules(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument("a password needs at least {} characters", kMinPasswordLength);
  }
  if (password.size() > kMaxPasswordLength) {
    return InvalidArgument("a password has at most {} characters", kMaxPasswordLength);
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  FH_RETURN_IF_ERROR(CheckPasswordRules(password));
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("hashing a password: out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (password.size() > kMaxPasswordLength || hash.size() >= crypto_pwhash_STRBYTES) return false;
  EnsureSodium();
  char stored[crypto_pwhash_STRBYTES] = {};
  hash.copy(stored, hash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

}  // namespace fh::security
