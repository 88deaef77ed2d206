#include "cli/demo_plan.h"

#include <chrono>

#include "cli/demo_erp.h"
#include "optimize/roadmap/catalogue.h"
#include "optimize/roadmap/roadmap_plan.h"

namespace fh::cli {

namespace {

// {horizon} is replaced by the quarter after today.
constexpr const char* kDemoPlan =
    R"(# The demo plant's transformation roadmap (docs/optimize.md): candidate measures in the
# source document's four families — D data, T technology, P process, S talent — chosen and
# scheduled by `factoryhub plan` to minimise F = Σ wᵢ·Cᵢ under the budget and the people.
# Effects with `from:` are measured from the hub's data over the baseline window; numbers
# are estimates a person entered, and the plan says which is which.
title: 上海机加工厂数字化转型路线图 (Acme Shanghai machining)
horizon: { start: {horizon}, quarters: 8 }
currency: CNY
budget: { per_quarter: 260000, total: 1200000 }
baseline: { window: 30d }
people:
  from: hub            # holders of each qualification now (the HR import)
  project_share: 0.5   # half of their time can go to projects
# Weights from pairwise judgements (AHP, Saaty's 1–9 scale): [more important, less, times].
weights:
  ahp:
    - [efficiency, quality, 2]
    - [efficiency, data, 3]
    - [efficiency, technology_cost, 2]
    - [efficiency, complexity, 4]
    - [efficiency, talent_cost, 3]
    - [quality, data, 2]
    - [quality, technology_cost, 2]
    - [quality, complexity, 3]
    - [quality, talent_cost, 2]
    - [technology_cost, data, 1]
    - [data, complexity, 2]
    - [data, talent_cost, 1]
    - [technology_cost, complexity, 2]
    - [technology_cost, talent_cost, 1]
    - [talent_cost, complexity, 2]
measures:
  # D — data integration and governance
  - id: connect-line-3
    name: 三线设备联网 (connect line 3's machines over OPC UA)
    family: D
    cost: { one_off: 180000, running: 6000 }
    duration: 2
    complexity: 3
    effects:
      data: 25           # line 3's four machines: a quarter of the plant's equipment
      efficiency: 0.4
  - id: erp-master-data
    name: ERP 物料主数据治理 (clean the ERP material master)
    family: D
    cost: { one_off: 45000 }
    duration: 1
    complexity: 2
    effects:
      data: { from: completeness, mapping: erp-materials }
      quality: 0.2
  - id: sensor-retrofit-line-1
    name: 一线主轴振动传感器加装 (vibration sensors on line 1's spindles)
    family: D
    cost: { one_off: 90000, running: 3000 }
    duration: 1
    complexity: 2
    effects:
      data: 8
  # T — technology
  - id: predictive-maintenance
    name: 主轴预测性维护 (predictive maintenance on spindles)
    family: T
    cost: { one_off: 200000, running: 8000 }
    duration: 2
    complexity: 4
    people: { spindle-maintenance: 3 }   # more than the fitters free today: training first
    requires: [sensor-retrofit-line-1]
    effects:
      efficiency:
        from: predictive_maintenance
        asset: acme/shanghai/machining/line-1
        reasons: [TOOL, JAM]
        model: ai4i-machine-failure
        share: 0.7       # of a caught failure's stop, what planned maintenance avoids
  - id: ai-quality-prediction
    name: AI 质量预测 (the seed's quality network on line 1)
    family: T
    cost: { one_off: 160000, running: 6000 }
    duration: 2
    complexity: 4
    people: { spc: 1 }
    requires: [sensor-retrofit-line-1]
    effects:
      # burrs come with tool wear, which the model sees coming
      quality: { from: defects, characteristic: burr_check, defects: [BURR], share: 0.5 }
  - id: mes-erp-integration
    name: MES–ERP 工单集成 (work orders from ERP to MES)
    family: T
    cost: { one_off: 150000, running: 5000 }
    duration: 2
    complexity: 3
    requires: [erp-master-data]
    excludes: [mes-replacement]
    effects:
      efficiency: 0.8
      data: 10
  - id: mes-replacement
    name: 更换 MES 系统 (replace the MES outright)
    family: T
    cost: { one_off: 520000, running: 12000 }
    duration: 3
    complexity: 5
    effects:
      efficiency: 1.6
      data: 15
  # P — business optimisation
  - id: spc-burrs
    name: 毛刺 p 控制图与换刀规则 (p chart on burrs, tool changes by wear)
    family: P
    cost: { one_off: 25000 }
    duration: 1
    complexity: 2
    people: { spc: 1 }
    effects:
      quality: { from: defects, characteristic: burr_check, defects: [BURR], share: 0.3 }
      efficiency: { from: scrap, asset: acme/shanghai/machining/line-1, share: 0.5 }
  - id: jam-root-cause
    name: 卡料根因分析 (8D on material jams)
    family: P
    cost: { one_off: 20000 }
    duration: 1
    complexity: 2
    effects:
      efficiency: { from: downtime, asset: acme/shanghai/machining/line-1, reasons: [JAM], share: 0.5 }
  - id: smed-setup
    name: 快速换型 SMED (shorter tool changes)
    family: P
    cost: { one_off: 35000 }
    duration: 1
    complexity: 3
    people: { tool-setting: 1 }
    effects:
      efficiency: { from: downtime, asset: acme/shanghai/machining/line-1, reasons: [TOOL], share: 0.3 }
  # S — talent
  - id: train-spindle-maintenance
    name: 主轴维修培训 (close the spindle-maintenance gap)
    family: S
    cost: { one_off: 24000 }
    duration: 1
    complexity: 1
    trains: { spindle-maintenance: gap }
  - id: train-spc
    name: SPC 培训 4 名操作工 (train 4 operators in SPC)
    family: S
    cost: { one_off: 16000 }
    duration: 1
    complexity: 1
    trains: { spc: 4 }
)";

}  // namespace

Status WriteDemoPlanCatalogue(const std::filesystem::path& dir, int64_t now_ns) {
  const std::filesystem::path path = dir / optimize::kPlanCatalogueFile;
  if (std::filesystem::exists(path)) return Status::Ok();
  using namespace std::chrono;
  const year_month_day today{floor<days>(sys_time<nanoseconds>(nanoseconds(now_ns)))};
  const int quarter = (static_cast<int>(static_cast<unsigned>(today.month())) - 1) / 3 + 1;
  const int year = static_cast<int>(today.year()) + (quarter == 4 ? 1 : 0);
  std::string text = kDemoPlan;
  const std::string horizon = fmt::format("{}Q{}", year, quarter % 4 + 1);
  text.replace(text.find("{horizon}"), 9, horizon);
  return WriteDemoFile(path, text);
}

Result<std::string> DemoPlanSummary(Hub& hub, int64_t now_ns) {
  const std::filesystem::path path = hub.dir() / optimize::kPlanCatalogueFile;
  FH_ASSIGN_OR_RETURN(optimize::Catalogue catalogue, optimize::LoadCatalogue(path.string()));
  FH_ASSIGN_OR_RETURN(optimize::PlantFacts facts, optimize::MeasurePlant(hub, catalogue, now_ns));
  FH_ASSIGN_OR_RETURN(
      optimize::RoadmapPlan plan,
      optimize::PlanRoadmap(catalogue, facts, {.pareto_levels = 0, .sensitivity = false}));
  int chosen = 0, measured = 0;
  for (size_t j = 0; j < plan.solution.schedule.size(); ++j) {
    if (plan.solution.schedule[j] < 0) continue;
    ++chosen;
    bool any = false;
    for (const auto& e : plan.effects[j])
      any |= e && e->measured;
    measured += any;
  }
  return fmt::format(
      "{} of {} measures over {} … {} ({} with effects measured from this hub's data), F = {:.3f}, "
      "{} in {:.0f} ms ({})",
      chosen, catalogue.measures.size(), catalogue.QuarterLabel(0),
      catalogue.QuarterLabel(catalogue.quarters - 1), measured, plan.objective,
      optimize::ToString(plan.solution.status), plan.solution.seconds * 1000, path.string());
}

}  // namespace fh::cli
