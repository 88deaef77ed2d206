#include "ml/test_predictions_csv.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/csv_cell.h"
#include "common/time.h"
#include "ml/model.h"

namespace fh::ml {

std::string TestPredictionsCsv(const TrainReport& report, const ModelEvaluation& model,
                               const Dataset& test) {
  const size_t k = report.task == Task::kMulticlass ? report.classes.size() : 1;
  const std::optional<double> cap = model.test ? model.test->cap : std::nullopt;
  std::string out = "unit,time,truth";
  if (report.task == Task::kRegression) {
    if (cap) out += fmt::format(",truth_capped_{:g}", *cap);
    out += ",prediction";
  } else if (report.task == Task::kBinary) {
    out += ",probability,positive";
  } else {
    out += ",predicted";
    for (const std::string& c : report.classes)
      out += "," + CsvCell("p_" + c);
  }
  out += "\n";
  const std::vector<double>& p = model.test_predictions;
  const std::vector<int> best = k > 1 ? MostProbable(p, k) : std::vector<int>{};
  for (size_t i = 0; i < test.rows() && (i + 1) * k <= p.size(); ++i) {
    out += CsvCell(test.group.empty() ? "" : test.group[i]) + "," + FormatRfc3339(test.time[i]);
    if (report.task == Task::kRegression) {
      out += fmt::format(",{:g}", test.y[i]);
      if (cap) out += fmt::format(",{:g}", std::min(test.y[i], *cap));
      out += fmt::format(",{:.6g}\n", p[i]);
    } else if (report.task == Task::kBinary) {
      out += fmt::format(",{:g},{:.6g},{}\n", test.y[i], p[i],
                         p[i] >= model.threshold.value_or(0.5) ? 1 : 0);
    } else {
      out += "," + CsvCell(report.classes[static_cast<size_t>(test.y[i])]) + "," +
             CsvCell(report.classes[static_cast<size_t>(best[i])]);
      for (size_t c = 0; c < k; ++c)
        out += fmt::format(",{:.6g}", p[i * k + c]);
      out += "\n";
    }
  }
  return out;
}

}  // namespace fh::ml
