// What bad input costs on disk: rejected records are all kept (records in = accepted +
// quarantined), but a quarantine entry is bounded (64 KiB of its text, excerpts of values)
// and a reason is stored once however many records it rejects: 2.5 MB of bad lines cost
// 3 to 4.3 times their size in quarantine (8.3 times before), a 10 MB line 64 KiB.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "common/text_excerpt.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "pipeline/stream_ingest.h"
#include "store/governance/governance_store.h"
#include "store/governance/quarantine_bounds.h"
#include "store/hub.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

int64_t FolderBytes(const std::filesystem::path& dir) {
  int64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
  }
  return total;
}

class QuarantineSizeTest : public testing::HubTest {
 protected:
  // Closes and reopens the hub, so that its write-ahead log is folded into the database.
  int64_t HubBytesAtRest() {
    hub_.reset();
    const int64_t bytes = FolderBytes(tmp_.path() / "hub");
    Result<std::unique_ptr<Hub>> h = Hub::Open(tmp_.path() / "hub");
    EXPECT_OK(h);
    hub_ = std::move(*h);
    return bytes;
  }

  // Sends 2.5 MB of bad lines as HTTP writes of 5,000 lines (line(n) and its reason) and
  // returns the quarantine's bytes on disk per byte of input.
  template <typename LineFn, typename ReasonFn>
  double QuarantineBytesPerInputByte(LineFn line_of, ReasonFn reason_of) {
    const int64_t empty = HubBytesAtRest();
    int64_t input = 0, lines = 0;
    {
      StreamIngest ingest(*hub_);
      const StreamSource source{"http", "/write?db=plant"};
      while (input < 2'500'000) {
        std::vector<RejectedRecord> rejected;
        for (int i = 0; i < 5000; ++i) {
          ++lines;
          std::string line = line_of(lines);
          input += static_cast<int64_t>(line.size()) + 1;
          rejected.push_back({i + 1, std::move(line), reason_of(lines)});
        }
        EXPECT_TRUE(ingest.Write(source, "line-protocol", SampleBatch{}, rejected).ok());
      }
      EXPECT_EQ(ingest.counters(source).quarantined, lines);
    }
    EXPECT_EQ(QuarantineRows(), lines);  // every bad line is kept
    const int64_t quarantine = HubBytesAtRest() - empty;
    const double ratio = static_cast<double>(quarantine) / static_cast<double>(input);
    std::printf("%lld bad lines, %lld bytes in -> %lld bytes of quarantine (%.2fx)\n",
                static_cast<long long>(lines), static_cast<long long>(input),
                static_cast<long long>(quarantine), ratio);
    return ratio;
  }

  int64_t QuarantineRows() {
    CatalogSession session = hub_->OpenCatalog();
    QuarantineFilter all;
    all.status = "";
    all.limit = 10'000'000;
    Result<std::vector<QuarantinedRecord>> rows = session.governance().ListQuarantine(all);
    EXPECT_OK(rows);
    return rows.ok() ? static_cast<int64_t>(rows->size()) : -1;
  }
};

// Short lines, one reason: each entry's own cost (its row and indexes, about 180 bytes)
// dominates; the reason's text is stored once. (8.3x before reasons were shared.)
TEST_F(QuarantineSizeTest, ShortBadLinesWithOneReason) {
  const double ratio = QuarantineBytesPerInputByte(
      [](int64_t n) {
        return fmt::format("plant,machine=m{:03} temperature=abc {}", n % 500,
                           1764720000000000000 + n);
      },
      [](int64_t) {
        return std::string(
            "field 'temperature': 'abc' is not a number (a float, 12i, 12u, t or f)");
      });
  EXPECT_LE(ratio, 4.5);
}

// Lines as Telegraf sends them (about 175 bytes), each reason quoting its own bad value, so
// that no reason is shared: an entry costs its line, its reason and ~180 bytes of its own.
// (3.2x before reasons were written without their empty keys.)
TEST_F(QuarantineSizeTest, TelegrafSizedLinesWithTheirOwnReasons) {
  const double ratio = QuarantineBytesPerInputByte(
      [](int64_t n) {
        return fmt::format(
            "machine,plant=suzhou,line=line-{},cell=cell-{:02},machine=m{:03},vendor=fanuc "
            "spindle_speed=1480i,feed_rate=0.25,temperature=x{},vibration=0.031,"
            "power_kw=11.2 {}",
            n % 4, n % 16, n % 500, n, 1764720000000000000 + n);
      },
      [](int64_t n) {
        return fmt::format("field 'temperature': 'x{}' is not a number (a float, 12i, 12u, t or f)",
                           n);
      });
  EXPECT_LE(ratio, 3.2);
}

