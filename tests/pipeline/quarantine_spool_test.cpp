// The spool of a samples import's rejected records gives back every record, field for
// field and in order, whether it stayed in memory or went through the temporary file.
#include "pipeline/quarantine_spool.h"

#include <gtest/gtest.h>

namespace fh::pipeline {
namespace {

QuarantinedRecord Record(int i) {
  QuarantinedRecord q;
  q.batch_id = 7;
  q.mapping_name = "temps";
  q.entity = "samples";
  q.source_system = "mes";
  q.source_object = "signals.csv";
  q.source_line = i + 2;
  if (i % 3) q.source_offset = 100 * i;
  q.columns = {"time", "machine", "temp"};
  q.fields = {"2026-03-02T08:00:00Z", std::nullopt, std::string(static_cast<size_t>(i), 'x')};
  q.raw = std::string("a\0b,\xe6\xb8\xa9", 6) + std::to_string(i);
  for (int r = 0; r <= i % 2; ++r) {
    q.reasons.push_back(govern::Violation{govern::CheckKind::kRange, govern::Severity::kReject,
                                          "range:value", "value", std::to_string(i), "above 100"});
  }
  if (i % 2) q.record_key = "k" + std::to_string(i);
  return q;
}

void ExpectSame(const QuarantinedRecord& a, const QuarantinedRecord& b) {
  EXPECT_EQ(a.batch_id, b.batch_id);
  EXPECT_EQ(a.mapping_name, b.mapping_name);
  EXPECT_EQ(a.entity, b.entity);
  EXPECT_EQ(a.source_system, b.source_system);
  EXPECT_EQ(a.source_object, b.source_object);
  EXPECT_EQ(a.source_line, b.source_line);
  EXPECT_EQ(a.source_offset, b.source_offset);
  EXPECT_EQ(a.columns, b.columns);
  EXPECT_EQ(a.fields, b.fields);
  EXPECT_EQ(a.raw, b.raw);
  ASSERT_EQ(a.reasons.size(), b.reasons.size());
  for (size_t i = 0; i < a.reasons.size(); ++i) {
    EXPECT_EQ(a.reasons[i].check, b.reasons[i].check);
    EXPECT_EQ(a.reasons[i].severity, b.reasons[i].severity);
    EXPECT_EQ(a.reasons[i].rule, b.reasons[i].rule);
    EXPECT_EQ(a.reasons[i].field, b.reasons[i].field);
    EXPECT_EQ(a.reasons[i].value, b.reasons[i].value);
    EXPECT_EQ(a.reasons[i].message, b.reasons[i].message);
  }
  EXPECT_EQ(a.record_key, b.record_key);
}

// Reads the spool back, expecting Record(0) .. Record(n - 1) in order.
void ExpectRecords(QuarantineSpool& spool, int n) {
  int i = 0;
  ASSERT_TRUE(spool
                  .ForEach([&](const QuarantinedRecord& q) {
                    ExpectSame(q, Record(i++));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(i, n);
}

TEST(QuarantineSpoolTest, GivesBackEveryRecordInOrderFromMemoryAndFile) {
  QuarantineSpool spool(/*memory_records=*/3);
  constexpr int kRecords = 50;
  for (int i = 0; i < kRecords; ++i)
    ASSERT_TRUE(spool.Add(Record(i)).ok());
  EXPECT_EQ(spool.size(), static_cast<size_t>(kRecords));
  // Twice: reading back leaves the spool as it was, and more can be added after.
  ExpectRecords(spool, kRecords);
  ExpectRecords(spool, kRecords);
  ASSERT_TRUE(spool.Add(Record(kRecords)).ok());
  ExpectRecords(spool, kRecords + 1);
}

TEST(QuarantineSpoolTest, StopsAtTheFirstError) {
  QuarantineSpool spool(1);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(spool.Add(Record(i)).ok());
  int seen = 0;
  const Status s = spool.ForEach(
      [&](const QuarantinedRecord&) { return ++seen == 3 ? InvalidArgument("no") : Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(seen, 3);
  // A record added after a read stopped midway goes after the others, not over them.
  ASSERT_TRUE(spool.Add(Record(5)).ok());
  ExpectRecords(spool, 6);
}

}  // namespace
}  // namespace fh::pipeline
