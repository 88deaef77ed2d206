#include "ml/dataset_builder.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "common/time.h"
#include "govern/expression.h"

namespace fh::ml {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The pattern as a regular expression: literal text quoted, {column} any text, {unit} a path
// segment.
Result<std::unique_ptr<RE2>> CompilePattern(const std::string& pattern, int* unit_group,
                                            int* column_group) {
  std::string re = "^";
  int group = 0;
  *unit_group = *column_group = 0;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 8, "{column}") == 0) {
      re += "(.+)";
      *column_group = ++group;
      i += 8;
    } else if (pattern.compare(i, 6, "{unit}") == 0) {
      re += "([^/]+)";
      *unit_group = ++group;
      i += 6;
    } else {
      const size_t next = pattern.find('{', i + 1);
      const size_t end = next == std::string::npos ? pattern.size() : next;
      re += RE2::QuoteMeta(pattern.substr(i, end - i));
      i = end;
    }
  }
  re += "$";
  auto compiled = std::make_unique<RE2>(re);
  if (!compiled->ok()) return InvalidArgument("data: tags: bad pattern '{}'", pattern);
  return compiled;
}

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

// One unit's rows: the union of its columns' times, each column's value at each time.
struct UnitTable {
  std::vector<int64_t> time;
  std::map<std::string, std::vector<double>> columns;
};

double WindowStat(const std::vector<double>& v, size_t end, int window, const std::string& stat) {
  const size_t begin = end + 1 >= static_cast<size_t>(window) ? end + 1 - window : 0;
  if (stat == "last") return v[end];
  double n = 0, sum = 0, min = kNaN, max = kNaN;
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
  if (n == 0) return kNaN;
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

}  // namespace

