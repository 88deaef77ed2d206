// The textbook SPC data sets of data/spc (see its SOURCE.md), read for the tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/source_dir.h"

namespace fh::analytics::spc::testdata {

// The rows of data/spc/NAME without its header, split at commas.
inline std::vector<std::vector<std::string>> Rows(const std::string& name) {
  std::ifstream in(fh::testing::DataDir() / "spc" / name);
  EXPECT_TRUE(in) << "data/spc/" << name;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string field;
    while (std::getline(s, field, ','))
      fields.push_back(field);
    rows.push_back(std::move(fields));
  }
  return rows;
}

// Piston rings: the subgroups of one phase ("I": 25, "II": 15), 5 diameters each.
inline std::vector<std::vector<double>> PistonRings(const std::string& phase) {
  std::vector<std::vector<double>> groups;
  std::string last;
  for (const auto& r : Rows("pistonrings.csv")) {
    if (r[2] != phase) continue;
    if (r[0] != last) groups.emplace_back();
    last = r[0];
    groups.back().push_back(std::stod(r[1]));
  }
  return groups;
}

// One numeric column of a file.
inline std::vector<double> Column(const std::string& name, size_t column) {
  std::vector<double> out;
  for (const auto& r : Rows(name))
    out.push_back(std::stod(r[column]));
  return out;
}

}  // namespace fh::analytics::spc::testdata
