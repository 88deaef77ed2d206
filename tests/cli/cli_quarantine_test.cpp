// The CLI holds under hostile input: quarantined raw bytes that are not UTF-8 (a line
// protocol client's) are exported as valid JSON, with U+FFFD in their place (the export
// used to abort, exit 134, on them); JSON files nested too deeply are refused.
#include <gmock/gmock.h>

#include <mutex>

#include "cli/cli_fixture.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/catalog_access.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

// A quarantined record whose raw text is `raw`, written into the hub as the stream ingest
// would (the HTTP server is not needed to hold such a record).
void QuarantineRaw(const std::string& hub_dir, const std::string& raw) {
  Result<std::unique_ptr<Hub>> hub = Hub::Open(hub_dir);
  ASSERT_OK(hub);
  CatalogSession session = (*hub)->OpenCatalog();
  sqlite::Db& db = CatalogSessionTestAccess::Connection(session);
  IngestBatch b;
  b.source_system = "http";
  b.source_object = "/write?db=plant";
  Result<int64_t> batch = session.catalog().BeginBatch(b);
  ASSERT_OK(batch);
  Result<sqlite::Stmt> st = db.Prepare(
      "INSERT INTO quarantine(batch_id, mapping_name, entity, source_system, source_object, "
      "source_line, columns, fields, raw, raw_digest, reasons, status, created_at) "
      "VALUES(?1, 'line-protocol', 'sample', 'http', '/write?db=plant', 1, '[]', '[]', ?2, "
      "'0', '[{\"check\":\"schema\",\"rule\":\"line-protocol\",\"message\":\"bad\"}]', 'open', 1)");
  ASSERT_OK(st);
  st->Bind(1, *batch).Bind(2, std::string_view(raw));
  Result<bool> done = st->Step();
  ASSERT_OK(done);
}

TEST_F(CliTest, QuarantineExportWritesRawBytesThatAreNotUtf8AsValidJson) {
  InitHub();
  QuarantineRaw(hub(), "plant,machine=m\xff\xfe temperature=1 1");
  CliResult r = RunCli({"quarantine", "export", "--hub", hub(), "--format", "ndjson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json line = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(line.is_discarded()) << r.out;
  EXPECT_EQ(line["raw"], "plant,machine=m\xef\xbf\xbd\xef\xbf\xbd temperature=1 1");

  // The other JSON outputs treat the bytes alike.
  CliResult list = RunCli({"quarantine", "list", "--hub", hub(), "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("m\xef\xbf\xbd\xef\xbf\xbd temperature"));
}

// A model file nested 100,000 levels deep is refused with the limit, not a crash.
TEST_F(CliTest, ModelImportRefusesDeeplyNestedJson) {
  InitHub();
  const std::string deep =
      "{\"format\": \"factoryhub-model/1\", \"report\": " + std::string(100000, '[') +
      std::string(100000, ']') + "}";
  CliResult r = RunCli({"model", "import", "--hub", hub(), WriteFile("deep.json", deep)});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("deep.json: JSON nested more than 128 levels deep"));
}

}  // namespace
}  // namespace fh::testing

namespace fh::testing {
namespace {

// Issue 14: list says when it shows only some; entries fixed another way are closed by
// hand, with the reason, all or none.
TEST_F(CliTest, QuarantineListSaysWhenItTruncatesAndEntriesCloseByHand) {
  InitHub();
  for (int i = 0; i < 3; ++i)
    QuarantineRaw(hub(), "bad line " + std::to_string(i));
  CliResult r = RunCli({"quarantine", "list", "--hub", hub(), "--limit", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("The first 2 of 3 records; --limit N shows more."));
  r = RunCli({"quarantine", "list", "--hub", hub()});
  EXPECT_EQ(r.err, "");  // all shown: nothing to say

  const nlohmann::json list =
      nlohmann::json::parse(RunCli({"quarantine", "list", "--hub", hub(), "--json"}).out);
  ASSERT_EQ(list.size(), 3u);
  const std::string first = std::to_string(list[0]["id"].get<int64_t>());
  const std::string second = std::to_string(list[1]["id"].get<int64_t>());
  const std::string third = std::to_string(list[2]["id"].get<int64_t>());
  // A reason is required.
  EXPECT_NE(RunCli({"quarantine", "resolve", "--hub", hub(), first}).exit_code, 0);
  r = RunCli({"quarantine", "resolve", "--hub", hub(), first, second, "--reason",
              "entered in SAP by hand"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Resolved 2 quarantined records"));
  // All or none: the third is open, the first is not any more.
  r = RunCli({"quarantine", "dismiss", "--hub", hub(), third, first, "--reason", "test row"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("is resolved already, not open"));
  ASSERT_EQ(
      RunCli({"quarantine", "dismiss", "--hub", hub(), third, "--reason", "test row"}).exit_code,
      0);
  const nlohmann::json shown =
      nlohmann::json::parse(RunCli({"quarantine", "show", "--hub", hub(), first, "--json"}).out);
  EXPECT_EQ(shown["status"], "resolved");
  EXPECT_EQ(shown["resolution"], "entered in SAP by hand");
  EXPECT_TRUE(shown["resolved_at"].is_string());
  EXPECT_EQ(
      nlohmann::json::parse(
          RunCli({"quarantine", "list", "--hub", hub(), "--status", "dismissed", "--json"}).out)
          .size(),
      1u);
  EXPECT_THAT(RunCli({"quarantine", "list", "--hub", hub()}).out,
              HasSubstr("No open quarantined records."));
}

}  // namespace
}  // namespace fh::testing
