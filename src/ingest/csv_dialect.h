// What a CSV file does not say about itself: its delimiter and whether its first row is a
// header. Both are guessed from the first records (at most kCsvSampleRecords of them, or
// the first 64 KiB), and the options can say instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fh::ingest {

inline constexpr size_t kCsvSampleRecords = 20;
inline constexpr size_t kCsvSampleBytes = 64 << 10;

// Among , ; tab |: the one found the same number of times (at least once) in every sampled
// record, counting only outside quoted fields; the most frequent such one, earlier in that
// list on a tie. When none is consistent but runs of blanks between fields are (at least
// one per record): kWhitespaceDelimiter. Otherwise the most frequent of , ; tab | in the
// first record; ',' when none occurs (a single column). `ends_input`: the sample's last
// line is complete even without a line feed.
char DetectCsvDelimiter(std::string_view sample, bool ends_input);

// Whether the first row is a header, by these rules in order:
//  1. no: a non-empty first-row field looks like data: it starts with a digit (after an
//     optional sign or a point), as numbers, dates, times and most codes do;
//  2. no: the first row is all empty;
//  3. no: a later sampled row has the same non-empty text in the same column (values
//     repeat down a column; a column's name does not);
//  4. yes otherwise: exports almost always have a header, so a row of names is one (a
//     headerless file of text only thus needs header = false).
// Fields are compared with blanks trimmed.
bool LooksLikeCsvHeader(const std::vector<std::vector<std::string>>& rows);

// Column names from a header row: trimmed of blanks; an empty one is named by its 1-based
// position ("3"); a repeated one gets "_" and its position ("qty" in column 4: "qty_4"),
// again until unique. As the xlsx reader does with column letters: every column gets a
// distinct name that does not depend on the rows read.
std::vector<std::string> CsvColumnNames(const std::vector<std::string_view>& header);

}  // namespace fh::ingest
