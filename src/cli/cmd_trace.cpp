// factoryhub trace backward|forward|recall LOT: lot genealogy (docs/genealogy.md). Backward:
// what went into the lot (supplier lots, the orders and equipment that made it); forward:
// where it went, down to the customers' shipments; recall: those shipments alone, per
// customer, as a table, CSV or JSON.
#include "analytics/genealogy/lot_trace.h"
#include "analytics/genealogy/trace_json.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "store/catalog/catalog.h"

namespace fh::cli {
namespace {

struct TraceCli {
  std::string hub;
  std::string what;  // backward, forward, recall
  std::string lot;
  std::string material;
  int64_t depth = 0;  // 0: unbounded
  bool json = false;
  bool csv = false;
  bool no_inspections = false;
};

std::string Quantity(const std::optional<double>& q, const std::optional<std::string>& unit) {
  if (!q) return "";
  return unit ? fmt::format("{} {}", FormatValue(*q), *unit) : FormatValue(*q);
}

std::string Time(const std::optional<TimestampNs>& t) {
  return t ? FormatRfc3339(*t) : "";
}

void PrintShipments(const analytics::LotTrace& t) {
  Table table({{"customer"},
               {"shipment"},
               {"lot"},
               {"material"},
               {"quantity", true},
               {"shipped"},
               {"depth", true}});
  for (const analytics::TracedShipment& s : t.shipments) {
    table.AddRow({fmt::format("{} ({})", s.customer_code, s.customer_name), s.number, s.lot,
                  s.material, Quantity(s.quantity, s.unit), Time(s.shipped_at),
                  std::to_string(s.depth)});
  }
  table.Print();
}

void PrintCycles(const analytics::LotTrace& t) {
  for (const auto& [from, to] : t.cycle_lots)
    PrintNote(fmt::format("bad genealogy data: the link {} -> {} closes a cycle", from, to));
  if (t.truncated) PrintNote("the trace stopped at --depth with links left to follow");
}

void PrintTrace(const analytics::LotTrace& t) {
  const analytics::TracedLotInfo& start = t.lots.front();
  int64_t inspections = 0, failed = 0;
  for (const analytics::TracedLotInfo& l : t.lots) {
    inspections += l.inspections;
    failed += l.failed_inspections;
  }
  std::printf(
      "Trace %s from lot %s (%s): %zu lots, %zu orders, %zu equipment, %lld inspections "
      "(%lld failed), %zu shipments\n\n",
      std::string(ToString(t.direction)).c_str(), start.lot.number.c_str(), start.material.c_str(),
      t.lots.size() - 1, t.orders.size(), t.equipment.size(), static_cast<long long>(inspections),
      static_cast<long long>(failed), t.shipments.size());
  Table lots({{"lot"},
              {"material"},
              {"depth", true},
              {"link qty", true},
              {"link order"},
              {"made by"},
              {"inspections", true},
              {"path"}});
  for (size_t i = 1; i < t.lots.size(); ++i) {
    const analytics::TracedLotInfo& l = t.lots[i];
    // The link's quantity is in the input lot's unit: the deeper lot backward, this one
    // forward's parent.
    lots.AddRow({l.lot.number, l.material, std::to_string(l.walked.depth),
                 l.walked.quantity ? FormatValue(*l.walked.quantity) : "",
                 l.link_order.value_or(""), l.made_by.value_or(""),
                 l.failed_inspections > 0
                     ? fmt::format("{} ({} failed)", l.inspections, l.failed_inspections)
                     : std::to_string(l.inspections),
                 fmt::format("{}", fmt::join(l.path, " > "))});
  }
  if (!lots.empty()) lots.Print();
  if (!t.orders.empty()) {
    std::printf("\n");
    Table orders({{"order"}, {"material"}, {"equipment"}, {"status"}});
    for (const analytics::TracedOrder& o : t.orders)
      orders.AddRow({o.number, o.material, o.equipment.value_or(""), o.status});
    orders.Print();
  }
  if (!t.shipments.empty()) {
    std::printf("\n");
    PrintShipments(t);
  }
  PrintCycles(t);
}

Status RunTrace(const TraceCli& o) {
  if (o.csv && o.what != "recall") return InvalidArgument("--csv is for trace recall");
  if (o.csv && o.json) return InvalidArgument("--csv and --json: choose one");
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  Catalog& catalog = session.catalog();
  FH_ASSIGN_OR_RETURN(Lot start, analytics::FindTraceStart(catalog, o.lot, o.material));
  analytics::WalkOptions walk;
  walk.direction = o.what == "backward" ? TraceDirection::kBackward : TraceDirection::kForward;
  if (o.depth > 0) walk.max_depth = o.depth;
  const bool recall = o.what == "recall";
  FH_ASSIGN_OR_RETURN(analytics::LotTrace trace,
                      analytics::TraceLot(catalog, start.id, walk, !recall && !o.no_inspections));
  if (recall) {
    if (o.csv) {
      std::fputs(analytics::RecallCsv(trace).c_str(), stdout);
    } else if (o.json) {
      PrintJson(analytics::RecallJson(trace));
    } else {
      std::set<std::string> customers;
      for (const analytics::TracedShipment& s : trace.shipments)
        customers.insert(s.customer_code);
      std::printf("Recall of lot %s (%s): %zu customers, %zu shipments, %zu lots reached\n\n",
                  start.number.c_str(), trace.lots.front().material.c_str(), customers.size(),
                  trace.shipments.size(), trace.lots.size() - 1);
      if (!trace.shipments.empty()) PrintShipments(trace);
      PrintCycles(trace);
    }
    return Status::Ok();
  }
  if (o.json) {
    PrintJson(analytics::LotTraceJson(trace));
  } else {
    PrintTrace(trace);
  }
  return Status::Ok();
}

}  // namespace

Command RegisterTrace(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "trace", "Lot genealogy: what went into a lot, where it went, and whom a recall reaches");
  auto o = std::make_shared<TraceCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("DIRECTION", o->what,
                  "backward (inputs, suppliers), forward (outputs, shipments) or recall "
                  "(forward, the customers' shipments only)")
      ->required()
      ->check(CLI::IsMember({"backward", "forward", "recall"}));
  sub->add_option("LOT", o->lot, "The lot's number")->required();
  sub->add_option("--material", o->material,
                  "The lot's material code, when several materials use the number");
  sub->add_option("--depth", o->depth, "Follow at most N links (default: all)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--no-inspections", o->no_inspections,
                "Count each lot's inspections without listing them (JSON)");
  sub->add_flag("--csv", o->csv, "recall: one CSV row per shipment");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n  factoryhub trace --hub plant backward FG-0042\n"
      "  factoryhub trace --hub plant forward BAR-7 --depth 3\n"
      "  factoryhub trace --hub plant recall BAR-7 --csv > recall.csv");
  return {sub, [o] { return RunTrace(*o); }};
}

}  // namespace fh::cli
