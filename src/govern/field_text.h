// The text steps of mapping one field (govern/record_mapper.h): trimming, splitting,
// reading numbers and booleans as exports write them, and the pseudo-column `_line`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ingest/record_batch.h"

namespace fh::govern {

// A source column position: a mapped column the file lacks (a JSON key no record had yet).
inline constexpr int kUnbound = -1;
// The pseudo-column `_line`: the record's line in its source (1-based; without a header,
// the record's number), for files whose rows carry no id of their own.
inline constexpr int kLineColumn = -2;
inline constexpr std::string_view kLineColumnName = "_line";

// The record's line as text, in `buf`.
std::string_view LineText(const ingest::RecordBatch& batch, size_t record, char (&buf)[24]);

// Part `part` of `s` split on `sep` (negative from the end), or nullopt when there is none.
std::optional<std::string_view> SplitPart(std::string_view s, std::string_view sep, int part);

// Parses a number, with "1.234,5" accepted when decimal_comma is set. Leading '+' is fine.
std::optional<double> ParseNumber(std::string_view text, char decimal_comma, std::string& scratch);

// A text that means "no number" where a number is expected, with no null_values saying
// so: the empty text and pandas' read_csv defaults (NaN, nan, NA, N/A, n/a, NULL, null,
// None, <NA>, #N/A, -NaN, 1.#QNAN, ...), what exports from Python, R and spreadsheets write.
bool IsMissingNumberText(std::string_view t);

// true/false, 1/0, yes/no, y/n, on/off (in three cases) and 是/否; nullopt for anything else.
std::optional<bool> ParseBool(std::string_view t);

}  // namespace fh::govern
