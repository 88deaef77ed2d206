// Mapping YAML: what it accepts, and errors that say file:line:column and what is wrong;
// RecordMapper: each cleaning step on real records.
#include <gtest/gtest.h>

#include "govern/mapping.h"
#include "govern/record_mapper.h"
#include "govern/rule_checker.h"
#include "testing/status_matchers.h"

namespace fh::govern {
namespace {

Status MappingParseError(const std::string& yaml) {
  Result<Mapping> m = ParseMapping(yaml, "m.yaml");
  return m.ok() ? Status::Ok() : m.status();
}

void ExpectError(const std::string& yaml, const std::string& where, const std::string& what) {
  const Status s = MappingParseError(yaml);
  ASSERT_FALSE(s.ok()) << yaml;
  EXPECT_NE(s.message().find(where), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
}

constexpr const char* kHead = "mapping: m\nsource: { system: erp }\nentity: material\n";

TEST(MappingParse, ErrorsSayWhereAndWhat) {
  ExpectError(std::string(kHead) + "fields:\n  code: c\n  name: { frm: n }\n",
              "m.yaml:6:", "unknown key 'frm'");
  ExpectError(std::string(kHead) + "fields:\n  code: c\n  colour: x\n  name: n\n",
              "m.yaml:6:", "material has no field 'colour'");
  ExpectError(std::string(kHead) + "fields:\n  code: c\n",
              "m.yaml:", "required field 'name' is not mapped");
  ExpectError(std::string(kHead) + "fields:\n  code: c\n  name: n\n  code: d\n",
              "m.yaml:7:", "field 'code' mapped twice");
  ExpectError("mapping: m\nsource: { system: erp }\nentity: widget\nfields: { code: c }\n",
              "m.yaml:3:", "unknown entity 'widget'");
  ExpectError(std::string(kHead) +
                  "fields:\n  code: c\n  name: n\nrules:\n  - { rule: sometimes, field: code }\n",
              "m.yaml:8:", "unknown rule 'sometimes'");
  ExpectError(std::string(kHead) +
                  "fields:\n  code: c\n  name: n\nrules:\n  - { rule: range, field: code }\n",
              "m.yaml:8:", "needs min or max");
  ExpectError(std::string(kHead) +
                  "fields:\n  code: c\n  name: n\nrules:\n  - { rule: not_null, field: weight }\n",
              "m.yaml:8", "material has no field 'weight'");
  ExpectError(std::string(kHead) + "fields:\n  code: [c\n", "m.yaml:", "");  // YAML syntax
  ExpectError("mapping: m\nsource: { object: x }\nentity: material\n",
              "m.yaml:2:", "missing 'system'");
  ExpectError(std::string(kHead) + "fields:\n  code: { from: c, to: kg }\n  name: n\n",
              "m.yaml:5:", "'to' needs the source's unit");
  ExpectError("mapping: m\nsource: { system: erp, delimiter: ';;' }\nentity: material\n",
              "m.yaml:2:", "tab or whitespace");
  Result<Mapping> ws = ParseMapping(
      "mapping: m\nsource: { system: s, delimiter: whitespace }\nentity: material\nfields: "
      "{ code: c, name: n }\n",
      "m.yaml");
  ASSERT_OK(ws);
  EXPECT_EQ(ws->reader.delimiter, ingest::kWhitespaceDelimiter);
}

TEST(MappingParse, AttributesPersonalAndUnitMapsAreChecked) {
  const std::string head = std::string(kHead) + "fields:\n  code: c\n  name: n\n";
  ExpectError(head + "attributes:\n  name: { from: x }\n",
              "m.yaml:8:", "attribute 'name' is a field of material");
  ExpectError(head + "attributes:\n  cost: { from: x, type: money }\n",
              "m.yaml:8:", "type must be text, real, int, time or bool");
  ExpectError(head + "attributes:\n  std cost: x\n",
              "m.yaml:8:", "a name of letters, digits and '_'");
  ExpectError(std::string(kHead) + "fields:\n  code: { from: c, type: real }\n  name: n\n",
              "m.yaml:5:", "'type' is for attributes");
  ExpectError(head + "attributes:\n  cost: { from: x, unit_map: { A: mm } }\n",
              "m.yaml:8:", "unit_map needs unit_from");
  ExpectError(head + "rules:\n  - { rule: range, field: cost, min: 0 }\n", "m.yaml:8",
              "material has no field 'cost'");
  ExpectError(
      "mapping: m\nsource: { system: s }\nentity: crosswalk\nfields: { entity: e, "
      "source_system: s, external_id: x, canonical: c }\nattributes: { a: b }\n",
      "m.yaml:5:", "crosswalk records take no attributes");
  Result<Mapping> m = ParseMapping(head +
                                       "attributes:\n  cost: { from: x, type: real }\n"
                                       "  email: { from: [e1, e2], personal: true }\n"
                                       "rules:\n  - { rule: range, field: cost, min: 0 }\n",
                                   "m.yaml");
  ASSERT_OK(m);
  ASSERT_EQ(m->attributes.size(), 2u);
  EXPECT_EQ(m->attributes[0].attribute_type, FieldType::kReal);
  EXPECT_TRUE(m->attributes[1].personal);
  EXPECT_EQ(PersonalColumns(*m), (std::vector<std::string>{"e1", "e2"}));
  const std::vector<FieldDef> fields = RecordFields(*FindEntity("material"), *m);
  EXPECT_EQ(*FindRecordField(fields, "cost"), FindEntity("material")->fields.size());
}

TEST(MappingParse, ExpressionsGiveEnumsOnlyThroughACodeTable) {
  const std::string head =
      "mapping: m\nsource: { system: q }\nentity: inspection\nfields:\n  characteristic: c\n"
      "  inspected_at: t\n";
  Result<Mapping> m = ParseMapping(head + "  result: { expr: \"v < 1\" }\n", "m.yaml");
  ASSERT_OK(m);
  Result<std::unique_ptr<RecordMapper>> mapper = RecordMapper::Make(*m);
  ASSERT_FALSE(mapper.ok());
  EXPECT_NE(mapper.status().message().find("add a map"), std::string::npos)
      << mapper.status().ToString();
  m = ParseMapping(head + "  result: { expr: \"v < 1\", map: { \"1\": pass, \"0\": maybe } }\n",
                   "m.yaml");
  ASSERT_OK(m);
  mapper = RecordMapper::Make(*m);
  ASSERT_FALSE(mapper.ok());
  EXPECT_NE(mapper.status().message().find("'maybe' is not a result value"), std::string::npos)
      << mapper.status().ToString();
}

TEST(MappingParse, ReadsEveryKey) {
  Result<Mapping> m = ParseMapping(R"(
mapping: erp-orders
source: { system: erp, object: orders, encoding: gbk, delimiter: ";", header: true,
          time_zone: Asia/Shanghai, null_values: ["", "-"] }
entity: work_order
fields:
  number: { from: [prefix, no], separator: "-", case: upper }
  material: { from: item, lookup: mes }
  planned_qty: { from: qty, decimal_comma: true, unit: t, to: kg, round: 1 }
  status: { from: st, map: { "1": planned, "2": running }, unmapped: null, default: planned }
  equipment: { from: machine, template: "acme/line-1/{value}" }
  actual_start: { from: start, format: "%d.%m.%Y %H:%M", zone: Europe/Berlin }
external_id: legacy
rules:
  - { rule: unique, fields: [number], severity: warn, id: unique-number }
  - { rule: freshness, field: actual_start, max_age: 2d }
)",
                                   "m.yaml");
  ASSERT_OK(m);
  EXPECT_EQ(m->reader.encoding, "gbk");
  EXPECT_EQ(m->reader.delimiter, ';');
  EXPECT_EQ(m->time_zone, "Asia/Shanghai");
  ASSERT_EQ(m->fields.size(), 6u);
  EXPECT_EQ(m->fields[0].from, (std::vector<std::string>{"prefix", "no"}));
  EXPECT_EQ(m->fields[2].round_digits, 1);
  EXPECT_EQ(m->fields[3].unmapped, Unmapped::kNull);
  ASSERT_EQ(m->rules.size(), 2u);
  EXPECT_EQ(m->rules[0].id, "unique-number");
  EXPECT_EQ(m->rules[0].severity, Severity::kWarn);
  EXPECT_EQ(m->rules[1].max_age_ns, 2 * 86400 * 1'000'000'000LL);
}

// Maps one CSV-like record through a mapping of `fields` into a material-ish entity.
class MapperTest : public ::testing::Test {
 protected:
  bool Map(const std::string& fields_yaml, const std::string& entity,
           const std::vector<std::string>& columns, const std::vector<std::string>& row) {
    const std::string yaml =
        "mapping: t\nsource: { system: s, time_zone: Asia/Shanghai, "
        "null_values: ['', 'N/A'] }\nentity: " +
        entity + "\nfields:\n" + fields_yaml;
    Result<Mapping> m = ParseMapping(yaml, "t.yaml");
    EXPECT_OK(m);
    if (!m.ok()) return false;
    mapping_ = *m;
    Result<std::unique_ptr<RecordMapper>> mapper = RecordMapper::Make(mapping_);
    EXPECT_OK(mapper);
    if (!mapper.ok()) return false;
    mapper_ = std::move(*mapper);
    batch_.Clear();
    batch_.mutable_columns() = columns;
    batch_.BeginRecord(2, 0);
    for (const std::string& f : row)
      batch_.AddField(f);
    batch_.EndRecord("raw");
    EXPECT_TRUE(mapper_->Bind(columns, false).ok());
    violations_.clear();
    return mapper_->MapRecord(batch_, 0, values_, violations_, nullptr);
  }
  const Value& Get(const std::string& field) {
    return values_[*mapper_->entity()->FieldIndex(field)];
  }

  Mapping mapping_;
  std::unique_ptr<RecordMapper> mapper_;
  ingest::RecordBatch batch_;
  std::vector<Value> values_;
  std::vector<Violation> violations_;
};

TEST_F(MapperTest, ConcatSplitCaseTemplateAndCodeTables) {
  ASSERT_TRUE(
      Map("  number: { from: [a, b], separator: '-', case: upper }\n"
          "  material: { from: c, split: '/', part: -1 }\n"
          "  planned_qty: q\n"
          "  equipment: { from: m, template: 'acme/line-1/{value}' }\n"
          "  status: { from: s, map: { R: released }, unmapped: null }\n",
          "work_order", {"a", "b", "c", "q", "m", "s"},
          {" wo ", "17", "erp/M-100", "5", "cnc-01", "X"}));
  EXPECT_EQ(Get("number").text, "WO-17");
  EXPECT_EQ(Get("material").text, "M-100");
  EXPECT_EQ(Get("equipment").text, "acme/line-1/cnc-01");
  EXPECT_EQ(Get("status").text, "planned");  // unmapped -> null -> the entity's default
  EXPECT_EQ(Get("planned_qty").number, 5);
  EXPECT_EQ(Get("good_qty").number, 0);  // not mapped: the entity's default
}

TEST_F(MapperTest, NumbersUnitsDecimalCommaAndExpressions) {
  ASSERT_TRUE(
      Map("  number: n\n  material: m\n"
          "  planned_qty: { from: q, decimal_comma: true, unit: t, to: kg }\n"
          "  good_qty: { expr: 'g * 2 + s' }\n"
          "  ideal_cycle_time_s: { from: ct, unit: ms, to: s }\n",
          "work_order", {"n", "m", "q", "g", "s", "ct"},
          {"WO-1", "M-1", "1.234,5", "10", "N/A", "42000"}));
  EXPECT_DOUBLE_EQ(Get("planned_qty").number, 1234500);
  EXPECT_TRUE(Get("good_qty").is_null() || Get("good_qty").number == 0);  // null propagates
  EXPECT_DOUBLE_EQ(Get("ideal_cycle_time_s").number, 42);
}

TEST_F(MapperTest, EveryFailingFieldIsAReason) {
  EXPECT_FALSE(
      Map("  number: n\n  material: m\n  planned_qty: q\n"
          "  status: { from: s, map: { R: released } }\n"
          "  actual_start: { from: t, format: '%Y-%m-%d %H:%M' }\n",
          "work_order", {"n", "m", "q", "s", "t"}, {"", "M-1", "12x", "Z", "2026-13-01 08:00"}));
  std::vector<std::string> fields;
  for (const Violation& v : violations_)
    fields.push_back(v.field + ":" + std::string(ToString(v.check)));
  EXPECT_EQ(fields, (std::vector<std::string>{"number:required", "status:code_table",
                                              "planned_qty:cast", "actual_start:cast"}));
}

TEST_F(MapperTest, LocalTimesUseTheZone) {
  ASSERT_TRUE(Map("  code: c\n  name: n\n", "material", {"c", "n"}, {"M-1", "x"}));
  ASSERT_TRUE(
      Map("  number: n\n  material: m\n  planned_qty: q\n"
          "  actual_start: { from: t, format: '%Y-%m-%d %H:%M' }\n"
          "  actual_end: { from: u, zone: UTC }\n",
          "work_order", {"n", "m", "q", "t", "u"},
          {"WO-1", "M-1", "1", "2026-03-02 08:00", "2026-03-02T08:00:00"}));
  EXPECT_EQ(Get("actual_start").time, 1772409600LL * 1'000'000'000LL);  // 00:00Z
  EXPECT_EQ(Get("actual_end").time, (1772409600LL + 8 * 3600) * 1'000'000'000LL);
}

}  // namespace
}  // namespace fh::govern

namespace fh::govern {
namespace {

// `_line`, the record's line in its file, stands in for a column in tag templates and
// expressions (files whose rows carry no id: C-MAPSS's RUL_FD001.txt, engine n on line n).
TEST(MapperLineColumn, TagTemplatesAndExpressionsReadTheRecordsLine) {
  Result<Mapping> m = ParseMapping(
      "mapping: t\nsource: { system: s }\nentity: samples\nsamples:\n"
      "  timestamp: { expr: '1767225600 + _line' }\n"
      "  signals:\n    - { tag: 'engine-{_line}/rul', value: '1' }\n",
      "t.yaml");
  ASSERT_OK(m);
  Result<std::unique_ptr<RecordMapper>> mapper = RecordMapper::Make(*m);
  ASSERT_OK(mapper);
  ingest::RecordBatch batch;
  batch.mutable_columns() = {"1"};
  for (int line : {1, 2, 7}) {
    batch.BeginRecord(line, 0);
    batch.AddField(std::to_string(100 + line));
    batch.EndRecord("raw");
  }
  ASSERT_TRUE((*mapper)->Bind(batch.columns(), false).ok());
  std::vector<MappedSample> samples;
  std::vector<Violation> violations;
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSERT_TRUE((*mapper)->MapSamples(batch, i, samples, violations));
  }
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[2].tag, "engine-7/rul");
  EXPECT_EQ(samples[2].value, 107);
  EXPECT_EQ(samples[2].timestamp, (1767225600LL + 7) * 1'000'000'000);
  EXPECT_EQ(samples[0].tag, "engine-1/rul");
}

}  // namespace
}  // namespace fh::govern

namespace fh::govern {
namespace {

// Issue 14: a rule comparing two fields, refused at load when it cannot hold.
TEST(MappingParse, CompareRulesNeedAnOperatorAnotherFieldAndComparableTypes) {
  const std::string head =
      "mapping: m\nsource: { system: crm }\nentity: sales_order\n"
      "fields: { number: n, customer: c, ordered_at: o, due_at: d }\n";
  ExpectError(head + "rules: [{ rule: compare, field: due_at, op: \">=\" }]\n",
              "m.yaml:5:", "needs 'other'");
  ExpectError(head + "rules: [{ rule: compare, field: due_at, op: \"=>\", other: ordered_at }]\n",
              "m.yaml:5:", "op must be one of < <= > >= == !=");
  const std::string bad_types = head +
                                "rules: [{ rule: compare, field: due_at, op: \">=\", "
                                "other: number }]\n";
  Result<Mapping> m = ParseMapping(bad_types, "m.yaml");
  ASSERT_OK(m);
  Result<std::unique_ptr<RuleChecker>> checker = RuleChecker::Make(*m);
  ASSERT_FALSE(checker.ok());
  EXPECT_NE(checker.status().message().find("'due_at' and 'number' cannot be compared"),
            std::string::npos)
      << checker.status().message();
  const std::string unknown = head +
                              "rules: [{ rule: compare, field: due_at, op: \">=\", "
                              "other: shipped_at }]\n";
  m = ParseMapping(unknown, "m.yaml");
  ASSERT_OK(m);
  checker = RuleChecker::Make(*m);
  ASSERT_FALSE(checker.ok());
  EXPECT_NE(checker.status().message().find("no field 'shipped_at'"), std::string::npos);
}

}  // namespace
}  // namespace fh::govern
