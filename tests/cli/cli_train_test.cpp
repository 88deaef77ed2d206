// factoryhub train end to end on the real AI4I 2020 data (../shared/datasets): imported
// with the example mapping, cross-validated with a small version of the example spec.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

class CliTrainTest : public CliTest {
 protected:
  void ImportAi4i() {
    InitHub();
    const nlohmann::json r =
        Json({"import", "--hub", hub(), "--mapping",
              (SourceDir() / "examples" / "ai4i2020" / "process.yaml").string(),
              (SharedDir() / "datasets" / "ai4i2020" / "ai4i2020.csv").string()});
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
    replace("rounds: 400", "rounds: 40");
    replace("folds: 5", "folds: 3");
    replace("inner_folds: 3", "inner_folds: 2");
    return WriteFile("spec.yaml", text);
  }
};

TEST_F(CliTrainTest, Ai4iCrossValidatesBothModelsDeterministically) {
  ASSERT_NO_FATAL_FAILURE(ImportAi4i());
  const std::string spec = SmallSpec();
  const nlohmann::json r = Json({"train", "--hub", hub(), "--spec", spec});
  EXPECT_EQ(r["rows"], 10000);
  EXPECT_EQ(r["positives"], 339);
  EXPECT_EQ(r["label"], "label/machine_failure");
  for (const auto& f : r["features"]) {
    EXPECT_EQ(f.get<std::string>().find("label/"), std::string::npos) << f;  // never an input
  }
  ASSERT_EQ(r["models"].size(), 2u);
  const nlohmann::json& xgb = r["models"][0];
  const nlohmann::json& logistic = r["models"][1];
  EXPECT_EQ(xgb["kind"], "xgboost");
  EXPECT_EQ(logistic["kind"], "logistic");
  EXPECT_GT(xgb["cv"]["roc_auc"].get<double>(), 0.95);
  EXPECT_GT(xgb["cv"]["f1"].get<double>(), 0.75);
  EXPECT_GT(xgb["cv"]["roc_auc"].get<double>(), logistic["cv"]["roc_auc"].get<double>());
  const nlohmann::json& c = xgb["cv"]["confusion"];
  EXPECT_EQ(c["tp"].get<int>() + c["fn"].get<int>(), 339);
  EXPECT_EQ(xgb["folds"].size(), 3u);
  // Same spec, same data, same seed: same metrics.
  const nlohmann::json again = Json({"train", "--hub", hub(), "--spec", spec});
  EXPECT_EQ(again["models"][0]["cv"], xgb["cv"]);
  EXPECT_EQ(again["models"][1]["cv"], logistic["cv"]);
  // The text form.
  const CliResult text = Ok({"train", "--hub", hub(), "--spec", spec});
  EXPECT_NE(text.out.find("ROC AUC"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("339 positive"), std::string::npos) << text.out;
}

TEST_F(CliTrainTest, BadSpecsAndDataFailWithTheFieldNamed) {
  ASSERT_NO_FATAL_FAILURE(ImportAi4i());
  const std::string typo = WriteFile("typo.yaml",
                                     "name: m\ndata: { tags: 'ai4i/mill-01/{column}' }\n"
                                     "label: label/machine_failure\nfeatures: [torque, rpm]\n");
  CliResult r = RunCli({"train", "--hub", hub(), "--spec", typo});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("feature 'torque': no column 'torque' in the data"), std::string::npos)
      << r.err;
  const std::string mlp =
      WriteFile("mlp.yaml",
                "name: m\ndata: { tags: 'ai4i/mill-01/{column}' }\nlabel: label/machine_failure\n"
                "model: mlp\n");
  r = RunCli({"train", "--hub", hub(), "--spec", mlp});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("mlp.yaml:4:8: model: kind 'mlp' is not built yet"), std::string::npos)
      << r.err;
  const std::string regression_label = WriteFile(
      "torque.yaml",
      "name: m\ndata: { tags: 'ai4i/mill-01/{column}', exclude: ['label/*'] }\nlabel: torque_Nm\n");
  r = RunCli({"train", "--hub", hub(), "--spec", regression_label});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("a binary label is 0 or 1"), std::string::npos) << r.err;
  const CliResult help = RunCli({"train", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--spec"), std::string::npos);
}

}  // namespace
}  // namespace fh::testing
