// The quarantine over HTTP, after a real import with rules: the records listed with file,
// line, raw text and every reason (personal values masked); a person's fix replayed through
// the mapping as last stored, stored once it passes; closing by hand; a replay's dry run;
// every change in the audit ledger.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

class ApiQuarantineTest : public ApiTest {
 protected:
  void Import() {
    const std::string csv = (tmp_.path() / "materials.csv").string();
    std::ofstream(csv) << "code,name,kind,owner\n"
                          "M-100,bolt,raw,13812345678\n"
                          "M-200,,raw,13987654321\n"
                          "m 300,nut,raw,13700000000\n";
    Result<govern::Mapping> m = govern::ParseMapping(
        "mapping: erp-materials\nsource: { system: erp }\nentity: material\n"
        "fields: { code: code, name: name, kind: kind }\n"
        "attributes:\n  owner: { from: owner, personal: true }\n"
        "rules:\n  - { rule: regex, field: code, pattern: 'M-[0-9]{3}' }\n",
        "m.yaml");
    ASSERT_OK(m);
    Result<pipeline::ImportReport> r = pipeline::ImportFile(*hub_, *m, csv, {});
    ASSERT_OK(r);
    ASSERT_EQ(r->quarantined, 2);
  }
  std::vector<std::string> Actions() {
    CatalogSession session = hub_->OpenCatalog();
    std::vector<std::string> out;
    const std::vector<security::AuditEntry> entries = session.audit().Entries(0, 100).value();
    for (const security::AuditEntry& e : entries)
      out.push_back(e.action);
    return out;
  }
};

TEST_F(ApiQuarantineTest, ListFixAndCloseWithEveryReason) {
  Import();
  Reply list = Get("/api/v1/quarantine");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.body["total"], 2);
  ASSERT_EQ(list.body["records"].size(), 2u);
  const nlohmann::json& missing = list.body["records"][0];
  EXPECT_EQ(missing["line"], 3);
  EXPECT_EQ(missing["source_object"], "materials.csv");
  EXPECT_EQ(missing["mapping"], "erp-materials");
  EXPECT_THAT(missing["raw"].get<std::string>(), HasSubstr("M-200"));
  EXPECT_EQ(missing["raw"].get<std::string>().find("13987654321"), std::string::npos);  // masked
  EXPECT_EQ(missing["fields"]["owner"], "139****4321");
  EXPECT_EQ(missing["reasons"][0]["field"], "name");
  EXPECT_EQ(list.body["masked"], 2);

  // Fixed: replayed at once through the mapping, stored, out of the open quarantine.
  const int64_t id = missing["id"];
  Reply fixed = Post("/api/v1/quarantine/fix", {{"id", id}, {"fields", {{"name", "washer"}}}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_TRUE(fixed.body["stored"]);
  EXPECT_EQ(fixed.body["record"]["status"], "replayed");
  EXPECT_EQ(fixed.body["report"]["accepted"], 1);
  Reply stored = Get("/api/v1/records?entity=material&key=M-200");
  ASSERT_EQ(stored.body["records"].size(), 1u) << stored.body;
  EXPECT_EQ(stored.body["records"][0]["fields"]["name"], "washer");
  EXPECT_EQ(Get("/api/v1/quarantine").body["total"], 1);

  // A fix that still fails stays open, with the new reasons.
  const int64_t bad = Get("/api/v1/quarantine").body["records"][0]["id"];
  Reply still = Post("/api/v1/quarantine/fix", {{"id", bad}, {"fields", {{"code", "M 300"}}}});
  ASSERT_EQ(still.status, 200) << still.body;
  EXPECT_FALSE(still.body["stored"]);
  EXPECT_EQ(still.body["record"]["status"], "open");
  EXPECT_EQ(still.body["record"]["fields"]["code"], "M 300");
  EXPECT_EQ(Post("/api/v1/quarantine/fix", {{"id", bad}, {"fields", {{"colour", "red"}}}}).status,
            400);

  // A replay's dry run stores nothing; closing needs a reason.
  Reply dry = Post("/api/v1/quarantine/replay", {{"mapping", "erp-materials"}, {"dry_run", true}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.body["read"], 1);
  EXPECT_EQ(dry.body["accepted"], 0);
  EXPECT_EQ(Post("/api/v1/quarantine/close", {{"ids", {bad}}, {"status", "dismissed"}}).status,
            400);
  Reply closed = Post("/api/v1/quarantine/close",
                      {{"ids", {bad}}, {"status", "dismissed"}, {"reason", "a test row"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Get("/api/v1/quarantine").body["total"], 0);
  EXPECT_EQ(Get("/api/v1/quarantine?status=dismissed").body["total"], 1);
  EXPECT_EQ(Get("/api/v1/quarantine?status=gone").status, 400);
  EXPECT_THAT(Actions(),
              ::testing::IsSupersetOf({"quarantine.fix", "quarantine.fix", "quarantine.dismiss"}));
}

// A file uploaded as the body, through the mapping the hub last stored: validated first
// (nothing stored), then imported, its rejected rows in the quarantine under its name.
TEST_F(ApiQuarantineTest, AFileIsValidatedThenImportedThroughAStoredMapping) {
  Import();  // stores the mapping erp-materials
  Reply mappings = Get("/api/v1/mappings");
  ASSERT_EQ(mappings.status, 200) << mappings.body;
  ASSERT_EQ(mappings.body["mappings"].size(), 1u);
  EXPECT_EQ(mappings.body["mappings"][0]["mapping"], "erp-materials");

  const std::string file = "code,name,kind,owner\nM-400,pin,raw,\nM 500,clip,raw,\n";
  auto post = [&](const std::string& target) {
    auto res = client_->Post(target, file, "application/octet-stream");
    Reply reply;
    if (!res) return reply;
    reply.status = res->status;
    reply.body = nlohmann::json::parse(res->body, nullptr, false);
    return reply;
  };
  Reply dry = post("/api/v1/import?mapping=erp-materials&name=../new.csv&dry_run=true");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.body["dry_run"]);
  EXPECT_EQ(dry.body["read"], 2);
  EXPECT_EQ(dry.body["accepted"], 1);
  EXPECT_EQ(dry.body["quarantined"], 1);
  EXPECT_EQ(Get("/api/v1/records?entity=material&key=M-400").body["total"], 0);  // nothing stored

  Reply done = post("/api/v1/import?mapping=erp-materials&name=../new.csv");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(done.body["batch"].is_number());
  EXPECT_EQ(Get("/api/v1/records?entity=material&key=M-400").body["total"], 1);
  Reply quarantined = Get("/api/v1/quarantine?batch=" + done.body["batch"].dump());
  ASSERT_EQ(quarantined.body["records"].size(), 1u) << quarantined.body;
  EXPECT_EQ(quarantined.body["records"][0]["source_object"], "new.csv");  // no path from outside
  EXPECT_EQ(quarantined.body["records"][0]["line"], 3);
  EXPECT_THAT(Actions(), ::testing::Contains("import.batch"));
  // Nothing left behind in the hub's folder.
  EXPECT_TRUE(std::filesystem::is_empty(tmp_.path() / "tmp"));

  EXPECT_EQ(post("/api/v1/import?mapping=nobody").status, 404);
  EXPECT_EQ(post("/api/v1/import").status, 400);
  EXPECT_EQ(post("/api/v1/import?mapping=erp-materials&dry_run=maybe").status, 400);
}

}  // namespace
}  // namespace fh::testing
