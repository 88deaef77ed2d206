// GET /api/v1/quality and GET /quality after a real import into the served hub.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ApiQualityTest : public ApiTest {
 protected:
  void Import() {
    const std::string csv = (tmp_.path() / "m.csv").string();
    std::ofstream(csv) << "code,name\nM-1,Flange\nM-2,\n,No code\n";
    Result<govern::Mapping> m = govern::ParseMapping(
        "mapping: materials\nsource: { system: erp }\nentity: material\n"
        "fields: { code: code, name: name }\nrules:\n  - { rule: not_null, field: name }\n",
        "m.yaml");
    ASSERT_OK(m);
    Result<pipeline::ImportReport> r = pipeline::ImportFile(*hub_, *m, csv, {});
    ASSERT_OK(r);
    ASSERT_EQ(r->quarantined, 2);
  }
};

TEST_F(ApiQualityTest, JsonHasDimensionsPerMapping) {
  Reply empty = Get("/api/v1/quality");
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body["sources"].empty());
  Import();
  Reply r = Get("/api/v1/quality");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.body["sources"].size(), 1u);
  EXPECT_EQ(r.body["sources"][0]["mapping"], "materials");
  EXPECT_EQ(r.body["open_quarantine"], 2);
  // Completeness: 3 records x (required code, required name), 2 failed; rules run on the
  // records that mapped, so not_null checked the 1 left and passed it: 2 failed of 7.
  EXPECT_NEAR(r.body["dimensions"]["completeness"].get<double>(), 1.0 - 2.0 / 7.0, 1e-9);
  EXPECT_TRUE(r.body["dimensions"]["timeliness"].is_null());
  EXPECT_EQ(Get("/api/v1/quality?batches=0").status, 400);
}

TEST_F(ApiQualityTest, HtmlPage) {
  Import();
  auto html = client_->Get("/quality");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_THAT(html->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(html->body, HasSubstr("Data quality"));
  EXPECT_THAT(html->body, HasSubstr("materials"));
}

}  // namespace
}  // namespace fh::testing
