#include "store/sqlite/migrations.h"

#include <array>

namespace fh::sqlite {

std::span<const Migration> HubMigrations() {
  static const std::array<Migration, 29> kAll = {kMigration0001Timeseries,
                                                 kMigration0002Model,
                                                 kMigration0003Governance,
                                                 kMigration0004SeriesLineage,
                                                 kMigration0005Models,
                                                 kMigration0006Alarms,
                                                 kMigration0007Multiclass,
                                                 kMigration0008WriteLog,
                                                 kMigration0009TextSamples,
                                                 kMigration0010QuarantineReasons,
                                                 kMigration0011ChunkSpans,
                                                 kMigration0012QuarantineResolution,
                                                 kMigration0013RecordWarnings,
                                                 kMigration0014Attributes,
                                                 kMigration0015StaleRecords,
                                                 kMigration0016Rework,
                                                 kMigration0017StateSpans,
                                                 kMigration0018SpcLimits,
                                                 kMigration0019AnomalyDetectors,
                                                 kMigration0020Shipments,
                                                 kMigration0021Access,
                                                 kMigration0022AuditLedger,
                                                 kMigration0023FieldKeys,
                                                 kMigration0024Shares,
                                                 kMigration0025People,
                                                 kMigration0026LastUse,
                                                 kMigration0027SyncSites,
                                                 kMigration0028SyncRecords,
                                                 kMigration0029ModelPreprocessing};
  return kAll;
}

std::span<const Migration> EventsMigrations() {
  static const std::array<Migration, 3> kAll = {
      kEventsMigration0001SpcEvents, kEventsMigration0002Alarms, kEventsMigration0003SyncAlarms};
  return kAll;
}

}  // namespace fh::sqlite
