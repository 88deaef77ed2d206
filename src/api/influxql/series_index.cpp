#include "api/influxql/series_index.h"

#include <algorithm>
#include <map>

namespace fh::api::influxql {

SeriesKey SplitTagName(std::string_view name) {
  SeriesKey key;
  const size_t last = name.rfind('/');
  if (last == std::string_view::npos || last == 0 || last + 1 == name.size()) {
    key.measurement = name;
    key.field = "value";
    return key;
  }
  key.field = name.substr(last + 1);
  std::string_view rest = name.substr(0, last);
  bool first = true;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    const size_t eq = segment.find('=');
    if (!first && eq != std::string_view::npos && eq > 0) {
      key.tags.emplace_back(segment.substr(0, eq), segment.substr(eq + 1));
    } else {
      if (!key.measurement.empty()) key.measurement += '/';
      key.measurement += segment;
    }
    first = false;
  }
  std::stable_sort(key.tags.begin(), key.tags.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // A key given twice keeps its last value, as a map would.
  auto dup = std::unique(key.tags.rbegin(), key.tags.rend(),
                         [](const auto& a, const auto& b) { return a.first == b.first; });
  key.tags.erase(key.tags.begin(), dup.base());
  return key;
}

const SeriesField* Series::Field(std::string_view name) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), name,
                             [](const SeriesField& f, std::string_view n) { return f.field < n; });
  return it != fields.end() && it->field == name ? &*it : nullptr;
}

std::vector<std::string> Measurement::TagKeys() const {
  std::vector<std::string> keys;
  for (const Series& s : series)
    for (const auto& [k, v] : s.tags)
      keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> Measurement::FieldKeys() const {
  std::vector<std::string> keys;
  for (const Series& s : series)
    for (const SeriesField& f : s.fields)
      keys.push_back(f.field);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

namespace {

std::vector<TagInfo> Infos(const std::vector<std::string>& names) {
  std::vector<TagInfo> out(names.size());
  for (size_t i = 0; i < names.size(); ++i)
    out[i].name = names[i];
  return out;
}

}  // namespace

SeriesIndex::SeriesIndex(const std::vector<std::string>& tag_names)
    : SeriesIndex(Infos(tag_names)) {}

SeriesIndex::SeriesIndex(const std::vector<TagInfo>& infos) {
  std::map<std::string, std::map<TagSet, std::map<std::string, const TagInfo*>>> tree;
  for (const TagInfo& t : infos) {
    SeriesKey key = SplitTagName(t.name);
    tree[key.measurement][std::move(key.tags)][key.field] = &t;
  }
  measurements_.reserve(tree.size());
  for (auto& [name, series_map] : tree) {
    Measurement m{name, {}};
    m.series.reserve(series_map.size());
    for (auto& [tags, fields] : series_map) {
      Series s{tags, {}};
      for (auto& [field, info] : fields)
        s.fields.push_back({field, info->name, info->first_ts, info->samples > 0});
      m.series.push_back(std::move(s));
    }
    measurements_.push_back(std::move(m));
  }
}

}  // namespace fh::api::influxql
