// Printing for humans (aligned tables, readable numbers) and for scripts (one JSON
// document on stdout). Errors and progress go to stderr, so stdout stays parseable.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/csv_cell.h"
#include "common/status.h"

namespace fh::cli {

// Column-aligned text. Columns whose header is marked numeric are right-aligned.
class Table {
 public:
  struct Column {
    std::string header;
    bool numeric = false;
  };
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void AddRow(std::vector<std::string> cells);  // one cell per column
  bool empty() const { return rows_.empty(); }
  void Print(std::FILE* out = stdout) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// "key   value" lines with the keys padded to one width.
void PrintKeyValues(const std::vector<std::pair<std::string, std::string>>& rows);

// The shortest text that reads back as the same double; "NaN", "inf", "-inf" otherwise.
std::string FormatValue(double v);
// 1234567 → "1,234,567".
std::string FormatCount(int64_t n);
using fh::CsvCell;  // common/csv_cell.h
// Bytes in binary units with one decimal: "12.3 MiB" (below 1 KiB: "512 B").
std::string FormatBytes(int64_t n);
// Seconds, with the precision a person wants: "0.042 s", "3.2 s".
std::string FormatSeconds(double s);
// A measurement with six significant digits: 74.008, not 74.00800000000001.
std::string FormatMeasurement(double v);

// Writes a chart's SVG to `path` (a --svg flag), saying so on stderr; nothing when `path`
// is empty.
Status WriteChartSvg(const std::string& path, const std::string& svg);

// Prints `doc` as one line of JSON on stdout (NaN and infinities as null).
void PrintJson(const nlohmann::ordered_json& doc);
// Prints text that is already JSON, plus a newline.
void PrintJsonText(std::string_view json);

// "factoryhub: error: <message>" on stderr.
void PrintError(std::string_view message);
// "factoryhub: note: <message>" on stderr.
void PrintNote(std::string_view message);

}  // namespace fh::cli
