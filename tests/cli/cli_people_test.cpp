// factoryhub people matrix|gaps on an HR export imported through mappings: the matrix's
// cells, the gaps against people.yaml, names masked unless --unmasked, --json, and errors
// that say what and where (an unknown line names it; a bad --at is a usage error).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr const char* kLine1 = "acme/sh/mach/line-1";

class CliPeopleTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Import("assets", R"(
mapping: assets
source: { system: mes }
entity: asset
fields: { path: path }
)",
           "path\nacme/sh/mach/line-1/cnc-01\nacme/sh/mach/line-1/cnc-02\nacme/sh/mach/line-2\n");
    Import("qualifications", R"(
mapping: hr-qualifications
source: { system: hr }
entity: qualification
fields: { code: code, name: name, operations: ops }
)",
           "code,name,ops\ncnc,CNC operation,\"turning, boring\"\nspindle,Spindle "
           "maintenance,spindle-service\n");
    Import("personnel", R"(
mapping: hr-personnel
source: { system: hr }
entity: personnel
fields:
  code: no
  name: { from: name, personal: true }
  class: role
  shift: shift
  line: { from: line, template: "acme/sh/mach/{value}" }
)",
           "no,name,role,shift,line\n"
           "E1,Wang Qiang,operator,early,line-1\n"
           "E2,Li Na,operator,night,line-1\n"
           "E3,Zhou Tao,maintenance technician,early,line-1\n");
    Import("certificates", R"(
mapping: hr-certificates
source: { system: hr }
entity: personnel_qualification
fields:
  personnel: no
  qualification: q
  certificate: { from: cert, personal: true }
  valid_from: from
  valid_to: to
)",
           "no,q,cert,from,to\n"
           "E1,cnc,CNC-1,2025-01-01,2028-01-01\n"
           "E2,cnc,CNC-2,2025-01-01,2026-04-15\n"
           "E3,spindle,SP-3,2025-01-01,2026-03-01\n");
    Import("requirements", R"(
mapping: mes-requirements
source: { system: mes }
entity: equipment_qualification
fields: { equipment: asset, qualification: q }
)",
           "asset,q\nacme/sh/mach/line-1/cnc-01,cnc\nacme/sh/mach/line-1/cnc-02,cnc\n"
           "acme/sh/mach/line-1,spindle\n");
    WriteFile("hub/people.yaml",
              "shifts: [early, night]\nrequirements:\n  - {qualification: spindle, "
              "min_per_shift: 1}\n  - {qualification: cnc, min_per_shift: 1}\n");
  }
  void Import(const std::string& name, const std::string& mapping, const std::string& csv) {
    const std::string m = WriteFile(name + ".yaml", mapping);
    const std::string f = WriteFile(name + ".csv", csv);
    Ok({"import", "--hub", hub(), "--mapping", m, f});
  }
};

TEST_F(CliPeopleTest, GapsOfTheLineOnADay) {
  // 2026-03-15: E2's CNC certificate ends within 90 days, E3's spindle one has ended.
  json g = Json({"people", "gaps", "--hub", hub(), "--at", "2026-03-15"});
  EXPECT_EQ(g["lines"], json::array({kLine1, "acme/sh/mach/line-2"}));
  EXPECT_EQ(g["shortfall"], 2);  // spindle on both shifts
  ASSERT_EQ(g["gaps"].size(), 4u);
  EXPECT_EQ(g["gaps"][1]["qualification"], "cnc");
  EXPECT_EQ(g["gaps"][1]["shift"], "night");
  EXPECT_EQ(g["gaps"][1]["qualified"], 1);
  EXPECT_EQ(g["gaps"][1]["shortfall_after_expiry"], 1);
  ASSERT_EQ(g["expiring"].size(), 1u);
  EXPECT_EQ(g["expiring"][0]["person"], "E2");
  EXPECT_EQ(g["expiring"][0]["days_left"], 31);
  ASSERT_EQ(g["expired"].size(), 1u);
  EXPECT_EQ(g["expired"][0]["qualification"], "spindle");
  EXPECT_THAT(g.dump(), Not(HasSubstr("Wang Qiang")));

  CliResult text = Ok({"people", "gaps", "--hub", hub(), "--at", "2026-03-15"});
  EXPECT_THAT(text.out, HasSubstr("2 people to train"));
  EXPECT_THAT(text.out, HasSubstr("spindle"));
  EXPECT_THAT(text.out, HasSubstr("Certificates expiring within 90 days"));
  EXPECT_THAT(text.out, Not(HasSubstr("Li Na")));
  CliResult unmasked =
      Ok({"people", "gaps", "--hub", hub(), "--at", "2026-03-15", "--unmasked", "--within", "60"});
  EXPECT_THAT(unmasked.out, HasSubstr("Li Na"));
  EXPECT_THAT(unmasked.out, HasSubstr("Certificates expiring within 60 days"));
}

