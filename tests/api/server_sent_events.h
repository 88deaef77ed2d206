// Reading a Server-Sent Events stream in tests (GET /api/v1/alarms/stream).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fh::testing {

// The events of a Server-Sent Events text: (id, event, data) in order.
struct Sse {
  std::string id, event;
  nlohmann::json data;
};
inline std::vector<Sse> ParseSse(std::string_view text) {
  std::vector<Sse> out;
  Sse e;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;  // a partial line
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) {
      if (!e.event.empty()) out.push_back(e);
      e = {};
    } else if (line.starts_with("id: ")) {
      e.id = line.substr(4);
    } else if (line.starts_with("event: ")) {
      e.event = line.substr(7);
    } else if (line.starts_with("data: ")) {
      e.data = nlohmann::json::parse(line.substr(6));
    }
  }
  return out;
}

}  // namespace fh::testing
