#include "ingest/csv_dialect.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "common/ascii.h"
#include "common/text_trim.h"
#include "ingest/record_reader.h"

namespace fh::ingest {
namespace {

bool LooksLikeData(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (!s.empty() && s[0] == '.') s.remove_prefix(1);
  return !s.empty() && IsAsciiDigit(s[0]);
}

// Inside a quoted field at sample[i]: whether the field is still quoted after it. A doubled
// quote is an escaped one (i moves past both); a single one ends the quotes.
bool StillQuoted(std::string_view sample, size_t& i) {
  if (sample[i] != '"') return true;
  if (i + 1 < sample.size() && sample[i + 1] == '"') {
    ++i;
    return true;
  }
  return false;
}

// Occurrences of `delimiter` outside quoted fields, per non-blank record of the sample.
std::vector<size_t> CountPerRecord(std::string_view sample, char delimiter, bool ends_input) {
  std::vector<size_t> counts;
  size_t count = 0;
  bool in_quotes = false, field_start = true, blank = true;
  for (size_t i = 0; i < sample.size() && counts.size() < kCsvSampleRecords; ++i) {
    const char c = sample[i];
    if (in_quotes) {
      in_quotes = StillQuoted(sample, i);
      continue;
    }
    if (c == '\n') {
      if (!blank) counts.push_back(count);
      count = 0;
      field_start = blank = true;
      continue;
    }
    if (c == delimiter) {
      ++count;
      field_start = true;
      blank = false;
      continue;
    }
    if (c == '"' && field_start) in_quotes = true;
    if (c != '\r') blank = false;
    field_start = false;
  }
  if (ends_input && !blank && !in_quotes && counts.size() < kCsvSampleRecords) {
    counts.push_back(count);
  }
  return counts;
}

// Runs of blanks between fields, outside quoted fields, per non-blank record of the
// sample; blanks before the first field and after the last do not count. CR counts as a
// blank so that CRLF lines need nothing special.
std::vector<size_t> CountBlankRunsPerRecord(std::string_view sample, bool ends_input) {
  std::vector<size_t> counts;
  size_t runs = 0;
  bool in_quotes = false, in_field = false, any_field = false;
  for (size_t i = 0; i < sample.size() && counts.size() < kCsvSampleRecords; ++i) {
    const char c = sample[i];
    if (in_quotes) {
      in_quotes = StillQuoted(sample, i);
      continue;
    }
    if (c == '\n') {
      if (any_field) counts.push_back(runs);
      runs = 0;
      in_field = any_field = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      in_field = false;
      continue;
    }
    if (!in_field) {
      if (any_field) ++runs;
      in_field = any_field = true;
      in_quotes = c == '"';
    }
  }
  if (ends_input && any_field && !in_quotes && counts.size() < kCsvSampleRecords) {
    counts.push_back(runs);
  }
  return counts;
}

bool Consistent(const std::vector<size_t>& counts) {
  return std::all_of(counts.begin(), counts.end(), [&](size_t n) { return n == counts[0]; });
}

}  // namespace

char DetectCsvDelimiter(std::string_view sample, bool ends_input) {
  static constexpr char kCandidates[] = {',', ';', '\t', '|'};
  char best = ',';
  bool best_consistent = false;
  size_t best_count = 0;
  for (char candidate : kCandidates) {
    const std::vector<size_t> counts = CountPerRecord(sample, candidate, ends_input);
    if (counts.empty() || counts[0] == 0) continue;
    const bool consistent = Consistent(counts);
    if (consistent > best_consistent || (consistent == best_consistent && counts[0] > best_count)) {
      best = candidate;
      best_consistent = consistent;
      best_count = counts[0];
    }
  }
  if (!best_consistent) {
    const std::vector<size_t> runs = CountBlankRunsPerRecord(sample, ends_input);
    if (!runs.empty() && runs[0] > 0 && Consistent(runs)) return kWhitespaceDelimiter;
  }
  return best;
}

bool LooksLikeCsvHeader(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return false;
  const std::vector<std::string>& first = rows[0];
  bool any_name = false;
  for (const std::string& field : first) {
    const std::string_view name = TrimBlanks(field);
    if (LooksLikeData(name)) return false;
    any_name = any_name || !name.empty();
  }
  if (!any_name) return false;
  for (size_t r = 1; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size() && c < first.size(); ++c) {
      const std::string_view value = TrimBlanks(rows[r][c]);
      if (!value.empty() && value == TrimBlanks(first[c])) return false;
    }
  }
  return true;
}

std::vector<std::string> CsvColumnNames(const std::vector<std::string_view>& header) {
  std::vector<std::string> names;
  std::unordered_set<std::string> taken;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string position = std::to_string(i + 1);
    std::string name(TrimBlanks(header[i]));
    if (name.empty()) name = position;
    while (taken.count(name) > 0)
      name += "_" + position;
    taken.insert(name);
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace fh::ingest
