#include "security/sealed_box.h"

#include <sodium.h>

#include "security/api_token.h"
#include "security/key_file.h"
#include "security/sodium_init.h"

namespace fh::security {

Result<BoxKey> BoxKey::LoadOrCreate(const std::filesystem::path& path) {
  static_assert(crypto_box_SEEDBYTES == sizeof(KeySeed));
  FH_ASSIGN_OR_RETURN(KeySeed seed, LoadOrCreateKeySeed(path, "a box key"));
  BoxKey k;
  crypto_box_seed_keypair(k.public_.data(), k.secret_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return k;
}

BoxKey BoxKey::Generate() {
  EnsureSodium();
  BoxKey k;
  crypto_box_keypair(k.public_.data(), k.secret_.data());
  return k;
}

BoxKey::~BoxKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

BoxKey::BoxKey(BoxKey&& other) noexcept : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

BoxKey& BoxKey::operator=(BoxKey&& other) noexcept {
  secret_ = other.secret_;
  public_ = other.public_;
  sodium_memzero(other.secret_.data(), other.secret_.size());
  return *this;
}

Result<std::string> BoxKey::Open(std::string_view sealed) const {
  if (sealed.size() < crypto_box_SEALBYTES) {
    return InvalidArgument("a sealed box of {} bytes is too short", sealed.size());
  }
  std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                           reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                           public_.data(), secret_.data()) != 0) {
    return InvalidArgument("the package was not sealed to this hub's key, or was changed");
  }
  return plain;
}

std::string BoxKey::Pseudonym(std::string_view context, std::string_view text) const {
  // The pseudonym key: BLAKE2b of the context keyed with the secret.
  unsigned char key[crypto_generichash_KEYBYTES];
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(context.data()),
                     context.size(), secret_.data(), secret_.size());
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), key, sizeof key);
  sodium_memzero(key, sizeof key);
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string SealTo(const BoxPublicKey& recipient, std::string_view plaintext) {
  EnsureSodium();
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                  reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                  recipient.data());
  return sealed;
}

}  // namespace fh::security
