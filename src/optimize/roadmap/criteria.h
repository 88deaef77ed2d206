// The source document's six criteria of a transformation plan (its section 4.2): production
// efficiency E, product quality Q, data set size S_D, technology cost C_T, business-
// optimisation complexity C_P and talent cost C_S. The first three are benefits, the others
// costs; F = min Σ wᵢ·Cᵢ negates the benefits so that minimising F maximises them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace fh::optimize {

enum class Criterion6 { kEfficiency, kQuality, kData, kTechnologyCost, kComplexity, kTalentCost };
inline constexpr size_t kCriteria = 6;

struct CriterionInfo {
  std::string_view name;  // as written in plan.yaml and JSON
  std::string_view symbol;
  bool benefit;
  std::string_view unit;
};

inline constexpr std::array<CriterionInfo, kCriteria> kCriterionInfo = {{
    {"efficiency", "E", true, "OEE points"},
    {"quality", "Q", true, "first-pass-yield points"},
    {"data", "S_D", true, "data coverage points"},
    {"technology_cost", "C_T", false, "currency"},
    {"complexity", "C_P", false, "complexity points"},
    {"talent_cost", "C_S", false, "currency"},
}};

std::optional<size_t> CriterionIndex(std::string_view name);

using CriteriaValues = std::array<double, kCriteria>;

}  // namespace fh::optimize