TEST_F(CliPeopleTest, MatrixShowsEachPersonsCertificates) {
  json m = Json({"people", "matrix", "--hub", hub(), "--line", kLine1, "--at", "2026-03-15"});
  ASSERT_EQ(m["lines"].size(), 1u);
  const json& line = m["lines"][0];
  ASSERT_EQ(line["columns"].size(), 2u);
  EXPECT_EQ(line["columns"][0]["qualification"], "cnc");
  EXPECT_EQ(line["columns"][0]["operations"], json::array({"turning", "boring"}));
  ASSERT_EQ(line["rows"].size(), 3u);
  // By shift, then class: early's maintenance technician, early's operator, night's.
  EXPECT_EQ(line["rows"][0]["person"], "E3");
  EXPECT_EQ(line["rows"][1]["person"], "E1");
  EXPECT_EQ(line["rows"][1]["class"], "operator");
  EXPECT_EQ(line["rows"][2]["person"], "E2");  // night after early
  EXPECT_EQ(line["rows"][2]["cells"][0]["status"], "expiring");

  CliResult text = Ok(
      {"people", "matrix", "--hub", hub(), "--line", kLine1, "--at", "2026-03-15", "--unmasked"});
  EXPECT_THAT(text.out, HasSubstr("Skills matrix of acme/sh/mach/line-1"));
  EXPECT_THAT(text.out, HasSubstr("cnc*"));
  EXPECT_THAT(text.out, HasSubstr("Wang Qiang"));
  EXPECT_THAT(text.out, HasSubstr("EXPIRED"));
  EXPECT_THAT(text.out, HasSubstr("31d"));
}

TEST_F(CliPeopleTest, ErrorsSayWhatAndWhere) {
  CliResult unknown = RunCli({"people", "matrix", "--hub", hub(), "--line", "acme/sh/mach/line-9"});
  EXPECT_EQ(unknown.exit_code, 4);
  EXPECT_THAT(unknown.err, HasSubstr("unknown line 'acme/sh/mach/line-9'"));
  CliResult machine =
      RunCli({"people", "gaps", "--hub", hub(), "--line", "acme/sh/mach/line-1/cnc-01"});
  EXPECT_EQ(machine.exit_code, 3);
  EXPECT_THAT(machine.err, HasSubstr("is equipment, not a line"));
  CliResult at = RunCli({"people", "gaps", "--hub", hub(), "--at", "someday"});
  EXPECT_EQ(at.exit_code, 2);
  EXPECT_THAT(at.err, HasSubstr("--at"));
  WriteFile("hub/people.yaml", "min_per_shift: lots\n");
  CliResult config = RunCli({"people", "gaps", "--hub", hub()});
  EXPECT_EQ(config.exit_code, 3);
  EXPECT_THAT(config.err, HasSubstr("people.yaml"));
  CliResult none = RunCli({"people", "--hub", hub()});
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
}  // namespace fh::testing
