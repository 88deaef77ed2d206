// factoryhub optimize end to end on the real AI4I 2020 data: imported with the example mapping,
// a small version of the example spec trained, then the example controls spec searched: the
// recommendation keeps the throughput floor and the bounds, lowers the predicted risk, is the
// same twice; the other inputs from the hub's latest values, a row, or the spec; and the
// errors a process engineer meets (a spec's line, bounds beyond the training data, an unknown
// equipment), each with its exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

class CliOptimizeTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    const nlohmann::json r =
        Json({"import", "--hub", hub(), "--mapping",
              (SourceDir() / "examples" / "ai4i2020" / "process.yaml").string(),
              (DataDir() / "datasets" / "ai4i2020" / "ai4i2020.csv").string()});
    ASSERT_EQ(r["accepted"], 10000);
    // The example spec with fewer trees and folds: the same model kind, in seconds.
    std::ifstream in(SourceDir() / "examples" / "ai4i2020" / "spec.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (auto [from, to] : {std::pair<std::string, std::string>{"rounds: 100", "rounds: 40"},
                            {"folds: 5", "folds: 2"},
                            {"inner_folds: 3", "inner_folds: 2"}}) {
      const size_t at = text.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      text.replace(at, from.size(), to);
    }
    Ok({"train", "--hub", hub(), "--spec", WriteFile("spec.yaml", text)},
       {.env = {{"OMP_WAIT_POLICY", "passive"}}});
  }
  std::string Controls() const {
    return (SourceDir() / "examples" / "ai4i2020" / "controls.yaml").string();
  }
};

TEST_F(CliOptimizeTest, TheExampleSpecLowersTheRiskWithinItsBoundsAndFloor) {
  const nlohmann::json r = Json({"optimize", "--hub", hub(), "--controls", Controls()});
  EXPECT_EQ(r["model"], "ai4i-machine-failure@1");
  EXPECT_EQ(r["prediction"], "P(label/machine_failure)");
  EXPECT_EQ(r["context_source"]["kind"], "latest");
  EXPECT_EQ(r["context"]["tool_wear_min"], 180);        // the spec's value wins over the hub's
  EXPECT_EQ(r["context"]["air_temperature_C"], 25.85);  // the last record: 299.0 K
  const nlohmann::json& speed = r["controls"][0];
  const nlohmann::json& torque = r["controls"][1];
  EXPECT_EQ(speed["current"], 1500);  // the last record's
  EXPECT_EQ(torque["current"], 40.2);
  const double rpm = speed["recommended"], nm = torque["recommended"];
  EXPECT_GE(rpm, 1300);
  EXPECT_LE(rpm, 2200);
  EXPECT_DOUBLE_EQ(rpm, std::round(rpm / 10) * 10);  // on its 10 rpm steps
  EXPECT_GE(nm, 25);                                 // the spec limits, within the bounds
  EXPECT_LE(nm, 60);
  EXPECT_GE(nm * rpm * 2 * M_PI / 60, 5500 - 1e-6);  // the throughput floor
  EXPECT_TRUE(r["recommended"]["constraints"][0]["holds"]);
  EXPECT_LE(r["recommended"]["prediction"].get<double>(), r["current"]["prediction"].get<double>());
  EXPECT_EQ(r["expected_change"].get<double>(), r["recommended"]["prediction"].get<double>() -
                                                    r["current"]["prediction"].get<double>());
  EXPECT_TRUE(r["recommended"]["distance"]["outside"].empty());
  EXPECT_NE(r["recommended"]["distance"]["nearest_neighbour"], nullptr);
  EXPECT_EQ(r["solver"]["method"], "derivative-free");
  EXPECT_LE(r["solver"]["evaluations"].get<int>(), 3000);
  EXPECT_FALSE(r["drivers"].empty());
  // Deterministic: the same set-points again.
  const nlohmann::json again = Json({"optimize", "--hub", hub(), "--controls", Controls()});
  EXPECT_EQ(again["recommended"], r["recommended"]);

  // The table says the same.
  const CliResult text = Ok({"optimize", "--hub", hub(), "--controls", Controls()});
  EXPECT_THAT(text.out, HasSubstr("ai4i-machine-failure@1: minimize P(label/machine_failure)"));
  EXPECT_THAT(text.out, HasSubstr("rotational_speed_rpm"));
  EXPECT_THAT(text.out, HasSubstr("mechanical_power_W"));
  EXPECT_THAT(text.out, HasSubstr("what drives the change"));
  EXPECT_THAT(text.out, HasSubstr("solver: derivative-free"));
}

TEST_F(CliOptimizeTest, HoldsTheInputsAtARowOfTheData) {
  // Row 1 of AI4I: 298.1 K air, 1551 rpm, 42.8 N·m, no wear.
  const nlohmann::json r =
      Json({"optimize", "--hub", hub(), "--controls", Controls(), "--row", "1"});
  EXPECT_EQ(r["context_source"]["kind"], "row");
  EXPECT_EQ(r["context"]["air_temperature_C"], 24.95);
  EXPECT_EQ(r["controls"][0]["current"], 1551);
  EXPECT_EQ(r["controls"][1]["current"], 42.8);
}

TEST_F(CliOptimizeTest, ErrorsNameTheLineTheBoundsOrTheEquipment) {
  const std::string bad = WriteFile("bad.yaml",
                                    "model: ai4i-machine-failure\n"
                                    "controls:\n"
                                    "  - { name: torque_Nm, min: 20, max: 65, step: -1 }\n");
  CliResult r = RunCli({"optimize", "--hub", hub(), "--controls", bad});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:3:48: controls[0] (torque_Nm): step: expected a number "
                               "above 0"));

  const std::string beyond = WriteFile("beyond.yaml",
                                       "controls:\n"
                                       "  - { name: torque_Nm, min: 80, max: 95 }\n");
  r = RunCli({"optimize", "--hub", hub(), "--model", "ai4i-machine-failure", "--controls", beyond});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("controls: torque_Nm: [80, 95] lies beyond the training data of "
                               "ai4i-machine-failure@1 (3.8 to 76.6)"));
  EXPECT_THAT(r.err, HasSubstr("--allow-extrapolation"));
  const nlohmann::json allowed =
      Json({"optimize", "--hub", hub(), "--model", "ai4i-machine-failure", "--controls", beyond,
            "--allow-extrapolation"});
  EXPECT_FALSE(allowed["recommended"]["distance"]["outside"].empty());
  EXPECT_TRUE(allowed["training_data"]["extrapolation_allowed"]);

  r = RunCli({"optimize", "--hub", hub(), "--controls", Controls(), "--equipment", "acme/nowhere"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("acme/nowhere"));

  r = RunCli({"optimize", "--hub", hub(), "--controls", beyond});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("no model: name it in the spec (model: NAME) or with --model"));
}

}  // namespace
}  // namespace fh::testing
