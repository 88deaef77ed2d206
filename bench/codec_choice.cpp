// Which value encoding wins on real plant data: every numeric column of the shipped data
// sets (AI4I 2020 milling machine, NASA C-MAPSS FD001 turbofan) is stored as one series at
// 1 Hz, cut into chunks of 8192 points, and encoded with each value encoding forced and
// with the automatic per-chunk choice. Prints bytes per point as a markdown table.
//
//   codec_choice DATASETS_DIR      (bench/run passes data/datasets)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "store/codec/chunk_codec.h"

namespace {

using fh::codec::EncodeOptions;
using fh::codec::ValueEncoding;

struct Column {
  std::string name;
  std::vector<double> values;
};

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) {
    if (!field.empty() || sep == ',') fields.push_back(field);
  }
  return fields;
}

// AI4I: the five sensor columns (3..7); the header names them.
std::vector<Column> ReadAi4i(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return {};
  std::vector<std::string> header = Split(line, ',');
  std::vector<Column> cols;
  for (size_t c = 3; c <= 7 && c < header.size(); ++c)
    cols.push_back({"ai4i: " + header[c], {}});
  while (std::getline(in, line)) {
    std::vector<std::string> f = Split(line, ',');
    for (size_t c = 3; c <= 7 && c < f.size(); ++c)
      cols[c - 3].values.push_back(std::strtod(f[c].c_str(), nullptr));
  }
  return cols;
}

// C-MAPSS: op settings and 21 sensors (columns 2..25), space separated.
std::vector<Column> ReadCmapss(const std::string& path) {
  std::ifstream in(path);
  std::vector<Column> cols;
  for (int c = 2; c < 26; ++c) {
    cols.push_back({c < 5 ? "cmapss: setting " + std::to_string(c - 1)
                          : "cmapss: sensor " + std::to_string(c - 4),
                    {}});
  }
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = Split(line, ' ');
    for (size_t c = 2; c < 26 && c < f.size(); ++c)
      cols[c - 2].values.push_back(std::strtod(f[c].c_str(), nullptr));
  }
  return cols;
}

struct Sizes {
  double by_encoding[3] = {0, 0, 0};  // decimal, gorilla, zstd
  double automatic = 0;
  std::map<ValueEncoding, int> chosen;
};

Sizes Measure(const Column& col) {
  constexpr size_t kChunk = 8192;
  Sizes sizes;
  std::string blob;
  const size_t n = col.values.size();
  for (size_t from = 0; from < n; from += kChunk) {
    const size_t len = std::min(kChunk, n - from);
    std::vector<int64_t> ts(len);
    for (size_t i = 0; i < len; ++i)
      ts[i] = static_cast<int64_t>(from + i) * 1'000'000'000;
    std::vector<uint32_t> quality(len, 192);
    std::span<const double> values(col.values.data() + from, len);
    const ValueEncoding kinds[3] = {ValueEncoding::kDecimal, ValueEncoding::kGorilla,
                                    ValueEncoding::kZstd};
    for (int k = 0; k < 3; ++k) {
      EncodeOptions options;
      options.force_encoding = kinds[k];
      fh::codec::EncodeChunk(ts, values, quality, options, &blob);
      // A forced kDecimal falls back when the values are not decimals: not applicable.
      auto info = fh::codec::ReadChunkInfo(blob);
      sizes.by_encoding[k] +=
          info.ok() && info->encoding == kinds[k] ? static_cast<double>(blob.size()) : std::nan("");
    }
    fh::codec::EncodeChunk(ts, values, quality, EncodeOptions{}, &blob);
    sizes.automatic += static_cast<double>(blob.size());
    if (auto info = fh::codec::ReadChunkInfo(blob); info.ok()) ++sizes.chosen[info->encoding];
  }
  return sizes;
}

std::string Cell(double bytes_per_point) {
  if (std::isnan(bytes_per_point)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", bytes_per_point);
  return buf;
}

const char* Name(ValueEncoding e) {
  switch (e) {
    case ValueEncoding::kDecimal:
      return "decimal";
    case ValueEncoding::kGorilla:
      return "gorilla";
    case ValueEncoding::kZstd:
      return "zstd";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: codec_choice DATASETS_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<Column> cols = ReadAi4i(dir + "/ai4i2020/ai4i2020.csv");
  for (Column& c : ReadCmapss(dir + "/cmapss-fd001/train_FD001.txt"))
    cols.push_back(std::move(c));
  if (cols.empty() || cols[0].values.empty()) {
    std::fprintf(stderr, "codec_choice: no data under %s\n", dir.c_str());
    return 1;
  }
  std::printf("| series (points) | decimal | gorilla | zstd | automatic | chosen |\n");
  std::printf("|---|---:|---:|---:|---:|---|\n");
  double total[4] = {0, 0, 0, 0}, points = 0;
  for (const Column& col : cols) {
    const Sizes s = Measure(col);
    const auto n = static_cast<double>(col.values.size());
    std::string chosen;
    for (const auto& [enc, count] : s.chosen)
      chosen +=
          (chosen.empty() ? "" : ", ") + std::string(Name(enc)) + " x" + std::to_string(count);
    std::printf("| %s (%zu) | %s | %.2f | %.2f | **%.2f** | %s |\n", col.name.c_str(),
                col.values.size(), Cell(s.by_encoding[0] / n).c_str(), s.by_encoding[1] / n,
                s.by_encoding[2] / n, s.automatic / n, chosen.c_str());
    for (int k = 0; k < 3; ++k)
      total[k] += std::isnan(s.by_encoding[k]) ? s.automatic : s.by_encoding[k];
    total[3] += s.automatic;
    points += n;
  }
  std::printf("| **all %zu series** | %.2f¹ | %.2f | %.2f | **%.2f** | |\n", cols.size(),
              total[0] / points, total[1] / points, total[2] / points, total[3] / points);
  std::printf(
      "\nBytes per point of whole chunks (timestamps, values, quality, header); n/a: "
      "not decimals. ¹ counting the automatic size where decimal is n/a.\n");
  return 0;
}
