// What a model's training data covered, kept with the registered model (its report's
// "training_data") so that a set-point search (src/optimize/setpoint) can tell how far a
// candidate lies from the rows the model learned from: per feature the range, 1st and 99th
// percentiles, mean and standard deviation; a seeded sample of standardised rows; and how far
// the training's own rows lie from that sample (the nearest-neighbour distance a new row is
// compared with). Models trained before this was kept have none: EnvelopeFromReport says so.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ml/dataset.h"

namespace fh::ml {

struct FeatureRange {
  std::string name;
  double min = 0, max = 0;   // over the rows that have a value
  double p01 = 0, p99 = 0;   // 1st and 99th percentiles
  double mean = 0, std = 1;  // std: population; 1 when the feature is constant
};

struct TrainingEnvelope {
  int64_t rows = 0;
  std::vector<FeatureRange> features;  // the model's features, in order
  // Rows of the training data, standardised ((x - mean) / std, a missing value 0), chosen by a
  // seeded shuffle: what a candidate's nearest-neighbour distance is measured against.
  std::vector<std::vector<float>> sample;
  // The distance of the training rows not in the sample to their nearest sample row
  // (Euclidean, standardised units): its median, 95th and 99th percentiles. A new row
  // farther than the 99th lies where the model saw almost no data.
  double nn_median = 0, nn_p95 = 0, nn_p99 = 0;

  // The Euclidean distance, in standardised units, from `row` (raw feature values, one per
  // feature; NaN counts as the mean) to the nearest sample row. Infinity without a sample.
  double NearestDistance(std::span<const double> row) const;
};

// `sample_rows` rows at most, chosen with SplitMix64(seed); the reference distances from up
// to 2,000 of the other rows.
TrainingEnvelope ComputeEnvelope(const Dataset& data, size_t sample_rows = 256, uint64_t seed = 42);

nlohmann::ordered_json EnvelopeJson(const TrainingEnvelope& envelope);
// The envelope kept in a registered model's report (RegisteredModel::report): nullopt when
// the model was trained before envelopes were kept; Corruption when it is there but broken.
Result<std::optional<TrainingEnvelope>> EnvelopeFromReport(std::string_view report_json);

}  // namespace fh::ml
