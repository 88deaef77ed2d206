// UTF-8 text in another encoding, by iconv: the tests' own oracle for GBK, UTF-16 and
// friends (the reader under test decodes; this encodes independently).
#pragma once

#include <string>
#include <string_view>

namespace fh::testing {

// Adds a test failure (and returns what it could) if iconv cannot convert.
std::string Encode(std::string_view utf8, const char* encoding);

}  // namespace fh::testing
