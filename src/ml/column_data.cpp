#include "ml/column_data.h"

#include <set>

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/text_trim.h"
#include "common/time.h"
#include "govern/field_text.h"
#include "ingest/record_reader.h"

namespace fh::ml {

namespace {

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

// Adds one column's points (ascending times) to a unit, widening the unit's rows to the
// union of times.
void AddColumn(UnitColumns& t, const std::string& column,
               const std::vector<std::pair<int64_t, double>>& points) {
  std::vector<int64_t> times;
  times.reserve(points.size());
  for (const auto& p : points)
    times.push_back(p.first);
  std::vector<int64_t> merged;
  merged.reserve(t.time.size() + points.size());
  std::set_union(t.time.begin(), t.time.end(), times.begin(), times.end(),
                 std::back_inserter(merged));
  if (merged.size() != t.time.size()) {  // new times: re-index the unit's columns
    for (auto& [name, values] : t.columns) {
      std::vector<double> moved(merged.size(), kMissing);
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
  values.assign(t.time.size(), kMissing);
  size_t j = 0;
  for (const auto& [ts, v] : points) {
    while (t.time[j] != ts)
      ++j;
    values[j] = v;
  }
}

void Finish(ColumnData& out, std::map<std::string, UnitColumns>& units) {
  for (auto& [name, t] : units) {
    t.unit = name;
    for (const auto& [column, values] : t.columns)
      out.columns.push_back(column);
    out.units.push_back(std::move(t));
  }
  std::sort(out.columns.begin(), out.columns.end());
  out.columns.erase(std::unique(out.columns.begin(), out.columns.end()), out.columns.end());
}

}  // namespace

bool ColumnData::has(const std::string& column) const {
  return std::binary_search(columns.begin(), columns.end(), column);
}

std::string ColumnData::list() const {
  std::string out;
  for (const std::string& c : columns)
    out += (out.empty() ? "" : ", ") + c;
  return out;
}

Result<ColumnData> ReadColumns(Storage& storage, const std::string& pattern, TimeRange range) {
  int unit_group = 0, column_group = 0;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, CompilePattern(pattern, &unit_group, &column_group));
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, storage.ListTags());
  ColumnData out;
  std::map<std::string, UnitColumns> units;
  std::vector<std::pair<int64_t, double>> points;
  for (const TagInfo& tag : tags) {
    std::string groups[2];
    const RE2::Arg a0(&groups[0]), a1(&groups[1]);
    const RE2::Arg* args[] = {&a0, &a1};
    if (!RE2::FullMatchN(tag.name, *re, args, unit_group ? 2 : 1)) continue;
    points.clear();
    FH_RETURN_IF_ERROR(storage.Scan(
        tag.name, range, [&](std::span<const TimestampNs> ts, std::span<const double> value, auto) {
          for (size_t i = 0; i < ts.size(); ++i)
            points.emplace_back(ts[i], value[i]);
          return true;
        }));
    out.tags.push_back(tag.name);
    AddColumn(units[unit_group ? groups[unit_group - 1] : ""], groups[column_group - 1], points);
  }
  if (units.empty()) return NotFound("data: no tag of the hub matches '{}'", pattern);
  Finish(out, units);
  return out;
}

Result<std::map<std::string, double>> ReadLatestColumns(Storage& storage,
                                                        const std::string& pattern,
                                                        const std::vector<std::string>& only) {
  int unit_group = 0, column_group = 0;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, CompilePattern(pattern, &unit_group, &column_group));
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, storage.ListTags());
  std::map<std::string, double> out;
  std::set<std::string> units;
  for (const TagInfo& tag : tags) {
    if (!only.empty() && std::find(only.begin(), only.end(), tag.name) == only.end()) continue;
    std::string groups[2];
    const RE2::Arg a0(&groups[0]), a1(&groups[1]);
    const RE2::Arg* args[] = {&a0, &a1};
    if (!RE2::FullMatchN(tag.name, *re, args, unit_group ? 2 : 1)) continue;
    FH_ASSIGN_OR_RETURN(std::optional<Sample> last, storage.Latest(tag.name));
    if (!last) continue;
    if (unit_group) units.insert(groups[unit_group - 1]);
    out[groups[column_group - 1]] = last->value;
  }
  if (units.size() > 1) {
    std::string list;
    for (const std::string& u : units)
      list += (list.empty() ? "" : ", ") + u;
    return InvalidArgument("'{}' matches the tags of {} units ({}): name one equipment", pattern,
                           units.size(), list);
  }
  if (out.empty()) return NotFound("no tag with a value matches '{}'", pattern);
  return out;
}

