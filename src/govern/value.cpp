#include "govern/value.h"

#include "common/number_text.h"
#include "common/time.h"

namespace fh::govern {

std::string ToDisplayText(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kText:
      return v.text;
    case Value::Kind::kNumber: {
      std::string s;
      AppendShortestDouble(&s, v.number);
      return s;
    }
    case Value::Kind::kTime:
      return FormatRfc3339(v.time);
    case Value::Kind::kBool:
      return v.boolean ? "true" : "false";
  }
  return "?";
}

}  // namespace fh::govern
