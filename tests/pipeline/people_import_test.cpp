// An HR export imported through mappings like any silo's (docs/people.md): people with their
// ISA-95 personnel class, shift and home line; qualifications with the operations they
// allow; certificates with their number and expiry; the equipment that requires each; who
// ran which work order. A certificate of someone HR does not know waits in the quarantine,
// saying so; a re-import changes nothing.
#include <gtest/gtest.h>

#include <fstream>

#include "common/time.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "testing/hub_books.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

class PeopleImportTest : public testing::HubTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(HubTest::SetUp());
    CatalogSession session = hub_->OpenCatalog();
    for (const char* path : {"acme/sh/mach/line-1/cnc-01", "acme/sh/mach/line-2"}) {
      ASSERT_OK(session.catalog().CreateAssetPath(path));
    }
  }
  ImportReport Import(const std::string& yaml, const std::string& name, const std::string& csv) {
    const std::string path = (tmp_.path() / name).string();
    std::ofstream(path, std::ios::binary) << csv;
    Result<govern::Mapping> m = govern::ParseMapping(yaml, name + ".yaml");
    EXPECT_OK(m);
    if (!m.ok()) return {};
    Result<ImportReport> r = ImportFile(*hub_, *m, path, {});
    EXPECT_OK(r);
    return r.ok() ? *r : ImportReport{};
  }
  void ImportAll() {
    ImportReport q = Import(R"(
mapping: hr-qualifications
source: { system: hr }
entity: qualification
fields: { code: code, name: name, operations: ops }
)",
                            "qualifications.csv",
                            "code,name,ops\ncnc,CNC operation,\"turning, boring\"\nspc,SPC,\n");
    EXPECT_EQ(q.accepted, 2);
    ImportReport p = Import(R"(
mapping: hr-personnel
source: { system: hr }
entity: personnel
fields:
  code: 工号
  name: { from: 姓名, personal: true }
  class: { from: 岗位, map: { 操作工: operator, 调机员: setter } }
  shift: { from: 班次, map: { 早班: early, 夜班: night } }
  line: { from: 产线, template: "acme/sh/mach/{value}" }
  active: 在职
)",
                            "personnel.csv",
                            "工号,姓名,岗位,班次,产线,在职\n"
                            "E1,王强,操作工,早班,line-1,是\n"
                            "E2,李娜,调机员,夜班,line-2,否\n"
                            "E3,张伟,操作工,夜班,line-7,是\n");  // no line-7: quarantined
    EXPECT_EQ(p.accepted, 2);
    EXPECT_EQ(p.quarantined, 1);
    ImportReport c = Import(R"(
mapping: hr-certificates
source: { system: hr, time_zone: Asia/Shanghai }
entity: personnel_qualification
fields:
  personnel: 工号
  qualification: 资质
  certificate: { from: 证书编号, personal: true }
  valid_from: { from: 发证日期, format: "%Y/%m/%d" }
  valid_to: { from: 有效期至, format: "%Y/%m/%d" }
)",
                            "certificates.csv",
                            "工号,资质,证书编号,发证日期,有效期至\n"
                            "E1,cnc,CNC-2025-0001,2025/03/01,2027/03/01\n"
                            "E2,spc,SPC-2024-0002,2024/01/01,\n"
                            "E9,cnc,CNC-2025-0003,2025/03/01,2027/03/01\n");
    EXPECT_EQ(c.accepted, 2);
    EXPECT_EQ(c.quarantined, 1);
    ImportReport e = Import(R"(
mapping: mes-requirements
source: { system: mes }
entity: equipment_qualification
fields: { equipment: asset, qualification: q }
)",
                            "requirements.csv",
                            "asset,q\nacme/sh/mach/line-1/cnc-01,cnc\nacme/sh/mach/line-2,spc\n");
    EXPECT_EQ(e.accepted, 2);
  }
};

