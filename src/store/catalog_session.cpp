#include "store/catalog_session.h"

#include <optional>

#include "store/access/access_store.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog/catalog.h"
#include "store/catalog/text_samples.h"
#include "store/governance/governance_store.h"
#include "store/keys/field_protection.h"
#include "store/models/alarm_store.h"
#include "store/models/model_store.h"
#include "store/models/spc_limit_store.h"
#include "store/records/entity_writer.h"
#include "store/records/hub_lookups.h"
#include "store/records/record_query.h"
#include "store/share/share_store.h"
#include "store/sqlite/db.h"
#include "store/sync/change_capture.h"
#include "store/sync/sync_site_store.h"

namespace fh {

struct CatalogSession::Stores {
  std::optional<Catalog> catalog;
  std::optional<GovernanceStore> governance;
  std::optional<RefResolver> refs;
  std::optional<RecordStore> records;
  std::optional<TextSampleStore> text_samples;
  std::optional<ModelStore> models;
  std::optional<AlarmStore> alarms;
  std::optional<SpcLimitStore> spc_limits;
  std::optional<AccessStore> access;
  std::optional<AuditLedger> audit;
  std::optional<ShareStore> shares;
  std::optional<SyncSiteStore> sync_sites;
  std::optional<ChangeLog> change_log;
  std::optional<HubLookups> lookups;
};

namespace {

template <typename T, typename... Args>
T& Lazy(std::optional<T>& slot, Args&&... args) {
  if (!slot) slot.emplace(std::forward<Args>(args)...);
  return *slot;
}

}  // namespace

CatalogSession::CatalogSession(std::mutex& mutex, sqlite::Db& db, Storage& storage,
                               FieldProtection* protection)
    : lock_(mutex),
      db_(&db),
      storage_(&storage),
      protection_(protection),
      stores_(std::make_unique<Stores>()) {}

CatalogSession::CatalogSession(CatalogSession&&) noexcept = default;
CatalogSession::~CatalogSession() {
  stores_.reset();  // statements go before the lock is released
}

Catalog& CatalogSession::catalog() {
  return Lazy(stores_->catalog, *db_, protection_);
}
GovernanceStore& CatalogSession::governance() {
  return Lazy(stores_->governance, *db_);
}
RefResolver& CatalogSession::refs() {
  return Lazy(stores_->refs, *db_);
}
RecordStore& CatalogSession::records() {
  return Lazy(stores_->records, *db_, protection_);
}
TextSampleStore& CatalogSession::text_samples() {
  return Lazy(stores_->text_samples, *db_);
}
ModelStore& CatalogSession::models() {
  return Lazy(stores_->models, *db_);
}
AlarmStore& CatalogSession::alarms() {
  return Lazy(stores_->alarms, *db_);
}
SpcLimitStore& CatalogSession::spc_limits() {
  return Lazy(stores_->spc_limits, *db_);
}
AccessStore& CatalogSession::access() {
  return Lazy(stores_->access, *db_);
}
AuditLedger& CatalogSession::audit() {
  return Lazy(stores_->audit, *db_);
}
ShareStore& CatalogSession::shares() {
  return Lazy(stores_->shares, *db_);
}
SyncSiteStore& CatalogSession::sync_sites() {
  return Lazy(stores_->sync_sites, *db_);
}
ChangeLog& CatalogSession::change_log() {
  return Lazy(stores_->change_log, *db_);
}

govern::Lookups& CatalogSession::lookups() {
  if (!stores_->lookups) stores_->lookups.emplace(*db_, catalog(), refs(), *storage_);
  return *stores_->lookups;
}

Result<std::unique_ptr<EntityWriter>> CatalogSession::NewEntityWriter(
    const govern::EntityDef& entity, std::span<const govern::FieldDef> attributes) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<EntityWriter> w,
                      EntityWriter::Make(*db_, catalog(), refs(), entity, attributes));
  if (protection_ != nullptr && protection_->enabled()) {
    std::vector<std::string> protected_fields(entity.fields.size());
    bool any = false;
    for (size_t i = 0; i < entity.fields.size(); ++i) {
      if (!protection_->Protects(entity.name, entity.fields[i].name)) continue;
      FH_RETURN_IF_ERROR(FieldProtection::CheckField(entity, entity.fields[i].name));
      protected_fields[i] = fmt::format("{}.{}", entity.name, entity.fields[i].name);
      any = true;
    }
    if (any) {
      FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, protection_->Cipher(*db_));
      w->Protect(cipher, std::move(protected_fields));
    }
  }
  return w;
}

namespace {

Status Unprotected() {
  return FailedPrecondition(
      "this hub encrypts no field: name them in factoryhub.yaml (encryption: fields: "
      "[customer.name, personnel.name]) first");
}

}  // namespace

Result<std::vector<StoredFieldKey>> CatalogSession::FieldKeys() {
  if (protection_ == nullptr) return Unprotected();
  FH_RETURN_IF_ERROR(protection_->Cipher(*db_).status());  // the first key, when none yet
  return FieldKeyStore(*db_).List();
}

Result<FieldKeyRotation> CatalogSession::RotateFieldKeys(int64_t now) {
  if (protection_ == nullptr) return Unprotected();
  return fh::RotateFieldKeys(*db_, *protection_, now);
}

Status CatalogSession::RewrapFieldKeys(const std::array<uint8_t, 32>& new_master) {
  if (protection_ == nullptr) return Unprotected();
  return fh::RewrapFieldKeys(*db_, *protection_, new_master);
}

Result<UnitOfWork> CatalogSession::Begin() {
  FH_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  return UnitOfWork(std::make_unique<sqlite::Transaction>(std::move(txn)));
}

BulkWriteScope CatalogSession::BulkWrite() {
  return BulkWriteScope(*db_);
}

Result<int> CatalogSession::SchemaVersion() {
  return sqlite::SchemaVersion(*db_);
}

UnitOfWork::UnitOfWork(std::unique_ptr<sqlite::Transaction> txn) : txn_(std::move(txn)) {}
UnitOfWork::UnitOfWork(UnitOfWork&&) noexcept = default;
UnitOfWork::~UnitOfWork() = default;

Status UnitOfWork::Commit() {
  return txn_->Commit();
}

}  // namespace fh
