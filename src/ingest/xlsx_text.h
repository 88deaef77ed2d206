// Text conventions of SpreadsheetML (ECMA-376 part 1): cell references such as "C7",
// column letters, and the _xHHHH_ escapes that carry characters XML cannot (a control
// character, a lone carriage return) inside string values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fh::ingest {

// Excel's last column, XFD.
constexpr uint32_t kXlsxMaxColumns = 16384;

// "A" for 0, "Z" for 25, "AA" for 26, ... "XFD" for 16383.
std::string XlsxColumnName(uint32_t column);

// The 0-based column of a reference ("C7" → 2, "AA" → 26), ignoring the row digits.
// False if it does not start with 1-3 letters naming a column up to XFD or has anything
// but digits after them.
bool ParseXlsxColumn(std::string_view reference, uint32_t* column);

// Appends `text` to *out with _xHHHH_ escapes decoded (UTF-16 code units, surrogate pairs
// joined; "_x005F_" is a literal underscore). Malformed escapes stay as they are.
void AppendXlsxUnescaped(std::string_view text, std::string* out);

}  // namespace fh::ingest
