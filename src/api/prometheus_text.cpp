#include "api/prometheus_text.h"

#include "ingest/utf8_validate.h"

namespace fh::api {

std::string PrometheusLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  while (!value.empty()) {
    const ingest::Utf8Check check = ingest::CheckUtf8(value.data(), value.size());
    for (char c : value.substr(0, check.valid)) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    if (check.stop == ingest::Utf8Check::kEnd) break;
    out += "\xEF\xBF\xBD";  // U+FFFD for the byte that is not UTF-8, then go on after it
    value.remove_prefix(check.valid + 1);
  }
  return out;
}

}  // namespace fh::api
