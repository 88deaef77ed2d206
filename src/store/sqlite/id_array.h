// Reading rows by a list of ids in one statement.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace fh::sqlite {

// `ids` as a JSON array ("[1,5,9]"): bound to `IN (SELECT value FROM json_each(?))`, one
// statement reads any number of rows by id.
inline std::string IdArrayJson(std::span<const int64_t> ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

}  // namespace fh::sqlite
