// The fixture of the CLI's training tests: a hub with AI4I 2020 imported by the example
// mapping, a quick version of the example spec, rows to score from a file or live.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "common/time.h"
#include "testing/source_dir.h"

namespace fh::testing {

class CliTrainTest : public CliTest {
 protected:
  void ImportAi4i() {
    InitHub();
    const nlohmann::json r =
        Json({"import", "--hub", hub(), "--mapping",
              (SourceDir() / "examples" / "ai4i2020" / "process.yaml").string(),
              (DataDir() / "datasets" / "ai4i2020" / "ai4i2020.csv").string()});
    ASSERT_EQ(r["accepted"], 10000);
  }
  // The example spec with fewer trees and folds: the same code paths, in seconds.
  std::string SmallSpec() {
    std::ifstream in(SourceDir() / "examples" / "ai4i2020" / "spec.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto replace = [&](const std::string& from, const std::string& to) {
      const size_t at = text.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      text.replace(at, from.size(), to);
    };
    replace("rounds: 100", "rounds: 40");
    replace("folds: 5", "folds: 3");
    replace("inner_folds: 3", "inner_folds: 2");
    return WriteFile("spec.yaml", text);
  }
  // NewRows' two rows arriving live at serve on `port`, a second apart from `*t0` (now, to
  // the second): calm, then high wear under high torque.
  void PostNewRowsLive(int port, int64_t* t0_out) {
    const int64_t t0 = (NowNs() / kNanosPerSecond) * kNanosPerSecond;
    *t0_out = t0;
    nlohmann::json samples = nlohmann::json::array();
    const std::vector<std::pair<std::string, std::array<double, 2>>> columns = {
        {"air_temperature_C", {25, 30.5}},      {"process_temperature_C", {35, 39}},
        {"rotational_speed_rpm", {1500, 1300}}, {"torque_Nm", {40, 65}},
        {"tool_wear_min", {10, 215}},           {"product_variant", {0, 0}}};
    for (int row = 0; row < 2; ++row) {
      for (const auto& [column, values] : columns) {
        samples.push_back({{"tag", "ai4i/mill-01/" + column},
                           {"ts", t0 + row * kNanosPerSecond},
                           {"value", values[static_cast<size_t>(row)]}});
      }
    }
    httplib::Client client("127.0.0.1", port);
    auto posted = client.Post("/api/v1/samples", samples.dump(), "application/json");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 200) << posted->body;
  }
  // Rows to score, in a file: a calm row and a likely overstrain failure (high wear x
  // torque). No label column is needed.
  std::string NewRows() {
    return WriteFile("new.csv",
                     "time,air_temperature_C,process_temperature_C,rotational_speed_rpm,torque_Nm,"
                     "tool_wear_min,product_variant\n"
                     "2026-05-01T00:00:00Z,25,35,1500,40,10,0\n"
                     "2026-05-01T00:01:00Z,30.5,39,1300,65,215,0\n");
  }
};

}  // namespace fh::testing
