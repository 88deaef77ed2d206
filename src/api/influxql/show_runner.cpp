// SHOW: measurements, series, tag keys and values, field keys and the retention policy, from
// the series index (statement_runner.h).
#include <re2/re2.h>

#include <algorithm>

#include "api/influxql/statement_runner.h"

namespace fh::api::influxql {

namespace show_detail {

bool FromMatches(const ShowStatement& s, const Measurement& m) {
  const auto matches = [&](const Source& src) { return src.Matches(m.name); };
  return (s.sources.empty() || std::any_of(s.sources.begin(), s.sources.end(), matches)) &&
         (s.measurement_filter.empty() ||
          std::any_of(s.measurement_filter.begin(), s.measurement_filter.end(), matches));
}

std::vector<const Series*> MatchingSeries(const ShowStatement& s, const Measurement& m) {
  std::vector<const Series*> out;
  for (const Series& series : m.series)
    if (s.where.tags.Matches(series.tags)) out.push_back(&series);
  return out;
}

template <typename T>
void Page(std::vector<T>* v, int64_t offset, int64_t limit) {
  const auto off = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(v->size())));
  v->erase(v->begin(), v->begin() + static_cast<ptrdiff_t>(off));
  if (limit > 0 && v->size() > static_cast<size_t>(limit)) v->resize(static_cast<size_t>(limit));
}

bool KeyWanted(const ShowStatement& s, const std::string& key) {
  switch (s.key_op) {
    case CompareOp::kEq:
      return std::find(s.keys.begin(), s.keys.end(), key) != s.keys.end();
    case CompareOp::kNe:
      return std::find(s.keys.begin(), s.keys.end(), key) == s.keys.end();
    case CompareOp::kMatch:
      return re2::RE2::PartialMatch(key, *s.key_regex);
    case CompareOp::kNotMatch:
      return !re2::RE2::PartialMatch(key, *s.key_regex);
  }
  return false;
}

// Line protocol's escaping of a series key: commas, spaces and '=' get a backslash.
void AppendEscaped(std::string_view s, bool is_key_part, std::string* out) {
  for (char c : s) {
    if (c == ',' || c == ' ' || (is_key_part && c == '=')) out->push_back('\\');
    out->push_back(c);
  }
}

std::vector<std::vector<Cell>> OneColumn(std::vector<std::string> names) {
  std::vector<std::vector<Cell>> rows;
  rows.reserve(names.size());
  for (std::string& n : names)
    rows.push_back({Cell(std::move(n))});
  return rows;
}

}  // namespace show_detail

StatementResult RunShow(const ShowStatement& s, const SeriesIndex& index) {
  using namespace show_detail;
  using K = ShowStatement::Kind;
  StatementResult r;
  if (s.kind == K::kRetentionPolicies) {
    // The hub keeps points as its own retention says; InfluxDB clients see one default policy.
    r.series.push_back({"",
                        {},
                        {"name", "duration", "shardGroupDuration", "replicaN", "default"},
                        {{Cell(std::string("autogen")), Cell(std::string("0s")),
                          Cell(std::string("168h0m0s")), Cell(int64_t{1}), Cell(true)}}});
    return r;
  }
  if (s.kind == K::kMeasurements || s.kind == K::kSeries) {
    std::vector<std::string> names;
    for (const Measurement& m : index.measurements()) {
      if (!FromMatches(s, m)) continue;
      const std::vector<const Series*> series = MatchingSeries(s, m);
      if (s.kind == K::kMeasurements) {
        if (!series.empty()) names.push_back(m.name);
        continue;
      }
      for (const Series* one : series) {
        std::string key;
        AppendEscaped(m.name, false, &key);
        for (const auto& [k, v] : one->tags) {
          key.push_back(',');
          AppendEscaped(k, true, &key);
          key.push_back('=');
          AppendEscaped(v, true, &key);
        }
        names.push_back(std::move(key));
      }
    }
    Page(&names, s.offset, s.limit);
    if (!names.empty())
      r.series.push_back({s.kind == K::kMeasurements ? "measurements" : "",
                          {},
                          {s.kind == K::kMeasurements ? "name" : "key"},
                          OneColumn(std::move(names))});
    return r;
  }
  for (const Measurement& m : index.measurements()) {
    if (!FromMatches(s, m)) continue;
    const std::vector<const Series*> series = MatchingSeries(s, m);
    ResultSeries rs;
    rs.name = m.name;
    if (s.kind == K::kTagKeys) {
      std::vector<std::string> keys;
      for (const Series* one : series)
        for (const auto& [k, v] : one->tags)
          keys.push_back(k);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      Page(&keys, s.offset, s.limit);
      rs.columns = {"tagKey"};
      rs.values = OneColumn(std::move(keys));
    } else if (s.kind == K::kTagValues) {
      std::vector<std::pair<std::string, std::string>> pairs;
      for (const Series* one : series)
        for (const auto& [k, v] : one->tags)
          if (KeyWanted(s, k)) pairs.emplace_back(k, v);
      std::sort(pairs.begin(), pairs.end());
      pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
      Page(&pairs, s.offset, s.limit);
      rs.columns = {"key", "value"};
      for (auto& [k, v] : pairs)
        rs.values.push_back({Cell(std::move(k)), Cell(std::move(v))});
    } else if (s.kind == K::kFieldKeys) {
      std::vector<std::string> keys = m.FieldKeys();
      Page(&keys, s.offset, s.limit);
      rs.columns = {"fieldKey", "fieldType"};
      // The hub stores numbers as doubles: every field is a float to InfluxQL.
      for (std::string& k : keys)
        rs.values.push_back({Cell(std::move(k)), Cell(std::string("float"))});
    }
    if (!rs.values.empty()) r.series.push_back(std::move(rs));
  }
  return r;
}

}  // namespace fh::api::influxql
