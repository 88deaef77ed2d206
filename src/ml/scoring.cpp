#include "ml/scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ml/dataset_builder.h"
#include "ml/preprocess/preprocessing.h"

namespace fh::ml {

nlohmann::ordered_json ReasonsJson(const std::vector<Reason>& reasons) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Reason& r : reasons) {
    out.push_back({{"feature", r.feature},
                   {"value", std::isfinite(r.value) ? nlohmann::ordered_json(r.value) : nullptr},
                   {"contribution", r.contribution}});
  }
  return out;
}

std::string ReasonsText(const std::vector<Reason>& reasons) {
  std::string out;
  for (const Reason& r : reasons)
    out += fmt::format("{}{} {:+.2f}", out.empty() ? "" : ", ", r.feature, r.contribution);
  return out;
}

Result<Dataset> ModelInputs(const RegisteredModel& model, const ColumnData& data) {
  Result<Preprocessing> p = Preprocessing::FromJson(model.preprocessing);
  if (!p.ok()) return p.status().WithContext("model " + model.label());
  return p->Apply(data, model.features, nullptr);
}

Result<std::vector<Prediction>> Score(const RegisteredModel& model, const ColumnData& data,
                                      size_t top_reasons, Explain explain) {
  FH_ASSIGN_OR_RETURN(Dataset d, ModelInputs(model, data));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, LoadModel(model.kind, model.task, model.data));
  FH_ASSIGN_OR_RETURN(std::vector<double> scores, m->Predict(d));
  const size_t k = model.task == Task::kMulticlass ? model.classes.size() : 1;
  if (scores.size() != d.rows() * k) {
    return Corruption("model {}: {} outputs a row, the registry says {} classes", model.label(),
                      d.rows() > 0 ? scores.size() / d.rows() : 0, k);
  }
  const std::vector<int> best = MostProbable(scores, k);
  std::vector<Prediction> out(d.rows());
  std::vector<size_t> explained;  // the rows that get reasons
  for (size_t i = 0; i < d.rows(); ++i) {
    Prediction& p = out[i];
    if (!d.group.empty()) p.unit = d.group[i];
    p.time = d.time[i];
    p.score = scores[i * k + static_cast<size_t>(best[i])];
    if (model.task == Task::kBinary) p.positive = p.score >= model.threshold.value_or(0.5);
    if (model.task == Task::kMulticlass) {
      p.predicted_class = model.classes[static_cast<size_t>(best[i])];
      p.probabilities.assign(scores.begin() + static_cast<ptrdiff_t>(i * k),
                             scores.begin() + static_cast<ptrdiff_t>((i + 1) * k));
      p.positive = p.predicted_class != model.normal_class;
    }
    if (top_reasons > 0 && (explain == Explain::kAll || p.positive.value_or(false))) {
      explained.push_back(i);
    }
  }
  if (explained.empty()) return out;
  // Attributions can cost many predictions each (a network's integrated gradients): only
  // for the rows that need them.
  Dataset subset;
  if (explained.size() < d.rows()) subset = d.Subset(explained);
  FH_ASSIGN_OR_RETURN(std::vector<double> contributions,
                      m->Contributions(explained.size() < d.rows() ? subset : d));
  const size_t width = d.cols() + 1;  // contributions per row, the bias last
  std::vector<size_t> order(d.cols());
  for (size_t e = 0; e < explained.size(); ++e) {
    const size_t i = explained[e];
    const double* c = contributions.data() + e * width;
    std::iota(order.begin(), order.end(), size_t{0});
    const size_t n = std::min(top_reasons, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(n), order.end(),
                      [&](size_t a, size_t b) { return std::abs(c[a]) > std::abs(c[b]); });
    for (size_t r = 0; r < n; ++r) {
      out[i].reasons.push_back({d.features[order[r]], d.row(i)[order[r]], c[order[r]]});
    }
  }
  return out;
}

}  // namespace fh::ml