Result<BuiltDataset> BuildDataset(Storage& storage, const TrainingSpec& spec) {
  int unit_group = 0, column_group = 0;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re,
                      CompilePattern(spec.tags, &unit_group, &column_group));
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, storage.ListTags());
  BuiltDataset out;
  std::map<std::string, UnitTable> units;
  std::vector<std::string> all_columns;
  for (const TagInfo& tag : tags) {
    std::string groups[2];
    const RE2::Arg a0(&groups[0]), a1(&groups[1]);
    const RE2::Arg* args[] = {&a0, &a1};
    if (!RE2::FullMatchN(tag.name, *re, args, unit_group ? 2 : 1)) continue;
    const std::string unit = unit_group ? groups[unit_group - 1] : "";
    const std::string column = groups[column_group - 1];
    out.tags.push_back(tag.name);
    all_columns.push_back(column);
    // Points by time; joined with the unit's other columns below.
    std::vector<std::pair<int64_t, double>> points;
    FH_RETURN_IF_ERROR(
        storage.Scan(tag.name, TimeRange{},
                     [&](std::span<const TimestampNs> ts, std::span<const double> value, auto) {
                       for (size_t i = 0; i < ts.size(); ++i)
                         points.emplace_back(ts[i], value[i]);
                       return true;
                     }));
    UnitTable& t = units[unit];
    std::vector<int64_t> merged;
    merged.reserve(t.time.size() + points.size());
    std::vector<int64_t> times;
    times.reserve(points.size());
    for (const auto& p : points)
      times.push_back(p.first);
    std::set_union(t.time.begin(), t.time.end(), times.begin(), times.end(),
                   std::back_inserter(merged));
    if (merged.size() != t.time.size()) {  // new times: re-index the unit's columns
      for (auto& [name, values] : t.columns) {
        std::vector<double> moved(merged.size(), kNaN);
        size_t j = 0;
        for (size_t i = 0; i < t.time.size(); ++i) {
          while (merged[j] != t.time[i])
            ++j;
          moved[j] = values[i];
        }
        values = std::move(moved);
      }
      t.time = std::move(merged);
    }
    std::vector<double>& values = t.columns[column];
    values.assign(t.time.size(), kNaN);
    size_t j = 0;
    for (const auto& [ts, v] : points) {
      while (t.time[j] != ts)
        ++j;
      values[j] = v;
    }
  }
  std::sort(all_columns.begin(), all_columns.end());
  all_columns.erase(std::unique(all_columns.begin(), all_columns.end()), all_columns.end());
  out.columns = all_columns;
  if (units.empty()) {
    return NotFound("data: no tag of the hub matches '{}'", spec.tags);
  }
  auto has_column = [&](const std::string& c) {
    return std::binary_search(all_columns.begin(), all_columns.end(), c);
  };
  auto column_list = [&] {
    std::string list;
    for (const std::string& c : all_columns)
      list += (list.empty() ? "" : ", ") + c;
    return list;
  };
  if (!spec.label.rul && !has_column(spec.label.column)) {
    return InvalidArgument("label: no column '{}' in the data (columns: {})", spec.label.column,
                           column_list());
  }

  // The features: as listed, or every column but the label and the excluded ones.
  std::vector<FeatureSpec> features = spec.features;
  if (features.empty()) {
    for (const std::string& c : all_columns) {
      if (c == spec.label.column) continue;
      if (std::any_of(spec.exclude.begin(), spec.exclude.end(),
                      [&](const std::string& g) { return GlobMatch(g, c); })) {
        continue;
      }
      features.push_back({FeatureSpec::Kind::kColumn, c, c});
    }
    if (features.empty()) return InvalidArgument("features: no column is left to learn from");
  }
  std::vector<govern::Expression> expressions(features.size());
  for (size_t f = 0; f < features.size(); ++f) {
    const FeatureSpec& fs = features[f];
    if (fs.kind == FeatureSpec::Kind::kExpression) {
      FH_ASSIGN_OR_RETURN(expressions[f], govern::Expression::Compile(fs.expr));
      for (const std::string& v : expressions[f].variables()) {
        if (v != "pi" && !has_column(v)) {
          return InvalidArgument("feature '{}': no column '{}' in the data (columns: {})", fs.name,
                                 v, column_list());
        }
      }
      continue;
    }
    if (!has_column(fs.column)) {
      return InvalidArgument("feature '{}': no column '{}' in the data (columns: {})", fs.name,
                             fs.column, column_list());
    }
    if (!spec.label.rul && fs.column == spec.label.column) {
      return InvalidArgument("feature '{}': the label '{}' cannot be an input", fs.name, fs.column);
    }
  }

  Dataset& d = out.data;
  for (const FeatureSpec& fs : features)
    d.features.push_back(fs.name);
  const std::vector<double> no_values;
  std::vector<std::optional<double>> args;
  for (auto& [unit, t] : units) {
    const size_t n = t.time.size();
    auto column = [&](const std::string& c) -> const std::vector<double>& {
      auto it = t.columns.find(c);
      return it == t.columns.end() ? no_values : it->second;
    };
    for (size_t i = 0; i < n; ++i) {
      double y;
      if (spec.label.rul) {
        y = static_cast<double>(n - 1 - i);
        if (spec.label.cap) y = std::min(y, *spec.label.cap);
      } else {
        const std::vector<double>& label = column(spec.label.column);
        y = label.empty() ? kNaN : label[i];
        if (std::isnan(y)) {
          return InvalidArgument("label '{}' is missing at {}{}: import it or drop the row",
                                 spec.label.column, FormatRfc3339(t.time[i]),
                                 unit.empty() ? "" : fmt::format(" (unit {})", unit));
        }
      }
      for (size_t f = 0; f < features.size(); ++f) {
        const FeatureSpec& fs = features[f];
        double v = kNaN;
        switch (fs.kind) {
          case FeatureSpec::Kind::kColumn: {
            const std::vector<double>& c = column(fs.column);
            if (!c.empty()) v = c[i];
            break;
          }
          case FeatureSpec::Kind::kWindow: {
            const std::vector<double>& c = column(fs.column);
            if (!c.empty()) v = WindowStat(c, i, fs.window, fs.stat);
            break;
          }
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
            v = expressions[f].Evaluate(args).value_or(kNaN);
            break;
          }
        }
        d.x.push_back(static_cast<float>(v));
      }
      d.y.push_back(y);
      if (unit_group) d.group.push_back(unit);
      d.time.push_back(t.time[i]);
    }
  }
  return out;
}

}  // namespace fh::ml
