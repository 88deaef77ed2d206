#include "store/keys/field_protection.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/time.h"
#include "govern/entity_schema.h"
#include "security/api_token.h"
#include "store/sqlite/db.h"

namespace fh {

namespace fs = std::filesystem;

FieldProtection::FieldProtection(fs::path hub_dir, EncryptionConfig config)
    : hub_dir_(std::move(hub_dir)), config_(std::move(config)) {}

bool FieldProtection::Protects(std::string_view entity, std::string_view field) const {
  for (const std::string& f : config_.fields) {
    if (f.size() == entity.size() + 1 + field.size() && f.starts_with(entity) &&
        f[entity.size()] == '.' && std::string_view(f).substr(entity.size() + 1) == field) {
      return true;
    }
  }
  return false;
}

Status FieldProtection::CheckField(const govern::EntityDef& entity, std::string_view field) {
  const govern::FieldDef* f = entity.FindField(field);
  if (f == nullptr)
    return InvalidArgument("encryption.fields: {} has no field '{}'", entity.name, field);
  if (f->type != govern::FieldType::kText) {
    return InvalidArgument("encryption.fields: {}.{} is not a text field", entity.name, field);
  }
  for (std::string_view k : entity.key) {
    if (k == field) {
      return InvalidArgument(
          "encryption.fields: {}.{} is the record's key, which other records refer to: it stays "
          "in clear (encrypt descriptive fields such as name)",
          entity.name, field);
    }
  }
  if (field == entity.ref_key) {
    return InvalidArgument("encryption.fields: {}.{} is how other records refer to it", entity.name,
                           field);
  }
  return Status::Ok();
}

Status CreateMasterKeyFile(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::permissions(path.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return AlreadyExists(
          "{} exists: a hub keeps its master key (keys rotate --master to change it)",
          path.string());
    }
    return IOError("cannot create {}: {}", path.string(), std::strerror(errno));
  }
  const std::string line = security::Hex(security::RandomKey()) + "\n";
  const bool ok =
      write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) return IOError("cannot write {}", path.string());
  return Status::Ok();
}

Result<security::SecretKey> LoadMasterKey(const fs::path& hub_dir, const EncryptionConfig& config) {
  if (!config.key_env.empty()) {
    const char* value = std::getenv(config.key_env.c_str());
    if (value == nullptr) {
      return FailedPrecondition("encryption: the master key is to come from ${}, which is not set",
                                config.key_env);
    }
    return security::ParseMasterKey(value, "$" + config.key_env);
  }
  const fs::path path = config.key_file.empty() || config.key_file.front() == '/'
                            ? fs::path(config.key_file)
                            : hub_dir / config.key_file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FailedPrecondition(
        "encryption: no master key at {} (factoryhub keys init, or encryption.key_env)",
        path.string());
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return FailedPrecondition("encryption: {} is readable by others (mode {:o}): chmod 600 it",
                              path.string(), st.st_mode & 0777);
  }
  std::stringstream text;
  text << in.rdbuf();
  return security::ParseMasterKey(text.str(), path.string());
}

namespace {

// Which data keys there are: another process's rotation changes it.
Result<std::string> KeyTableSignature(sqlite::Db& db) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db.Cached("SELECT ifnull(max(id), 0), count(*), count(retired_at) FROM "
                                "field_key"));
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::string sig = row ? fmt::format("{}/{}/{}", st->Int(0), st->Int(1), st->Int(2)) : "";
  st->Reset();
  return sig;
}

}  // namespace

Result<const security::FieldCipher*> FieldProtection::Cipher(sqlite::Db& db) {
  std::lock_guard<std::mutex> lock(mu_);
  FH_ASSIGN_OR_RETURN(const std::string signature, KeyTableSignature(db));
  if (cipher_ && signature == loaded_) return cipher_.get();
  FH_ASSIGN_OR_RETURN(security::SecretKey master, LoadMasterKey(hub_dir_, config_));
  FieldKeyStore store(db);
  FH_ASSIGN_OR_RETURN(std::vector<StoredFieldKey> stored, store.List());
  if (stored.empty()) {
    FH_RETURN_IF_ERROR(store.Add(master, NowNs()).status());
    FH_ASSIGN_OR_RETURN(stored, store.List());
  }
  std::map<int64_t, security::SecretKey> keys;
  int64_t active = 0;
  for (const StoredFieldKey& k : stored) {
    FH_ASSIGN_OR_RETURN(keys[k.id], security::UnwrapKey(master, k.id, k.wrapped));
    if (!k.retired_at) active = k.id;
  }
  if (active == 0) active = stored.back().id;
  cipher_ = std::make_unique<security::FieldCipher>(std::move(keys), active);
  FH_ASSIGN_OR_RETURN(loaded_, KeyTableSignature(db));
  return cipher_.get();
}

void FieldProtection::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  cipher_.reset();
}

