// factoryhub spc on inspection results (the simulated plant's bore diameters, subgroups of
// five as recorded) and on characteristics of the hub's spc.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"
#include "testing/temp_dir.h"

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
  EXPECT_THAT(none.err, HasSubstr("no inspection 'surface_finish'"));
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
  CliResult both =
      RunCli({"spc", "chart", "--hub", hub(), "--characteristic", "bore-1", "--tag", "x"});
  EXPECT_EQ(both.exit_code, 2);
}

// Montgomery's orange-juice cans (Example 7.1, data/spc/orange_juice_cans.csv): 30 samples
// of 50 cans imported as inspection rows through a mapping, a can failing when defective.
// The p chart has p̄ 0.2313, UCL 0.4102, LCL 0.0524, and samples 15 and 23 above.
TEST(CliSpcAttributeTest, PChartOfTheOrangeJuiceCans) {
  TempDir tmp;
  const std::string hub = (tmp.path() / "hub").string();
  ASSERT_EQ(RunCli({"init", hub}).exit_code, 0);
  std::ifstream in(DataDir() / "spc" / "orange_juice_cans.csv");
  std::string line;
  std::getline(in, line);
  std::ofstream csv(tmp.path() / "cans.csv");
  csv << "inspected_at,sample_no,result\n";
  while (std::getline(in, line)) {
    int sample = 0, defective = 0, size = 0;
    char phase[4] = {};
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%d,%d,%3s", &sample, &defective, &size, phase), 4);
    // Sample s at 08:00 + s minutes: the 30 trial samples, then the 24 after adjustments.
    for (int k = 1; k <= size; ++k) {
      csv << fmt::format("2026-03-02T{:02}:{:02}:00Z,{},{}\n", 8 + sample / 60, sample % 60, k,
                         k <= defective ? "fail" : "pass");
    }
  }
  csv.close();
  std::ofstream(tmp.path() / "cans.yaml")
      << "mapping: cans\nsource: {system: lab}\nentity: inspection\nfields:\n"
         "  characteristic: {value: can_seal}\n  inspected_at: inspected_at\n"
         "  sample_no: sample_no\n  result: result\n";
  ASSERT_EQ(RunCli({"import", "--hub", hub, "--mapping", (tmp.path() / "cans.yaml").string(),
                    (tmp.path() / "cans.csv").string()})
                .exit_code,
            0);
  const std::string trial_end = "2026-03-02T08:31:00Z";  // the trial samples only
  CliResult r = RunCli(
      {"spc", "attribute", "--hub", hub, "--inspection", "can_seal", "--to", trial_end, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json p = json::parse(r.out);
  EXPECT_EQ(p["chart"], "p");
  EXPECT_EQ(p["subgroups"], 30);
  EXPECT_NEAR(p["center"].get<double>(), 0.2313, 5e-5);
  EXPECT_NEAR(p["points"][0]["ucl"].get<double>(), 0.4102, 5e-5);
  EXPECT_NEAR(p["points"][0]["lcl"].get<double>(), 0.0524, 5e-5);
  EXPECT_EQ(p["out_of_control"], json::array({15, 23}));
  json np = json::parse(RunCli({"spc", "attribute", "--hub", hub, "--inspection", "can_seal",
                                "--chart", "np", "--to", trial_end, "--json"})
                            .out);
  EXPECT_NEAR(np["center"].get<double>(), 50 * 0.2313, 5e-3);
  // As a chart to look at: samples 15 and 23 in red, the limits labelled.
  const std::string svg = (tmp.path() / "p.svg").string();
  CliResult drawn = RunCli({"spc", "attribute", "--hub", hub, "--inspection", "can_seal", "--to",
                            trial_end, "--svg", svg});
  ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
  std::ifstream f(svg);
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("UCL 0.4102"));
  EXPECT_THAT(text, HasSubstr("LCL 0.0524"));
  int red = 0;
  for (size_t at = 0; (at = text.find("fill='#c0392b'><title>", at)) != std::string::npos; ++at)
    ++red;
  EXPECT_EQ(red, 2);
  EXPECT_THAT(text, HasSubstr("fill='#c0392b'><title>subgroup 15:"));
  EXPECT_THAT(text, HasSubstr("fill='#c0392b'><title>subgroup 23:"));

  // Example 7.1 goes on: samples 15 and 23 had assignable causes and leave the estimate, the
  // revised limits are p̄ 0.2150, UCL 0.3893, LCL 0.0407 (sample 21 now above, kept: no
  // cause found), and the 24 samples after the adjustments are judged by them (phase II):
  // sample 41 (2 of 50) falls below the LCL: the process improved.
  json revised = json::parse(RunCli({"spc", "attribute", "--hub", hub, "--inspection", "can_seal",
                                     "--baseline", "30", "--exclude", "15,23", "--json"})
                                 .out);
  EXPECT_EQ(revised["subgroups"], 54);
  EXPECT_EQ(revised["baseline"], 30);
  EXPECT_NEAR(revised["center"].get<double>(), 0.2150, 5e-5);
  EXPECT_NEAR(revised["points"][0]["ucl"].get<double>(), 0.3893, 5e-5);
  EXPECT_NEAR(revised["points"][0]["lcl"].get<double>(), 0.0407, 5e-5);
  EXPECT_EQ(revised["out_of_control"], json::array({15, 21, 23, 41}));
  EXPECT_EQ(revised["points"][40]["phase"], 2);
  EXPECT_EQ(revised["points"][14]["excluded"], true);
  // The new process's own center, given as a standard: 0.1108 with UCL 0.2440 (the book's
  // revised limits for samples 31-54).
  json given =
      json::parse(RunCli({"spc", "attribute", "--hub", hub, "--inspection", "can_seal", "--from",
                          "2026-03-02T08:31:00Z", "--center", "0.1108", "--json"})
                      .out);
  EXPECT_EQ(given["subgroups"], 24);
  EXPECT_EQ(given["baseline"], 0);
  EXPECT_NEAR(given["points"][0]["ucl"].get<double>(), 0.2440, 5e-5);
  EXPECT_EQ(given["out_of_control"], json::array());
  CliResult bad = RunCli({"spc", "attribute", "--hub", hub, "--inspection", "can_seal",
                          "--baseline", "30", "--exclude", "31"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("exclude 31: not a phase-I subgroup (1 to 30)"));

  // As a characteristic of spc.yaml: its center frozen from the 30 trial samples (p̄ 0.2313,
  // limits at n = 50), then every sample judged by it, the 24 later ones as phase II.
  std::ofstream(tmp.path() / "hub" / "spc.yaml")
      << "characteristics:\n"
         "  - {name: seals, inspection: can_seal, chart: p, baseline: 30}\n";
  CliResult frozen = RunCli({"spc", "freeze", "--hub", hub, "--characteristic", "seals"});
  ASSERT_EQ(frozen.exit_code, 0) << frozen.err;
  EXPECT_THAT(frozen.out, HasSubstr("p 0.0524275 / 0.231333 / 0.410239 for subgroups of 50"));
  json versions = json::parse(
      RunCli({"spc", "limits", "--hub", hub, "--characteristic", "seals", "--json"}).out);
  EXPECT_EQ(versions["versions"][0]["chart"], "p");
  EXPECT_TRUE(versions["versions"][0]["spread"].is_null());
  json judged = json::parse(
      RunCli({"spc", "attribute", "--hub", hub, "--characteristic", "seals", "--json"}).out);
  EXPECT_EQ(judged["chart"], "p");
  EXPECT_NEAR(judged["center"].get<double>(), 0.2313, 5e-5);
  EXPECT_EQ(judged["subgroups"], 54);
  EXPECT_EQ(judged["points"][29]["phase"], 1);
  EXPECT_EQ(judged["points"][30]["phase"], 2);
  // Against the trial center: 15 and 23 above, and the improved process's sample 41 (2 of
  // 50) below.
  EXPECT_EQ(judged["out_of_control"], json::array({15, 23, 41}));
  CliResult table = RunCli({"spc", "attribute", "--hub", hub, "--characteristic", "seals"});
  EXPECT_THAT(table.out, HasSubstr("center 0.231333 (frozen, version 1)"));
  // The variables charts say where an attribute characteristic is charted.
  CliResult chart = RunCli({"spc", "chart", "--hub", hub, "--characteristic", "seals"});
  EXPECT_NE(chart.exit_code, 0);
  EXPECT_THAT(chart.err, HasSubstr("spc attribute --characteristic seals"));
  CliResult both =
      RunCli({"spc", "attribute", "--hub", hub, "--characteristic", "seals", "--chart", "np"});
  EXPECT_EQ(both.exit_code, 2);  // the definition says the chart
}

// Other ways of subgrouping: a work order's first ten bores, the first four torque
// readings of each hour; a characteristic says the same in spc.yaml.
TEST_F(CliSpcInspectionTest, SubgroupsByOrderAndByTime) {
  json orders = Json({"spc", "chart", "--hub", hub(), "--inspection", "bore_diameter",
                      "--equipment", "*/cnc-01", "--by", "order", "--subgroup", "10", "--json"});
  EXPECT_EQ(orders["subgroup_size"], 10) << orders.dump();
  EXPECT_EQ(orders["chart"], "xbar-r");
  // Two-hour orders over a day: about twelve, those with fewer than ten bores left out.
  EXPECT_GE(orders["subgroups"].get<int>(), 8) << orders.dump();
  EXPECT_LE(orders["subgroups"].get<int>(), 13) << orders.dump();

  json hourly = Json({"spc", "chart", "--hub", hub(), "--tag", "line-1.cnc-01.torque", "--by",
                      "time", "--every", "1h", "--subgroup", "4", "--json"});
  ASSERT_EQ(hourly["subgroups"], 24) << hourly.dump();
  EXPECT_EQ(hourly["subgroup_size"], 4);
  EXPECT_EQ(hourly["points"][1]["time"], "2026-03-02T01:00:00Z") << hourly["points"][1].dump();

  std::ofstream(std::filesystem::path(hub()) / "spc.yaml")
      << "characteristics:\n"
         "  - {name: hourly, tag: line-1.cnc-01.torque, by: time, every: 1h, subgroup: 4}\n";
  json named = Json({"spc", "chart", "--hub", hub(), "--characteristic", "hourly", "--json"});
  EXPECT_EQ(named["xbar"], hourly["xbar"]);
  CliResult bad =
      RunCli({"spc", "chart", "--hub", hub(), "--tag", "line-1.cnc-01.torque", "--by", "time"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("needs every"));
}

}  // namespace
}  // namespace fh::testing
