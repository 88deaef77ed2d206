// Numbers a source leaves out — an empty cell, NaN, nan, NA, N/A, NULL, ... as pandas reads
// them — are no value in a numeric field without a null_values entry, and counted: how many
// records, which columns. Text fields and code tables keep such texts as they are.
#include <gtest/gtest.h>

#include "govern/field_text.h"
#include "govern/mapping.h"
#include "govern/record_mapper.h"
#include "ingest/record_batch.h"
#include "testing/status_matchers.h"

namespace fh::govern {
namespace {

TEST(MissingNumbersTest, TheTextsPandasReadsAsMissing) {
  for (const char* t :
       {"", "NaN", "nan", "NA", "N/A", "n/a", "NULL", "null", "None", "<NA>", "#N/A", "#NA", "-NaN",
        "-nan", "#N/A N/A", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN"}) {
    EXPECT_TRUE(IsMissingNumberText(t)) << t;
  }
  for (const char* t : {"0", "na", "Na", "NaNa", "none", "N.A.", "-", "inf", "1e5"})
    EXPECT_FALSE(IsMissingNumberText(t)) << t;
}

struct Mapped {
  std::unique_ptr<RecordMapper> mapper;
  ingest::RecordBatch batch;
};

void Fill(Mapped& m, const std::vector<std::string>& columns,
          const std::vector<std::vector<std::string>>& rows) {
  m.batch.mutable_columns() = columns;
  for (size_t r = 0; r < rows.size(); ++r) {
    m.batch.BeginRecord(static_cast<int64_t>(r + 2), 0);
    for (const std::string& f : rows[r])
      m.batch.AddField(f);
    m.batch.EndRecord("raw");
  }
  ASSERT_TRUE(m.mapper->Bind(columns, false).ok());
}

TEST(MissingNumbersTest, SamplesSkipMissingValuesAndCountThemPerColumn) {
  Result<Mapping> mapping = ParseMapping(
      "mapping: t\nsource: { system: s }\nentity: samples\nsamples:\n"
      "  timestamp: { from: t, format: epoch_s }\n"
      "  signals:\n    - { tag: 'p/a', value: a }\n    - { tag: 'p/b', value: b }\n"
      "    - { tag: 'p/ab', value: { expr: 'a + b' } }\n",
      "t.yaml");
  ASSERT_OK(mapping);
  Mapped m;
  ASSERT_OK_AND_ASSIGN(m.mapper, RecordMapper::Make(*mapping));
  ASSERT_NO_FATAL_FAILURE(Fill(m, {"t", "a", "b"},
                               {{"1", "1.5", "NA"},
                                {"2", "NaN", "2"},
                                {"3", "", "3"},
                                {"4", "4", "5"},
                                {"5", " nan ", "N/A"}}));
  std::vector<MappedSample> samples;
  std::vector<Violation> violations;
  for (size_t r = 0; r < 4; ++r)
    EXPECT_TRUE(m.mapper->MapSamples(m.batch, r, samples, violations)) << r;
  EXPECT_TRUE(violations.empty());
  ASSERT_EQ(samples.size(), 6u);  // a, b, b, a+b... only values that are there
  for (const MappedSample& s : samples)
    EXPECT_FALSE(std::isnan(s.value)) << s.tag;  // never a NaN stored
  // The last record has no value at all: rejected, as an empty one always was.
  EXPECT_FALSE(m.mapper->MapSamples(m.batch, 4, samples, violations));
  const MissingNumbers missing = m.mapper->missing_numbers();
  EXPECT_EQ(missing.rows, 4);
  const std::vector<std::pair<std::string, int64_t>> expected = {{"a", 3}, {"a + b", 4}, {"b", 2}};
  EXPECT_EQ(missing.columns, expected);
}

TEST(MissingNumbersTest, EntityNumbersAreMissingTextsAndCodesStayAsWritten) {
  Result<Mapping> mapping = ParseMapping(
      "mapping: t\nsource: { system: s }\nentity: inspection\nfields:\n"
      "  characteristic: c\n  inspected_at: { from: t, format: epoch_s }\n"
      "  value: v\n  usl: u\n  defect_code: d\n"
      "  result: { from: r, map: { NA: fail, OK: pass } }\n",
      "t.yaml");
  ASSERT_OK(mapping);
  Mapped m;
  ASSERT_OK_AND_ASSIGN(m.mapper, RecordMapper::Make(*mapping));
  ASSERT_NO_FATAL_FAILURE(
      Fill(m, {"c", "t", "v", "u", "d", "r"}, {{"bore", "1", "NA", "12.5", "NA", "NA"}}));
  std::vector<Value> values;
  std::vector<Violation> violations;
  ASSERT_TRUE(m.mapper->MapRecord(m.batch, 0, values, violations, nullptr));
  const EntityDef& e = *m.mapper->entity();
  EXPECT_TRUE(values[*e.FieldIndex("value")].is_null());
  EXPECT_EQ(values[*e.FieldIndex("usl")].number, 12.5);
  EXPECT_EQ(values[*e.FieldIndex("defect_code")].text, "NA");  // a text: kept
  EXPECT_EQ(values[*e.FieldIndex("result")].text, "fail");     // a code: translated
  const MissingNumbers missing = m.mapper->missing_numbers();
  EXPECT_EQ(missing.rows, 1);
  // The numbers the mapping reads that were missing; lsl and target are not mapped.
  const std::vector<std::pair<std::string, int64_t>> expected = {{"v", 1}};
  EXPECT_EQ(missing.columns, expected);
}

}  // namespace
}  // namespace fh::govern
