// GET /api/v1/records after a real import: fields, attributes, selection, personal values
// masked, and errors that name the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

class ApiRecordsTest : public ApiTest {
 protected:
  void Import() {
    const std::string csv = (tmp_.path() / "c.csv").string();
    std::ofstream(csv) << "code,company,limit,phone\n"
                          "C-1,Acme,50000,13812345678\n"
                          "C-2,Globex,8000,13987654321\n";
    Result<govern::Mapping> m = govern::ParseMapping(
        "mapping: customers\nsource: { system: crm }\nentity: customer\n"
        "fields: { code: code, name: company }\n"
        "attributes:\n  credit_limit: { from: limit, type: real }\n"
        "  phone: { from: phone, personal: true }\n",
        "m.yaml");
    ASSERT_OK(m);
    Result<pipeline::ImportReport> r = pipeline::ImportFile(*hub_, *m, csv, {});
    ASSERT_OK(r);
    ASSERT_EQ(r->accepted, 2);
  }
};

TEST_F(ApiRecordsTest, SelectsByAttributeWithPersonalValuesMasked) {
  Import();
  Reply all = Get("/api/v1/records?entity=customer");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body["total"], 2);
  ASSERT_EQ(all.body["records"].size(), 2u);
  EXPECT_EQ(all.body["records"][0]["fields"]["name"], "Acme");
  EXPECT_EQ(all.body["records"][0]["attributes"]["credit_limit"], 50000);
  EXPECT_EQ(all.body["records"][0]["attributes"]["phone"], "138****5678");

  Reply big = Get("/api/v1/records?entity=customer&where=credit_limit%3E10000");
  ASSERT_EQ(big.status, 200) << big.body;
  ASSERT_EQ(big.body["records"].size(), 1u);
  EXPECT_EQ(big.body["records"][0]["key"], "C-1");
  Reply one = Get("/api/v1/records?entity=customer&key=C-2");
  ASSERT_EQ(one.body["records"].size(), 1u);
  EXPECT_EQ(one.body["records"][0]["fields"]["code"], "C-2");

  EXPECT_EQ(Get("/api/v1/records?entity=widget").status, 400);
  EXPECT_EQ(Get("/api/v1/records?entity=customer&where=colour%3Dred").status, 400);
  EXPECT_EQ(Get("/api/v1/records?entity=customer&limit=0").status, 400);
}

}  // namespace
}  // namespace fh::testing
