// RecordMapper: a Mapping compiled for fast application to records. Built once per
// import; Bind() resolves source column names to positions (again when a JSON source adds
// columns); then MapRecord / MapSamples run per record without allocating in steady state.
//
// Mapping a field: take the source (column, joined columns, constant or expression), trim,
// split, recognise null texts, fold case, translate through the code table, apply the
// default, then cast to the canonical type — numbers with unit conversion, times with the
// field's format and zone, references through the crosswalk. Every failure is a Violation
// naming the field and value; a record is rejected if any violation has severity reject.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/entity_schema.h"
#include "govern/mapping.h"
#include "govern/value.h"
#include "govern/violation.h"
#include "ingest/record_batch.h"
#include "model/sample.h"

namespace fh::govern {

struct MappedSample {
  std::string tag;
  int64_t timestamp = 0;
  double value = 0;
  uint32_t quality = kQualityGood;
  uint32_t signal = 0;  // which of the mapping's signals (per-signal rules and units)
};

// The numbers a mapping found missing (empty, a null text, NaN, NA, ...: field_text.h's
// IsMissingNumberText) in the records it mapped: how many records had one, and per source
// column (or field, for an expression) how many values.
struct MissingNumbers {
  int64_t rows = 0;
  std::vector<std::pair<std::string, int64_t>> columns;  // by name
};

class CompiledField;

class RecordMapper {
 public:
  // Compiles expressions, unit conversions, timestamp formats and code tables. Errors name
  // the mapping file and the field.
  static Result<std::unique_ptr<RecordMapper>> Make(const Mapping& mapping);
  ~RecordMapper();

  // Resolves source columns. With `missing_is_null` (JSON, where a key may first appear
  // later) an absent column reads as null; otherwise it is an error listing the columns.
  Status Bind(const std::vector<std::string>& columns, bool missing_is_null);

  // The source columns the mapping reads that the last Bind did not find, with the field
  // that reads each: for a JSON source, keys no record had (a misspelt key reads as null).
  std::vector<std::pair<std::string, std::string>> UnboundColumns() const;

  // Entity mappings: fills `values` (one per record field: the entity's in EntityDef order,
  // then the mapping's attributes, as record_fields()) and appends violations. Returns whether the
  // record passes (no reject-severity violation).
  bool MapRecord(const ingest::RecordBatch& batch, size_t record, std::vector<Value>& values,
                 std::vector<Violation>& violations, Lookups* lookups);
  // The external id the record's source gives it (mapping.external_id), or empty.
  std::string_view ExternalId(const ingest::RecordBatch& batch, size_t record);

  // Samples mappings: appends the record's samples (null values are skipped, not errors).
  bool MapSamples(const ingest::RecordBatch& batch, size_t record,
                  std::vector<MappedSample>& samples, std::vector<Violation>& violations);

  // Since the mapper was made: the numbers missing from the records it mapped.
  MissingNumbers missing_numbers() const;

  const Mapping& mapping() const { return mapping_; }
  const EntityDef* entity() const { return entity_; }  // null for samples
  // The fields MapRecord fills (govern::RecordFields); empty for samples.
  const std::vector<FieldDef>& record_fields() const { return record_fields_; }

 private:
  RecordMapper(const Mapping& mapping, const EntityDef* entity);
  bool MapField(CompiledField& f, const ingest::RecordBatch& batch, size_t record, Value& out,
                std::vector<Violation>& violations, Lookups* lookups);

  // Counts a record among those with a missing number, however MapRecord or MapSamples
  // returns.
  class MissingRowCounter {
   public:
    explicit MissingRowCounter(RecordMapper& m) : m_(m) { m_.missing_in_record_ = false; }
    ~MissingRowCounter() { m_.missing_rows_ += m_.missing_in_record_ ? 1 : 0; }
    MissingRowCounter(const MissingRowCounter&) = delete;
    MissingRowCounter& operator=(const MissingRowCounter&) = delete;

   private:
    RecordMapper& m_;
  };

  const Mapping& mapping_;
  const EntityDef* entity_;
  std::vector<FieldDef> record_fields_;
  std::vector<std::unique_ptr<CompiledField>> fields_;  // by record_fields_ index
  std::unique_ptr<CompiledField> external_id_;
  std::unique_ptr<CompiledField> timestamp_;  // samples
  struct Signal;
  std::vector<Signal> signals_;
  Value scratch_;
  bool missing_in_record_ = false;
  int64_t missing_rows_ = 0;
};

}  // namespace fh::govern
