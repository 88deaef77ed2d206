// The two ways the set-point search explores the controls' box after its space-filling sample
// (docs/optimize.md#set-points), and what they share: the box of the free controls, the
// sample itself, and NLopt (the only file of the search that sees it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/setpoint/setpoint_evaluator.h"

namespace fh::optimize::setpoint {
// Named, not anonymous: src/optimize is built as a unity build shared with other folders.
namespace setpoint_detail {

// The search vector holds the free controls only (a control whose bounds meet is fixed).
struct Space {
  std::vector<size_t> free;          // indices of the spec's controls
  std::vector<double> fixed;         // every control: its value when fixed (else its lower bound)
  std::vector<double> lower, upper;  // of the free ones

  std::vector<double> Full(const double* z) const {
    std::vector<double> x = fixed;
    for (size_t j = 0; j < free.size(); ++j)
      x[free[j]] = z[j];
    return x;
  }
};

// A seeded Halton sequence with a random shift (Cranley-Patterson rotation): points that
// cover the box evenly in any number of controls, the same for the same seed.
std::vector<std::vector<double>> SpaceFilling(const Space& space, size_t n, uint64_t seed);
// The free controls of a full point.
std::vector<double> FreeOf(const Space& space, const std::vector<double>& x);

// Tree ensembles (piecewise constant): DIRECT-L, shrinking boxes around the best point, line
// sweeps through it, then COBYLA onto the constraints. Appends what ran to `ran`.
Status SearchPiecewiseConstant(Evaluator& ev, const Space& space,
                               const std::vector<Candidate>& sampled, int64_t budget, uint64_t seed,
                               std::vector<std::string>& ran);
// Smooth models: SLSQP with central-difference gradients from the current point and the
// sample's best points.
Status SearchSmooth(Evaluator& ev, const Space& space, const std::vector<Candidate>& sampled,
                    const std::vector<double>& current_x, int64_t budget,
                    std::vector<std::string>& ran);

}  // namespace setpoint_detail
}  // namespace fh::optimize::setpoint
