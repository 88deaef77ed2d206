#include "security/base64.h"

#include <sodium.h>

#include "security/sodium_init.h"

namespace fh::security {

namespace {

int Variant(Base64Alphabet a) {
  return a == Base64Alphabet::kStandard ? sodium_base64_VARIANT_ORIGINAL
                                        : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

}  // namespace

std::string Base64(std::string_view bytes, Base64Alphabet alphabet) {
  EnsureSodium();
  std::string out(sodium_base64_encoded_len(bytes.size(), Variant(alphabet)), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), Variant(alphabet));
  out.pop_back();  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text, Base64Alphabet alphabet) {
  EnsureSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, Variant(alphabet)) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace fh::security
