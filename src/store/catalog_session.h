// CatalogSession: the use of the hub's relational store — the canonical model, governance
// (quarantine, batches, check counts), stored records, text samples, models and alarms —
// by one caller at a time. The hub has one connection to it; a session holds it from
// Hub::OpenCatalog() until the session is destroyed, so callers never lock anything
// themselves and never see the connection. Keep a session short on a server: every other
// reader and writer of the catalog waits for it.
//
// The stores a session hands out are valid while it lives. Several changes that must be
// kept together go in a UnitOfWork (Begin()).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "common/status.h"
#include "store/bulk_write_scope.h"
#include "store/unit_of_work.h"

namespace fh {

namespace sqlite {
class Db;
}
namespace govern {
class Lookups;
struct EntityDef;
struct FieldDef;
}  // namespace govern

class AccessStore;
struct StoredFieldKey;
struct FieldKeyRotation;
class FieldProtection;
class AuditLedger;
class AlarmStore;
class SpcLimitStore;
class Catalog;
class EntityWriter;
class GovernanceStore;
class ModelStore;
class RecordStore;
class RefResolver;
class ShareStore;
class Storage;
class TextSampleStore;
class SyncSiteStore;
class ChangeLog;

class CatalogSession {
 public:
  CatalogSession(CatalogSession&&) noexcept;
  CatalogSession& operator=(CatalogSession&&) = delete;
  ~CatalogSession();

  Catalog& catalog();
  GovernanceStore& governance();
  RefResolver& refs();
  RecordStore& records();
  TextSampleStore& text_samples();
  ModelStore& models();
  AlarmStore& alarms();
  SpcLimitStore& spc_limits();
  AccessStore& access();        // users and API tokens
  AuditLedger& audit();         // the tamper-evident audit ledger
  ShareStore& shares();         // revoked agreements, records partners shared
  SyncSiteStore& sync_sites();  // on a central hub: the edge hubs forwarding to it
  ChangeLog& change_log();      // on an edge hub: rows written, not yet queued for it
  // The hub's encrypted fields (store/keys/field_protection.h); null on a hub without.
  FieldProtection* field_protection() { return protection_; }
  // Encryption at rest's keys (store/keys/field_protection.h): FailedPrecondition on a hub
  // whose factoryhub.yaml protects no field.
  Result<std::vector<StoredFieldKey>> FieldKeys();
  Result<FieldKeyRotation> RotateFieldKeys(int64_t now);
  Status RewrapFieldKeys(const std::array<uint8_t, 32>& new_master);
  // Rules' questions (does a reference exist, a series' last time) answered from the hub.
  govern::Lookups& lookups();
  // A writer of records of `entity` (store/records/entity_writer.h), valid while the session
  // lives; `attributes` must outlive it.
  Result<std::unique_ptr<EntityWriter>> NewEntityWriter(
      const govern::EntityDef& entity, std::span<const govern::FieldDef> attributes = {});

  // Starts a unit of work: what the session's stores change until its Commit() is kept
  // together, or rolled back.
  Result<UnitOfWork> Begin();
  // Settings for one large write (store/bulk_write_scope.h); outside a unit of work.
  BulkWriteScope BulkWrite();
  // The schema version the hub's database is at (its migrations).
  Result<int> SchemaVersion();

 private:
  friend class Hub;
  friend struct CatalogSessionTestAccess;  // white-box tests of the SQLite back end
  CatalogSession(std::mutex& mutex, sqlite::Db& db, Storage& storage,
                 FieldProtection* protection = nullptr);

  struct Stores;  // created on first use
  std::unique_lock<std::mutex> lock_;
  sqlite::Db* db_;
  Storage* storage_;
  FieldProtection* protection_;
  std::unique_ptr<Stores> stores_;
};

}  // namespace fh
