// JSON text the program writes, and a depth check for JSON text it reads.
//
// JsonText: every JSON document the program writes goes through here, so that all of them
// treat bytes that are not UTF-8 alike: nlohmann's dump() throws type_error 316 on them by
// default (an abort when nothing catches it); here each invalid byte becomes U+FFFD.
//
// JsonNestingDepth: nlohmann's parser is iterative, but dump() and simdjson walks recurse
// once per level, so a 100 KB body of "[[[[..." would overflow the stack. Text from a
// client or a file is measured first, without recursion, and refused beyond kMaxJsonDepth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace fh {

// The deepest nesting accepted in JSON read from clients and files.
inline constexpr size_t kMaxJsonDepth = 128;

// `doc` as JSON text: compact by default, `indent` spaces per level otherwise; invalid
// UTF-8 replaced by U+FFFD. Never throws on content (dump() recurses per level: documents
// built from received text must have passed CheckJsonDepth).
std::string JsonText(const nlohmann::json& doc, int indent = -1);
std::string JsonText(const nlohmann::ordered_json& doc, int indent = -1);

// The deepest nesting of arrays and objects in `text` ("1" is 0, "[]" 1, "[{}]" 2): brackets
// inside strings do not count. One pass, constant memory, no recursion; the text need not
// be valid JSON (its brackets are counted as they come).
size_t JsonNestingDepth(std::string_view text);

// OK, or InvalidArgument "<what>: JSON nested more than M levels deep". Stops scanning at
// the first level past the limit.
Status CheckJsonDepth(std::string_view text, std::string_view what,
                      size_t max_depth = kMaxJsonDepth);

}  // namespace fh
