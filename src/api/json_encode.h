// The JSON documents that both the CLI's `--json` output and the HTTP API return, so a
// script can switch between them without changes. docs/api.md shows each one.
//
// Conventions: timestamps are RFC 3339 strings in UTC; NaN and ±infinity (valid sample
// values, but not JSON numbers) are written as null; counts are integers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/hub_info.h"
#include "analytics/query.h"
#include "store/storage.h"

namespace fh::api {

// Raw:       {"series": [{"tag": T, "points": [[ts, value, quality], ...], "truncated": b}]}
// Aggregate: {"every": "1m" | null, "aggs": ["mean", ...],
//             "series": [{"tag": T, "buckets": [{"start": ts, "mean": x, ...}], "truncated": b}]}
// Written directly (not through a DOM): a million points cost one string.
std::string QueryResultJson(const analytics::QueryResult& result);

// {"latest": [{"tag": T, "ts": ts | null, "value": x | null, "quality": q | null}]}
nlohmann::ordered_json LatestJson(const std::vector<analytics::LatestValue>& values);

// {"tags": [{"name": T, "samples": n, "first": ts | null, "last": ts | null}]}, by name.
nlohmann::ordered_json TagsJson(std::vector<TagInfo> tags);

// {"name", "path", "schema_version", "backend", "tags", "samples", "chunks", "buffered",
//  "bytes_on_disk", "bytes_per_sample"}
nlohmann::ordered_json HubInfoJson(const analytics::HubInfo& info);

// A finite double as a JSON number, otherwise null.
nlohmann::ordered_json JsonNumber(double v);

}  // namespace fh::api
