#include "api/json_encode.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/number_text.h"
#include "common/time.h"
#include "common/usable_cores.h"

namespace fh::api {
namespace {

void AppendNumber(std::string* out, double v) {
  if (std::isfinite(v)) {
    AppendShortestDouble(out, v);
  } else {
    out->append("null");
  }
}

void AppendInteger(std::string* out, int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, end);
}

void AppendString(std::string* out, const std::string& s) {
  out->append(nlohmann::ordered_json(s).dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::replace));
}

void AppendTime(std::string* out, TimestampNs ts) {
  out->push_back('"');
  AppendRfc3339(ts, out);
  out->push_back('"');
}

}  // namespace

nlohmann::ordered_json JsonNumber(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

namespace {

// One element of "series": {"tag":..., "buckets"|"points":[...], "truncated":...}.
void AppendSeries(const analytics::Series& series, const analytics::QueryResult& result,
                  const std::vector<std::string>& agg_keys, std::string* out) {
  out->append("{\"tag\":");
  AppendString(out, series.tag);
  if (!result.aggs.empty()) {
    out->append(",\"buckets\":[");
    for (size_t i = 0; i < series.buckets.size(); ++i) {
      const Bucket& b = series.buckets[i];
      if (i > 0) out->push_back(',');
      out->append("{\"start\":");
      AppendTime(out, b.start);
      for (size_t a = 0; a < result.aggs.size(); ++a) {
        out->append(agg_keys[a]);
        if (result.aggs[a] == kAggCount) {
          AppendInteger(out, b.count);
        } else {
          AppendNumber(out, analytics::AggValue(b, result.aggs[a]));
        }
      }
      out->push_back('}');
    }
  } else {
    out->append(",\"points\":[");
    for (size_t i = 0; i < series.points.size(); ++i) {
      const Sample& p = series.points[i];
      if (i > 0) out->push_back(',');
      out->push_back('[');
      AppendTime(out, p.ts);
      out->push_back(',');
      AppendNumber(out, p.value);
      out->push_back(',');
      AppendInteger(out, p.quality);
      out->push_back(']');
    }
  }
  out->append(series.truncated ? "],\"truncated\":true}" : "],\"truncated\":false}");
}

size_t ItemCount(std::span<const analytics::Series> series) {
  size_t items = 0;
  for (const analytics::Series& s : series)
    items += s.buckets.size() + s.points.size();
  return items;
}

// Items below which encoding on one thread is faster than starting more.
constexpr size_t kItemsPerThread = 50'000;

}  // namespace

std::string QueryResultJson(const analytics::QueryResult& result) {
  std::string out;
  out.append("{");
  if (!result.aggs.empty()) {
    out.append("\"every\":");
    if (result.every > 0) {
      AppendString(&out, FormatDuration(result.every));
    } else {
      out.append("null");
    }
    out.append(",\"aggs\":[");
    for (size_t i = 0; i < result.aggs.size(); ++i) {
      if (i > 0) out.push_back(',');
      fmt::format_to(std::back_inserter(out), "\"{}\"", analytics::AggName(result.aggs[i]));
    }
    out.append("],");
  }
  // `,"mean":` and so on, built once rather than per bucket.
  std::vector<std::string> agg_keys;
  for (Agg agg : result.aggs)
    agg_keys.push_back(fmt::format(",\"{}\":", analytics::AggName(agg)));
  const size_t bytes_per_item = 40 + 24 * result.aggs.size();

  // A whole-plant query can print millions of numbers: contiguous runs of series are
  // encoded on several threads, then joined in order.
  const std::span<const analytics::Series> all(result.series);
  const size_t items = ItemCount(all);
  const size_t parts = std::clamp<size_t>(
      items / kItemsPerThread, 1, std::min<size_t>(UsableCores(), std::max<size_t>(1, all.size())));
  std::vector<std::string> encoded(parts);
  auto encode_part = [&](size_t part) {
    const size_t from = all.size() * part / parts, to = all.size() * (part + 1) / parts;
    std::string& text = encoded[part];
    text.reserve(ItemCount(all.subspan(from, to - from)) * bytes_per_item + 64 * (to - from));
    for (size_t i = from; i < to; ++i) {
      if (i > 0) text.push_back(',');
      AppendSeries(all[i], result, agg_keys, &text);
    }
  };
  if (parts == 1) {
    encode_part(0);
  } else {
    std::vector<std::jthread> workers;
    for (size_t part = 0; part < parts; ++part)
      workers.emplace_back(encode_part, part);
  }
  size_t total = out.size() + 16;
  for (const std::string& text : encoded)
    total += text.size();
  out.reserve(total);
  out.append("\"series\":[");
  for (const std::string& text : encoded)
    out.append(text);
  // Text series after the numeric ones: {"tag", "type": "text", "points": [[time, "text"]],
  // "truncated"}.
  for (const analytics::TextSeries& s : result.texts) {
    if (!all.empty() || &s != &result.texts.front()) out.push_back(',');
    out.append("{\"tag\":");
    AppendString(&out, s.tag);
    out.append(",\"type\":\"text\",\"points\":[");
    for (size_t i = 0; i < s.values.size(); ++i) {
      out.append(i ? ",[" : "[");
      AppendTime(&out, s.values[i].ts);
      out.push_back(',');
      AppendString(&out, s.values[i].value);
      out.push_back(']');
    }
    out.append(s.truncated ? "],\"truncated\":true}" : "],\"truncated\":false}");
  }
  out.append("]");
  if (!result.not_aggregated.empty()) {
    // Tags of text values the aggregates skipped, so that a reader knows why they are absent.
    out.append(",\"not_aggregated\":[");
    for (size_t i = 0; i < result.not_aggregated.size(); ++i) {
      if (i) out.push_back(',');
      AppendString(&out, result.not_aggregated[i]);
    }
    out.append("]");
  }
  out.append("}");
  return out;
}

nlohmann::ordered_json LatestJson(const std::vector<analytics::LatestValue>& values) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const analytics::LatestValue& v : values) {
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

nlohmann::ordered_json HubInfoJson(const analytics::HubInfo& info) {
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
