// A decision among discrete alternatives as a person writes it (YAML): the criteria, each a
// benefit or a cost, the weights (entered, or AHP judgements checked for consistency), and
// each alternative's values. What `factoryhub rank` reads: which MES vendor, which sensor,
// which supplier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/mcda/ahp.h"
#include "optimize/mcda/ranking.h"

namespace fh::optimize {

struct DecisionFile {
  std::string title;
  DecisionMatrix matrix;
  std::vector<double> weights;    // by criterion, summing to 1
  std::optional<AhpWeights> ahp;  // when the weights came from judgements
};

// Errors name the file, line and field; inconsistent AHP judgements (CR > 0.1) are refused
// naming the judgements to reconsider.
Result<DecisionFile> ParseDecisionFile(const std::string& yaml, const std::string& file);
Result<DecisionFile> LoadDecisionFile(const std::string& path);

}  // namespace fh::optimize
