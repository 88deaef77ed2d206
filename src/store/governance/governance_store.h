// GovernanceStore: the governance tables of the hub (migration 0003): mapping versions,
// quarantined records and per-batch check counts. SQL only; the import job decides what
// to write. Reached through a CatalogSession (store/catalog_session.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/mapping.h"
#include "govern/rule_checker.h"
#include "govern/violation.h"

namespace fh::sqlite {
class Db;
}

namespace fh {

struct MappingVersion {
  std::string name;
  int64_t version = 0;
  bool created = false;  // RegisterMapping stored this version now (the text is new)
  std::string digest;    // the text's digest, as stored
  std::string label() const { return name + "@" + std::to_string(version); }
};

// A record stored with warnings (rules of severity warn that it failed).
struct RecordWarning {
  int64_t batch_id = 0;
  std::optional<int64_t> source_line;
  std::optional<std::string> record_key;
  std::vector<govern::Violation> reasons;
};

// A quarantined record as stored.
struct QuarantinedRecord {
  int64_t id = 0;
  int64_t batch_id = 0;
  std::string mapping_name;
  std::string entity;
  std::string source_system;
  std::string source_object;
  std::optional<int64_t> source_line;
  std::optional<int64_t> source_offset;
  std::vector<std::string> columns;
  std::vector<std::optional<std::string>> fields;
  std::string raw;
  std::vector<govern::Violation> reasons;
  std::optional<std::string> record_key;
  std::string status;  // open, replayed, resolved, dismissed
  std::optional<int64_t> resolved_batch_id;
  int64_t created_at = 0;
  std::optional<std::string> resolution;  // why a person resolved or dismissed it
  std::optional<int64_t> resolved_at;     // when they did
  // Source columns holding personal data (the mapping's `personal:` fields): lists and
  // exports mask their values unless asked not to.
  std::vector<std::string> personal_columns;
};

struct QuarantineFilter {
  std::optional<int64_t> batch_id;
  std::string mapping_name;     // empty: any
  std::string status = "open";  // empty: any
  int64_t limit = 1000;
};

// A mapping that has imported batches, and what it imports.
struct GovernedMapping {
  std::string mapping;
  std::string entity;
  std::string source_system;
};

// An import batch's counts as recorded when it finished (or failed).
struct BatchOutcome {
  int64_t id = 0;
  int64_t started_at = 0;
  std::string status;
  std::string mapping_version;
  std::string source_object;
  int64_t read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
  int64_t duplicates = 0;
  int64_t stale = 0;
  int64_t warnings = 0;
  std::optional<int64_t> replay_of;  // a replay of quarantined records of that batch
  std::string message;               // why a failed batch failed
};

// How many open quarantined records fail a rule (on a field) of a mapping.
struct ReasonCount {
  std::string mapping;
  std::string rule;
  std::string field;
  int64_t records = 0;
};

class GovernanceStore {
 public:
  explicit GovernanceStore(sqlite::Db& db) : db_(db) {}

  // The version of this mapping text: an existing one if the text was seen before, else a
  // new one (highest + 1).
  Result<MappingVersion> RegisterMapping(const govern::Mapping& mapping);
  // The names of the mappings versioned as stream mappings (source system `stream`).
  Result<std::vector<std::string>> StreamMappingNames();
  // The text of a stored version (the newest when version is 0).
  Result<std::string> MappingText(const std::string& name, int64_t version);

  Status SetBatchMapping(int64_t batch_id, const std::string& mapping_name,
                         const std::string& entity, std::optional<int64_t> replay_of);
  Status SetBatchWarnings(int64_t batch_id, int64_t warnings);
  // Records read by the previous completed import (not a replay) of this mapping.
  Result<std::optional<int64_t>> PreviousRecordCount(const std::string& mapping_name,
                                                     int64_t before_batch);
  Status WriteChecks(int64_t batch_id, const std::vector<govern::CheckTally>& tallies);

  Result<int64_t> Quarantine(const QuarantinedRecord& record);
  // Marks open records of the mapping with this key resolved by `batch_id`.
  Status ResolveQuarantined(const std::string& mapping_name, const std::string& key,
                            int64_t batch_id, const std::string& status = "resolved");
  Status MarkReplayed(int64_t quarantine_id, int64_t batch_id);
  // An open entry fixed by a re-import of its exported row (status resolved, by the batch).
  Status MarkResolved(int64_t quarantine_id, int64_t batch_id);
  Result<int64_t> CountOpen(const std::string& mapping_name);
  // Closes open entries by hand, all or none (its own transaction): "resolved" (fixed
  // another way: the record was entered in the source system, a later export carries it)
  // or "dismissed" (nothing to fix: a test row, a record the plant does not want), with
  // the reason, at time `at`. NotFound for an unknown id, FailedPrecondition for one that
  // is not open.
  Status CloseQuarantined(std::span<const int64_t> ids, std::string_view status,
                          std::string_view reason, int64_t at);
  // The open entries of `entity` whose natural key is `key` (at most 10, newest first): why
  // a record that lineage cannot find is not stored.
  Result<std::vector<QuarantinedRecord>> FindOpenByKey(std::string_view entity,
                                                       std::string_view key);
  // Records a batch stored with warnings, and the batch's warnings in order (at most
  // `limit`, from the `offset`th).
  Status RecordWarnings(int64_t batch_id, const std::vector<RecordWarning>& warnings);
  Result<std::vector<RecordWarning>> ListWarnings(int64_t batch_id, int64_t limit,
                                                  int64_t offset = 0);
  Result<int64_t> CountWarnings(int64_t batch_id);
  // How many records the filter selects, its limit aside.
  Result<int64_t> CountQuarantine(const QuarantineFilter& filter);
  Result<std::vector<QuarantinedRecord>> ListQuarantine(const QuarantineFilter& filter);
  Result<QuarantinedRecord> GetQuarantined(int64_t id);
  // A person's correction of an open record's values before it is replayed: each (column,
  // value) replaces that column's value (nullopt: none); the raw text stays as it was read.
  // Returns the record as corrected. NotFound, FailedPrecondition (not open), InvalidArgument
  // (a column the record does not have).
  Result<QuarantinedRecord> CorrectQuarantined(
      int64_t id, const std::vector<std::pair<std::string, std::optional<std::string>>>& values);
  // The history the quality report is made of (store/governance/batch_history.cpp):
  // every mapping that imported a batch, by name; a mapping's `limit` newest batches,
  // oldest first; a batch's check counts in the order written; the `limit` commonest
  // reasons of open quarantined records.
  Result<std::vector<GovernedMapping>> GovernedMappings();
  Result<std::vector<BatchOutcome>> RecentBatches(std::string_view mapping_name, int64_t limit);
  Result<std::vector<govern::CheckTally>> BatchChecks(int64_t batch_id);
  Result<std::vector<ReasonCount>> TopOpenReasons(int64_t limit);

  // Records which fields and attributes of the mapping's entity are personal data, so that
  // `records` masks them (a mapping can only add to the list).
  Status MarkPersonal(const govern::Mapping& mapping);
  // The personal fields and attributes of an entity, by name.
  Result<std::vector<std::string>> PersonalFields(std::string_view entity);

 private:
  // The id of `text` in quarantine_reasons, added if new; nullopt when its digest is taken
  // by another text (the record then keeps its reasons itself).
  Result<std::optional<int64_t>> ShareReasons(std::string_view text);

  sqlite::Db& db_;
};

}  // namespace fh