TEST_F(PeopleImportTest, StoresPeopleCertificatesAndRequirementsWithLineage) {
  ImportAll();
  CatalogSession session = hub_->OpenCatalog();
  Catalog& c = session.catalog();
  Result<Personnel> e1 = c.FindPersonnel("E1");
  ASSERT_OK(e1);
  EXPECT_EQ(e1->name, "王强");
  EXPECT_EQ(e1->personnel_class, "operator");
  EXPECT_EQ(e1->shift, "early");
  EXPECT_EQ(e1->line_id, c.FindAsset("acme/sh/mach/line-1")->id);
  EXPECT_EQ(e1->lineage.source_system, "hr");
  EXPECT_EQ(e1->lineage.source_line, 2);
  Result<Personnel> e2 = c.FindPersonnel("E2");
  ASSERT_OK(e2);
  EXPECT_FALSE(e2->active);
  EXPECT_EQ(e2->personnel_class, "setter");

  Result<Qualification> cnc = c.FindQualification("cnc");
  ASSERT_OK(cnc);
  EXPECT_EQ(cnc->operations, "turning, boring");
  EXPECT_EQ(SplitOperations(*cnc->operations), (std::vector<std::string>{"turning", "boring"}));

  Result<std::vector<PersonnelQualification>> held = c.ListPersonnelQualifications(e1->id);
  ASSERT_OK(held);
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].certificate, "CNC-2025-0001");
  // Local midnight in Shanghai: 16:00 UTC the day before.
  EXPECT_EQ((*held)[0].valid_to, ParseRfc3339("2027-02-28T16:00:00Z").value());
  EXPECT_EQ((*held)[0].lineage.source_line, 2);

  Result<std::vector<EquipmentQualification>> needs =
      c.ListEquipmentQualifications(c.FindAsset("acme/sh/mach/line-1/cnc-01")->id);
  ASSERT_OK(needs);
  ASSERT_EQ(needs->size(), 1u);
  EXPECT_EQ((*needs)[0].qualification_id, cnc->id);
  Result<std::vector<Qualification>> missing =
      c.MissingQualifications(e1->id, c.FindAsset("acme/sh/mach/line-1/cnc-01")->id,
                              ParseRfc3339("2026-06-01T00:00:00Z").value());
  ASSERT_OK(missing);
  EXPECT_TRUE(missing->empty());
}

TEST_F(PeopleImportTest, UnknownPeopleAndLinesWaitInTheQuarantineWithTheReason) {
  ImportAll();
  QuarantineFilter f;
  f.status = "open";
  const std::vector<QuarantinedRecord> q = testing::QuarantinedIn(*hub_, f);
  ASSERT_EQ(q.size(), 2u);
  std::string reasons;
  for (const QuarantinedRecord& r : q) {
    for (const auto& v : r.reasons)
      reasons += v.message + "\n";
  }
  EXPECT_NE(reasons.find("no personnel 'E9' is stored"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("no asset 'acme/sh/mach/line-7' is stored"), std::string::npos) << reasons;
}

TEST_F(PeopleImportTest, ReImportingTheSameExportChangesNothing) {
  ImportAll();
  ImportReport again = Import(R"(
mapping: hr-certificates
source: { system: hr, time_zone: Asia/Shanghai }
entity: personnel_qualification
fields:
  personnel: 工号
  qualification: 资质
  certificate: { from: 证书编号, personal: true }
  valid_from: { from: 发证日期, format: "%Y/%m/%d" }
  valid_to: { from: 有效期至, format: "%Y/%m/%d" }
)",
                              "certificates.csv",
                              "工号,资质,证书编号,发证日期,有效期至\n"
                              "E1,cnc,CNC-2025-0001,2025/03/01,2027/03/01\n"
                              "E2,spc,SPC-2024-0002,2024/01/01,\n");
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicates, 2);
}

}  // namespace
}  // namespace fh::pipeline
