// Prometheus' text exposition format (version 0.0.4): what a scrape of /metrics must be
// to parse, whatever bytes the names in it came from.
#pragma once

#include <string>
#include <string_view>

namespace fh::api {

// A label value: '\', '"' and newlines escaped as the format requires, and bytes that are
// not UTF-8 (a database or tag name sent as Latin-1, say) replaced by U+FFFD, since a
// scraper rejects the whole scrape on one invalid label.
std::string PrometheusLabel(std::string_view value);

}  // namespace fh::api
