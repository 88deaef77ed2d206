// factoryhub spc on Montgomery's piston rings written as one tag (data/spc/SOURCE.md): the
// published limits and capability, the phase-II signals, and errors that say what.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <string>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CliSpcTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    // Each ring a second after the last, from 06:00: 200 points in order, 5 a subgroup.
    std::ifstream in(DataDir() / "spc" / "pistonrings.csv");
    std::string line, csv = "timestamp,tag,value\n";
    std::getline(in, line);
    int64_t t = 1772431200;  // 2026-03-02T06:00:00Z
    while (std::getline(in, line)) {
      const std::string diameter = line.substr(line.find(',') + 1, 6);
      csv += std::to_string(t++) + ",ring.diameter," + diameter + "\n";
    }
    Ok({"write", "--hub", hub(), "--epoch", "s", WriteFile("rings.csv", csv)});
  }
  std::vector<std::string> Args(const std::string& what) {
    return {"spc", what,         "--hub", hub(),   "--tag", "ring.diameter", "--subgroup",
            "5",   "--baseline", "25",    "--lsl", "73.95", "--usl",         "74.05"};
  }
};

TEST_F(CliSpcTest, ChartAsPublished) {
  json c = Json(Args("chart"));
  EXPECT_EQ(c["chart"], "xbar-r");
  EXPECT_EQ(c["subgroups"], 40);
  EXPECT_EQ(c["baseline"], 25);
  EXPECT_NEAR(c["xbar"]["cl"].get<double>(), 74.00118, 5e-6);
  EXPECT_NEAR(c["xbar"]["lcl"].get<double>(), 73.98805, 5e-6);
  EXPECT_NEAR(c["xbar"]["ucl"].get<double>(), 74.01430, 5e-6);
  EXPECT_NEAR(c["r"]["ucl"].get<double>(), 0.048125, 2e-6);
  EXPECT_NEAR(c["capability"]["cpk"]["value"].get<double>(), 1.663, 5e-4);
  ASSERT_EQ(c["points"].size(), 40u);
  EXPECT_EQ(c["points"][36]["phase"], 2);
  std::vector<int> beyond;
  for (const json& v : c["violations"]) {
    if (v["rule"] == "nelson-1") beyond.push_back(v["subgroup"].get<int>());
  }
  EXPECT_THAT(beyond, ::testing::ElementsAre(37, 38, 39));

  CliResult text = Ok(Args("chart"));
  EXPECT_THAT(text.out, HasSubstr("xbar-r chart of ring.diameter: 40 subgroups of 5"));
  EXPECT_THAT(text.out, HasSubstr("74.0012"));
}

TEST_F(CliSpcTest, CapabilityAndViolationsSayWhatTheyFound) {
  CliResult cap = Ok(Args("capability"));
  EXPECT_THAT(cap.out, HasSubstr("Cp     1.703"));
  EXPECT_THAT(cap.out, HasSubstr("Ppk    1.616"));
  EXPECT_THAT(cap.out, HasSubstr("no evidence against normality"));

  std::vector<std::string> we = Args("violations");
  we.insert(we.end(), {"--rules", "we"});
  json v = Json(we);
  ASSERT_FALSE(v["violations"].empty());
  for (const json& x : v["violations"])
    EXPECT_THAT(x["rule"].get<std::string>(), ::testing::StartsWith("we-"));
}

