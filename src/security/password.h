// Passwords of people, kept as Argon2id hashes (libsodium's crypto_pwhash_str: the salt and
// parameters are in the string, "$argon2id$v=19$m=19456,t=2,p=1$..."), with OWASP's
// recommended cost: 19 MiB of memory, 2 passes, 1 lane. Checking one costs tens of
// milliseconds on purpose: callers on a hot path cache what they verified (api/access).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::security {

inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 1024;  // bounded work for whoever sends one

// InvalidArgument, saying why, for a password too short or too long.
Status CheckPasswordRules(std::string_view password);
// The Argon2id hash string of `password` (after CheckPasswordRules).
Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches `hash` (a string HashPassword made); false for anything else.
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace fh::security