Result<FieldKeyRotation> RotateFieldKeys(sqlite::Db& db, FieldProtection& protection, int64_t now) {
  FH_ASSIGN_OR_RETURN(const security::SecretKey master,
                      LoadMasterKey(protection.hub_dir(), protection.config()));
  FieldKeyRotation out;
  FieldKeyStore keys(db);
  FH_ASSIGN_OR_RETURN(const std::vector<StoredFieldKey> before, keys.List());
  {
    FH_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
    for (const StoredFieldKey& k : before) {
      if (k.retired_at) continue;
      FH_RETURN_IF_ERROR(keys.Retire(k.id, now));
      out.retired.push_back(k.id);
    }
    FH_ASSIGN_OR_RETURN(out.new_key, keys.Add(master, now));
    FH_RETURN_IF_ERROR(txn.Commit());
  }
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, protection.Cipher(db));
  std::map<int64_t, int64_t> uses;  // retired key → values still under it
  for (const std::string& name : protection.config().fields) {
    const size_t dot = name.find('.');
    const govern::EntityDef* entity = govern::FindEntity(name.substr(0, dot));
    if (entity == nullptr) return InvalidArgument("encryption.fields: no entity in '{}'", name);
    const std::string field = name.substr(dot + 1);
    FH_RETURN_IF_ERROR(FieldProtection::CheckField(*entity, field));
    const std::string_view column = entity->FindField(field)->column;
    int64_t after = 0;
    while (true) {
      FH_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
      FH_ASSIGN_OR_RETURN(sqlite::Stmt read,
                          db.Prepare(fmt::format("SELECT id, {0} FROM {1} WHERE id > ?1 AND {0} "
                                                 "IS NOT NULL ORDER BY id LIMIT 1000",
                                                 column, entity->table)));
      FH_ASSIGN_OR_RETURN(
          sqlite::Stmt write,
          db.Prepare(fmt::format("UPDATE {1} SET {0} = ?2 WHERE id = ?1 AND {0} = ?3", column,
                                 entity->table)));
      read.Bind(1, after);
      int64_t rows = 0;
      while (true) {
        FH_ASSIGN_OR_RETURN(bool row, read.Step());
        if (!row) break;
        ++rows;
        after = read.Int(0);
        const std::string stored(read.Text(1));
        if (security::FieldCipher::KeyIdOf(stored) == out.new_key) continue;
        FH_ASSIGN_OR_RETURN(const std::string plain, cipher->Decrypt(name, stored));
        write.Bind(1, after).Bind(2, cipher->Encrypt(name, plain)).Bind(3, stored);
        FH_RETURN_IF_ERROR(write.Run());
        write.Reset();
        ++out.values;
      }
      FH_RETURN_IF_ERROR(txn.Commit());
      if (rows < 1000) break;
    }
    for (const StoredFieldKey& k : before) {
      FH_ASSIGN_OR_RETURN(sqlite::Stmt count,
                          db.Prepare(fmt::format("SELECT count(*) FROM {} WHERE {} LIKE ?1",
                                                 entity->table, column)));
      count.Bind(1, fmt::format("{}{}:%", security::kEncryptedPrefix, k.id));
      FH_ASSIGN_OR_RETURN(bool row, count.Step());
      uses[k.id] += row ? count.Int(0) : 0;
    }
  }
  // Keys retired by an earlier rotation and used by no value go; this rotation's stay one
  // more round (a server may still be writing with them).
  for (const StoredFieldKey& k : before) {
    if (k.retired_at && uses[k.id] == 0) {
      FH_RETURN_IF_ERROR(keys.Drop(k.id));
      out.dropped.push_back(k.id);
    }
  }
  protection.Reset();
  return out;
}

Status RewrapFieldKeys(sqlite::Db& db, FieldProtection& protection,
                       const security::SecretKey& new_master) {
  FH_ASSIGN_OR_RETURN(const security::SecretKey master,
                      LoadMasterKey(protection.hub_dir(), protection.config()));
  FieldKeyStore keys(db);
  FH_ASSIGN_OR_RETURN(const std::vector<StoredFieldKey> stored, keys.List());
  FH_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
  for (const StoredFieldKey& k : stored) {
    FH_ASSIGN_OR_RETURN(security::SecretKey key, security::UnwrapKey(master, k.id, k.wrapped));
    FH_RETURN_IF_ERROR(keys.Rewrap(k.id, security::WrapKey(new_master, k.id, key)));
    key.fill(0);
  }
  FH_RETURN_IF_ERROR(txn.Commit());
  protection.Reset();
  return Status::Ok();
}

Result<std::vector<StoredFieldKey>> FieldKeyStore::List() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT id, wrapped, created_at, retired_at FROM field_key "
                                  "ORDER BY id"));
  std::vector<StoredFieldKey> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), std::string(st.Blob(1)), st.Int(2), st.OptInt(3)});
  }
  return out;
}

Result<int64_t> FieldKeyStore::Add(const security::SecretKey& master, int64_t now) {
  // The id is the wrapping's associated data: take it first.
  FH_ASSIGN_OR_RETURN(sqlite::Stmt next,
                      db_.Prepare("SELECT ifnull(max(id), 0) + 1 FROM field_key"));
  FH_ASSIGN_OR_RETURN(bool row, next.Step());
  const int64_t id = row ? next.Int(0) : 1;
  security::SecretKey key = security::RandomKey();
  const std::string wrapped = security::WrapKey(master, id, key);
  key.fill(0);
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("INSERT INTO field_key(id, wrapped, created_at) VALUES(?1, ?2, ?3)"));
  st.Bind(1, id).BindBlob(2, std::string_view(wrapped)).Bind(3, now);
  FH_RETURN_IF_ERROR(st.Run());
  return id;
}

Status FieldKeyStore::Retire(int64_t id, int64_t now) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("UPDATE field_key SET retired_at = ?2 WHERE id = ?1 AND "
                                  "retired_at IS NULL"));
  st.Bind(1, id).Bind(2, now);
  return st.Run();
}

Status FieldKeyStore::Drop(int64_t id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st, db_.Prepare("DELETE FROM field_key WHERE id = ?1"));
  st.Bind(1, id);
  return st.Run();
}

Status FieldKeyStore::Rewrap(int64_t id, std::string_view wrapped) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("UPDATE field_key SET wrapped = ?2 WHERE id = ?1"));
  st.Bind(1, id).BindBlob(2, wrapped);
  return st.Run();
}

}  // namespace fh
