#include "ml/dataset_builder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include <fmt/ranges.h>

#include "common/time.h"
#include "govern/expression.h"

namespace fh::ml {

namespace {

bool GlobMatch(std::string_view glob, std::string_view s) {
  const size_t star = glob.find('*');
  if (star == std::string_view::npos) return glob == s;
  const std::string_view head = glob.substr(0, star);
  if (s.substr(0, head.size()) != head) return false;
  const std::string_view rest = glob.substr(star + 1);
  for (size_t at = head.size(); at <= s.size(); ++at) {
    if (GlobMatch(rest, s.substr(at))) return true;
  }
  return false;
}

double WindowStat(const std::vector<double>& v, size_t end, int window, const std::string& stat) {
  const size_t begin = end + 1 >= static_cast<size_t>(window) ? end + 1 - window : 0;
  if (stat == "last") return v[end];
  double n = 0, sum = 0, min = kMissing, max = kMissing;
  double sx = 0, sxy = 0, sxx = 0;
  for (size_t i = begin; i <= end; ++i) {
    if (std::isnan(v[i])) continue;
    const double x = static_cast<double>(i - begin);
    n += 1;
    sum += v[i];
    min = std::isnan(min) ? v[i] : std::min(min, v[i]);
    max = std::isnan(max) ? v[i] : std::max(max, v[i]);
    sx += x;
    sxy += x * v[i];
    sxx += x * x;
  }
  if (n == 0) return kMissing;
  const double mean = sum / n;
  if (stat == "mean") return mean;
  if (stat == "min") return min;
  if (stat == "max") return max;
  if (stat == "std") {
    double ss = 0;
    for (size_t i = begin; i <= end; ++i) {
      if (!std::isnan(v[i])) ss += (v[i] - mean) * (v[i] - mean);
    }
    return std::sqrt(ss / n);
  }
  // slope: least squares of value on row position, per row.
  const double denominator = n * sxx - sx * sx;
  return denominator > 0 ? (n * sxy - sx * sum) / denominator : 0;
}

// The index of the first class whose condition holds on row i (a class without one takes
// every row that reaches it). A condition that reads a missing value is an error, like a
// missing label: the row's class is unknown.
template <typename Column>
Result<double> ClassOf(const LabelSpec& label, std::vector<govern::Expression>& conditions,
                       Column&& column, size_t i, const UnitColumns& t) {
  std::vector<std::optional<double>> args;
  for (size_t k = 0; k < conditions.size(); ++k) {
    if (label.classes[k].when.empty()) return static_cast<double>(k);
    args.clear();
    for (const std::string& name : conditions[k].variables()) {
      const std::vector<double>& c = column(name);
      if (c.empty() || std::isnan(c[i])) {
        args.emplace_back(std::nullopt);
      } else {
        args.emplace_back(c[i]);
      }
    }
    const std::optional<double> holds = conditions[k].Evaluate(args);
    if (!holds) {
      return InvalidArgument("label: class '{}': its condition reads a missing value at {}{}",
                             label.classes[k].name, FormatRfc3339(t.time[i]),
                             t.unit.empty() ? "" : fmt::format(" (unit {})", t.unit));
    }
    if (*holds != 0) return static_cast<double>(k);
  }
  return InvalidArgument(
      "label: the row at {}{} is in no class: add a last class without "
      "'when' for the rows no condition holds for",
      FormatRfc3339(t.time[i]), t.unit.empty() ? "" : fmt::format(" (unit {})", t.unit));
}

// A column step must not rewrite what makes the label (its column, or what a class's
// condition reads), and a sequence network reads its features as channels x steps, which
// dropping some would break.
Status CheckPreprocessing(const TrainingSpec& spec) {
  const PreprocessSpec& p = spec.preprocess;
  if (p.normalize) {
    FH_ASSIGN_OR_RETURN(const std::vector<std::string> made_of, LabelColumns(spec));
    for (const std::string& c : p.normalize->columns) {
      if (std::find(made_of.begin(), made_of.end(), c) != made_of.end()) {
        return InvalidArgument("preprocess: normalize: '{}' makes the label; it cannot be rescaled",
                               c);
      }
    }
  }
  const std::string& kind = spec.model.kind;
  if ((kind == "cnn" || kind == "lstm") && (p.drop_constant || p.drop_correlated)) {
    return InvalidArgument(
        "preprocess: drop: a {} reads its features as channels of equal length; dropping some "
        "would break them (normalise the columns instead)",
        kind);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> LabelColumns(const TrainingSpec& spec) {
  std::vector<std::string> out;
  if (spec.label.rul) return out;
  if (!spec.label.column.empty()) out.push_back(spec.label.column);
  for (const ClassSpec& c : spec.label.classes) {
    if (c.when.empty()) continue;
    FH_ASSIGN_OR_RETURN(govern::Expression e, govern::Expression::Compile(c.when));
    for (const std::string& v : e.variables()) {
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
  }
  return out;
}

Result<std::vector<FeatureSpec>> ResolveFeatures(const TrainingSpec& spec, const ColumnData& data) {
  // The columns that make the label: never inputs (a model would read the answer).
  FH_ASSIGN_OR_RETURN(const std::vector<std::string> made_of, LabelColumns(spec));
  for (const std::string& c : made_of) {
    if (!data.has(c)) {
      return InvalidArgument("label: no column '{}' in the data (columns: {})", c, data.list());
    }
  }
  const std::set<std::string> label_columns(made_of.begin(), made_of.end());
  std::vector<FeatureSpec> features = spec.features;
  if (features.empty()) {
    for (const std::string& c : data.columns) {
      if (label_columns.count(c)) continue;
      if (std::any_of(spec.exclude.begin(), spec.exclude.end(),
                      [&](const std::string& g) { return GlobMatch(g, c); })) {
        continue;
      }
      features.push_back({FeatureSpec::Kind::kColumn, c, c});
    }
    if (features.empty()) return InvalidArgument("features: no column is left to learn from");
  }
  for (const FeatureSpec& fs : features) {
    if (fs.kind != FeatureSpec::Kind::kExpression && fs.kind != FeatureSpec::Kind::kPosition &&
        label_columns.count(fs.column)) {
      return InvalidArgument("feature '{}': '{}' makes the label; it cannot be an input", fs.name,
                             fs.column);
    }
  }
  return features;
}

Result<Dataset> ComputeDataset(const ColumnData& data, const std::vector<FeatureSpec>& features,
                               const LabelSpec* label) {
  std::vector<govern::Expression> expressions(features.size());
  for (size_t f = 0; f < features.size(); ++f) {
    const FeatureSpec& fs = features[f];
    if (fs.kind == FeatureSpec::Kind::kExpression) {
      FH_ASSIGN_OR_RETURN(expressions[f], govern::Expression::Compile(fs.expr));
      for (const std::string& v : expressions[f].variables()) {
        if (!data.has(v)) {
          return InvalidArgument("feature '{}': no column '{}' in the data (columns: {})", fs.name,
                                 v, data.list());
        }
      }
    } else if (fs.kind != FeatureSpec::Kind::kPosition && !data.has(fs.column)) {
      return InvalidArgument("feature '{}': no column '{}' in the data (columns: {})", fs.name,
                             fs.column, data.list());
    }
  }
  const bool derived = label && label->derived();
  std::vector<govern::Expression> conditions;
  if (derived) {
    for (const ClassSpec& c : label->classes) {
      conditions.emplace_back();
      if (!c.when.empty()) {
        FH_ASSIGN_OR_RETURN(conditions.back(), govern::Expression::Compile(c.when));
      }
    }
  }
  Dataset d;
  for (const FeatureSpec& fs : features)
    d.features.push_back(fs.name);
  const bool has_units = data.units.size() > 1 || !data.units.front().unit.empty();
  const std::vector<double> no_values;
  std::vector<std::optional<double>> args;
  // ewm features: each one's running mean over the unit's rows so far.
  std::vector<double> ewm(features.size());
  for (const UnitColumns& t : data.units) {
    const size_t n = t.time.size();
    std::fill(ewm.begin(), ewm.end(), kMissing);
    auto column = [&](const std::string& c) -> const std::vector<double>& {
      auto it = t.columns.find(c);
      return it == t.columns.end() ? no_values : it->second;
    };
    for (size_t i = 0; i < n; ++i) {
      double y = kMissing;
      if (label && label->rul) {
        y = static_cast<double>(n - 1 - i);
        if (label->cap) y = std::min(y, *label->cap);
      } else if (derived) {
        FH_ASSIGN_OR_RETURN(y, ClassOf(*label, conditions, column, i, t));
      } else if (label) {
        const std::vector<double>& values = column(label->column);
        if (!values.empty()) y = values[i];
        if (std::isnan(y)) {
          return InvalidArgument("label '{}' is missing at {}{}: import it or drop the row",
                                 label->column, FormatRfc3339(t.time[i]),
                                 t.unit.empty() ? "" : fmt::format(" (unit {})", t.unit));
        }
      }
      for (size_t f = 0; f < features.size(); ++f) {
        const FeatureSpec& fs = features[f];
        double v = kMissing;
        switch (fs.kind) {
          case FeatureSpec::Kind::kColumn: {
            const std::vector<double>& c = column(fs.column);
            if (!c.empty()) v = c[i];
            break;
          }
          case FeatureSpec::Kind::kWindow: {
            const std::vector<double>& c = column(fs.column);
            if (c.empty()) break;
            if (fs.stat == "ewm") {
              // span N: alpha = 2 / (N + 1), started at the unit's first present value
              const double alpha = 2.0 / (fs.window + 1.0);
              if (!std::isnan(c[i])) {
                ewm[f] = std::isnan(ewm[f]) ? c[i] : alpha * c[i] + (1 - alpha) * ewm[f];
              }
              v = ewm[f];
            } else {
              v = WindowStat(c, i, fs.window, fs.stat);
            }
            break;
          }
          case FeatureSpec::Kind::kLag: {
            const std::vector<double>& c = column(fs.column);
            const size_t lag = static_cast<size_t>(fs.lag);
            if (!c.empty()) v = c[i >= lag ? i - lag : 0];
            break;
          }
          case FeatureSpec::Kind::kPosition:
            v = static_cast<double>(i + 1);
            break;
          case FeatureSpec::Kind::kExpression: {
            args.clear();
            for (const std::string& name : expressions[f].variables()) {
              const std::vector<double>& c = column(name);
              if (c.empty() || std::isnan(c[i])) {
                args.emplace_back(std::nullopt);
              } else {
                args.emplace_back(c[i]);
              }
            }
            v = expressions[f].Evaluate(args).value_or(kMissing);
            break;
          }
        }
        d.x.push_back(static_cast<float>(v));
      }
      d.y.push_back(y);
      if (has_units) d.group.push_back(t.unit);
      d.time.push_back(t.time[i]);
    }
  }
  return d;
}

Status AssignClasses(const LabelSpec& label, const std::vector<std::string>& known, Dataset& d) {
  if (label.derived()) {
    for (const ClassSpec& c : label.classes)
      d.classes.push_back(c.name);
    return Status::Ok();
  }
  if (!label.classes.empty()) {
    for (const ClassSpec& c : label.classes)
      d.classes.push_back(c.name);
    for (double y : d.y) {
      if (y != std::floor(y) || y < 0 || y >= static_cast<double>(d.classes.size())) {
        return InvalidArgument("label '{}': {} is not a class index: the {} classes are 0 to {}",
                               label.column, y, d.classes.size(), d.classes.size() - 1);
      }
    }
    return Status::Ok();
  }
  // The column's distinct values are the classes, by value; named as they print.
  if (known.empty()) {
    const std::set<double> values(d.y.begin(), d.y.end());
    for (double v : values)
      d.classes.push_back(fmt::format("{}", v));
  } else {
    d.classes = known;
  }
  std::map<std::string, double> index;
  for (size_t k = 0; k < d.classes.size(); ++k)
    index[d.classes[k]] = static_cast<double>(k);
  for (double& y : d.y) {
    const auto it = index.find(fmt::format("{}", y));
    if (it == index.end()) {
      return InvalidArgument("label '{}': {} is not a class of the training data ({})",
                             label.column, y, fmt::join(d.classes, ", "));
    }
    y = it->second;
  }
  return Status::Ok();
}

Result<BuiltDataset> BuildDataset(Storage& storage, const TrainingSpec& spec) {
  FH_ASSIGN_OR_RETURN(ColumnData columns, ReadColumns(storage, spec.tags));
  return BuildDatasetFromColumns(spec, std::move(columns));
}

Result<BuiltDataset> BuildDatasetFromColumns(const TrainingSpec& spec, ColumnData columns) {
  BuiltDataset out;
  FH_RETURN_IF_ERROR(CheckPreprocessing(spec));
  // The features may read the columns the regimes add: resolved against their names.
  ColumnData names;
  names.columns = columns.columns;
  if (const std::optional<RegimeSpec>& r = spec.preprocess.regimes) {
    for (const std::string& added : RegimeColumns(r->name))
      names.columns.push_back(added);
    std::sort(names.columns.begin(), names.columns.end());
    names.columns.erase(std::unique(names.columns.begin(), names.columns.end()),
                        names.columns.end());
  }
  FH_ASSIGN_OR_RETURN(out.features, ResolveFeatures(spec, names));
  std::vector<size_t> all(RowCount(columns));
  std::iota(all.begin(), all.end(), size_t{0});
  FH_ASSIGN_OR_RETURN(PreparedData prepared, FitPreprocessing(spec, columns, out.features, all));
  out.data = std::move(prepared.data);
  out.preprocessing = std::move(prepared.fitted);
  if (spec.task == Task::kMulticlass) {
    FH_RETURN_IF_ERROR(AssignClasses(spec.label, {}, out.data));
    const std::vector<std::string>& c = out.data.classes;
    if (!spec.label.normal.empty() && std::find(c.begin(), c.end(), spec.label.normal) == c.end()) {
      return InvalidArgument("label: normal: no class '{}' (classes: {})", spec.label.normal,
                             fmt::join(c, ", "));
    }
  }
  out.columns = columns.columns;
  out.tags = columns.tags;
  out.raw = std::move(columns);
  return out;
}

std::function<Result<PreparedFold>(std::span<const size_t>)> FoldPreparation(
    const TrainingSpec& spec, const BuiltDataset& built) {
  if (!spec.preprocess.any()) return {};
  return [&spec, &built](std::span<const size_t> train_rows) -> Result<PreparedFold> {
    FH_ASSIGN_OR_RETURN(PreparedData p,
                        FitPreprocessing(spec, built.raw, built.features, train_rows));
    // The labels do not depend on the preprocessing: as built (multi-class: class indices).
    p.data.y = built.data.y;
    p.data.classes = built.data.classes;
    return PreparedFold{std::move(p.data), p.fitted.Describe()};
  };
}

Result<Dataset> BuildTestDataset(Storage& storage, const TrainingSpec& spec,
                                 const BuiltDataset& train) {
  if (!spec.test) return InvalidArgument("the spec has no test set");
  const TestSpec& test = *spec.test;
  Result<ColumnData> columns = ReadColumns(storage, test.tags);
  if (!columns.ok()) return columns.status().WithContext("test");
  std::map<std::string, double> truth;
  if (spec.label.rul) {
    Result<std::map<std::string, double>> t = ReadUnitValues(storage, test.rul_after_last);
    if (!t.ok()) return t.status().WithContext("test: rul_after_last");
    truth = std::move(*t);
  }
  Result<Dataset> all = train.preprocessing.Apply(std::move(*columns), train.features,
                                                  spec.label.rul ? nullptr : &spec.label);
  if (!all.ok()) return all.status().WithContext("test");
  if (spec.task == Task::kMulticlass) {
    FH_RETURN_IF_ERROR(AssignClasses(spec.label, train.data.classes, *all).WithContext("test"));
  }
  // Rows are by unit, then time: a unit's rows are consecutive.
  std::vector<size_t> keep;
  for (size_t begin = 0; begin < all->rows();) {
    const std::string unit = all->group.empty() ? "" : all->group[begin];
    size_t end = begin + 1;
    while (end < all->rows() && !all->group.empty() && all->group[end] == unit)
      ++end;
    if (spec.label.rul) {
      const auto it = truth.find(unit);
      if (it == truth.end()) {
        return InvalidArgument("test: unit '{}' has no value under '{}'", unit,
                               test.rul_after_last);
      }
      for (size_t i = begin; i < end; ++i)
        all->y[i] = it->second + static_cast<double>(end - 1 - i);
    }
    for (size_t i = test.last_rows_only ? end - 1 : begin; i < end; ++i)
      keep.push_back(i);
    begin = end;
  }
  return all->Subset(keep);
}

}  // namespace fh::ml
