#include "analytics/oee/oee_totals.h"

#include <algorithm>

#include "common/time.h"

namespace fh::analytics::oee {

OeeTotals& OeeTotals::operator+=(const OeeTotals& o) {
  calendar_ns += o.calendar_ns;
  not_scheduled_ns += o.not_scheduled_ns;
  break_ns += o.break_ns;
  planned_stop_ns += o.planned_stop_ns;
  production_ns += o.production_ns;
  setup_ns += o.setup_ns;
  delay_ns += o.delay_ns;
  down_ns += o.down_ns;
  micro_stop_ns += o.micro_stop_ns;
  unknown_ns += o.unknown_ns;
  unscheduled_run_ns += o.unscheduled_run_ns;
  overlap_ns += o.overlap_ns;
  produced += o.produced;
  good += o.good;
  scrap += o.scrap;
  rework += o.rework;
  ideal_s += o.ideal_s;
  ideal_not_good_s += o.ideal_not_good_s;
  produced_without_cycle_time += o.produced_without_cycle_time;
  unscheduled_produced += o.unscheduled_produced;
  failures += o.failures;
  failure_ns += o.failure_ns;
  micro_stops += o.micro_stops;
  return *this;
}

OeeKpis ComputeKpis(const OeeTotals& t, const OeeSettings& settings) {
  OeeKpis k;
  const bool micro_is_speed = settings.micro_stop_loss == MicroStopLoss::kPerformance;
  k.apt_ns = t.production_ns + (micro_is_speed ? t.micro_stop_ns : 0);
  k.adet_ns = t.delay_ns + (micro_is_speed ? 0 : t.micro_stop_ns);
  const double apt = NanosToSeconds(k.apt_ns);
  const double pbt = NanosToSeconds(t.PlannedBusyNs());
  const double setup = NanosToSeconds(t.setup_ns);
  const double adet = NanosToSeconds(k.adet_ns);
  auto ratio = [](double num, double den) -> std::optional<double> {
    if (!(den > 0)) return std::nullopt;
    return num / den;
  };
  k.availability = ratio(apt, pbt);
  if (t.produced_without_cycle_time == 0) {
    k.performance = ratio(t.ideal_s, apt);
    if (k.performance && settings.performance == PerformanceConvention::kCapped) {
      k.performance = std::min(*k.performance, 1.0);
    }
  }
  k.quality = ratio(t.good, t.produced);
  k.first_pass_yield = k.quality;
  k.scrap_ratio = ratio(t.scrap, t.produced);
  k.rework_ratio = ratio(t.rework, t.produced);
  if (k.availability && k.performance && k.quality) {
    k.oee = *k.availability * *k.performance * *k.quality;
    k.teep = ratio(*k.oee * pbt, NanosToSeconds(t.calendar_ns));
    if (std::optional<double> ue = ratio(apt, apt + setup + adet)) {
      k.nee = *ue * *k.performance * *k.quality;
    }
  }
  k.technical_efficiency = ratio(apt, apt + adet);
  k.setup_rate = ratio(setup, apt + setup);
  if (t.failures > 0) {
    k.mtbf_s = apt / static_cast<double>(t.failures);
    k.mttr_s = NanosToSeconds(t.failure_ns) / static_cast<double>(t.failures);
  }
  return k;
}

}  // namespace fh::analytics::oee