// One 10 MB record (an MQTT payload, say) whose reason quotes it whole: kept, bounded.
TEST_F(QuarantineSizeTest, AHugeRecordIsKeptBounded) {
  const int64_t empty = HubBytesAtRest();
  const std::string huge = "plant temperature=\"" + std::string(10 << 20, 'x') + "\" 1";
  {
    StreamIngest ingest(*hub_);
    const StreamSource source{"mqtt", "plant/line1"};
    const std::vector<RejectedRecord> rejected = {
        {1, huge, "field 'temperature': '" + huge + "' is not a number"}};
    ASSERT_TRUE(ingest.Write(source, "mqtt-line-protocol", SampleBatch{}, rejected).ok());
  }
  QuarantinedRecord q;
  {
    CatalogSession session = hub_->OpenCatalog();
    Result<QuarantinedRecord> got = session.governance().GetQuarantined(1);
    ASSERT_OK(got);
    q = *got;
  }
  EXPECT_LE(q.raw.size(), kQuarantineTextBytes);
  EXPECT_TRUE(q.raw.starts_with("plant temperature=\"xxx")) << q.raw.substr(0, 40);
  const std::string marker = fmt::format("of {} bytes, fnv1a64 {})", huge.size(), Fnv1a64Hex(huge));
  EXPECT_TRUE(q.raw.ends_with(marker)) << q.raw.substr(q.raw.size() - 100);
  ASSERT_EQ(q.reasons.size(), 1u);
  EXPECT_LE(q.reasons[0].message.size(), kMessageBytes);
  EXPECT_TRUE(q.reasons[0].message.ends_with("' is not a number")) << q.reasons[0].message;
  EXPECT_LT(HubBytesAtRest() - empty, 512 * 1024);
}

// Two long records that differ only past the cut are two entries, not one updated twice.
TEST_F(QuarantineSizeTest, LongRecordsDifferingPastTheCutStayApart) {
  const std::string head(100'000, 'a');
  {
    StreamIngest ingest(*hub_);
    const std::vector<RejectedRecord> rejected = {{1, head + "1", "bad"}, {2, head + "2", "bad"}};
    ASSERT_TRUE(ingest.Write({"http", "/write"}, "line-protocol", SampleBatch{}, rejected).ok());
  }
  EXPECT_EQ(QuarantineRows(), 2);
}

// A file's record with a 1 MB code: the report's example, the quarantined reason and the
// entry are bounded; the record is kept and counted.
TEST_F(QuarantineSizeTest, AFileRecordWithAHugeValueIsKeptBounded) {
  const std::string code(1 << 20, 'Z');
  const std::string csv = (tmp_.path() / "m.csv").string();
  std::ofstream(csv, std::ios::binary) << "code,name,type\nM-1,Flange,FG\nM-2,Bar," << code << "\n";
  Result<govern::Mapping> m = govern::ParseMapping(
      "mapping: materials\nsource: { system: erp }\nentity: material\nfields:\n  code: code\n"
      "  name: name\n  kind: { from: type, map: { FG: product } }\n",
      "m.yaml");
  ASSERT_OK(m);
  Result<ImportReport> r = ImportFile(*hub_, *m, csv, {});
  ASSERT_OK(r);
  EXPECT_EQ(r->accepted, 1);
  EXPECT_EQ(r->quarantined, 1);
  ASSERT_EQ(r->examples.size(), 1u);
  ASSERT_FALSE(r->examples[0].reasons.empty());
  for (const govern::Violation& v : r->examples[0].reasons) {
    EXPECT_LE(v.value.size(), kExcerptBytes);
    EXPECT_LE(v.message.size(), kMessageBytes);
  }
  CatalogSession session = hub_->OpenCatalog();
  Result<QuarantinedRecord> q = session.governance().GetQuarantined(1);
  ASSERT_OK(q);
  EXPECT_LE(q->raw.size(), kQuarantineTextBytes);
  ASSERT_EQ(q->fields.size(), 3u);
  EXPECT_LE(q->fields[2]->size(), kQuarantineTextBytes);
  EXPECT_TRUE(q->fields[2]->starts_with("ZZZZ"));
}

// A file import's rejected records go through the spool: bounded there too.
TEST(QuarantineBoundsTest, BoundingIsIdempotentAndCoversEveryText) {
  QuarantinedRecord q;
  q.raw = std::string(1 << 20, 'r');
  q.columns = {"a", "b"};
  q.fields = {std::string(1 << 20, 'f'), std::nullopt};
  q.reasons = {govern::Violation{govern::CheckKind::kRegex, govern::Severity::kReject, "code", "a",
                                 std::string(1 << 20, 'v'),
                                 "'" + std::string(1 << 20, 'v') + "' does not match /[A-Z]+/"}};
  q.record_key = std::string(1 << 20, 'k');
  const QuarantinedRecord b = Bounded(q);
  EXPECT_LE(b.raw.size(), kQuarantineTextBytes);
  EXPECT_LE(b.fields[0]->size(), kQuarantineTextBytes);
  EXPECT_FALSE(b.fields[1].has_value());
  EXPECT_LE(b.reasons[0].value.size(), kExcerptBytes);
  EXPECT_LE(b.reasons[0].message.size(), kMessageBytes);
  EXPECT_TRUE(b.reasons[0].message.ends_with("' does not match /[A-Z]+/"));
  EXPECT_LE(b.record_key->size(), kQuarantineTextBytes);
  const QuarantinedRecord again = Bounded(b);
  EXPECT_EQ(again.raw, b.raw);
  EXPECT_EQ(again.fields, b.fields);
  EXPECT_EQ(again.reasons[0].value, b.reasons[0].value);
  EXPECT_EQ(again.reasons[0].message, b.reasons[0].message);
  EXPECT_EQ(again.record_key, b.record_key);
}

}  // namespace
}  // namespace fh::pipeline
