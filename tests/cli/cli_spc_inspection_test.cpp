// factoryhub spc on inspection results (the simulated plant's bore diameters, subgroups of
// five as recorded) and on characteristics of the hub's spc.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CliSpcInspectionTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Ok({"simulate", "--hub", hub(), "--machines", "2", "--every", "1m", "--from", "2026-03-02",
        "--until", "2026-03-03"});
  }
};

TEST_F(CliSpcInspectionTest, ChartsRecordedSubgroupsWithTheirRecordedSpecs) {
  json c = Json({"spc", "chart", "--hub", hub(), "--inspection", "bore_diameter", "--equipment",
                 "*/cnc-01", "--baseline", "20", "--json"});
  EXPECT_EQ(c["inspection"], "bore_diameter");
  EXPECT_EQ(c["chart"], "xbar-r");
  EXPECT_EQ(c["subgroup_size"], 5);
  EXPECT_GT(c["subgroups"].get<int>(), 20);
  EXPECT_EQ(c["baseline"], 20);
  // The inspections record 25 ± 0.05 mm: capability needs no flags.
  ASSERT_TRUE(c["capability"].is_object()) << c.dump();
  EXPECT_TRUE(c["capability"]["cpk"]["value"].is_number());
  // One machine's subgroups are fewer than both machines'.
  json both = Json({"spc", "chart", "--hub", hub(), "--inspection", "bore_diameter", "--json"});
  EXPECT_GT(both["subgroups"].get<int>(), c["subgroups"].get<int>());

  CliResult none = RunCli({"spc", "chart", "--hub", hub(), "--inspection", "surface_finish"});
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_THAT(none.err, HasSubstr("no measured inspection 'surface_finish'"));
  CliResult neither = RunCli({"spc", "chart", "--hub", hub()});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_THAT(neither.err, HasSubstr("say what to chart"));
}

TEST_F(CliSpcInspectionTest, CharacteristicsComeFromTheHubsSpcYaml) {
  std::ofstream(std::filesystem::path(hub()) / "spc.yaml")
      << "characteristics:\n"
         "  - {name: bore-1, inspection: bore_diameter, equipment: '*/cnc-01', baseline: 20}\n"
         "  - {name: torque-1, tag: line-1.cnc-01.torque, subgroup: 4, baseline: 30}\n";
  json direct = Json({"spc", "chart", "--hub", hub(), "--inspection", "bore_diameter",
                      "--equipment", "*/cnc-01", "--baseline", "20", "--json"});
  json named = Json({"spc", "chart", "--hub", hub(), "--characteristic", "bore-1", "--json"});
  EXPECT_EQ(named["xbar"], direct["xbar"]);
  EXPECT_EQ(named["r"], direct["r"]);
  json torque = Json({"spc", "chart", "--hub", hub(), "--characteristic", "torque-1", "--json"});
  EXPECT_EQ(torque["tag"], "line-1.cnc-01.torque");
  EXPECT_EQ(torque["subgroup_size"], 4);
  EXPECT_EQ(torque["baseline"], 30);

  CliResult unknown = RunCli({"spc", "chart", "--hub", hub(), "--characteristic", "bore-9"});
  EXPECT_EQ(unknown.exit_code, 4);
  EXPECT_THAT(unknown.err, HasSubstr("no characteristic 'bore-9'"));
  EXPECT_THAT(unknown.err, HasSubstr("it defines bore-1, torque-1"));
  CliResult both = RunCli({"spc", "chart", "--hub", hub(), "--characteristic", "bore-1", "--tag", "x"});
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace
}  // namespace fh::testing
