#include "sim/plant_simulation.h"

#include <fmt/format.h>

#include "common/time.h"

namespace fh::sim {

namespace {
constexpr size_t kPointsPerWrite = 50'000;
}

PlantSimulation::PlantSimulation(DemoPlant& plant, Writer write, Hub* hub, uint64_t seed)
    : plant_(plant), write_(std::move(write)), hub_(hub), production_(seed) {
  if (hub_) plant_.KeepTransitions();
}

void PlantSimulation::Step(TimestampNs ts, double dt_seconds) {
  plant_.Step(ts, dt_seconds, &batch_);
  if (hub_) production_.Observe(plant_, ts, dt_seconds);
}

Status PlantSimulation::Send() {
  if (!batch_.empty()) {
    FH_RETURN_IF_ERROR(write_(batch_));
    points_ += static_cast<int64_t>(batch_.size());
    batch_.Clear();
  }
  if (!hub_) return Status::Ok();
  FH_RETURN_IF_ERROR(states_.Record(*hub_, plant_.TakeTransitions()));
  return production_.Flush(*hub_);
}

Result<TimestampNs> PlantSimulation::RunWindow(TimestampNs from, TimestampNs until, int64_t every) {
  const double dt = NanosToSeconds(every);
  TimestampNs ts = from / every * every;
  TimestampNs last = ts - every;
  for (; ts <= until; ts += every) {
    Step(ts, dt);
    last = ts;
    if (batch_.size() >= kPointsPerWrite) FH_RETURN_IF_ERROR(Send());
  }
  FH_RETURN_IF_ERROR(Send());
  return last;
}

std::string PlantSimulation::Summary() const {
  if (!hub_) return "";
  return fmt::format("; {} machine state changes, {} work orders, {} inspections, {} lots recorded",
                     states_.recorded(), production_.orders(), production_.inspections(),
                     production_.lots());
}

}  // namespace fh::sim
