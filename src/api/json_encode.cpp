#include "api/json_encode.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time.h"

namespace fh::api {
namespace {

void AppendNumber(std::string* out, double v) {
  if (std::isfinite(v)) {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  } else {
    out->append("null");
  }
}

void AppendString(std::string* out, const std::string& s) {
  out->append(nlohmann::ordered_json(s).dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::replace));
}

void AppendTime(std::string* out, TimestampNs ts) {
  out->push_back('"');
  out->append(FormatRfc3339(ts));
  out->push_back('"');
}

}  // namespace

nlohmann::ordered_json JsonNumber(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

std::string QueryResultJson(const QueryResult& result) {
  std::string out;
  const bool aggregated = !result.aggs.empty();
  out.append("{");
  if (aggregated) {
    out.append("\"every\":");
    if (result.every > 0) {
      AppendString(&out, FormatDuration(result.every));
    } else {
      out.append("null");
    }
    out.append(",\"aggs\":[");
    for (size_t i = 0; i < result.aggs.size(); ++i) {
      if (i > 0) out.push_back(',');
      fmt::format_to(std::back_inserter(out), "\"{}\"", AggName(result.aggs[i]));
    }
    out.append("],");
  }
  out.append("\"series\":[");
  for (size_t s = 0; s < result.series.size(); ++s) {
    const Series& series = result.series[s];
    if (s > 0) out.push_back(',');
    out.append("{\"tag\":");
    AppendString(&out, series.tag);
    if (aggregated) {
      out.append(",\"buckets\":[");
      for (size_t i = 0; i < series.buckets.size(); ++i) {
        const Bucket& b = series.buckets[i];
        if (i > 0) out.push_back(',');
        out.append("{\"start\":");
        AppendTime(&out, b.start);
        for (Agg agg : result.aggs) {
          fmt::format_to(std::back_inserter(out), ",\"{}\":", AggName(agg));
          if (agg == kAggCount) {
            fmt::format_to(std::back_inserter(out), "{}", b.count);
          } else {
            AppendNumber(&out, AggValue(b, agg));
          }
        }
        out.push_back('}');
      }
    } else {
      out.append(",\"points\":[");
      for (size_t i = 0; i < series.points.size(); ++i) {
        const Sample& p = series.points[i];
        if (i > 0) out.push_back(',');
        out.push_back('[');
        AppendTime(&out, p.ts);
        out.push_back(',');
        AppendNumber(&out, p.value);
        fmt::format_to(std::back_inserter(out), ",{}]", p.quality);
      }
    }
    fmt::format_to(std::back_inserter(out), "],\"truncated\":{}}}", series.truncated);
  }
  out.append("]}");
  return out;
}

nlohmann::ordered_json LatestJson(const std::vector<LatestValue>& values) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const LatestValue& v : values) {
    nlohmann::ordered_json item = {{"tag", v.tag}};
    if (v.sample) {
      item["ts"] = FormatRfc3339(v.sample->ts);
      item["value"] = JsonNumber(v.sample->value);
      item["quality"] = v.sample->quality;
    } else {
      item["ts"] = nullptr;
      item["value"] = nullptr;
      item["quality"] = nullptr;
    }
    list.push_back(std::move(item));
  }
  return {{"latest", std::move(list)}};
}

nlohmann::ordered_json TagsJson(std::vector<TagInfo> tags) {
  std::sort(tags.begin(), tags.end(),
            [](const TagInfo& a, const TagInfo& b) { return a.name < b.name; });
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const TagInfo& t : tags) {
    nlohmann::ordered_json item = {{"name", t.name}, {"samples", t.samples}};
    item["first"] = t.samples > 0 ? nlohmann::ordered_json(FormatRfc3339(t.first_ts)) : nullptr;
    item["last"] = t.samples > 0 ? nlohmann::ordered_json(FormatRfc3339(t.last_ts)) : nullptr;
    list.push_back(std::move(item));
  }
  return {{"tags", std::move(list)}};
}

nlohmann::ordered_json HubInfoJson(const HubInfo& info) {
  return {
      {"name", info.name},
      {"path", info.path},
      {"schema_version", info.schema_version},
      {"backend", info.backend},
      {"tags", info.stats.tags},
      {"samples", info.stats.samples},
      {"chunks", info.stats.chunks},
      {"buffered", info.stats.buffered},
      {"bytes_on_disk", info.stats.bytes_on_disk},
      {"bytes_per_sample", info.bytes_per_sample},
  };
}

}  // namespace fh::api
