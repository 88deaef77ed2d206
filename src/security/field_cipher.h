// Field-level encryption of sensitive catalog values (customer and personnel fields the hub
// config names: docs/security.md#encryption-at-rest), with XChaCha20-Poly1305 (libsodium).
//
// Envelope keys: each value is encrypted with a data key (DEK) that has an id; the data keys
// are stored in the database only wrapped (encrypted) with the master key, which lives in a
// 0600 file or an environment variable, never in the database. A copy of the database alone
// reads no protected value.
//
// A value's nonce is a keyed hash (BLAKE2b, a key derived from the data key) of the field
// and the plaintext: the same value of the same field encrypts to the same text under one
// data key. That keyed hash, stored with the value, is what keeps encrypted fields usable by
// equality (a lookup encrypts the value it looks for under each live key and compares) and
// keeps re-imports idempotent (an unchanged record stores the same text). It tells which
// rows share a value, as any equality index would, and nothing more. The field's name is the
// AEAD's associated data: a value moved to another column fails to decrypt.
//
// Stored form: "fhenc1:<key id>:<base64 of nonce(24) || ciphertext || tag(16)>".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::security {

using SecretKey = std::array<uint8_t, 32>;

inline constexpr std::string_view kEncryptedPrefix = "fhenc1:";

// A data key wrapped with the master key: nonce(24) || ciphertext || tag, bound to its id.
std::string WrapKey(const SecretKey& master, int64_t id, const SecretKey& key);
Result<SecretKey> UnwrapKey(const SecretKey& master, int64_t id, std::string_view wrapped);
SecretKey RandomKey();
// The master key from text: 64 hex digits (what `keys init` writes and an environment variable
// holds), or 32 raw bytes.
Result<SecretKey> ParseMasterKey(std::string_view text, std::string_view where);

class FieldCipher {
 public:
  // `keys`: every live data key by id; `active`: the one new values are encrypted with.
  FieldCipher(std::map<int64_t, SecretKey> keys, int64_t active);
  ~FieldCipher();
  FieldCipher(const FieldCipher&) = delete;
  FieldCipher& operator=(const FieldCipher&) = delete;

  int64_t active() const { return active_; }
  // `field`: "<entity>.<field>", the associated data.
  std::string Encrypt(std::string_view field, std::string_view plaintext) const;
  // The plaintext of a stored value; a value without the prefix is returned as it is (stored
  // before the field was protected). Corruption when it does not decrypt (changed, moved to
  // another field, or its key is gone).
  Result<std::string> Decrypt(std::string_view field, std::string_view stored) const;
  // What `plaintext` is stored as under each live key, and as itself (not yet encrypted):
  // the forms an equality lookup compares with.
  std::vector<std::string> EqualForms(std::string_view field, std::string_view plaintext) const;
  // The key id a stored value was encrypted with; nullopt for a value stored in clear.
  static std::optional<int64_t> KeyIdOf(std::string_view stored);
  static bool IsEncrypted(std::string_view stored) { return stored.starts_with(kEncryptedPrefix); }

 private:
  std::string EncryptWith(int64_t id, std::string_view field, std::string_view plaintext) const;
  std::map<int64_t, SecretKey> keys_;
  int64_t active_;
};

}  // namespace fh::security