Result<std::map<std::string, double>> ReadUnitValues(Storage& storage, const std::string& pattern) {
  int unit_group = 0, column_group = 0;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, CompilePattern(pattern, &unit_group, &column_group));
  if (unit_group == 0 || column_group != 0) {
    return InvalidArgument("'{}': a pattern of unit values has {{unit}} and no {{column}}",
                           pattern);
  }
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, storage.ListTags());
  std::map<std::string, double> out;
  for (const TagInfo& tag : tags) {
    std::string unit;
    if (!RE2::FullMatch(tag.name, *re, &unit)) continue;
    FH_ASSIGN_OR_RETURN(std::optional<Sample> last, storage.Latest(tag.name));
    if (last) out[unit] = last->value;
  }
  if (out.empty()) return NotFound("no tag of the hub matches '{}'", pattern);
  return out;
}

Result<ColumnData> ReadColumnsFromFile(const std::string& path) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader(path, ingest::ReaderOptions{}));
  ingest::RecordBatch batch;
  // Per unit, per column, the points in file order; sorted by time below.
  std::map<std::string, std::map<std::string, std::vector<std::pair<int64_t, double>>>> raw;
  int64_t row = 0;
  const int64_t now = NowNs();
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, reader->Next(batch, 4096));
    if (!more) break;
    const std::vector<std::string>& columns = batch.columns();
    for (size_t i = 0; i < batch.size(); ++i) {
      std::string unit;
      int64_t time = row++;  // no time column: the file's order
      for (size_t c = 0; c < columns.size(); ++c) {
        const std::optional<std::string_view> f = batch.field(i, c);
        if (columns[c] == "unit" && f) unit = std::string(*f);
        if (columns[c] == "time" && f) {
          Result<int64_t> t = ParseTimePoint(*f, now);
          if (!t.ok()) {
            return t.status().WithContext(fmt::format("{}:{}: column 'time'", path, batch.line(i)));
          }
          time = *t;
        }
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] == "unit" || columns[c] == "time") continue;
        const std::optional<std::string_view> f = batch.field(i, c);
        double v = kMissing;
        if (f && !govern::IsMissingNumberText(TrimSpace(*f))) {
          const std::string text(TrimSpace(*f));
          char* end = nullptr;
          v = std::strtod(text.c_str(), &end);
          if (*end != '\0') {
            return InvalidArgument("{}:{}: column '{}': not a number: '{}'", path, batch.line(i),
                                   columns[c], text);
          }
        }
        raw[unit][columns[c]].emplace_back(time, v);
      }
    }
  }
  if (raw.empty()) return InvalidArgument("{}: no rows", path);
  ColumnData out;
  std::map<std::string, UnitColumns> units;
  for (auto& [unit, columns] : raw) {
    for (auto& [column, points] : columns) {
      std::stable_sort(points.begin(), points.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t k = 1; k < points.size(); ++k) {
        if (points[k].first == points[k - 1].first) {
          return InvalidArgument("{}: unit '{}' has two rows at the same time", path, unit);
        }
      }
      AddColumn(units[unit], column, points);
    }
  }
  Finish(out, units);
  return out;
}

}  // namespace fh::ml
