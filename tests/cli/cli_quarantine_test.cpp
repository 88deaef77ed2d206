// The CLI holds under hostile input: quarantined raw bytes that are not UTF-8 (a line
// protocol client's) are exported as valid JSON, with U+FFFD in their place (the export
// used to abort, exit 134, on them); JSON files nested too deeply are refused.
#include <gmock/gmock.h>

#include <mutex>

#include "cli/cli_fixture.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "store/sqlite/db.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

// A quarantined record whose raw text is `raw`, written into the hub as the stream ingest
// would (the HTTP server is not needed to hold such a record).
void QuarantineRaw(const std::string& hub_dir, const std::string& raw) {
  Result<std::unique_ptr<Hub>> hub = Hub::Open(hub_dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  std::lock_guard<std::mutex> lock((*hub)->catalog_mutex());
  sqlite::Db& db = (*hub)->catalog_db();
  IngestBatch b;
  b.source_system = "http";
  b.source_object = "/write?db=plant";
  Result<int64_t> batch = Catalog(db).BeginBatch(b);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  Result<sqlite::Stmt> st = db.Prepare(
      "INSERT INTO quarantine(batch_id, mapping_name, entity, source_system, source_object, "
      "source_line, columns, fields, raw, raw_digest, reasons, status, created_at) "
      "VALUES(?1, 'line-protocol', 'sample', 'http', '/write?db=plant', 1, '[]', '[]', ?2, "
      "'0', '[{\"check\":\"schema\",\"rule\":\"line-protocol\",\"message\":\"bad\"}]', 'open', 1)");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  st->Bind(1, *batch).Bind(2, std::string_view(raw));
  Result<bool> done = st->Step();
  ASSERT_TRUE(done.ok()) << done.status().ToString();
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