// Montgomery's Table 9.1 (data/spc/cusum_table_9_1.csv: 30 observations, μ0 = 10, σ = 1,
// a shift of 1σ after period 20): the tabular CUSUM with k = 0.5, h = 5 signals at period
// 29 with N+ = 7, and the EWMA with λ = 0.1, L = 2.7 at period 29, as the book tabulates.
TEST_F(CliSpcTest, CusumAndEwmaSignalWhereTheTextbookSays) {
  std::ifstream in(DataDir() / "spc" / "cusum_table_9_1.csv");
  std::string line, csv = "timestamp,tag,value\n";
  std::getline(in, line);
  int64_t t = 1772431200;
  while (std::getline(in, line)) {
    csv += std::to_string(t++) + ",x," + line.substr(line.find(',') + 1) + "\n";
  }
  Ok({"write", "--hub", hub(), "--epoch", "s", WriteFile("table91.csv", csv)});
  json c = Json({"spc", "cusum", "--hub", hub(), "--tag", "x", "--mu0", "10", "--sigma", "1", "--k",
                 "0.5", "--h", "5", "--json"});
  EXPECT_EQ(c["first_signal"], 29);
  EXPECT_EQ(c["run_length"], 7);
  EXPECT_DOUBLE_EQ(c["decision"].get<double>(), 5);
  EXPECT_NEAR(c["points"][28]["c_plus"].get<double>(), 5.28, 0.005);  // the table's C+ at 29
  json e = Json({"spc", "ewma", "--hub", hub(), "--tag", "x", "--mu0", "10", "--sigma", "1",
                 "--lambda", "0.1", "--width", "2.7", "--json"});
  EXPECT_EQ(e["first_signal"], 29);
  EXPECT_NEAR(e["asymptotic"]["ucl"].get<double>(), 10.62, 0.005);  // 10 + 2.7 √(0.1/1.9)
  // Without a known σ: the phase-I moving ranges estimate it.
  CliResult text = Ok({"spc", "cusum", "--hub", hub(), "--tag", "x", "--baseline", "20"});
  EXPECT_THAT(text.out, HasSubstr("Tabular CUSUM of x (k 0.5, h 5)"));
  // A characteristic's own parameters (spc.yaml), unless the command line gives others.
  std::ofstream(tmp_ / "hub" / "spc.yaml")
      << "characteristics:\n"
      << "  - {name: x91, tag: x, baseline: 20, ewma: {lambda: 0.1, width: 2.7}, cusum: {h: 4}}\n";
  json ce = Json({"spc", "ewma", "--hub", hub(), "--characteristic", "x91", "--json"});
  EXPECT_EQ(ce["lambda"], 0.1);
  EXPECT_EQ(ce["width"], 2.7);
  json cc = Json({"spc", "cusum", "--hub", hub(), "--characteristic", "x91", "--json"});
  EXPECT_EQ(cc["k"], 0.5);
  EXPECT_EQ(cc["h"], 4);
  json given =
      Json({"spc", "cusum", "--hub", hub(), "--characteristic", "x91", "--h", "6", "--json"});
  EXPECT_EQ(given["h"], 6);

  // Both as charts to look at: the signals from period 29 in red, the limits labelled.
  const std::string cusum_svg = (tmp_ / "cusum.svg").string();
  const std::string ewma_svg = (tmp_ / "ewma.svg").string();
  Ok({"spc", "cusum", "--hub", hub(), "--tag", "x", "--mu0", "10", "--sigma", "1", "--svg",
      cusum_svg});
  Ok({"spc", "ewma", "--hub", hub(), "--tag", "x", "--mu0", "10", "--sigma", "1", "--lambda", "0.1",
      "--width", "2.7", "--svg", ewma_svg});
  auto read = [](const std::string& path) {
    std::ifstream f(path);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  const std::string cusum = read(cusum_svg), ewma = read(ewma_svg);
  EXPECT_THAT(cusum, HasSubstr(">C+</text>"));
  EXPECT_THAT(cusum, HasSubstr(">C-</text>"));
  EXPECT_THAT(cusum, HasSubstr("UCL 5</text>"));
  EXPECT_THAT(cusum, HasSubstr("first at subgroup 29"));
  EXPECT_THAT(cusum, ::testing::MatchesRegex(".*fill='#c0392b'><title>subgroup 29: 5.28.*"));
  EXPECT_THAT(cusum, ::testing::Not(HasSubstr("fill='#c0392b'><title>subgroup 28:")));
  // The exact limit at the last point (30) short of the asymptotic 10 + 2.7 √(0.1/1.9).
  EXPECT_THAT(ewma, HasSubstr("UCL 10.6189</text>"));
  EXPECT_THAT(ewma, HasSubstr("widen to 9.38058 .. 10.6194"));
  EXPECT_THAT(ewma, ::testing::MatchesRegex(".*fill='#c0392b'><title>subgroup 29: .*"));
  EXPECT_THAT(ewma, ::testing::Not(HasSubstr("fill='#c0392b'><title>subgroup 28:")));
}

TEST_F(CliSpcTest, WritesAChartToLookAt) {
  const std::string svg = (tmp_ / "rings.svg").string();
  std::vector<std::string> args = Args("chart");
  args.insert(args.end(), {"--svg", svg});
  CliResult r = Ok(args);
  EXPECT_THAT(r.err, HasSubstr("wrote the chart to"));
  std::ifstream in(svg);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, ::testing::StartsWith("<svg xmlns='http://www.w3.org/2000/svg'"));
  EXPECT_THAT(text, HasSubstr("UCL 74.0143"));
  EXPECT_THAT(text, HasSubstr("LCL 73.988</text>"));  // 73.98805 to six digits
  EXPECT_THAT(text, HasSubstr("(phase II shaded)"));
  // Subgroups 37, 38 and 39 beyond the X̄ limits are drawn in red.
  for (int s : {37, 38, 39}) {
    EXPECT_THAT(text,
                ::testing::MatchesRegex(fmt::format(".*fill='#c0392b'><title>subgroup {}: .*", s)))
        << s;
  }
  EXPECT_EQ(text.substr(text.size() - 7), "</svg>\n");
}

