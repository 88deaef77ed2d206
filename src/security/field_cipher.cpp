#include "security/field_cipher.h"

#include <sodium.h>

#include <charconv>

#include "security/base64.h"
#include "security/sodium_init.h"

namespace fh::security {

namespace {

constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Seal(const SecretKey& key, const unsigned char* nonce, std::string_view ad,
                 std::string_view plaintext) {
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  std::copy(nonce, nonce + kNonce, out.begin());
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()) + kNonce,
                                             &len, U(plaintext), plaintext.size(), U(ad), ad.size(),
                                             nullptr, nonce, key.data());
  return out;
}

bool Open(const SecretKey& key, std::string_view ad, std::string_view sealed, std::string* out) {
  if (sealed.size() < kNonce + kTag) return false;
  out->assign(sealed.size() - kNonce - kTag, '\0');
  unsigned long long len = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             reinterpret_cast<unsigned char*>(out->data()), &len, nullptr, U(sealed) + kNonce,
             sealed.size() - kNonce, U(ad), ad.size(), U(sealed), key.data()) == 0;
}

std::string WrapAd(int64_t id) {
  return "factoryhub-field-key-v1:" + std::to_string(id);
}

}  // namespace

SecretKey RandomKey() {
  EnsureSodium();
  SecretKey k;
  randombytes_buf(k.data(), k.size());
  return k;
}

std::string WrapKey(const SecretKey& master, int64_t id, const SecretKey& key) {
  EnsureSodium();
  unsigned char nonce[kNonce];
  randombytes_buf(nonce, sizeof nonce);
  return Seal(master, nonce, WrapAd(id),
              std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

Result<SecretKey> UnwrapKey(const SecretKey& master, int64_t id, std::string_view wrapped) {
  EnsureSodium();
  std::string plain;
  if (!Open(master, WrapAd(id), wrapped, &plain) || plain.size() != 32) {
    return InvalidArgument(
        "data key {} does not open with this master key (another hub's key, or the key before a "
        "rotation)",
        id);
  }
  SecretKey k;
  std::copy(plain.begin(), plain.end(), k.begin());
  sodium_memzero(plain.data(), plain.size());
  return k;
}

Result<SecretKey> ParseMasterKey(std::string_view text, std::string_view where) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  SecretKey k;
  if (text.size() == 32) {
    std::copy(text.begin(), text.end(), k.begin());
    return k;
  }
  size_t len = 0;
  if (text.size() != 64 ||
      sodium_hex2bin(k.data(), k.size(), text.data(), text.size(), nullptr, &len, nullptr) != 0 ||
      len != k.size()) {
    return InvalidArgument("{}: a master key is 64 hex digits (factoryhub keys init)", where);
  }
  return k;
}

FieldCipher::FieldCipher(std::map<int64_t, SecretKey> keys, int64_t active)
    : keys_(std::move(keys)), active_(active) {
  EnsureSodium();
}

FieldCipher::~FieldCipher() {
  for (auto& [id, k] : keys_)
    sodium_memzero(k.data(), k.size());
}

std::string FieldCipher::EncryptWith(int64_t id, std::string_view field,
                                     std::string_view plaintext) const {
  const SecretKey& key = keys_.at(id);
  // The synthetic nonce: BLAKE2b-192 of field || 0 || plaintext under a key derived from the
  // data key for this purpose alone.
  unsigned char nonce_key[crypto_generichash_KEYBYTES];
  crypto_kdf_derive_from_key(nonce_key, sizeof nonce_key, 1, "fhnonce_", key.data());
  crypto_generichash_state st;
  crypto_generichash_init(&st, nonce_key, sizeof nonce_key, kNonce);
  crypto_generichash_update(&st, U(field), field.size());
  const unsigned char zero = 0;
  crypto_generichash_update(&st, &zero, 1);
  crypto_generichash_update(&st, U(plaintext), plaintext.size());
  unsigned char nonce[kNonce];
  crypto_generichash_final(&st, nonce, sizeof nonce);
  sodium_memzero(nonce_key, sizeof nonce_key);
  return fmt::format("{}{}:{}", kEncryptedPrefix, id,
                     Base64(Seal(key, nonce, field, plaintext), Base64Alphabet::kUrlSafe));
}

std::string FieldCipher::Encrypt(std::string_view field, std::string_view plaintext) const {
  return EncryptWith(active_, field, plaintext);
}

std::optional<int64_t> FieldCipher::KeyIdOf(std::string_view stored) {
  if (!IsEncrypted(stored)) return std::nullopt;
  stored.remove_prefix(kEncryptedPrefix.size());
  int64_t id = 0;
  auto [end, ec] = std::from_chars(stored.data(), stored.data() + stored.size(), id);
  if (ec != std::errc() || end == stored.data() + stored.size() || *end != ':') return std::nullopt;
  return id;
}

Result<std::string> FieldCipher::Decrypt(std::string_view field, std::string_view stored) const {
  if (!IsEncrypted(stored)) return std::string(stored);
  const std::optional<int64_t> id = KeyIdOf(stored);
  if (!id) return Corruption("{}: a malformed encrypted value", field);
  auto key = keys_.find(*id);
  if (key == keys_.end())
    return Corruption("{}: encrypted with data key {}, which is gone", field, *id);
  std::string plain;
  const std::string_view body = stored.substr(stored.find(':', kEncryptedPrefix.size()) + 1);
  const std::optional<std::string> sealed = FromBase64(body, Base64Alphabet::kUrlSafe);
  if (!sealed || !Open(key->second, field, *sealed, &plain)) {
    return Corruption(
        "{}: an encrypted value does not decrypt (changed, or moved from another field)", field);
  }
  return plain;
}

std::vector<std::string> FieldCipher::EqualForms(std::string_view field,
                                                 std::string_view plaintext) const {
  std::vector<std::string> forms{std::string(plaintext)};
  for (const auto& [id, key] : keys_)
    forms.push_back(EncryptWith(id, field, plaintext));
  return forms;
}

}  // namespace fh::security
