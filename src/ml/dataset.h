// A table of training data: rows of numeric features, a label per row, and what a split
// needs to keep rows apart (the unit a row belongs to, its order in time).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace fh::ml {

struct Dataset {
  std::vector<std::string> features;  // column names, in the order of each row
  std::vector<float> x;               // row-major, rows() x features.size(); NaN = missing
  std::vector<double> y;              // the label of each row (multi-class: the class index)
  std::vector<std::string> classes;   // multi-class: the name of each class index
  std::vector<std::string> group;     // each row's unit ("engine-7"); empty: all one unit
  std::vector<int64_t> time;          // each row's time (ns), for time-ordered splits

  size_t rows() const { return y.size(); }
  size_t cols() const { return features.size(); }
  std::span<const float> row(size_t i) const { return {x.data() + i * cols(), cols()}; }
  // The rows `which`, in that order.
  Dataset Subset(std::span<const size_t> which) const;
};

// A data set as one fold's learned preprocessing left it, and what that learnt (a sentence a
// step, Preprocessing::Describe).
struct PreparedFold {
  Dataset data;
  std::vector<std::string> steps;
};

}  // namespace fh::ml
