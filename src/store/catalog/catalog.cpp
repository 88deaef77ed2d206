#include "store/catalog/catalog.h"

#include "store/catalog/catalog_internal.h"
#include "store/keys/field_protection.h"
#include "store/sqlite/db.h"

namespace fh {

namespace catalog_internal {

namespace {
void BindLineageText(sqlite::Stmt& s, int& i, const std::string& v) {
  if (v.empty()) {
    s.BindNull(i++);
  } else {
    s.Bind(i++, std::string_view(v));
  }
}
}  // namespace

void BindValue(sqlite::Stmt& s, int& i, const Lineage& v) {
  BindLineageText(s, i, v.source_system);
  BindLineageText(s, i, v.source_object);
  s.Bind(i++, v.source_line);
  BindLineageText(s, i, v.mapping_version);
  s.Bind(i++, v.batch_id);
}

Lineage Row::ReadLineage() {
  Lineage l;
  l.source_system = OptText().value_or("");
  l.source_object = OptText().value_or("");
  l.source_line = OptInt();
  l.mapping_version = OptText().value_or("");
  l.batch_id = OptInt();
  return l;
}

Result<int64_t> ReturningId(sqlite::Stmt& s, std::string_view what) {
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status().WithContext(what);
  if (!*row) return Internal("{}: upsert returned no id", what);
  return s.Int(0);
}

Status RunStmt(sqlite::Stmt& s, std::string_view what) {
  Status st = s.Run();
  return st.ok() ? st : st.WithContext(what);
}

Result<Savepoint> Savepoint::Begin(sqlite::Db& db) {
  FH_RETURN_IF_ERROR(db.Exec("SAVEPOINT fh_catalog"));
  return Savepoint(&db);
}

Savepoint::~Savepoint() {
  // Best effort: the error that got us here is the one worth reporting.
  if (db_) (void)db_->Exec("ROLLBACK TO fh_catalog; RELEASE fh_catalog");
}

Status Savepoint::Release() {
  sqlite::Db* db = std::exchange(db_, nullptr);
  Status s = db->Exec("RELEASE fh_catalog");
  if (!s.ok()) (void)db->Exec("ROLLBACK TO fh_catalog; RELEASE fh_catalog");
  return s;
}

}  // namespace catalog_internal

using catalog_internal::CachedStmt;
using catalog_internal::ScopedStmt;

Catalog::Catalog(sqlite::Db& db, FieldProtection* protection) : protection_(protection), db_(db) {}

Result<std::string> Catalog::Sealed(std::string_view entity, std::string_view field,
                                    const std::string& text) {
  if (protection_ == nullptr || !protection_->Protects(entity, field)) return text;
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, protection_->Cipher(db_));
  return cipher->Encrypt(fmt::format("{}.{}", entity, field), text);
}

Status Catalog::Reveal(std::string_view entity, std::string_view field, std::string& text) {
  if (protection_ == nullptr || !security::FieldCipher::IsEncrypted(text)) return Status::Ok();
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, protection_->Cipher(db_));
  FH_ASSIGN_OR_RETURN(text, cipher->Decrypt(fmt::format("{}.{}", entity, field), text));
  return Status::Ok();
}

Status Catalog::Reveal(Customer& c) {
  FH_RETURN_IF_ERROR(Reveal("customer", "name", c.name));
  if (c.country) FH_RETURN_IF_ERROR(Reveal("customer", "country", *c.country));
  return Status::Ok();
}

Status Catalog::Reveal(Personnel& p) {
  return Reveal("personnel", "name", p.name);
}

Catalog::~Catalog() = default;

Result<ScopedStmt> Catalog::Statement(std::string_view sql) {
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    FH_ASSIGN_OR_RETURN(sqlite::Stmt stmt, db_.Prepare(sql));
    auto cached = std::make_unique<CachedStmt>();
    cached->stmt = std::move(stmt);
    it = stmts_.emplace(std::string(sql), std::move(cached)).first;
  }
  if (it->second->busy) return Internal("catalog: statement used re-entrantly: {}", sql);
  return ScopedStmt(it->second.get());
}

}  // namespace fh
