// One cell of a CSV file (RFC 4180): quoted when it holds a comma, a quote or a line
// break, quotes doubled inside.
#pragma once

#include <string>
#include <string_view>

namespace fh {

std::string CsvCell(std::string_view text);

}  // namespace fh
