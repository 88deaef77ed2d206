// Faults injected into the demo plant's signals (`simulate --faults FILE`,
// docs/anomaly.md): the truth a detector is judged against. A fault changes what one
// machine's sensors report between `start` and `end`:
//   step   every signal named jumps by its `change`;
//   drift  every signal drifts, reaching its `change` at the end;
//   stuck  every signal holds the value it had when the fault began;
//   noise  every signal gains noise of standard deviation `change`;
//   joint  like step, on two or more signals whose usual relation it breaks, each change
//          small enough to stay within the signal's limits: no single-tag alarm sees it.
// Deterministic: the same plan and seed give the same values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/sample.h"

namespace fh::sim {

enum class FaultKind { kStep, kDrift, kStuck, kNoise, kJoint };
std::string_view ToString(FaultKind k);

struct Fault {
  std::string name;
  FaultKind kind = FaultKind::kStep;
  std::string machine;                   // "cnc-01"
  std::map<std::string, double> change;  // signal ("torque") -> in its unit; stuck: 0
  TimestampNs start = 0, end = 0;
};

class FaultPlan {
 public:
  // Errors name the file, line and key.
  static Result<FaultPlan> Parse(const std::string& yaml, const std::string& file);
  static Result<FaultPlan> Load(const std::string& path);

  const std::vector<Fault>& faults() const { return faults_; }
  void Add(Fault f) { faults_.push_back(std::move(f)); }
  // The plan as the YAML Parse reads.
  std::string ToYaml() const;
  bool empty() const { return faults_.empty(); }

  // Changes the value `signal` of `machine` reports at `ts`, per the faults active then.
  double Apply(const std::string& machine, const std::string& signal, TimestampNs ts, double value);

 private:
  std::vector<Fault> faults_;
  std::map<std::pair<size_t, std::string>, double> held_;  // stuck values, by fault and signal
};

}  // namespace fh::sim
