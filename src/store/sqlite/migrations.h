// The hub database's schema, as an ordered list of migrations. Never edit a migration
// that has shipped: add a new one.
#pragma once

#include <span>

#include "store/sqlite/db.h"

namespace fh::sqlite {

// 0001: tags and time-series storage (chunks, row buffer). See migration_0001_timeseries.cpp.
extern const Migration kMigration0001Timeseries;
// 0002: the canonical model (ISA-95 hierarchy, materials, orders, quality, lots, people)
// and lineage. See migration_0002_model.cpp.
extern const Migration kMigration0002Model;
// 0003: governance of imports (mapping versions, quarantine, batch checks) and the BOM.
extern const Migration kMigration0003Governance;
// 0004: lineage of time series (which batch stored which points of a tag).
extern const Migration kMigration0004SeriesLineage;
// 0005: the model registry.
extern const Migration kMigration0005Models;
// 0006: alarms raised by models.
extern const Migration kMigration0006Alarms;
// 0007: multi-class models and their alarms.
extern const Migration kMigration0007Multiclass;
// 0008: the time-series store's write log.
extern const Migration kMigration0008WriteLog;
// 0009: text values (line protocol's string fields). See migration_0009_text_samples.cpp.
extern const Migration kMigration0009TextSamples;
// 0010: quarantine reasons stored once, shared by the records they reject.
extern const Migration kMigration0010QuarantineReasons;
// 0011: an index of chunk spans and counts, so that counting points reads no chunk data.
extern const Migration kMigration0011ChunkSpans;
// 0012: quarantine entries resolved or dismissed by a person, with the reason and time.
extern const Migration kMigration0012QuarantineResolution;
// 0013: the records each batch stored with a warning, and why.
extern const Migration kMigration0013RecordWarnings;
// 0014: custom attributes of entity records, declared by mappings.
extern const Migration kMigration0014Attributes;
// 0015: batches count stale records (older than the stored version) apart.
extern const Migration kMigration0015StaleRecords;
extern const Migration kMigration0016Rework;
extern const Migration kMigration0017StateSpans;
extern const Migration kMigration0018SpcLimits;
// 0019: anomaly detectors in the model registry (the task 'anomaly').
extern const Migration kMigration0019AnomalyDetectors;
// 0020: shipments of lots to customers; covering indexes for tracing genealogy.
extern const Migration kMigration0020Shipments;
// 0021: users and API tokens (access control).
extern const Migration kMigration0021Access;
// 0022: the audit ledger (RFC 9162 Merkle tree, signed tree heads).
extern const Migration kMigration0022AuditLedger;
// 0023: the wrapped data keys of encrypted fields (encryption at rest).
extern const Migration kMigration0023FieldKeys;
// 0024: revoked sharing agreements, and the records partners shared.
extern const Migration kMigration0024Shares;
// 0025: people as an HR export has them: personnel class, shift and home line; the
// operations a qualification allows; certificate numbers.
extern const Migration kMigration0025People;
// 0026: when a token was last used, when a user last signed in.
extern const Migration kMigration0026LastUse;
// 0027: a central hub's record of the edge hubs forwarding to it.
extern const Migration kMigration0027SyncSites;
// 0028: forwarding records: an edge's changed rows, a central hub's mirrored batches.
extern const Migration kMigration0028SyncRecords;
// 0029: a model's learned preprocessing.
extern const Migration kMigration0029ModelPreprocessing;

std::span<const Migration> HubMigrations();

// The live events database (events.db), apart from the hub database so that a storm of
// events never holds the write lock the points' writes need.
// 0001: SPC episodes. See events_migration_0001_spc_events.cpp.
extern const Migration kEventsMigration0001SpcEvents;
// 0002: the alarm journal, alarm states and operators' actions.
extern const Migration kEventsMigration0002Alarms;
// 0003: a central hub's mark of each edge site's alarm events applied.
extern const Migration kEventsMigration0003SyncAlarms;
std::span<const Migration> EventsMigrations();

}  // namespace fh::sqlite
