#include "sim/demo_plant.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/splitmix.h"
#include "store/catalog/catalog.h"

namespace fh::sim {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Signals of every machine, in this order (Machine::first_tag + index).
enum SignalIndex { kSpeed, kTorque, kProcessTemp, kAirTemp, kToolWear, kPower, kSignalsPerMachine };

struct SignalSpec {
  const char* suffix;
  const char* unit;
  const char* description;
  double lo, hi;
};
constexpr SignalSpec kSpecs[kSignalsPerMachine] = {
    {"spindle_speed", "rpm", "spindle rotational speed", 0, 3000},
    {"torque", "Nm", "spindle torque", 0, 80},
    {"process_temperature", "K", "process temperature at the tool", 300, 315},
    {"air_temperature", "K", "ambient air temperature at the machine", 293, 306},
    {"tool_wear", "min", "cutting time of the current tool", 0, 250},
    {"power", "kW", "electrical power drawn", 0, 15},
};

// v as an instrument would print it with `decimals` decimals (and a parser read it back).
double Round(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

// The fraction of the way to its target a mean-reverting walk moves in dt seconds.
double Pull(double rate_per_s, double dt) {
  return std::min(1.0, rate_per_s * dt);
}

}  // namespace

DemoPlant::DemoPlant(uint64_t seed, int64_t machines) : rng_(seed) {
  const double nominal[] = {1500, 1800, 1300, 2100};
  for (int64_t m = 0; m < machines; ++m) {
    Machine machine;
    machine.name = fmt::format("cnc-{:02}", m + 1);
    machine.nominal_speed = nominal[m % 4];
    machine.speed = machine.nominal_speed;
    machine.torque = 40 * 1500 / machine.nominal_speed;
    machine.air_temp = 300 + 0.5 * static_cast<double>(m);
    machine.process_temp = machine.air_temp + 10;
    machine.tool_wear = 37.0 * static_cast<double>(m + 1);
    machine.power = 0;
    machine.first_tag = static_cast<uint32_t>(signals_.size());
    for (const SignalSpec& spec : kSpecs) {
      signals_.push_back(DemoSignal{"line-1." + machine.name + "." + spec.suffix, machine.name,
                                    spec.unit, spec.description, spec.lo, spec.hi});
    }
    machines_.push_back(std::move(machine));
  }
}

double DemoPlant::Uniform() {
  return static_cast<double>(SplitMix64(rng_) >> 11) * 0x1.0p-52 - 1.0;
}

bool DemoPlant::Chance(double p) {
  return (Uniform() + 1) / 2 < p;
}

void DemoPlant::Resume(const std::vector<std::pair<std::string, double>>& last_values) {
  for (const auto& [tag, value] : last_values) {
    if (!std::isfinite(value)) continue;
    for (Machine& m : machines_) {
      for (int i = 0; i < kSignalsPerMachine; ++i) {
        if (signals_[m.first_tag + i].tag != tag) continue;
        double* field[kSignalsPerMachine] = {&m.speed,    &m.torque,    &m.process_temp,
                                             &m.air_temp, &m.tool_wear, &m.power};
        *field[i] = value;
        if (i == kSpeed) m.running = value > 0;
      }
    }
  }
}

void DemoPlant::Step(TimestampNs ts, double dt, SampleBatch* out) {
  const double root_dt = std::sqrt(dt);
  for (Machine& m : machines_) {
    // A stop about once an hour, lasting three minutes on average.
    if (m.running ? Chance(dt / 3600) : Chance(dt / 180)) {
      m.running = !m.running;
      if (keep_transitions_) {
        const auto& reasons = StopReasons();
        // Jams most often, then tools, emergency stops and maintenance (a Pareto to find).
        const double u = (Uniform() + 1) / 2;
        const size_t r = u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.93 ? 2 : 3;
        transitions_.push_back({m.name, ts, m.running, m.running ? "" : reasons[r].first});
      }
    } else if (keep_transitions_ && first_step_) {
      transitions_.push_back({m.name, ts, m.running, m.running ? "" : StopReasons()[0].first});
    }

    m.air_temp += Pull(0.0005, dt) * (300 - m.air_temp) + 0.03 * root_dt * Uniform();
    if (m.running) {
      m.speed += Pull(0.05, dt) * (m.nominal_speed - m.speed) + 12 * root_dt * Uniform();
      m.speed = std::max(m.speed, 0.5 * m.nominal_speed);
      // Torque falls as speed rises (the cut takes roughly constant power).
      const double target = 40 * 1500 / m.speed;
      m.torque += Pull(0.2, dt) * (target - m.torque) + 1.5 * root_dt * Uniform();
      m.torque = std::clamp(m.torque, 3.0, 78.0);
      m.tool_wear += dt / 60;
      // Tools are changed somewhere between 200 and 240 minutes of cutting.
      if (m.tool_wear > 220 + 20 * Uniform()) m.tool_wear = 0;
    } else {
      m.speed = 0;
      m.torque = 0;
    }
    const double mech_kw = m.torque * m.speed * 2 * kPi / 60 / 1000;
    m.power = (m.running ? 0.8 : 0.3) + mech_kw + 0.05 * Uniform();
    const double process_target = m.air_temp + (m.running ? 10 + 0.15 * (mech_kw - 6) : 3);
    m.process_temp +=
        Pull(0.01, dt) * (process_target - m.process_temp) + 0.04 * root_dt * Uniform();

    const uint32_t base = m.first_tag;
    // What the sensors report: the state, through the injected faults, then rounded.
    const std::pair<double, int> reported[kSignalsPerMachine] = {
        {m.speed, 0},    {m.torque, 1},    {m.process_temp, 2},
        {m.air_temp, 2}, {m.tool_wear, 2}, {m.power, 2}};
    for (int i = 0; i < kSignalsPerMachine; ++i) {
      double v = reported[i].first;
      if (faults_ != nullptr) v = faults_->Apply(m.name, kSpecs[i].suffix, ts, v);
      out->Add(signals_[base + i].tag, ts, Round(v, reported[i].second));
    }
  }
  first_step_ = false;
}

const std::vector<std::pair<std::string, std::string>>& DemoPlant::StopReasons() {
  static const std::vector<std::pair<std::string, std::string>> kReasons = {
      {"JAM", "chips or a part jammed the fixture"},
      {"TOOL", "tool breakage"},
      {"ESTOP", "emergency stop"},
      {"MAINT", "unplanned maintenance"},
  };
  return kReasons;
}

Status DemoPlant::RegisterInCatalog(Hub& hub) const {
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  Catalog& catalog = session.catalog();
  const Lineage lineage{.source_system = "demo", .source_object = "factoryhub demo"};
  for (const Machine& m : machines_) {
    FH_ASSIGN_OR_RETURN(int64_t equipment_id,
                        catalog.CreateAssetPath(std::string(kLinePath) + "/" + m.name, lineage));
    for (int i = 0; i < kSignalsPerMachine; ++i) {
      const DemoSignal& s = signals_[m.first_tag + i];
      TagMeta tag;
      tag.name = s.tag;
      tag.equipment_id = equipment_id;
      tag.unit = s.unit;
      tag.lo_limit = s.lo_limit;
      tag.hi_limit = s.hi_limit;
      tag.description = s.description;
      tag.lineage = lineage;
      FH_RETURN_IF_ERROR(catalog.UpsertTag(tag).status());
    }
  }
  return txn.Commit();
}

}  // namespace fh::sim
