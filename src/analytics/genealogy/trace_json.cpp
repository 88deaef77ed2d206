#include "analytics/genealogy/trace_json.h"

#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/csv_cell.h"
#include "common/time.h"

namespace fh::analytics {

namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json OrNull(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
Json TimeOrNull(const std::optional<TimestampNs>& t) {
  return t ? Json(FormatRfc3339(*t)) : Json(nullptr);
}

Json LotJson(const TracedLotInfo& l) {
  return {{"lot", l.lot.number},
          {"material", l.material},
          {"depth", l.walked.depth},
          {"path", l.path},
          {"link_quantity", OrNull(l.walked.quantity)},
          {"link_order", OrNull(l.link_order)},
          {"quantity", OrNull(l.lot.quantity)},
          {"unit", OrNull(l.lot.unit)},
          {"status", ToString(l.lot.status)},
          {"supplier", OrNull(l.lot.supplier)},
          {"made_by", OrNull(l.made_by)},
          {"produced_at", TimeOrNull(l.lot.produced_at)},
          {"inspections", l.inspections},
          {"failed_inspections", l.failed_inspections}};
}

Json ShipmentJson(const TracedShipment& s) {
  return {{"shipment", s.number},   {"lot", s.lot},
          {"material", s.material}, {"quantity", OrNull(s.quantity)},
          {"unit", OrNull(s.unit)}, {"shipped_at", TimeOrNull(s.shipped_at)},
          {"depth", s.depth},       {"path", s.path}};
}

Json CyclesJson(const LotTrace& t) {
  Json out = Json::array();
  for (const auto& [from, to] : t.cycle_lots)
    out.push_back({{"from", from}, {"to", to}});
  return out;
}

}  // namespace

Json LotTraceJson(const LotTrace& t) {
  Json lots = Json::array(), orders = Json::array(), inspections = Json::array(),
       shipments = Json::array();
  for (size_t i = 1; i < t.lots.size(); ++i)
    lots.push_back(LotJson(t.lots[i]));
  for (const TracedOrder& o : t.orders)
    orders.push_back({{"order", o.number},
                      {"material", o.material},
                      {"equipment", OrNull(o.equipment)},
                      {"status", o.status}});
  for (const TracedInspection& i : t.inspections)
    inspections.push_back({{"lot", i.lot},
                           {"characteristic", i.characteristic},
                           {"inspected_at", FormatRfc3339(i.inspected_at)},
                           {"value", OrNull(i.value)},
                           {"result", i.result},
                           {"defect_code", OrNull(i.defect_code)}});
  for (const TracedShipment& s : t.shipments) {
    Json j = ShipmentJson(s);
    j["customer"] = s.customer_code;
    j["customer_name"] = s.customer_name;
    shipments.push_back(std::move(j));
  }
  return {{"direction", ToString(t.direction)},
          {"start", LotJson(t.lots.front())},
          {"lots", std::move(lots)},
          {"orders", std::move(orders)},
          {"equipment", t.equipment},
          {"inspections", std::move(inspections)},
          {"shipments", std::move(shipments)},
          {"cycles", CyclesJson(t)},
          {"links", t.links},
          {"truncated", t.truncated}};
}

Json RecallJson(const LotTrace& t) {
  Json customers = Json::array();
  for (size_t i = 0; i < t.shipments.size();) {
    const TracedShipment& first = t.shipments[i];
    Json shipments = Json::array();
    std::map<std::string, double> totals;  // by unit
    for (; i < t.shipments.size() && t.shipments[i].customer_code == first.customer_code; ++i) {
      const TracedShipment& s = t.shipments[i];
      shipments.push_back(ShipmentJson(s));
      if (s.quantity) totals[s.unit.value_or("")] += *s.quantity;
    }
    Json quantity = Json::object();
    for (const auto& [unit, sum] : totals)
      quantity[unit] = sum;
    customers.push_back({{"customer", first.customer_code},
                         {"name", first.customer_name},
                         {"country", OrNull(first.country)},
                         {"quantity", std::move(quantity)},
                         {"shipments", std::move(shipments)}});
  }
  const TracedLotInfo& start = t.lots.front();
  return {{"lot", start.lot.number},           {"material", start.material},
          {"lots_reached", t.lots.size() - 1}, {"customers", std::move(customers)},
          {"cycles", CyclesJson(t)},           {"truncated", t.truncated}};
}

std::string RecallCsv(const LotTrace& t) {
  std::string out =
      "customer,customer_name,country,shipment,lot,material,quantity,unit,shipped_at,depth,"
      "path\n";
  for (const TracedShipment& s : t.shipments) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{}\n", CsvCell(s.customer_code), CsvCell(s.customer_name),
        CsvCell(s.country.value_or("")), CsvCell(s.number), CsvCell(s.lot), CsvCell(s.material),
        s.quantity ? fmt::format("{}", *s.quantity) : "", CsvCell(s.unit.value_or("")),
        s.shipped_at ? FormatRfc3339(*s.shipped_at) : "", s.depth,
        CsvCell(fmt::format("{}", fmt::join(s.path, " > "))));
  }
  return out;
}

}  // namespace fh::analytics
