#include "store/catalog_session.h"

#include <optional>

#include "store/access/access_store.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog/catalog.h"
#include "store/catalog/text_samples.h"
#include "store/governance/governance_store.h"
#include "store/models/alarm_store.h"
#include "store/models/model_store.h"
#include "store/models/spc_limit_store.h"
#include "store/records/entity_writer.h"
#include "store/records/hub_lookups.h"
#include "store/records/record_query.h"
#include "store/sqlite/db.h"

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
  std::optional<HubLookups> lookups;
};

namespace {

template <typename T, typename... Args>
T& Lazy(std::optional<T>& slot, Args&&... args) {
  if (!slot) slot.emplace(std::forward<Args>(args)...);
  return *slot;
}

}  // namespace

CatalogSession::CatalogSession(std::mutex& mutex, sqlite::Db& db, Storage& storage)
    : lock_(mutex), db_(&db), storage_(&storage), stores_(std::make_unique<Stores>()) {}

CatalogSession::CatalogSession(CatalogSession&&) noexcept = default;
CatalogSession::~CatalogSession() {
  stores_.reset();  // statements go before the lock is released
}

Catalog& CatalogSession::catalog() {
  return Lazy(stores_->catalog, *db_);
}
GovernanceStore& CatalogSession::governance() {
  return Lazy(stores_->governance, *db_);
}
RefResolver& CatalogSession::refs() {
  return Lazy(stores_->refs, *db_);
}
RecordStore& CatalogSession::records() {
  return Lazy(stores_->records, *db_);
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

govern::Lookups& CatalogSession::lookups() {
  if (!stores_->lookups) stores_->lookups.emplace(*db_, catalog(), refs(), *storage_);
  return *stores_->lookups;
}

Result<std::unique_ptr<EntityWriter>> CatalogSession::NewEntityWriter(
    const govern::EntityDef& entity, std::span<const govern::FieldDef> attributes) {
  return EntityWriter::Make(*db_, catalog(), refs(), entity, attributes);
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
