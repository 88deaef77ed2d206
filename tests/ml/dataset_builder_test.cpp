// The data set a spec builds from a real hub: tags to columns per unit, joined on time;
// column, expression and window features; column and RUL labels; errors that name the
// field. Then cross-validation on it: honest, deterministic, both models reported.
#include "ml/dataset_builder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/split.h"
#include "ml/train_report_json.h"
#include "ml/trainer.h"
#include "store/hub.h"
#include "testing/hub_test.h"

namespace fh::ml {
namespace {

constexpr int64_t kMinute = 60'000'000'000;

class DatasetBuilderTest : public testing::HubTest {
 protected:
  void Write(const SampleBatch& b) { ASSERT_TRUE(hub_->storage().Write(b).ok()); }
  // Ten engines wearing out under fleet/e<N>/: `wear` climbs from `level` by `rise` towards
  // failure, `noise` carries nothing.
  void WriteWearingFleet(uint64_t seed, double level, double rise) {
    SampleBatch b;
    SplitMix64 rng(seed);
    for (int unit = 0; unit < 10; ++unit) {
      const int life = 30 + unit * 3;
      for (int i = 0; i < life; ++i) {
        const double noise = static_cast<double>(rng.Below(1000)) / 1000;
        b.Add(fmt::format("fleet/e{}/wear", unit), i * kMinute, level + rise * i / life + noise);
        b.Add(fmt::format("fleet/e{}/noise", unit), i * kMinute, noise * 10);
      }
    }
    Write(b);
  }
  TrainingSpec Spec(const std::string& yaml) {
    Result<TrainingSpec> s = ParseTrainingSpec(yaml, "spec.yaml");
    EXPECT_OK(s);
    return s.ok() ? *s : TrainingSpec{};
  }
};

TEST_F(DatasetBuilderTest, ColumnsJoinOnTimePerUnitWithExpressionAndWindowFeatures) {
  SampleBatch b;
  for (int i = 0; i < 4; ++i) {
    b.Add("fleet/e1/a", i * kMinute, i + 1.0);           // 1 2 3 4
    if (i != 2) b.Add("fleet/e1/b", i * kMinute, 10.0);  // missing at minute 2
    b.Add("fleet/e1/label/fail", i * kMinute, i == 3 ? 1 : 0);
  }
  b.Add("fleet/e2/a", 5 * kMinute, 7.0);
  b.Add("fleet/e2/label/fail", 5 * kMinute, 0);
  b.Add("other/e9/a", 0, 1.0);  // not matched
  Write(b);
  const TrainingSpec spec = Spec(R"(
name: t
data: { tags: "fleet/{unit}/{column}" }
features:
  - a
  - b
  - { name: sum, expr: "a + b" }
  - { window: 3, of: a, stats: [mean, slope, max] }
label: label/fail
)");
  Result<BuiltDataset> built = BuildDataset(hub_->storage(), spec);
  ASSERT_OK(built);
  const Dataset& d = built->data;
  EXPECT_EQ(built->columns, (std::vector<std::string>{"a", "b", "label/fail"}));
  EXPECT_EQ(built->tags.size(), 5u);
  EXPECT_EQ(d.features,
            (std::vector<std::string>{"a", "b", "sum", "a_mean3", "a_slope3", "a_max3"}));
  ASSERT_EQ(d.rows(), 5u);
  EXPECT_EQ(d.group, (std::vector<std::string>{"e1", "e1", "e1", "e1", "e2"}));
  EXPECT_EQ(d.y, (std::vector<double>{0, 0, 0, 1, 0}));
  EXPECT_EQ(d.time[3], 3 * kMinute);
  // Row 2 of e1: a = 3, b missing, so is the sum; the window holds 1 2 3.
  const std::span<const float> r2 = d.row(2);
  EXPECT_EQ(r2[0], 3);
  EXPECT_TRUE(std::isnan(r2[1]));
  EXPECT_TRUE(std::isnan(r2[2]));
  EXPECT_FLOAT_EQ(r2[3], 2);
  EXPECT_FLOAT_EQ(r2[4], 1);
  EXPECT_EQ(r2[5], 3);
  // Row 3: the window is 2 3 4; a new unit starts its own window.
  EXPECT_FLOAT_EQ(d.row(3)[3], 3);
  EXPECT_EQ(d.row(3)[2], 14);
  EXPECT_FLOAT_EQ(d.row(4)[3], 7);
  EXPECT_FLOAT_EQ(d.row(4)[4], 0);
}

TEST_F(DatasetBuilderTest, RulLabelCountsTheUnitsRemainingRowsCapped) {
  SampleBatch b;
  for (int i = 0; i < 6; ++i)
    b.Add("fleet/e1/s", i * kMinute, i);
  for (int i = 0; i < 3; ++i)
    b.Add("fleet/e2/s", i * kMinute, i);
  Write(b);
  Result<BuiltDataset> built = BuildDataset(
      hub_->storage(), Spec("name: t\ntask: regression\ndata: { tags: 'fleet/{unit}/{column}' }\n"
                            "label: { rul: true, cap: 4 }\n"));
  ASSERT_OK(built);
  EXPECT_EQ(built->data.y, (std::vector<double>{4, 4, 3, 2, 1, 0, 2, 1, 0}));
  EXPECT_EQ(built->data.features, std::vector<std::string>{"s"});
}

TEST_F(DatasetBuilderTest, SequencesLagEachColumnWithinItsUnitRepeatingTheFirstRow) {
  SampleBatch b;
  for (int i = 0; i < 4; ++i) {
    b.Add("fleet/e1/s", i * kMinute, 10 + i);  // 10 11 12 13
    b.Add("fleet/e1/u", i * kMinute, -i);
  }
  b.Add("fleet/e2/s", 0, 50.0);
  b.Add("fleet/e2/u", 0, 5.0);
  Write(b);
  Result<BuiltDataset> built =
      BuildDataset(hub_->storage(), Spec("name: t\ntask: regression\n"
                                         "data: { tags: 'fleet/{unit}/{column}' }\n"
                                         "features: [{ sequence: 3, of: [s, u] }]\n"
                                         "label: { rul: true }\nmodel: cnn\n"));
  ASSERT_OK(built);
  const Dataset& d = built->data;
  EXPECT_EQ(d.features,
            (std::vector<std::string>{"s[t-2]", "s[t-1]", "s[t]", "u[t-2]", "u[t-1]", "u[t]"}));
  ASSERT_EQ(d.rows(), 5u);
  auto row = [&](size_t i) { return std::vector<float>(d.row(i).begin(), d.row(i).end()); };
  EXPECT_EQ(row(0), (std::vector<float>{10, 10, 10, 0, 0, 0}));
  EXPECT_EQ(row(1), (std::vector<float>{10, 10, 11, 0, 0, -1}));
  EXPECT_EQ(row(3), (std::vector<float>{11, 12, 13, -1, -2, -3}));
  EXPECT_EQ(row(4), (std::vector<float>{50, 50, 50, 5, 5, 5}));  // its own unit's start
}

TEST_F(DatasetBuilderTest, TestSetLabelsAreTheTruthPlusTheRowsAfterAndKeepLastRows) {
  SampleBatch b;
  for (int i = 0; i < 5; ++i)
    b.Add("train/e1/s", i * kMinute, i);
  for (int i = 0; i < 3; ++i)
    b.Add("test/e1/s", i * kMinute, i);
  for (int i = 0; i < 2; ++i)
    b.Add("test/e2/s", i * kMinute, 10 + i);
  b.Add("truth/e1", 0, 40);
  b.Add("truth/e2", 0, 7);
  Write(b);
  const std::string head =
      "name: t\ntask: regression\ndata: { tags: 'train/{unit}/{column}' }\n"
      "features: [s, { name: age, position: true }]\nlabel: { rul: true, cap: 3 }\n";
  TrainingSpec spec = Spec(head +
                           "test: { tags: 'test/{unit}/{column}', rul_after_last: "
                           "'truth/{unit}', rows: all }\n");
  Result<BuiltDataset> train = BuildDataset(hub_->storage(), spec);
  ASSERT_OK(train);
  EXPECT_EQ(train->data.y, (std::vector<double>{3, 3, 2, 1, 0}));  // capped
  EXPECT_EQ(train->data.row(4)[1], 5);                             // position in the unit
  Result<Dataset> all = BuildTestDataset(hub_->storage(), spec, *train);
  ASSERT_OK(all);
  EXPECT_EQ(all->y, (std::vector<double>{42, 41, 40, 8, 7}));  // the truth, not capped
  spec.test->last_rows_only = true;
  Result<Dataset> last = BuildTestDataset(hub_->storage(), spec, *train);
  ASSERT_OK(last);
  EXPECT_EQ(last->y, (std::vector<double>{40, 7}));
  EXPECT_EQ(last->group, (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(last->row(0)[1], 3);  // e1's third and last test row
  // Every model is scored once on it.
  spec.split = {SplitKind::kGroupKFold, 2, 1};
  Dataset two_units = train->data;
  for (size_t i = 0; i < two_units.rows(); ++i)
    two_units.group[i] = i < 2 ? "a" : "b";
  Result<TrainReport> r = CrossValidate(two_units, spec, &*last);
  ASSERT_OK(r);
  EXPECT_EQ(r->test_rows, 2u);
  for (const ModelEvaluation& e : r->models) {
    ASSERT_TRUE(e.test.has_value()) << e.kind;
    EXPECT_EQ(e.test->rows, 2u);
    EXPECT_GT(e.test->rmse, 0);
  }
  // A unit without truth is named.
  Result<Dataset> missing = BuildTestDataset(
      hub_->storage(),
      Spec(head + "test: { tags: 'test/{unit}/{column}', rul_after_last: 'truth/{unit}x' }\n"),
      *train);
  EXPECT_FALSE(missing.ok());
}

TEST_F(DatasetBuilderTest, ErrorsNameTheFieldColumnAndRow) {
  SampleBatch b;
  b.Add("m/a", 0, 1);
  b.Add("m/a", kMinute, 2);
  b.Add("m/fail", 0, 0);  // none at minute 1
  Write(b);
  auto error = [&](const std::string& yaml) {
    Result<BuiltDataset> r = BuildDataset(hub_->storage(), Spec(yaml));
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_EQ(error("name: t\ndata: { tags: 'm/{column}' }\nlabel: fail\n"),
            "label 'fail' is missing at 1970-01-01T00:01:00Z: import it or drop the row");
  EXPECT_EQ(error("name: t\ndata: { tags: 'm/{column}' }\nlabel: broke\n"),
            "label: no column 'broke' in the data (columns: a, fail)");
  EXPECT_EQ(error("name: t\ndata: { tags: 'm/{column}' }\nfeatures: [a, z]\nlabel: fail\n"),
            "feature 'z': no column 'z' in the data (columns: a, fail)");
  EXPECT_EQ(error("name: t\ndata: { tags: 'm/{column}' }\nfeatures: [fail]\nlabel: fail\n"),
            "feature 'fail': 'fail' makes the label; it cannot be an input");
  EXPECT_EQ(error("name: t\ndata: { tags: 'q/{column}' }\nlabel: fail\n"),
            "data: no tag of the hub matches 'q/{column}'");
}

TEST_F(DatasetBuilderTest, MulticlassLabelsFromConditionsAndFromCodes) {
  // Minute i: temperature i; hot when the flag says so, worn when the other does.
  SampleBatch b;
  const double hot[] = {0, 1, 0, 1, 0, 0};
  const double worn[] = {0, 1, 1, 0, 0, 0};
  const double code[] = {2, 7, 2, 7, 9, 2};
  for (int i = 0; i < 6; ++i) {
    b.Add("m/temperature", i * kMinute, i);
    b.Add("m/flag/hot", i * kMinute, hot[i]);
    b.Add("m/flag/worn", i * kMinute, worn[i]);
    b.Add("m/code", i * kMinute, code[i]);
    b.Add("t/temperature", i * kMinute, i);
    b.Add("t/code", i * kMinute, i == 0 ? 9 : 2);
  }
  b.Add("t/code", 9 * kMinute, 5);  // a class the training data never had
  b.Add("t/temperature", 9 * kMinute, 1);
  Write(b);
  const std::string derived = R"(
name: t
task: multiclass
data: { tags: "m/{column}", exclude: [code] }
label:
  classes:
    - { name: hot, when: "`flag/hot` != 0" }
    - { name: worn, when: "`flag/worn` != 0" }
    - ok
  normal: ok
)";
  Result<BuiltDataset> built = BuildDataset(hub_->storage(), Spec(derived));
  ASSERT_OK(built);
  // The flags make the label: they are not features, though no spec excluded them.
  EXPECT_EQ(built->data.features, std::vector<std::string>{"temperature"});
  EXPECT_EQ(built->data.classes, (std::vector<std::string>{"hot", "worn", "ok"}));
  EXPECT_EQ(built->data.y, (std::vector<double>{2, 0, 1, 0, 2, 2}));  // hot wins over worn

  // Without a class for the rest, a row in no class is an error that names it.
  Result<BuiltDataset> gap = BuildDataset(
      hub_->storage(), Spec("name: t\ntask: multiclass\ndata: { tags: 'm/{column}' }\n"
                            "label: { classes: [{ name: hot, when: '`flag/hot` != 0' }, "
                            "{ name: worn, when: '`flag/worn` != 0' }] }\n"));
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.status().message(),
            "label: the row at 1970-01-01T00:00:00Z is in no class: add a last class without "
            "'when' for the rows no condition holds for");
  Result<BuiltDataset> leak =
      BuildDataset(hub_->storage(), Spec(derived + "features: [temperature, flag/hot]\n"));
  ASSERT_FALSE(leak.ok());
  EXPECT_EQ(leak.status().message(),
            "feature 'flag/hot': 'flag/hot' makes the label; it cannot be an input");

  // A code column: its distinct values are the classes, by value; a test set keeps them.
  const TrainingSpec codes = Spec(
      "name: t\ntask: multiclass\ndata: { tags: 'm/{column}', exclude: ['flag/*'] }\n"
      "label: code\ntest: { tags: 't/{column}', rows: all }\n");
  Result<BuiltDataset> by_value = BuildDataset(hub_->storage(), codes);
  ASSERT_OK(by_value);
  EXPECT_EQ(by_value->data.classes, (std::vector<std::string>{"2", "7", "9"}));
  EXPECT_EQ(by_value->data.y, (std::vector<double>{0, 1, 0, 1, 2, 0}));
  Result<Dataset> test = BuildTestDataset(hub_->storage(), codes, *by_value);
  ASSERT_FALSE(test.ok());
  EXPECT_EQ(test.status().message(),
            "test: label 'code': 5 is not a class of the training data (2, 7, 9)");

  // Listed classes: the values are their indices.
  Result<BuiltDataset> listed =
      BuildDataset(hub_->storage(), Spec("name: t\ntask: multiclass\ndata: { tags: 'm/{column}' }\n"
                                         "label: { column: code, classes: [a, b, c] }\n"));
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().message(),
            "label 'code': 7 is not a class index: the 3 classes are 0 to 2");
  Result<BuiltDataset> normal =
      BuildDataset(hub_->storage(), Spec("name: t\ntask: multiclass\ndata: { tags: 'm/{column}' }\n"
                                         "label: { column: code, normal: '3' }\n"));
  ASSERT_FALSE(normal.ok());
  EXPECT_EQ(normal.status().message(), "label: normal: no class '3' (classes: 2, 7, 9)");
}

TEST_F(DatasetBuilderTest, CrossValidationIsHonestAndDeterministic) {
  // The label follows x (a threshold with 5% of labels flipped); y is noise.
  SampleBatch b;
  SplitMix64 rng(11);
  for (int i = 0; i < 600; ++i) {
    const double x = static_cast<double>(rng.Below(1000)) / 100;
    const double noise = static_cast<double>(rng.Below(1000)) / 100;
    const bool flip = rng.Below(100) < 5;
    b.Add("line/x", i * kMinute, x);
    b.Add("line/y", i * kMinute, noise);
    b.Add("line/label", i * kMinute, (x > 7) != flip ? 1 : 0);
  }
  Write(b);
  const TrainingSpec spec = Spec(R"(
name: t
data: { tags: "line/{column}" }
label: label
split: { folds: 3, seed: 4 }
model: { kind: xgboost, rounds: 20, params: { max_depth: 3 } }
)");
  Result<BuiltDataset> built = BuildDataset(hub_->storage(), spec);
  ASSERT_OK(built);
  Result<TrainReport> a = CrossValidate(built->data, spec);
  ASSERT_OK(a);
  ASSERT_EQ(a->models.size(), 2u);
  EXPECT_EQ(a->models[0].kind, "xgboost");
  EXPECT_EQ(a->models[1].kind, "logistic");
  EXPECT_EQ(a->models[0].folds.size(), 3u);
  for (const ModelEvaluation& e : a->models) {
    EXPECT_GT(e.mean.roc_auc, 0.85) << e.kind;
    EXPECT_LT(e.mean.roc_auc, 0.999) << e.kind;  // 5% flipped labels: never perfect when honest
    EXPECT_EQ(e.mean.confusion.tp + e.mean.confusion.fp + e.mean.confusion.tn + e.mean.confusion.fn,
              600);
    ASSERT_EQ(e.importance.size(), 2u);
    EXPECT_GT(e.importance[0], e.importance[1]) << e.kind;  // x matters, y does not
  }
  Result<TrainReport> again = CrossValidate(built->data, spec);
  ASSERT_OK(again);
  EXPECT_EQ(TrainReportJson(*a)["models"][0]["cv"].dump(),
            TrainReportJson(*again)["models"][0]["cv"].dump());
  const nlohmann::ordered_json j = TrainReportJson(*a);
  EXPECT_EQ(j["rows"], 600);
  EXPECT_EQ(j["features"], (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(j["models"][0]["importance"].contains("x"));
}

TEST_F(DatasetBuilderTest, SequenceNetworkCrossValidatesByUnit) {
  WriteWearingFleet(13, 0, 100);
  const TrainingSpec spec = Spec(R"(
name: t
task: regression
data: { tags: "fleet/{unit}/{column}" }
features: [{ sequence: 4, of: [wear, noise] }]
label: { rul: true }
split: { kind: group_kfold, folds: 3, seed: 4 }
model: { kind: cnn, filters: 4, kernel: 3, conv_layers: 1, hidden: [8], epochs: 60, batch: 16,
         learning_rate: 0.01, validation: 0, threads: 1 }
)");
  EXPECT_EQ(spec.model.network.threads, 1);
  Result<BuiltDataset> built = BuildDataset(hub_->storage(), spec);
  ASSERT_OK(built);
  Result<TrainReport> r = CrossValidate(built->data, spec);
  ASSERT_OK(r);
  ASSERT_EQ(r->models.size(), 2u);
  EXPECT_EQ(r->models[0].kind, "cnn");
  EXPECT_EQ(r->models[1].kind, "linear");
  // Remaining life is about (100 - wear) / 100 of a 30-57 row life: both learn it well.
  EXPECT_LT(r->models[0].mean.rmse, 8) << r->models[0].mean.rmse;
  EXPECT_EQ(r->models[0].importance.size(), 8u);
  ASSERT_NE(r->models[0].fitted, nullptr);
  Result<std::string> saved = r->models[0].fitted->Save();
  ASSERT_OK(saved);
  Result<std::unique_ptr<Model>> loaded = LoadModel("cnn", Task::kRegression, *saved);
  ASSERT_OK(loaded);
  EXPECT_EQ(*(*loaded)->Predict(built->data), *r->models[0].fitted->Predict(built->data));
}

// Issue 23: a sequence network on windows of normalised columns (fitted per fold), with
// early stopping on held-out units and its learning rate lowered on plateaus; the same seed
// gives the same network.
TEST_F(DatasetBuilderTest, SequenceNetworkOnNormalisedWindowsIsReproducible) {
  WriteWearingFleet(17, 1500, 40);  // far from 0: what normalising is for
  const TrainingSpec spec = Spec(R"(
name: t
task: regression
data: { tags: "fleet/{unit}/{column}" }
features: [{ sequence: 4, of: [wear, noise] }]
preprocess: { normalize: { columns: [wear, noise] } }
label: { rul: true }
split: { kind: group_kfold, folds: 3, seed: 4 }
model: { kind: cnn, filters: 4, kernel: 3, conv_layers: 1, hidden: [8], epochs: 300, batch: 16,
         learning_rate: 0.01, validation: 0.2, patience: 8, threads: 1 }
baseline: false
)");
  EXPECT_EQ(spec.model.network.lr_patience, 2);  // a quarter of the patience by default
  Result<BuiltDataset> built = BuildDataset(hub_->storage(), spec);
  ASSERT_OK(built);
  ASSERT_TRUE(built->preprocessing.columns.has_value());
  Result<TrainReport> r =
      CrossValidate(built->data, spec, nullptr, {}, FoldPreparation(spec, *built));
  ASSERT_OK(r);
  EXPECT_LT(r->models[0].mean.rmse, 8) << r->models[0].mean.rmse;
  EXPECT_NE(r->models[0].fit_summary.find("learning rate lowered"), std::string::npos)
      << r->models[0].fit_summary;
  Result<TrainReport> again =
      CrossValidate(built->data, spec, nullptr, {}, FoldPreparation(spec, *built));
  ASSERT_OK(again);
  EXPECT_EQ(again->models[0].out_of_fold, r->models[0].out_of_fold);
  // A sequence network's channels must keep their length: dropping features is refused.
  TrainingSpec drop = spec;
  drop.preprocess.drop_constant = true;
  EXPECT_EQ(BuildDataset(hub_->storage(), drop).status().code(), StatusCode::kInvalidArgument);
  // Nor is what makes the label rescaled.
  TrainingSpec rescaled = spec;
  rescaled.label = LabelSpec{};
  rescaled.label.column = "noise";
  const Status refused = BuildDataset(hub_->storage(), rescaled).status();
  EXPECT_NE(refused.message().find("normalize: 'noise' makes the label"), std::string::npos)
      << refused.message();
}

}  // namespace
}  // namespace fh::ml
