#include <algorithm>
#include <fstream>
#include <sstream>

#include "govern/expression.h"
#include "govern/yaml_reader.h"
#include "ml/training_spec.h"

namespace fh::ml {

namespace {

constexpr std::string_view kStats[] = {"mean", "std", "min", "max", "slope", "last", "ewm"};

// The length of the features' sequences: a sequence's first lag is its oldest, N - 1.
int SequenceSteps(const std::vector<FeatureSpec>& features) {
  for (const FeatureSpec& f : features) {
    if (f.kind == FeatureSpec::Kind::kLag) return f.lag + 1;
  }
  return 0;
}

class SpecParser : public govern::YamlReader {
 public:
  using YamlReader::YamlReader;

  Result<TrainingSpec> Parse(const std::string& text) const {
    FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(text, name_));
    try {
      FH_ASSIGN_OR_RETURN(TrainingSpec spec, Root(root));
      spec.text = text;
      return spec;
    } catch (const YAML::Exception& e) {
      return FromException(e);
    }
  }

 private:
  Result<TrainingSpec> Root(const YAML::Node& root) const {
    FH_RETURN_IF_ERROR(
        CheckKeys(root, "spec",
                  {"name", "description", "task", "data", "features", "preprocess", "label",
                   "split", "threshold", "model", "test", "baseline", "permutation"}));
    TrainingSpec s;
    if (!root["name"]) return Error(root, "missing 'name' (the model's name)");
    FH_ASSIGN_OR_RETURN(s.name, Scalar(root["name"], "name"));
    if (s.name.empty() || s.name.find_first_of("@/ ") != std::string::npos) {
      return Error(root["name"], "name: a name without '@', '/' or spaces");
    }
    if (root["task"]) {
      FH_ASSIGN_OR_RETURN(std::string task, Scalar(root["task"], "task"));
      Result<Task> t = ParseTask(task);
      if (!t.ok()) return Error(root["task"], t.status().message());
      if (*t == Task::kAnomaly) {
        return Error(root["task"],
                     "task: an anomaly detector is trained by factoryhub anomaly train, from a "
                     "detector spec (docs/anomaly.md)");
      }
      s.task = *t;
    }
    if (!root["data"]) return Error(root, "missing 'data' (which tags to read)");
    FH_RETURN_IF_ERROR(Data(root["data"], &s));
    if (root["features"]) FH_RETURN_IF_ERROR(Features(root["features"], &s));
    if (root["preprocess"]) FH_RETURN_IF_ERROR(Preprocess(root["preprocess"], &s));
    if (!root["label"]) return Error(root, "missing 'label' (what the model predicts)");
    FH_RETURN_IF_ERROR(Label(root["label"], &s));
    if (s.label.rul && s.task != Task::kRegression) {
      return Error(root["label"], "label: rul is a regression target (task: regression)");
    }
    if (s.task != Task::kMulticlass && (!s.label.classes.empty() || !s.label.normal.empty())) {
      return Error(root["label"], "label: classes and normal are for task: multiclass");
    }
    if (s.task == Task::kMulticlass && root["threshold"]) {
      return Error(root["threshold"],
                   "threshold: a multi-class model predicts the most probable class; "
                   "there is no threshold to set");
    }
    if (root["split"]) FH_RETURN_IF_ERROR(Split(root["split"], &s));
    if (root["threshold"]) FH_RETURN_IF_ERROR(Threshold(root["threshold"], &s));
    if (root["model"]) FH_RETURN_IF_ERROR(Model(root["model"], &s));
    if (root["test"]) FH_RETURN_IF_ERROR(Test(root["test"], &s));
    if (root["baseline"]) {
      FH_ASSIGN_OR_RETURN(s.baseline, Bool(root["baseline"], "baseline"));
    }
    if (root["permutation"]) FH_RETURN_IF_ERROR(Permutation(root["permutation"], &s));
    return s;
  }

