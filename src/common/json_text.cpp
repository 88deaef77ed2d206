#include "common/json_text.h"

namespace fh {

namespace {

// The nesting reached, stopping early once past `limit`.
size_t Depth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

template <typename Json>
std::string Dump(const Json& doc, int indent) {
  return doc.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace

std::string JsonText(const nlohmann::json& doc, int indent) {
  return Dump(doc, indent);
}

std::string JsonText(const nlohmann::ordered_json& doc, int indent) {
  return Dump(doc, indent);
}

size_t JsonNestingDepth(std::string_view text) {
  return Depth(text, static_cast<size_t>(-1));
}

Status CheckJsonDepth(std::string_view text, std::string_view what, size_t max_depth) {
  const size_t depth = Depth(text, max_depth);
  if (depth <= max_depth) return Status::Ok();
  return InvalidArgument("{}: JSON nested more than {} levels deep", what, max_depth);
}

}  // namespace fh