// Limits frozen from the textbook's 25 baseline subgroups judge the later ones (phase II)
// whatever range is charted; freezing again adds a version and keeps the history.
TEST_F(CliSpcTest, FrozenLimitsAreVersionedAndJudgePhaseTwo) {
  std::ofstream(tmp_ / "hub" / "spc.yaml")
      << "characteristics:\n"
         "  - {name: rings, tag: ring.diameter, subgroup: 5, baseline: 25, lsl: 73.95, "
         "usl: 74.05}\n";
  json none = Json({"spc", "limits", "--hub", hub(), "--characteristic", "rings", "--json"});
  EXPECT_TRUE(none["versions"].empty());
  json v1 = Json({"spc", "freeze", "--hub", hub(), "--characteristic", "rings", "--note",
                  "textbook baseline", "--json"});
  EXPECT_EQ(v1["version"], 1);
  EXPECT_EQ(v1["subgroups"], 25);
  EXPECT_NEAR(v1["location"]["ucl"].get<double>(), 74.01430, 5e-6);
  // Only the last 15 subgroups charted: all phase II, judged by v1.
  json late = Json({"spc", "chart", "--hub", hub(), "--characteristic", "rings", "--from",
                    "1772431325", "--json"});  // 06:00 + 125 s: subgroup 26
  EXPECT_EQ(late["subgroups"], 15);
  EXPECT_EQ(late["baseline"], 0);
  EXPECT_NEAR(late["xbar"]["ucl"].get<double>(), 74.01430, 5e-6);
  std::vector<int> beyond;
  for (const json& v : late["violations"]) {
    if (v["rule"] == "nelson-1") beyond.push_back(v["subgroup"].get<int>());
  }
  EXPECT_THAT(beyond, ::testing::ElementsAre(12, 13, 14));  // 37, 38, 39 of the whole
  json v2 = Json({"spc", "freeze", "--hub", hub(), "--characteristic", "rings", "--from",
                  "1772431325", "--json"});
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["subgroups"], 15);
  EXPECT_NE(v2["location"]["ucl"], v1["location"]["ucl"]);
  json history = Json({"spc", "limits", "--hub", hub(), "--characteristic", "rings", "--json"});
  ASSERT_EQ(history["versions"].size(), 2u);
  EXPECT_EQ(history["versions"][0]["note"], "textbook baseline");
  EXPECT_EQ(history["versions"][0]["location"], v1["location"]);
  CliResult text = Ok({"spc", "chart", "--hub", hub(), "--characteristic", "rings"});
  EXPECT_THAT(text.out, HasSubstr("Limits v2 of rings, frozen"));
}

TEST_F(CliSpcTest, ACharacteristicChoosesItsRules) {
  std::ofstream(tmp_ / "hub" / "spc.yaml")
      << "characteristics:\n"
         "  - {name: all, tag: ring.diameter, subgroup: 5, baseline: 25}\n"
         "  - {name: beyond, tag: ring.diameter, subgroup: 5, baseline: 25, rules: [nelson-1]}\n";
  json all = Json({"spc", "violations", "--hub", hub(), "--characteristic", "all", "--json"});
  json beyond = Json({"spc", "violations", "--hub", hub(), "--characteristic", "beyond", "--json"});
  std::set<std::string> all_rules;
  for (const json& v : all["violations"])
    all_rules.insert(v["rule"].get<std::string>());
  EXPECT_GT(all_rules.size(), 1u);
  std::vector<int> subgroups;
  for (const json& v : beyond["violations"]) {
    if (v["chart"] == "xbar") {
      EXPECT_EQ(v["rule"], "nelson-1");
      subgroups.push_back(v["subgroup"].get<int>());
    }
  }
  EXPECT_THAT(subgroups, ::testing::ElementsAre(37, 38, 39));
}

TEST_F(CliSpcTest, ErrorsSayWhat) {
  CliResult no_spec = RunCli({"spc", "capability", "--hub", hub(), "--tag", "ring.diameter"});
  EXPECT_EQ(no_spec.exit_code, 3) << no_spec.err;
  EXPECT_THAT(no_spec.err, HasSubstr("--lsl or --usl"));
  CliResult unknown = RunCli({"spc", "chart", "--hub", hub(), "--tag", "no.such"});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  CliResult mismatch = RunCli({"spc", "chart", "--hub", hub(), "--tag", "ring.diameter", "--chart",
                               "i-mr", "--subgroup", "5"});
  EXPECT_EQ(mismatch.exit_code, 3) << mismatch.err;
  EXPECT_THAT(mismatch.err, HasSubstr("--subgroup 1"));
  CliResult help = RunCli({"spc", "chart", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--baseline"));
}

}  // namespace
}  // namespace fh::testing
