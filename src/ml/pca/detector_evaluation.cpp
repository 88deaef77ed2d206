#include "ml/pca/detector_evaluation.h"

namespace fh::ml {

namespace {

// Whether `fault` is on the equipment of unit `unit`: the unit is the machine, or the
// detector has no units and reads the machine's tags.
bool OnUnit(const FaultWindow& fault, const std::string& unit, const AlignedSignals& data) {
  if (!unit.empty()) return unit == fault.machine;
  for (const std::string& tag : data.tags)
    if (tag.find(fault.machine) != std::string::npos) return true;
  return false;
}

}  // namespace

double DetectionReport::false_alarm_rate() const {
  return normal_rows == 0 ? 0 : static_cast<double>(normal_beyond) / normal_rows;
}

size_t DetectionReport::missed() const {
  size_t n = 0;
  for (const FaultDetection& f : faults)
    n += f.judged() && !f.detected;
  return n;
}

DetectionReport EvaluateDetection(const std::vector<ScoredRow>& scored, const AlignedSignals& data,
                                  const std::vector<FaultWindow>& faults, int64_t settle_ns) {
  DetectionReport report;
  for (const FaultWindow& f : faults)
    report.faults.push_back({.fault = f});
  for (const ScoredRow& r : scored) {
    const std::string& unit = data.units[r.unit].unit;
    const bool beyond = r.beyond_t2 || r.beyond_spe;
    bool normal = true;
    for (FaultDetection& d : report.faults) {
      if (!OnUnit(d.fault, unit, data)) continue;
      if (r.time >= d.fault.start && r.time < d.fault.end + settle_ns) normal = false;
      if (r.time < d.fault.start || r.time >= d.fault.end) continue;
      ++d.rows;
      if (!beyond) continue;
      ++d.beyond;
      if (!d.detected) {
        d.detected = r.time;
        d.moved = r.moved;
      }
    }
    if (normal) {
      ++report.normal_rows;
      report.normal_beyond += beyond;
    }
  }
  return report;
}

}  // namespace fh::ml
