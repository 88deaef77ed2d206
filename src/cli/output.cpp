#include "cli/output.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "common/json_text.h"

namespace fh::cli {

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::FILE* out) const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c)
    width[c] = columns_[c].header.size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  }
  std::string line;
  auto emit = [&](const std::vector<std::string>& cells) {
    line.clear();
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      if (c > 0) line += "  ";
      if (columns_[c].numeric) {
        line.append(width[c] - cells[c].size(), ' ');
        line += cells[c];
      } else {
        line += cells[c];
        if (!last) line.append(width[c] - cells[c].size(), ' ');
      }
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  };
  std::vector<std::string> headers;
  for (const Column& col : columns_)
    headers.push_back(col.header);
  emit(headers);
  for (const auto& row : rows_)
    emit(row);
}

void PrintKeyValues(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [key, value] : rows)
    width = std::max(width, key.size());
  for (const auto& [key, value] : rows) {
    fmt::print("{:<{}}  {}\n", key, width, value);
  }
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

std::string FormatCount(int64_t n) {
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  int first = static_cast<int>(digits.size() % 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (static_cast<int>(i) - first) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatBytes(int64_t n) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (n < 1024) return fmt::format("{} B", n);
  double v = static_cast<double>(n);
  int unit = -1;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string FormatSeconds(double s) {
  if (s < 1) return fmt::format("{:.3f} s", s);
  return fmt::format("{:.1f} s", s);
}

std::string FormatMeasurement(double v) {
  return fmt::format("{:.6g}", v);
}

Status WriteChartSvg(const std::string& path, const std::string& svg) {
  if (path.empty()) return Status::Ok();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << svg;
  out.close();
  if (!out) return IOError("{}: cannot write the chart", path);
  fmt::print(stderr, "factoryhub: wrote the chart to {}\n", path);
  return Status::Ok();
}

void PrintJson(const nlohmann::ordered_json& doc) {
  PrintJsonText(JsonText(doc));
}

void PrintJsonText(std::string_view json) {
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
}

void PrintError(std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "factoryhub: error: {}\n", message);
}

void PrintNote(std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "factoryhub: note: {}\n", message);
}

}  // namespace fh::cli
