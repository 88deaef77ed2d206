// Values written into ClickHouse statements. Version 18.16 has no query parameters, so
// tag names reach SQL as string literals: every byte that could end or bend one is escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "model/sample.h"

namespace fh::clickhouse {

// 'text' with \\, \' and control bytes escaped (ClickHouse's string literal syntax).
inline std::string Quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

// ('a', 'b', ...): the names of an IN list.
inline std::string QuotedList(const std::vector<std::string>& items) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quote(items[i]);
  }
  return out + ")";
}

// FNV-1a of a name: the same in every process and release (tag ids, stage names).
inline uint64_t StableHash(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// " AND ts >= F AND ts < T" for the bounds a range really has (the open ends of a default
// TimeRange need no condition, and INT64_MIN has no literal in ClickHouse's grammar).
inline std::string TimeCondition(TimeRange range) {
  std::string out;
  if (range.from != TimeRange{}.from) out += " AND ts >= " + std::to_string(range.from);
  if (range.to != TimeRange{}.to) out += " AND ts < " + std::to_string(range.to);
  return out;
}

// The partition a point goes to, as the samples table computes it
// (toYYYYMM(toDateTime(intDiv(ts, 1e9), 'UTC'))), for times ClickHouse's DateTime holds
// exactly (1970..2106); nullopt for the others, whose month this side does not predict.
inline std::optional<int> PartitionMonth(TimestampNs ts) {
  int64_t seconds = ts / kNanosPerSecond;  // intDiv truncates toward zero, as C++ does
  if (seconds < 0 || seconds > int64_t{0xFFFFFFFF}) return std::nullopt;
  const CivilDate date = CivilFromDays(seconds / 86400);
  return static_cast<int>(date.year * 100 + date.month);
}

}  // namespace fh::clickhouse
