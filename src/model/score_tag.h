// Where a model's live scores are kept: `serve --score` writes each unit's scores as a series
// (ml/live_scorer.h), and a `model` alarm of alarms.yaml watches it. Here, so that both see
// the one name.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace fh {

// "model/NAME" for a model of one unit, "model/NAME/UNIT" for each unit of the others.
inline std::string ModelScoreTag(std::string_view model, std::string_view unit) {
  return unit.empty() ? fmt::format("model/{}", model) : fmt::format("model/{}/{}", model, unit);
}

}  // namespace fh
