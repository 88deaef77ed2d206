// Builds a training spec's data set from the hub's time series: the tags that match the
// spec's pattern become columns, joined on time within each unit; then the features and
// the label are computed per row. Errors name the spec's field: an unknown column, a label
// missing on a row.
#pragma once

#include "common/status.h"
#include "ml/dataset.h"
#include "ml/training_spec.h"
#include "store/storage.h"

namespace fh::ml {

struct BuiltDataset {
  Dataset data;
  std::vector<std::string> columns;  // every column the pattern found
  std::vector<std::string> tags;     // the tags read
};

Result<BuiltDataset> BuildDataset(Storage& storage, const TrainingSpec& spec);

}  // namespace fh::ml