  Status Permutation(const YAML::Node& node, TrainingSpec* s) const {
    if (node.IsMap()) {
      FH_RETURN_IF_ERROR(CheckKeys(node, "permutation", {"seed"}));
      s->permutation_seed = s->split.seed;
      if (node["seed"]) {
        FH_ASSIGN_OR_RETURN(int64_t seed, Integer(node["seed"], "permutation: seed", 0, INT64_MAX));
        s->permutation_seed = static_cast<uint64_t>(seed);
      }
      return Status::Ok();
    }
    FH_ASSIGN_OR_RETURN(bool on, Bool(node, "permutation (true, false or { seed: N })"));
    if (on) s->permutation_seed = s->split.seed;
    return Status::Ok();
  }

  Status Data(const YAML::Node& node, TrainingSpec* s) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "data", {"tags", "exclude", "equipment"}));
    if (node["equipment"]) {
      FH_ASSIGN_OR_RETURN(s->equipment, Scalar(node["equipment"], "data: equipment"));
    }
    if (!node["tags"]) return Error(node, "data: missing 'tags' (a pattern with {column})");
    FH_ASSIGN_OR_RETURN(s->tags, Scalar(node["tags"], "data: tags"));
    if (s->tags.find("{column}") == std::string::npos) {
      return Error(node["tags"], "data: tags: the pattern needs {column}");
    }
    if (node["exclude"]) {
      FH_ASSIGN_OR_RETURN(s->exclude, Strings(node["exclude"], "data: exclude"));
    }
    return Status::Ok();
  }

  Status Features(const YAML::Node& node, TrainingSpec* s) const {
    if (!node.IsSequence()) return Error(node, "features: expected a list");
    for (const YAML::Node& item : node) {
      if (item.IsScalar()) {
        s->features.push_back({FeatureSpec::Kind::kColumn, item.Scalar(), item.Scalar()});
        continue;
      }
      FH_RETURN_IF_ERROR(CheckKeys(
          item, "feature", {"name", "expr", "window", "of", "stats", "position", "sequence"}));
      if (item["position"]) {
        FeatureSpec f;
        f.kind = FeatureSpec::Kind::kPosition;
        FH_ASSIGN_OR_RETURN(bool on, Bool(item["position"], "feature: position"));
        if (!on || !item["name"]) return Error(item, "feature: position: true needs a name");
        FH_ASSIGN_OR_RETURN(f.name, Scalar(item["name"], "feature: name"));
        s->features.push_back(std::move(f));
        continue;
      }
      if (item["expr"]) {
        FeatureSpec f;
        f.kind = FeatureSpec::Kind::kExpression;
        if (!item["name"]) return Error(item, "feature: an expr needs a name");
        FH_ASSIGN_OR_RETURN(f.name, Scalar(item["name"], "feature: name"));
        FH_ASSIGN_OR_RETURN(f.expr, Scalar(item["expr"], "feature: expr"));
        if (Result<govern::Expression> e = govern::Expression::Compile(f.expr); !e.ok()) {
          return Error(item["expr"], fmt::format("feature '{}': {}", f.name, e.status().message()));
        }
        s->features.push_back(std::move(f));
        continue;
      }
      if (item["sequence"]) {
        FH_ASSIGN_OR_RETURN(int64_t steps,
                            Integer(item["sequence"], "feature: sequence", 1, 10000));
        if (!item["of"]) return Error(item, "feature: a sequence needs 'of' (its columns)");
        FH_ASSIGN_OR_RETURN(std::vector<std::string> of, Strings(item["of"], "feature: of"));
        if (of.empty()) return Error(item["of"], "feature: of: name at least one column");
        for (const std::string& column : of) {
          for (int64_t lag = steps - 1; lag >= 0; --lag) {
            FeatureSpec f;
            f.kind = FeatureSpec::Kind::kLag;
            f.column = column;
            f.lag = static_cast<int>(lag);
            f.name = lag == 0 ? fmt::format("{}[t]", column) : fmt::format("{}[t-{}]", column, lag);
            s->features.push_back(std::move(f));
          }
        }
        if (SequenceSteps(s->features) != steps) {
          return Error(item["sequence"], "feature: every sequence needs the same length");
        }
        continue;
      }
      if (!item["window"]) {
        return Error(item, "feature: expected a column, an expr, a window or a sequence");
      }
      FH_ASSIGN_OR_RETURN(int64_t window, Integer(item["window"], "feature: window", 2, 100000));
      if (!item["of"]) return Error(item, "feature: a window needs 'of' (its columns)");
      FH_ASSIGN_OR_RETURN(std::vector<std::string> of, Strings(item["of"], "feature: of"));
      std::vector<std::string> stats = {"mean"};
      if (item["stats"]) {
        FH_ASSIGN_OR_RETURN(stats, Strings(item["stats"], "feature: stats"));
      }
      for (const std::string& stat : stats) {
        if (std::find(std::begin(kStats), std::end(kStats), stat) == std::end(kStats)) {
          return Error(
              item["stats"],
              fmt::format("feature: unknown stat '{}' (mean, std, min, max, slope, last, ewm)",
                          stat));
        }
      }
      for (const std::string& column : of) {
        for (const std::string& stat : stats) {
          FeatureSpec f;
          f.kind = FeatureSpec::Kind::kWindow;
          f.column = column;
          f.window = static_cast<int>(window);
          f.stat = stat;
          f.name = fmt::format("{}_{}{}", column, stat, window);
          s->features.push_back(std::move(f));
        }
      }
    }
    return Status::Ok();
  }

  Status Preprocess(const YAML::Node& node, TrainingSpec* s) const {
    FH_RETURN_IF_ERROR(
        CheckKeys(node, "preprocess", {"regimes", "normalize", "impute", "scale", "drop"}));
    PreprocessSpec& p = s->preprocess;
    if (node["regimes"]) FH_RETURN_IF_ERROR(Regimes(node["regimes"], &p));
    if (node["normalize"]) FH_RETURN_IF_ERROR(Normalize(node["normalize"], &p));
    auto one_of = [&](const char* key, std::initializer_list<std::string_view> choices,
                      std::string* out) -> Status {
      if (!node[key]) return Status::Ok();
      FH_ASSIGN_OR_RETURN(*out, Scalar(node[key], fmt::format("preprocess: {}", key)));
      if (std::find(choices.begin(), choices.end(), *out) == choices.end()) {
        return Error(node[key], fmt::format("preprocess: {}: '{}' is not one of {}", key, *out,
                                            fmt::join(choices, ", ")));
      }
      return Status::Ok();
    };
    FH_RETURN_IF_ERROR(one_of("impute", {"mean", "median", "zero", "previous"}, &p.impute));
    FH_RETURN_IF_ERROR(one_of("scale", {"standard", "minmax"}, &p.scale));
    if (const YAML::Node& drop = node["drop"]) {
      FH_RETURN_IF_ERROR(CheckKeys(drop, "preprocess: drop", {"constant", "correlated"}));
      if (drop["constant"]) {
        FH_ASSIGN_OR_RETURN(p.drop_constant, Bool(drop["constant"], "preprocess: drop: constant"));
      }
      if (drop["correlated"]) {
        FH_ASSIGN_OR_RETURN(double r, Number(drop["correlated"], "preprocess: drop: correlated"));
        if (!(r > 0 && r <= 1)) {
          return Error(drop["correlated"],
                       "preprocess: drop: correlated: a correlation in (0, 1], like 0.99");
        }
        p.drop_correlated = r;
      }
    }
    if (p.normalize && p.normalize->per_regime && !p.regimes && node["normalize"]["by"]) {
      return Error(node["normalize"]["by"],
                   "preprocess: normalize: by: regime needs preprocess: regimes");
    }
    if (p.normalize && !p.regimes) p.normalize->per_regime = false;
    return Status::Ok();
  }

  Status Regimes(const YAML::Node& node, PreprocessSpec* p) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "preprocess: regimes",
                                 {"column", "settings", "k", "max_k", "seed", "name"}));
    RegimeSpec r;
    if (node["column"]) {
      FH_ASSIGN_OR_RETURN(r.column, Scalar(node["column"], "preprocess: regimes: column"));
    }
    if (node["settings"]) {
      FH_ASSIGN_OR_RETURN(r.settings, Strings(node["settings"], "preprocess: regimes: settings"));
    }
    if (r.column.empty() == r.settings.empty()) {
      return Error(node,
                   "preprocess: regimes: give either a column (a regime tag) or settings (the "
                   "columns to learn regimes from)");
    }
    if (!r.column.empty() && (node["k"] || node["max_k"] || node["seed"])) {
      return Error(node, "preprocess: regimes: k, max_k and seed are for learned regimes");
    }
    if (node["k"] && !(node["k"].IsScalar() && node["k"].Scalar() == "auto")) {
      FH_ASSIGN_OR_RETURN(int64_t k,
                          Integer(node["k"], "preprocess: regimes: k (or auto)", 1, 100));
      r.k = static_cast<int>(k);
    }
    if (node["max_k"]) {
      FH_ASSIGN_OR_RETURN(int64_t k, Integer(node["max_k"], "preprocess: regimes: max_k", 2, 100));
      r.max_k = static_cast<int>(k);
    }
    if (node["seed"]) {
      FH_ASSIGN_OR_RETURN(int64_t seed,
                          Integer(node["seed"], "preprocess: regimes: seed", 1, INT64_MAX));
      r.seed = static_cast<uint64_t>(seed);
    }
    if (node["name"]) {
      FH_ASSIGN_OR_RETURN(r.name, Scalar(node["name"], "preprocess: regimes: name"));
      if (r.name.empty()) return Error(node["name"], "preprocess: regimes: name: empty");
    }
    p->regimes = std::move(r);
    return Status::Ok();
  }

  Status Normalize(const YAML::Node& node, PreprocessSpec* p) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "preprocess: normalize", {"columns", "method", "by"}));
    NormalizeSpec n;
    if (!node["columns"]) return Error(node, "preprocess: normalize: missing 'columns'");
    FH_ASSIGN_OR_RETURN(n.columns, Strings(node["columns"], "preprocess: normalize: columns"));
    if (n.columns.empty()) return Error(node["columns"], "preprocess: normalize: no columns");
    if (node["method"]) {
      FH_ASSIGN_OR_RETURN(std::string m, Scalar(node["method"], "preprocess: normalize: method"));
      if (m != "zscore" && m != "minmax") {
        return Error(node["method"], "preprocess: normalize: method: zscore or minmax");
      }
      n.minmax = m == "minmax";
    }
    if (node["by"]) {
      FH_ASSIGN_OR_RETURN(std::string by, Scalar(node["by"], "preprocess: normalize: by"));
      if (by != "regime" && by != "all") {
        return Error(node["by"], "preprocess: normalize: by: regime or all");
      }
      n.per_regime = by == "regime";
    }
    p->normalize = std::move(n);
    return Status::Ok();
  }

  Status Label(const YAML::Node& node, TrainingSpec* s) const {
    if (node.IsScalar()) {
      s->label.column = node.Scalar();
      return Status::Ok();
    }
    FH_RETURN_IF_ERROR(CheckKeys(node, "label", {"column", "rul", "cap", "classes", "normal"}));
    if (node["column"]) {
      FH_ASSIGN_OR_RETURN(s->label.column, Scalar(node["column"], "label"));
    }
    if (node["rul"]) {
      FH_ASSIGN_OR_RETURN(s->label.rul, Bool(node["rul"], "label: rul"));
    }
    if (node["cap"]) {
      FH_ASSIGN_OR_RETURN(s->label.cap, Number(node["cap"], "label: cap"));
    }
    if (node["classes"]) FH_RETURN_IF_ERROR(Classes(node["classes"], s));
    if (s->label.rul && !s->label.classes.empty()) {
      return Error(node, "label: give either classes or rul: true");
    }
    if (s->label.rul == !s->label.column.empty() && !s->label.derived()) {
      return Error(node, "label: give either a column, classes with conditions, or rul: true");
    }
    if (node["normal"]) {
      FH_ASSIGN_OR_RETURN(s->label.normal, Scalar(node["normal"], "label: normal"));
      const std::vector<ClassSpec>& c = s->label.classes;
      if (!c.empty() && std::none_of(c.begin(), c.end(), [&](const ClassSpec& k) {
            return k.name == s->label.normal;
          })) {
        return Error(node["normal"],
                     fmt::format("label: normal: no class '{}' in classes", s->label.normal));
      }
    }
    return Status::Ok();
  }

  // A list of names, or of {name, when}: the first class whose condition holds, the last
  // one may have none (every other row).
  Status Classes(const YAML::Node& node, TrainingSpec* s) const {
    if (!node.IsSequence() || node.size() < 2) {
      return Error(node, "label: classes: expected a list of at least 2 classes");
    }
    std::vector<ClassSpec>& out = s->label.classes;
    for (const YAML::Node& item : node) {
      ClassSpec c;
      if (item.IsScalar()) {
        c.name = item.Scalar();
      } else {
        FH_RETURN_IF_ERROR(CheckKeys(item, "label: class", {"name", "when"}));
        if (!item["name"]) return Error(item, "label: class: missing 'name'");
        FH_ASSIGN_OR_RETURN(c.name, Scalar(item["name"], "label: class: name"));
        if (item["when"]) {
          FH_ASSIGN_OR_RETURN(c.when, Scalar(item["when"], "label: class: when"));
          if (Result<govern::Expression> e = govern::Expression::Compile(c.when); !e.ok()) {
            return Error(item["when"],
                         fmt::format("label: class '{}': {}", c.name, e.status().message()));
          }
        }
      }
      if (c.name.empty()) return Error(item, "label: class: an empty name");
      for (const ClassSpec& before : out) {
        if (before.name == c.name) {
          return Error(item, fmt::format("label: classes: '{}' twice", c.name));
        }
      }
      out.push_back(std::move(c));
    }
    const bool any_when =
        std::any_of(out.begin(), out.end(), [](const ClassSpec& c) { return !c.when.empty(); });
    if (any_when && !s->label.column.empty()) {
      return Error(node,
                   "label: classes: conditions ('when') derive the label; "
                   "give them or a column, not both");
    }
    if (!any_when && s->label.column.empty()) {
      return Error(node,
                   "label: classes: name the column whose values 0, 1, ... they are, "
                   "or give each class a condition ('when')");
    }
    for (size_t k = 0; any_when && k + 1 < out.size(); ++k) {
      if (out[k].when.empty()) {
        return Error(node, fmt::format("label: class '{}' has no 'when': only the last class "
                                       "may take every other row",
                                       out[k].name));
      }
    }
    return Status::Ok();
  }

  Status Split(const YAML::Node& node, TrainingSpec* s) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "split", {"kind", "folds", "seed"}));
    if (node["kind"]) {
      FH_ASSIGN_OR_RETURN(std::string kind, Scalar(node["kind"], "split: kind"));
      Result<SplitKind> k = ParseSplitKind(kind);
      if (!k.ok()) return Error(node["kind"], k.status().message());
      s->split.kind = *k;
    }
    if (node["folds"]) {
      FH_ASSIGN_OR_RETURN(int64_t folds, Integer(node["folds"], "split: folds", 2, 100));
      s->split.folds = static_cast<int>(folds);
    }
    if (node["seed"]) {
      FH_ASSIGN_OR_RETURN(int64_t seed, Integer(node["seed"], "split: seed", 0, INT64_MAX));
      s->split.seed = static_cast<uint64_t>(seed);
    }
    return Status::Ok();
  }

  Status Threshold(const YAML::Node& node, TrainingSpec* s) const {
    if (node.IsScalar() && node.Scalar() != "f1") {
      FH_ASSIGN_OR_RETURN(double t, Number(node, "threshold"));
      if (!(t > 0 && t < 1)) return Error(node, "threshold: expected f1 or a number in (0, 1)");
      s->threshold = t;
      return Status::Ok();
    }
    if (node.IsScalar()) return Status::Ok();  // f1: the default
    FH_RETURN_IF_ERROR(CheckKeys(node, "threshold", {"tune", "inner_folds"}));
    if (node["tune"]) {
      FH_ASSIGN_OR_RETURN(std::string tune, Scalar(node["tune"], "threshold: tune"));
      if (tune != "f1") return Error(node["tune"], "threshold: tune: only f1 is supported");
    }
    if (node["inner_folds"]) {
      FH_ASSIGN_OR_RETURN(int64_t k, Integer(node["inner_folds"], "threshold: inner_folds", 2, 20));
      s->inner_folds = static_cast<int>(k);
    }
    return Status::Ok();
  }

  Status Test(const YAML::Node& node, TrainingSpec* s) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "test", {"tags", "rul_after_last", "rows", "cap"}));
    TestSpec t;
    if (!node["tags"]) return Error(node, "test: missing 'tags' (a pattern with {column})");
    FH_ASSIGN_OR_RETURN(t.tags, Scalar(node["tags"], "test: tags"));
    if (t.tags.find("{column}") == std::string::npos) {
      return Error(node["tags"], "test: tags: the pattern needs {column}");
    }
    if (node["rul_after_last"]) {
      FH_ASSIGN_OR_RETURN(t.rul_after_last, Scalar(node["rul_after_last"], "test: rul_after_last"));
      if (t.rul_after_last.find("{unit}") == std::string::npos) {
        return Error(node["rul_after_last"], "test: rul_after_last: the pattern needs {unit}");
      }
    }
    if (s->label.rul && t.rul_after_last.empty()) {
      return Error(node, "test: a rul label needs rul_after_last (where the truth is)");
    }
    if (node["rows"]) {
      FH_ASSIGN_OR_RETURN(std::string rows, Scalar(node["rows"], "test: rows"));
      if (rows != "last" && rows != "all") return Error(node["rows"], "test: rows: last or all");
      t.last_rows_only = rows == "last";
    }
    t.cap = s->label.cap;
    if (node["cap"]) {
      if (s->task != Task::kRegression) {
        return Error(node["cap"], "test: cap: for regression labels (a remaining life)");
      }
      FH_ASSIGN_OR_RETURN(double cap, Number(node["cap"], "test: cap"));
      if (!(cap > 0)) return Error(node["cap"], "test: cap: a number > 0");
      t.cap = cap;
    }
    s->test = std::move(t);
    return Status::Ok();
  }

  // The networks' settings (NetworkConfig); defaults per kind when not given.
  Status Network(const YAML::Node& node, TrainingSpec* s) const {
    NetworkConfig& n = s->model.network;
    if (node["hidden"]) {
      const YAML::Node& h = node["hidden"];
      if (!h.IsSequence() || h.size() == 0) {
        return Error(h, "model: hidden: a list of layer sizes, like [128, 64]");
      }
      n.hidden.clear();
      for (const YAML::Node& size : h) {
        FH_ASSIGN_OR_RETURN(int64_t v, Integer(size, "model: hidden", 1, 100000));
        n.hidden.push_back(static_cast<int>(v));
      }
    }
    auto integer = [&](const char* key, int* out, int64_t lo, int64_t hi) -> Status {
      if (!node[key]) return Status::Ok();
      FH_ASSIGN_OR_RETURN(int64_t v, Integer(node[key], fmt::format("model: {}", key), lo, hi));
      *out = static_cast<int>(v);
      return Status::Ok();
    };
    FH_RETURN_IF_ERROR(integer("epochs", &n.epochs, 1, 100000));
    FH_RETURN_IF_ERROR(integer("batch", &n.batch, 1, 1000000));
    FH_RETURN_IF_ERROR(integer("patience", &n.patience, 1, 100000));
    FH_RETURN_IF_ERROR(integer("filters", &n.filters, 1, 10000));
    FH_RETURN_IF_ERROR(integer("kernel", &n.kernel, 1, 10000));
    FH_RETURN_IF_ERROR(integer("conv_layers", &n.conv_layers, 1, 100));
    FH_RETURN_IF_ERROR(integer("threads", &n.threads, 0, 1024));
    FH_RETURN_IF_ERROR(integer("lr_patience", &n.lr_patience, 0, 100000));
    if (node["lr_factor"]) {
      FH_ASSIGN_OR_RETURN(n.lr_factor, Number(node["lr_factor"], "model: lr_factor"));
      if (!(n.lr_factor > 0 && n.lr_factor < 1)) {
        return Error(node["lr_factor"], "model: lr_factor: in (0, 1), like 0.5");
      }
    }
    if (node["learning_rate"]) {
      FH_ASSIGN_OR_RETURN(n.learning_rate, Number(node["learning_rate"], "model: learning_rate"));
      if (!(n.learning_rate > 0)) return Error(node["learning_rate"], "model: learning_rate: > 0");
    }
    if (node["dropout"]) {
      FH_ASSIGN_OR_RETURN(n.dropout, Number(node["dropout"], "model: dropout"));
      if (!(n.dropout >= 0 && n.dropout < 1))
        return Error(node["dropout"], "model: dropout: in [0, 1)");
    }
    if (node["validation"]) {
      FH_ASSIGN_OR_RETURN(s->model.validation, Number(node["validation"], "model: validation"));
      if (!(s->model.validation >= 0 && s->model.validation < 1)) {
        return Error(node["validation"], "model: validation: a share in [0, 1)");
      }
    }
    return Status::Ok();
  }

  Status Model(const YAML::Node& node, TrainingSpec* s) const {
    if (node.IsScalar()) {
      s->model.kind = node.Scalar();
    } else {
      FH_RETURN_IF_ERROR(
          CheckKeys(node, "model",
                    {"kind", "rounds", "params", "l2", "balanced", "hidden", "epochs", "batch",
                     "learning_rate", "patience", "validation", "dropout", "filters", "kernel",
                     "conv_layers", "threads", "lr_patience", "lr_factor"}));
      if (node["kind"]) {
        FH_ASSIGN_OR_RETURN(s->model.kind, Scalar(node["kind"], "model: kind"));
      }
      if (node["rounds"]) {
        FH_ASSIGN_OR_RETURN(int64_t r, Integer(node["rounds"], "model: rounds", 1, 100000));
        s->model.rounds = static_cast<int>(r);
      }
      if (node["params"]) {
        const YAML::Node& p = node["params"];
        if (!p.IsMap()) return Error(p, "model: params: expected a mapping of parameters");
        for (const auto& kv : p) {
          FH_ASSIGN_OR_RETURN(std::string v, Scalar(kv.second, "model: params"));
          s->model.params[kv.first.as<std::string>()] = v;
        }
      }
      if (node["l2"]) {
        FH_ASSIGN_OR_RETURN(s->model.l2, Number(node["l2"], "model: l2"));
      }
      if (node["balanced"]) {
        FH_ASSIGN_OR_RETURN(s->model.balanced, Bool(node["balanced"], "model: balanced"));
      }
      FH_RETURN_IF_ERROR(Network(node, s));
    }
    const std::string& k = s->model.kind;
    if (k != "xgboost" && k != "logistic" && k != "linear" && k != "mlp" && k != "cnn" &&
        k != "lstm") {
      return Error(
          node,
          fmt::format("model: unknown kind '{}' (xgboost, logistic, linear, mlp, cnn, lstm)", k));
    }
    s->model.network.kind = k;
    if (!node.IsMap() || !node["hidden"]) {
      if (k == "cnn") s->model.network.hidden = {100};
      if (k == "lstm") s->model.network.hidden = {64};
    }
    // The sequence networks lower their learning rate on a plateau unless told otherwise:
    // after a quarter of the early-stopping patience.
    if ((k == "cnn" || k == "lstm") && (!node.IsMap() || !node["lr_patience"])) {
      s->model.network.lr_patience = std::max(1, s->model.network.patience / 4);
    }
    if (k == "cnn" || k == "lstm") {
      // The network reads each row as channels of `steps` values: every feature must come
      // from a sequence.
      const bool all_lags =
          !s->features.empty() &&
          std::all_of(s->features.begin(), s->features.end(),
                      [](const FeatureSpec& f) { return f.kind == FeatureSpec::Kind::kLag; });
      if (!all_lags) {
        return Error(node, fmt::format("model: a {} reads sequences: give its features as "
                                       "{{sequence: N, of: [columns]}} only",
                                       k));
      }
      s->model.network.steps = SequenceSteps(s->features);
    }
    if ((k == "logistic") != (s->task == Task::kBinary) && (k == "logistic" || k == "linear")) {
      return Error(node, fmt::format("model: {} does not fit a {} task", k, ToString(s->task)));
    }
    return Status::Ok();
  }
};

}  // namespace

Result<TrainingSpec> ParseTrainingSpec(const std::string& text, std::string_view display_name) {
  return SpecParser(std::string(display_name)).Parse(text);
}

Result<TrainingSpec> LoadTrainingSpec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read training spec '{}'", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseTrainingSpec(ss.str(), path);
}

}  // namespace fh::ml
