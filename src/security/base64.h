// Base64 (RFC 4648) through libsodium, in its two alphabets: the standard one with padding
// (what other tools read: share packages), and the URL-safe one without (cookies, stored
// field values).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fh::security {

enum class Base64Alphabet { kStandard, kUrlSafe };

std::string Base64(std::string_view bytes, Base64Alphabet alphabet);
// nullopt when `text` is not base64 of that alphabet.
std::optional<std::string> FromBase64(std::string_view text, Base64Alphabet alphabet);

}  // namespace fh::security
