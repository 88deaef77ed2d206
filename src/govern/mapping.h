// Mapping: how one source object (an ERP export, an MES table, a topic) becomes records of
// one canonical entity, or time-series samples. Written in YAML (docs/mappings.md), parsed
// here into plain structs; govern/record_mapper.h applies it to records.
//
// A mapping is versioned by content: the hub stores each distinct text of a mapping name
// as a new version, and lineage records "name@version".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "govern/entity_schema.h"
#include "govern/rule_spec.h"
#include "govern/timestamp_format.h"
#include "ingest/record_reader.h"

namespace fh::govern {

// Where a YAML node was, for errors: "mappings/orders.yaml:12:5".
struct SourceMark {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

enum class LetterCase { kKeep, kUpper, kLower };
enum class Unmapped { kReject, kKeep, kNull };  // a value missing from a code table

// One canonical field (or a sample's value): where it comes from and how it is cleaned.
struct FieldMapping {
  std::string target;  // canonical field name ("planned_qty"); for samples "value"
  SourceMark mark;

  // The source: exactly one of these.
  std::vector<std::string> from;  // column(s); several are joined with `separator`
  std::optional<std::string> constant;
  std::optional<std::string> expr;  // arithmetic over columns (govern/expression.h)

  std::string separator = " ";       // joining several `from` columns
  std::optional<std::string> split;  // split the text on this and keep part `part`
  int part = 0;                      // 0-based; negative counts from the end
  bool trim = true;
  LetterCase letter_case = LetterCase::kKeep;
  std::vector<std::string> null_values;  // texts meaning "no value" (after trimming)
  std::optional<std::string> default_value;
  // Puts the cleaned value into a text: "acme/suzhou/line-1/{value}".
  std::string template_text;
  std::map<std::string, std::string> code_table;  // source code -> canonical value
  Unmapped unmapped = Unmapped::kReject;
  char decimal_comma = 0;            // ',' when numbers are written "1.234,5"
  std::string unit;                  // the source's unit of a number
  std::string unit_from;             // or: a column holding each row's unit
  std::string to_unit;               // convert to this unit (default: none)
  std::optional<int> round_digits;   // round numbers to this many decimals, after conversion
  std::string time_format = "auto";  // govern/timestamp_format.h
  std::string time_zone;             // empty: the mapping's
  // Local times a daylight-saving change repeats or skips (timestamp_format.h).
  AmbiguousTime ambiguous = AmbiguousTime::kInfer;
  NonexistentTime nonexistent = NonexistentTime::kReject;
  std::string lookup_system;                    // crosswalk: the value is this system's id
  std::map<std::string, std::string> unit_map;  // with unit_from: the column's code -> unit
  // Personal data (a name, an e-mail, a phone): its values are masked wherever the hub shows
  // them outside the record itself — quarantine and warning reasons, quarantine list and
  // export, `records` (docs/governance.md).
  bool personal = false;
  // A custom attribute (Mapping::attributes) has a declared type; entity fields have theirs.
  FieldType attribute_type = FieldType::kText;
};

// A wide row becomes one sample per signal: tag from a template, value from a field.
struct SignalMapping {
  std::string tag_template;  // "ai4i/{Product ID}/air_temperature_K": {column} substituted
  FieldMapping value;
  std::optional<FieldMapping> quality;
  // The stored tag's unit (TagMeta::unit): `unit:` as written, else the value's `to`, else
  // the value's source `unit`; empty: none said.
  std::string unit;
  // Rules on this signal's samples only (fields value, timestamp, tag), after the
  // mapping's rules for every signal.
  std::vector<RuleSpec> rules;
};

struct SamplesMapping {
  FieldMapping timestamp;
  std::vector<SignalMapping> signals;
  // Two rows of one import with one tag at one time and different values: reject the later
  // row (false, `conflicts: reject`, the default) or store its value (`conflicts: last`).
  bool conflicts_last = false;
};

struct Mapping {
  std::string name;           // unique per hub: "erp-materials"
  std::string path;           // the file it was read from ("" for text)
  std::string text;           // the YAML as written: versioning hashes it, the hub stores it
  std::string source_system;  // "erp"
  std::string source_object;  // "materials"; empty: the imported file's name
  ingest::ReaderOptions reader;
  std::string time_zone = "UTC";                // for timestamps without an offset
  std::vector<std::string> null_values = {""};  // default for every field
  std::string entity;                           // canonical entity, or "samples"
  std::vector<FieldMapping> fields;
  // Custom attributes of the entity's records (model/attribute.h): values the canonical
  // model has no field for, typed (attribute_type), checkable by rules like fields.
  std::vector<FieldMapping> attributes;
  std::optional<SamplesMapping> samples;
  // Records this source's own id of each stored record in the crosswalk.
  std::optional<FieldMapping> external_id;
  std::vector<RuleSpec> rules;
  // The field or attribute (a time or a number) that versions a record: one older than the
  // stored version is not applied but counted stale (an older export imported after a
  // newer one). Empty: the last import wins.
  std::string version_field;

  bool is_samples() const { return samples.has_value(); }
};

// The fields of a mapped entity record, in the order RecordMapper fills them and RuleChecker
// and the pipeline read them: the entity's fields (EntityDef order), then the mapping's
// attributes (declared order, with an empty column). Names point into `entity` and `mapping`.
std::vector<FieldDef> RecordFields(const EntityDef& entity, const Mapping& mapping);
std::optional<size_t> FindRecordField(const std::vector<FieldDef>& fields, std::string_view name);

// The source columns the mapping's personal fields and attributes read (from, expr, unit_from):
// what quarantine lists and exports mask. Sorted, without repeats.
std::vector<std::string> PersonalColumns(const Mapping& mapping);

// Reads and checks a mapping: unknown keys, unknown entity or field, a field mapped twice,
// a required field without source or default, an entity field of the wrong kind of
// source are errors that say where ("orders.yaml:14:7: field 'qty': unknown key 'unti'").
// Rules given with `rules_file:` are read relative to the mapping's folder.
Result<Mapping> LoadMapping(const std::string& path);
Result<Mapping> ParseMapping(const std::string& text, const std::string& display_name,
                             const std::string& base_dir = ".");

}  // namespace fh::govern
