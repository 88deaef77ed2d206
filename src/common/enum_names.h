// Enum <-> name tables: for the canonical model's enums and every other enum with names.
//
// Each enum comes with one table of {value, name} pairs: the names are what the database
// stores (the schema's CHECK constraints list the same names, and a test keeps the two in
// step), what mappings and the CLI accept, and what the API returns.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
using EnumNames = std::array<EnumName<E>, N>;

// The name of `value`, or "?" for a value outside the table (a bug).
template <typename E, size_t N>
constexpr std::string_view EnumToString(const EnumNames<E, N>& names, E value) {
  for (const auto& n : names) {
    if (n.value == value) return n.name;
  }
  return "?";
}

// Exact, case-sensitive match. The error names the bad value and the allowed ones:
//   unknown asset level 'plant' (allowed: enterprise, site, area, line, equipment)
template <typename E, size_t N>
Result<E> EnumParse(const EnumNames<E, N>& names, std::string_view what, std::string_view text) {
  for (const auto& n : names) {
    if (n.name == text) return n.value;
  }
  std::string allowed;
  for (const auto& n : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += n.name;
  }
  return InvalidArgument("unknown {} '{}' (allowed: {})", what, text, allowed);
}

}  // namespace fh
