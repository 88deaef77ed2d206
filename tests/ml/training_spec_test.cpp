// Training specs: what they read, and errors that name file, line, column and field.
#include "ml/training_spec.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

namespace fh::ml {
namespace {

Result<TrainingSpec> Parse(const std::string& yaml) {
  return ParseTrainingSpec(yaml, "s.yaml");
}

std::string Error(const std::string& yaml) {
  Result<TrainingSpec> s = Parse(yaml);
  EXPECT_FALSE(s.ok()) << yaml;
  return s.ok() ? std::string() : s.status().message();
}

TEST(TrainingSpecTest, ReadsEverySection) {
  Result<TrainingSpec> s = Parse(R"(
name: rul
task: regression
data: { tags: "fleet/engine-{unit}/{column}", exclude: ["label/*"] }
features:
  - s02
  - { name: ratio, expr: "s02 / s03" }
  - { window: 5, of: [s02, s03], stats: [mean, slope] }
label: { rul: true, cap: 125 }
split: { kind: group_kfold, folds: 4, seed: 9 }
model: { kind: xgboost, rounds: 50, params: { max_depth: 3 } }
baseline: false
)");
  ASSERT_OK(s);
  EXPECT_EQ(s->name, "rul");
  EXPECT_EQ(s->task, Task::kRegression);
  EXPECT_EQ(s->tags, "fleet/engine-{unit}/{column}");
  EXPECT_EQ(s->exclude, std::vector<std::string>{"label/*"});
  ASSERT_EQ(s->features.size(), 6u);
  EXPECT_EQ(s->features[1].kind, FeatureSpec::Kind::kExpression);
  EXPECT_EQ(s->features[2].name, "s02_mean5");
  EXPECT_EQ(s->features[3].name, "s02_slope5");
  EXPECT_EQ(s->features[5].column, "s03");
  EXPECT_TRUE(s->label.rul);
  EXPECT_EQ(s->label.cap, 125);
  EXPECT_EQ(s->split.kind, SplitKind::kGroupKFold);
  EXPECT_EQ(s->split.folds, 4);
  EXPECT_EQ(s->split.seed, 9u);
  EXPECT_EQ(s->model.rounds, 50);
  EXPECT_EQ(s->model.params.at("max_depth"), "3");
  EXPECT_FALSE(s->baseline);
}

TEST(TrainingSpecTest, DefaultsAreFiveStratifiedFoldsAndAnF1Threshold) {
  Result<TrainingSpec> s = Parse("name: m\ndata: { tags: 'a/{column}' }\nlabel: fail\n");
  ASSERT_OK(s);
  EXPECT_EQ(s->task, Task::kBinary);
  EXPECT_EQ(s->split.kind, SplitKind::kStratifiedKFold);
  EXPECT_EQ(s->split.folds, 5);
  EXPECT_FALSE(s->threshold);
  EXPECT_EQ(s->model.kind, "xgboost");
  EXPECT_TRUE(s->baseline);
  EXPECT_FALSE(s->permutation_seed);
}

TEST(TrainingSpecTest, PermutationTakesTheSplitsSeedOrItsOwn) {
  const std::string head =
      "name: m\ndata: { tags: 'a/{column}' }\nlabel: fail\n"
      "split: { kind: stratified_kfold, seed: 11 }\n";
  Result<TrainingSpec> on = Parse(head + "permutation: true\n");
  ASSERT_OK(on);
  EXPECT_EQ(on->permutation_seed, 11u);
  Result<TrainingSpec> seeded = Parse(head + "permutation: { seed: 3 }\n");
  ASSERT_OK(seeded);
  EXPECT_EQ(seeded->permutation_seed, 3u);
  Result<TrainingSpec> off = Parse(head + "permutation: false\n");
  ASSERT_OK(off);
  EXPECT_FALSE(off->permutation_seed);
  EXPECT_EQ(Error(head + "permutation: { runs: 3 }\n"),
            "s.yaml:5:16: permutation: unknown key 'runs' (allowed: seed)");
  EXPECT_EQ(Error(head + "permutation: { seed: -1 }\n"),
            "s.yaml:5:22: permutation: seed: expected a whole number from 0 to "
            "9223372036854775807, not -1");
}

TEST(TrainingSpecTest, NetworksReadTheirSettingsAndSequencesExpandIntoLags) {
  Result<TrainingSpec> s = Parse(R"(
name: rul
task: regression
data: { tags: 'e/{unit}/{column}' }
features:
  - sequence: 3
    of: [s1, s2]
label: { rul: true }
model: { kind: cnn, filters: 8, kernel: 5, conv_layers: 2, epochs: 7, batch: 32,
         learning_rate: 0.01, patience: 2, validation: 0.2, dropout: 0.25 }
)");
  ASSERT_OK(s);
  ASSERT_EQ(s->features.size(), 6u);
  EXPECT_EQ(s->features[0].name, "s1[t-2]");
  EXPECT_EQ(s->features[0].lag, 2);
  EXPECT_EQ(s->features[2].name, "s1[t]");
  EXPECT_EQ(s->features[3].column, "s2");
  EXPECT_EQ(s->features[3].lag, 2);
  const NetworkConfig& n = s->model.network;
  EXPECT_EQ(n.kind, "cnn");
  EXPECT_EQ(n.steps, 3);
  EXPECT_EQ(n.hidden, std::vector<int>{100});  // the cnn's default dense layer
  EXPECT_EQ(n.filters, 8);
  EXPECT_EQ(n.kernel, 5);
  EXPECT_EQ(n.conv_layers, 2);
  EXPECT_EQ(n.epochs, 7);
  EXPECT_EQ(n.batch, 32);
  EXPECT_DOUBLE_EQ(n.learning_rate, 0.01);
  EXPECT_EQ(n.patience, 2);
  EXPECT_DOUBLE_EQ(n.dropout, 0.25);
  EXPECT_DOUBLE_EQ(s->model.validation, 0.2);

  Result<TrainingSpec> mlp =
      Parse("name: m\ndata: { tags: 'a/{column}' }\nlabel: fail\nmodel: mlp\n");
  ASSERT_OK(mlp);
  EXPECT_EQ(mlp->model.network.hidden, (std::vector<int>{128, 64}));  // the source document's
  EXPECT_EQ(mlp->model.network.epochs, 200);
  EXPECT_DOUBLE_EQ(mlp->model.network.learning_rate, 0.001);
}

TEST(TrainingSpecTest, ErrorsSayWhereAndWhat) {
  const std::string head = "name: m\ndata: { tags: 'a/{column}' }\nlabel: fail\n";
  EXPECT_EQ(Error(head + "modle: xgboost\n"),
            "s.yaml:4:1: spec: unknown key 'modle' (allowed: name, description, task, data, "
            "features, preprocess, label, split, threshold, model, test, baseline, permutation)");
  EXPECT_EQ(Error(head + "model: gbm\n"),
            "s.yaml:4:8: model: unknown kind 'gbm' (xgboost, logistic, linear, mlp, cnn, lstm)");
  EXPECT_EQ(Error(head + "model: { kind: cnn }\n"),
            "s.yaml:4:8: model: a cnn reads sequences: give its features as {sequence: N, of: "
            "[columns]} only");
  EXPECT_EQ(Error(head + "features: [a, { sequence: 3, of: [b] }]\nmodel: lstm\n"),
            "s.yaml:5:8: model: a lstm reads sequences: give its features as {sequence: N, of: "
            "[columns]} only");
  EXPECT_EQ(Error(head + "features: [{ sequence: 3, of: [b] }, { sequence: 4, of: [c] }]\n"),
            "s.yaml:4:50: feature: every sequence needs the same length");
  EXPECT_EQ(Error(head + "model: { kind: mlp, hidden: [128, 0] }\n"),
            "s.yaml:4:35: model: hidden: expected a whole number from 1 to 100000, not 0");
  EXPECT_EQ(Error(head + "model: { kind: mlp, dropout: 1 }\n"),
            "s.yaml:4:30: model: dropout: in [0, 1)");
  EXPECT_EQ(Error(head + "split: { folds: 1 }\n"),
            "s.yaml:4:17: split: folds: expected a whole number from 2 to 100, not 1");
  EXPECT_EQ(Error("name: m\ndata: { tags: 'a/b' }\nlabel: fail\n"),
            "s.yaml:2:15: data: tags: the pattern needs {column}");
  EXPECT_EQ(
      Error(head + "features:\n  - { name: p, expr: 'a * ' }\n"),
      "s.yaml:5:22: feature 'p': expression 'a * ': column 5: expected a value, found the end");
  EXPECT_EQ(Error(head + "features:\n  - { window: 3, of: a, stats: [median] }\n"),
            "s.yaml:5:32: feature: unknown stat 'median' (mean, std, min, max, slope, last, ewm)");
  EXPECT_EQ(Error("name: m\ndata: { tags: 'a/{column}' }\nlabel: { rul: true }\n"),
            "s.yaml:3:8: label: rul is a regression target (task: regression)");
  EXPECT_EQ(Error("name: m\ntask: regression\ndata: { tags: 'a/{column}' }\n"
                  "label: { rul: true }\ntest: { tags: 'b/{column}' }\n"),
            "s.yaml:5:7: test: a rul label needs rul_after_last (where the truth is)");
  EXPECT_EQ(Error("name: m\ndata: { tags: 'a/{column}' }\n"),
            "s.yaml:1:1: missing 'label' (what the model predicts)");
  EXPECT_EQ(Error("name: m\ndata: [\n"), "s.yaml:3:1: end of sequence flow not found");
}

TEST(TrainingSpecTest, MulticlassLabelsFromConditionsOrACodeColumn) {
  Result<TrainingSpec> s = Parse(R"(
name: mode
task: multiclass
data: { tags: "m/{column}" }
label:
  classes:
    - { name: heat, when: "hdf != 0" }
    - { name: power, when: "pwf != 0" }
    - none
  normal: none
)");
  ASSERT_OK(s);
  EXPECT_EQ(s->task, Task::kMulticlass);
  EXPECT_TRUE(s->label.derived());
  ASSERT_EQ(s->label.classes.size(), 3u);
  EXPECT_EQ(s->label.classes[1].name, "power");
  EXPECT_EQ(s->label.classes[1].when, "pwf != 0");
  EXPECT_EQ(s->label.classes[2].when, "");
  EXPECT_EQ(s->label.normal, "none");

  Result<TrainingSpec> codes = Parse(
      "name: m\ntask: multiclass\ndata: { tags: 'a/{column}' }\n"
      "label: { column: mode, classes: [ok, worn, broken] }\n");
  ASSERT_OK(codes);
  EXPECT_FALSE(codes->label.derived());
  EXPECT_EQ(codes->label.column, "mode");
  EXPECT_EQ(codes->label.classes.size(), 3u);

  // A column alone: its distinct values are the classes.
  Result<TrainingSpec> values =
      Parse("name: m\ntask: multiclass\ndata: { tags: 'a/{column}' }\nlabel: mode\n");
  ASSERT_OK(values);
  EXPECT_TRUE(values->label.classes.empty());
}

TEST(TrainingSpecTest, MulticlassErrorsSayWhereAndWhat) {
  const std::string head = "name: m\ntask: multiclass\ndata: { tags: 'a/{column}' }\n";
  EXPECT_EQ(Error(head + "label: { classes: [{ name: a, when: 'x > 1' }, b, c] }\n"),
            "s.yaml:4:19: label: class 'b' has no 'when': only the last class may take every "
            "other row");
  EXPECT_EQ(Error(head + "label: { column: k, classes: [{ name: a, when: 'x > 1' }, b] }\n"),
            "s.yaml:4:30: label: classes: conditions ('when') derive the label; give them or a "
            "column, not both");
  EXPECT_EQ(Error(head + "label: { classes: [a, b] }\n"),
            "s.yaml:4:19: label: classes: name the column whose values 0, 1, ... they are, or "
            "give each class a condition ('when')");
  EXPECT_EQ(Error(head + "label: { column: k, classes: [a, a] }\n"),
            "s.yaml:4:34: label: classes: 'a' twice");
  EXPECT_EQ(Error(head + "label: { column: k, classes: [a] }\n"),
            "s.yaml:4:30: label: classes: expected a list of at least 2 classes");
  EXPECT_EQ(Error(head + "label: { column: k, classes: [a, b], normal: c }\n"),
            "s.yaml:4:46: label: normal: no class 'c' in classes");
  EXPECT_EQ(Error(head + "label: { classes: [{ name: a, when: 'x >' }, b] }\n"),
            "s.yaml:4:37: label: class 'a': expression 'x >': column 4: expected a value, found "
            "the end");
  EXPECT_EQ(Error(head + "label: k\nthreshold: 0.3\n"),
            "s.yaml:5:12: threshold: a multi-class model predicts the most probable class; "
            "there is no threshold to set");
  EXPECT_EQ(Error("name: m\ndata: { tags: 'a/{column}' }\nlabel: { column: k, classes: [a, b] }\n"),
            "s.yaml:3:8: label: classes and normal are for task: multiclass");
}

}  // namespace
}  // namespace fh::ml
