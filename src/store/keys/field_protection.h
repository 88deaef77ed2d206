// Encryption at rest of the catalog fields factoryhub.yaml names (encryption.fields): the
// master key (an environment variable or a 0600 file, never the database), the wrapped data
// keys (table field_key), and the FieldCipher they make (security/field_cipher.h), loaded on
// first use and shared by the hub's sessions. Rotation (`factoryhub keys rotate`) adds a data
// key, re-encrypts every protected value with it in small transactions (the hub keeps
// serving), and drops the old key once no value uses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "security/field_cipher.h"
#include "store/hub.h"

namespace fh {

namespace sqlite {
class Db;
}
namespace govern {
struct EntityDef;
}

struct StoredFieldKey {
  int64_t id = 0;
  std::string wrapped;
  int64_t created_at = 0;
  std::optional<int64_t> retired_at;
};

class FieldProtection {
 public:
  FieldProtection(std::filesystem::path hub_dir, EncryptionConfig config);

  bool enabled() const { return !config_.fields.empty(); }
  const std::filesystem::path& hub_dir() const { return hub_dir_; }
  const EncryptionConfig& config() const { return config_; }
  // The associated data of `entity`'s field `field` ("customer.name") when it is protected.
  bool Protects(std::string_view entity, std::string_view field) const;
  // The cipher: loads the master key and the data keys on first use, creating the first data
  // key in `db` when there is none, and again when another process rotated them. FailedPrecondition
  // saying where the master key was looked for when it is missing; InvalidArgument when it opens
  // none of the data keys.
  Result<const security::FieldCipher*> Cipher(sqlite::Db& db);
  // Forgets the loaded keys (after a rotation: the next Cipher() reads them again).
  void Reset();
  // Every protected field must be a text column of its entity and not part of its key.
  static Status CheckField(const govern::EntityDef& entity, std::string_view field);

 private:
  const std::filesystem::path hub_dir_;
  const EncryptionConfig config_;
  std::mutex mu_;
  std::unique_ptr<security::FieldCipher> cipher_;
  std::string loaded_;  // the key table's signature when cipher_ was made
};

// What a rotation did.
struct FieldKeyRotation {
  int64_t new_key = 0;
  int64_t values = 0;            // re-encrypted (or encrypted for the first time)
  std::vector<int64_t> retired;  // kept until no value uses them (a server that had not
                                 // seen the new key yet may still write with them)
  std::vector<int64_t> dropped;  // retired earlier and used by no value: gone
};

// Adds a data key and re-encrypts every protected value with it, 1,000 rows a transaction
// (writers go on meanwhile; a row changed in between is left to them, already under a live
// key); values stored in clear before the field was protected are encrypted too.
Result<FieldKeyRotation> RotateFieldKeys(sqlite::Db& db, FieldProtection& protection, int64_t now);
// Wraps every data key again with `new_master` (they must open with the current one): the
// master key changes, no value does. The caller then puts the new key where the
// configuration points.
Status RewrapFieldKeys(sqlite::Db& db, FieldProtection& protection,
                       const security::SecretKey& new_master);

// Writes a new random master key (64 hex digits and a newline) to `path`, 0600 in a 0700
// folder; AlreadyExists when there is one (a hub keeps its master key).
Status CreateMasterKeyFile(const std::filesystem::path& path);

// The master key as the configuration says where it is.
Result<security::SecretKey> LoadMasterKey(const std::filesystem::path& hub_dir,
                                          const EncryptionConfig& config);

// The field_key table.
class FieldKeyStore {
 public:
  explicit FieldKeyStore(sqlite::Db& db) : db_(db) {}
  Result<std::vector<StoredFieldKey>> List();  // oldest first
  Result<int64_t> Add(const security::SecretKey& master, int64_t now);
  Status Retire(int64_t id, int64_t now);
  Status Drop(int64_t id);
  Status Rewrap(int64_t id, std::string_view wrapped);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
