#include "analytics/oee/oee_report.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::analytics::oee {
namespace {

// The path of the ancestor at `level` ("acme/sh/assembly/line-1" for a line), or the path
// itself when it is above that level.
std::string AtLevel(const std::string& path, AssetLevel level) {
  if (level == AssetLevel::kEquipment) return path;
  const int segments = static_cast<int>(level) + 1;
  size_t pos = 0;
  for (int i = 0; i < segments; ++i) {
    pos = path.find('/', pos);
    if (pos == std::string::npos) return path;
    if (i + 1 < segments) ++pos;
  }
  return path.substr(0, pos);
}

}  // namespace

std::vector<WaterfallStep> LossWaterfall(const OeeTotals& t) {
  const double production = NanosToSeconds(t.production_ns);
  // 0.0 - x: a loss of nothing is 0, not -0.
  return {
      {"planned operation time", NanosToSeconds(t.PlannedOperationNs())},
      {"planned downtime", 0.0 - NanosToSeconds(t.PlannedDownNs())},
      {"setup", 0.0 - NanosToSeconds(t.setup_ns)},
      {"unplanned downtime", 0.0 - NanosToSeconds(t.delay_ns + t.down_ns + t.unknown_ns)},
      {"micro-stops", 0.0 - NanosToSeconds(t.micro_stop_ns)},
      {"speed loss", 0.0 - (production - t.ideal_s)},
      {"quality loss", 0.0 - t.ideal_not_good_s},
      {"fully productive time", t.ideal_s - t.ideal_not_good_s},
  };
}

Result<OeeReport> ComputeOeeReport(Hub& hub, const OeeConfig& config, const OeeQuery& q) {
  OeeReport report;
  CatalogSession session = hub.OpenCatalog();
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(std::vector<Asset> assets, catalog.ListAssets(q.path));
  if (!q.path.empty() && assets.empty()) return NotFound("no asset '{}'", q.path);
  std::unordered_map<int64_t, const Asset*> in_scope;
  for (const Asset& a : assets)
    in_scope.emplace(a.id, &a);

  // The units: assets in scope with states or orders.
  std::map<std::string, int64_t> units;  // by path
  FH_ASSIGN_OR_RETURN(std::vector<int64_t> with_states, catalog.ListStateEquipment());
  for (int64_t id : with_states) {
    if (auto it = in_scope.find(id); it != in_scope.end()) units.emplace(it->second->path, id);
  }
  FH_ASSIGN_OR_RETURN(std::vector<WorkOrderRun> orders, catalog.ListWorkOrderRuns(q.window));
  std::unordered_map<int64_t, std::vector<const WorkOrderRun*>> orders_of;
  for (const WorkOrderRun& o : orders) {
    auto it = in_scope.find(o.equipment_id);
    if (it == in_scope.end()) continue;
    units.emplace(it->second->path, it->first);
    orders_of[it->first].push_back(&o);
  }
  FH_ASSIGN_OR_RETURN(std::vector<ReasonCode> codes, catalog.ListReasonCodes());
  std::vector<std::pair<std::string, int64_t>> unit_list(units.begin(), units.end());

  // Each unit's orders, then its states over the window and the orders' spans.
  std::unordered_map<int64_t, std::string> material_code;
  auto load = [&](size_t i) -> Result<OeeUnitInput> {
    const auto& [path, id] = unit_list[i];
    const OeeSettings& settings = config.For(path);
    OeeUnitInput unit;
    unit.path = path;
    TimeRange range = q.window;
    for (const WorkOrderRun* run : orders_of[id]) {
      const WorkOrderRun& o = *run;
      OeeOrder in;
      in.number = o.number;
      in.good = o.good;
      in.scrap = o.scrap;
      in.rework = o.rework;
      in.start = o.actual_start;
      in.end = o.actual_end;
      in.cycle_time_s = o.ideal_cycle_time_s;
      if (!in.cycle_time_s) {
        auto [it, inserted] = material_code.try_emplace(o.material_id);
        if (inserted) {
          FH_ASSIGN_OR_RETURN(Material m, catalog.GetMaterial(o.material_id));
          it->second = m.code;
        }
        in.cycle_time_s = settings.CycleTime(path, it->second);
      }
      if (in.start) range.from = std::min(range.from, *in.start);
      range.to = std::max(range.to, in.end ? *in.end : q.as_of);
      unit.orders.push_back(std::move(in));
    }
    FH_ASSIGN_OR_RETURN(unit.states, catalog.ListStateSpans(id, range));
    return unit;
  };

  std::map<std::tuple<std::string, TimestampNs, std::string>, OeeRow> rows;
  std::map<const OeeSettings*, OeeCalendar> calendars;  // one per site's settings
  LossMap losses;
  for (size_t i = 0; i < unit_list.size(); ++i) {
    FH_ASSIGN_OR_RETURN(const OeeUnitInput unit, load(i));
    const std::string& path = unit.path;
    const OeeSettings& settings = config.For(path);
    auto calendar = calendars.find(&settings);
    if (calendar == calendars.end()) {
      calendar = calendars.emplace(&settings, MakeOeeCalendar(settings, q.window, q.by)).first;
    }
    OeeUnitResult r = ComputeUnitOee(unit, settings, calendar->second, q.as_of);
    const std::string group = AtLevel(path, q.level);
    for (OeePeriod& p : r.periods) {
      OeeRow& row = rows[{group, p.start, p.label}];
      if (row.asset.empty()) {
        row.asset = group;
        row.period = p.label;
        row.start = p.start;
        row.end = p.end;
      }
      row.start = std::min(row.start, p.start);
      row.end = std::max(row.end, p.end);
      row.totals += p.totals;
    }
    report.total.totals += r.whole;
    for (const auto& [key, loss] : r.losses) {
      LossTime& l = losses[key];
      l.ns += loss.ns;
      l.stops += loss.stops;
    }
    for (std::string& w : r.warnings)
      report.warnings.push_back(std::move(w));
  }
  report.units = units.size();
  for (auto& [key, row] : rows) {
    row.kpis = ComputeKpis(row.totals, config.For(row.asset));
    report.rows.push_back(std::move(row));
  }
  report.total.asset = q.path;
  report.total.period = "all";
  report.total.start = q.window.from;
  report.total.end = q.window.to;
  report.total.kpis = ComputeKpis(report.total.totals, config.For(q.path));
  report.waterfall = LossWaterfall(report.total.totals);

  std::unordered_map<int64_t, const ReasonCode*> code_of;
  for (const ReasonCode& c : codes)
    code_of.emplace(c.id, &c);
  double total_loss = 0;
  for (const auto& [key, loss] : losses) {
    ReasonLoss r;
    r.kind = std::string(ToString(key.kind));
    if (key.reason_id) {
      if (auto it = code_of.find(*key.reason_id); it != code_of.end()) {
        r.code = it->second->code;
        r.category = it->second->category.value_or("");
        r.description = it->second->description.value_or("");
      }
    }
    r.seconds = NanosToSeconds(loss.ns);
    r.stops = loss.stops;
    total_loss += r.seconds;
    report.reasons.push_back(std::move(r));
  }
  std::stable_sort(report.reasons.begin(), report.reasons.end(),
                   [](const ReasonLoss& a, const ReasonLoss& b) { return a.seconds > b.seconds; });
  double cumulative = 0;
  for (ReasonLoss& r : report.reasons) {
    r.share = total_loss > 0 ? r.seconds / total_loss : 0;
    cumulative += r.share;
    r.cumulative = cumulative;
  }
  return report;
}

}  // namespace fh::analytics::oee
