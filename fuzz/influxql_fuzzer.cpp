// libFuzzer harness for InfluxQL (the `q` of GET/POST /query, anyone's text). Besides not
// crashing or recursing without bound (parentheses are capped), what parses must hang
// together: time bounds in order when both are given, a SELECT with fields and sources, and
// its conditions evaluable on any tag set; and the answer encoder must turn any text (as a
// measurement or tag value) into JSON that keeps its quotes balanced.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "api/influxql/parser.h"
#include "api/influxql/result.h"
#include "api/influxql/series_index.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fh::api::influxql;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fh::Result<std::vector<Statement>> parsed = Parse(text, 1767225600'000'000'000);
  if (parsed.ok()) {
    Check(!parsed->empty());
    const TagSet tags = {{"host", "a"}, {"line", std::string(text.substr(0, 16))}};
    for (const Statement& s : *parsed) {
      if (const auto* select = std::get_if<SelectStatement>(&s)) {
        Check(!select->fields.empty() && !select->sources.empty());
        (void)select->where.tags.Matches(tags);
        (void)select->where.tags.Matches({});
        for (const Source& src : select->sources)
          (void)src.Matches(text);
      } else if (const auto* show = std::get_if<ShowStatement>(&s)) {
        (void)show->where.tags.Matches(tags);
      }
    }
  } else {
    Check(parsed.status().message().starts_with("error parsing query: "));
  }
  // Any text as names and values: the JSON's strings stay closed.
  const SeriesKey key = SplitTagName(text);
  ResultSeries series{
      key.measurement, key.tags, {"time", key.field}, {{TimeCell{0}, Cell(std::string(text))}}};
  const std::string json = EncodeResults({StatementResult{{series}, ""}}, 0);
  size_t quotes = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    Check(static_cast<unsigned char>(json[i]) >= 0x20);  // control characters are escaped
    if (json[i] == '\\') {
      ++i;  // the escaped character
    } else if (json[i] == '"') {
      ++quotes;
    }
  }
  Check(quotes % 2 == 0);
  return 0;
}
