#include "ingest/json_samples.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "common/json_text.h"
#include "common/time.h"

namespace fh::ingest {

namespace {

// One element of a samples body, or why it cannot be stored.
std::string ReadSample(const nlohmann::json& j, TimestampNs now, SampleBatch& batch) {
  if (!j.is_object()) return "a sample is an object {tag, ts, value, quality}";
  const auto tag = j.find("tag");
  if (tag == j.end() || !tag->is_string() || tag->get_ref<const std::string&>().empty()) {
    return "field 'tag': missing or not a string";
  }
  const std::string& name = tag->get_ref<const std::string&>();
  if (!IsValidTagName(name)) {
    return fmt::format("field 'tag': longer than {} bytes", kMaxTagNameBytes);
  }
  const auto value = j.find("value");
  if (value == j.end() || !value->is_number()) return "field 'value': missing or not a number";
  TimestampNs ts = now;
  if (const auto t = j.find("ts"); t != j.end()) {
    if (t->is_number_unsigned() && t->get<uint64_t>() > uint64_t{INT64_MAX}) {
      return "field 'ts': past the largest epoch nanosecond (2262-04-11T23:47:16Z)";
    } else if (t->is_number_integer()) {
      ts = t->get<int64_t>();
      if (!IsStorableTimestamp(ts)) {
        return fmt::format("field 'ts': {} is past the last storable nanosecond", ts);
      }
    } else if (t->is_string()) {
      Result<int64_t> parsed = ParseRfc3339(t->get_ref<const std::string&>());
      if (!parsed.ok()) return "field 'ts': " + parsed.status().message();
      ts = *parsed;
    } else {
      return "field 'ts': RFC 3339 text or epoch nanoseconds";
    }
  }
  uint32_t quality = kQualityGood;
  if (const auto q = j.find("quality"); q != j.end()) {
    if (!q->is_number_unsigned() || !IsValidQuality(q->get<uint64_t>())) {
      return fmt::format("field 'quality': a whole number from 0 to {}", kMaxQuality);
    }
    quality = static_cast<uint32_t>(q->get<uint64_t>());
  }
  for (const auto& [key, v] : j.items()) {
    if (key != "tag" && key != "ts" && key != "value" && key != "quality") {
      return fmt::format("field '{}': unknown (tag, ts, value, quality)", key);
    }
  }
  batch.Add(name, ts, value->get<double>(), quality);
  return {};
}

}  // namespace

JsonSamples ReadJsonSamples(std::string_view body, TimestampNs now, SampleBatch& batch) {
  JsonSamples out;
  if (const size_t depth = JsonNestingDepth(body); depth > kMaxSamplesDepth) {
    out.body = JsonSamples::Body::kTooDeep;
    out.body_error = fmt::format("the body nests {} levels deep; JSON samples nest at most {}",
                                 depth, kMaxSamplesDepth);
    return out;
  }
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  const nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("samples")) list = &doc["samples"];
  if (doc.is_discarded() || !list->is_array()) {
    out.body = JsonSamples::Body::kNotSamples;
    out.body_error = "the body is not JSON samples: {\"samples\": [{tag, ts, value}]}";
    return out;
  }
  out.elements = list->size();
  for (size_t i = 0; i < list->size(); ++i) {
    std::string error = ReadSample((*list)[i], now, batch);
    if (error.empty()) {
      out.batch_index.push_back(i);
    } else {
      out.errors.push_back({i, JsonText((*list)[i]), std::move(error)});
    }
  }
  return out;
}

}  // namespace fh::ingest
