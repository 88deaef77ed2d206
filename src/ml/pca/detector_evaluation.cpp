#include "ml/pca/detector_evaluation.h"

#include <cctype>

namespace fh::ml {

namespace {

// Whether `fault` is on the equipment of unit `unit`: the unit is the machine, or the
// detector has no units and reads the machine's tags.
bool OnUnit(const FaultWindow& fault, const std::string& unit, const AlignedSignals& data) {
  if (!unit.empty()) return unit == fault.machine;
  // The machine as a whole segment of the tag ("cnc-1" is not in "line-1.cnc-10.torque").
  auto part_of_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  };
  for (const std::string& tag : data.tags) {
    for (size_t at = tag.find(fault.machine); at != std::string::npos;
         at = tag.find(fault.machine, at + 1)) {
      const size_t end = at + fault.machine.size();
      if ((at == 0 || !part_of_name(tag[at - 1])) && (end == tag.size() || !part_of_name(tag[end])))
        return true;
    }
  }
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
