#include "optimize/setpoint/setpoint_run.h"

#include <cmath>

#include "common/time.h"
#include "ml/column_data.h"
#include "ml/model_registry.h"
#include "ml/training_spec.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::optimize::setpoint {
namespace setpoint_run_detail {

nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json Optional(const std::optional<double>& v) {
  return v ? Number(*v) : nlohmann::ordered_json(nullptr);
}

// The values of the model's columns at the N-th row of its data in the hub.
Result<std::map<std::string, double>> RowValues(Hub& hub, const ml::TrainingSpec& spec, int64_t row,
                                                ContextSource* source) {
  FH_ASSIGN_OR_RETURN(const ml::ColumnData data, ml::ReadColumns(hub.storage(), spec.tags));
  int64_t total = 0;
  for (const ml::UnitColumns& u : data.units)
    total += static_cast<int64_t>(u.time.size());
  const int64_t index = row > 0 ? row - 1 : total + row;
  if (row == 0 || index < 0 || index >= total) {
    return InvalidArgument(
        "row: {} is not a row of the model's data ({} rows: 1 to {}, or -1 "
        "for the last)",
        row, total, total);
  }
  int64_t at = index;
  for (const ml::UnitColumns& u : data.units) {
    if (at >= static_cast<int64_t>(u.time.size())) {
      at -= static_cast<int64_t>(u.time.size());
      continue;
    }
    std::map<std::string, double> out;
    for (const auto& [column, values] : u.columns)
      out[column] = values[static_cast<size_t>(at)];
    source->kind = "row";
    source->detail = fmt::format("row {} of {} ({}{})", index + 1, total,
                                 FormatRfc3339(u.time[static_cast<size_t>(at)]),
                                 u.unit.empty() ? "" : ", unit " + u.unit);
    return out;
  }
  return Internal("row {} not found", row);
}

}  // namespace setpoint_run_detail

using namespace setpoint_run_detail;

Result<RunResult> RunSetpointSearch(Hub& hub, const RunRequest& request) {
  const std::string model_text = request.model.empty() ? request.spec.model : request.model;
  if (model_text.empty()) {
    return InvalidArgument("{}: no model: name it in the spec (model: NAME) or with --model",
                           request.spec.display_name);
  }
  FH_ASSIGN_OR_RETURN(const ml::ModelRef ref, ml::ParseModelRef(model_text));
  Result<ml::RegisteredModel> model = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ml::ModelRegistry(session.models()).Get(ref);
  }();
  if (!model.ok()) return model.status();
  FH_ASSIGN_OR_RETURN(const ml::TrainingSpec training,
                      ml::ParseTrainingSpec(model->spec, model->label()));

  RunResult run;
  std::map<std::string, double> context;
  const std::string equipment =
      request.equipment.empty() ? request.spec.equipment : request.equipment;
  if (request.row) {
    FH_ASSIGN_OR_RETURN(context, RowValues(hub, training, *request.row, &run.source));
  } else if (!equipment.empty()) {
    std::vector<std::string> tags;
    {
      CatalogSession session = hub.OpenCatalog();
      FH_RETURN_IF_ERROR(session.catalog().FindAsset(equipment).status());
      FH_ASSIGN_OR_RETURN(const std::vector<TagListing> listed,
                          session.catalog().ListTags(equipment));
      for (const TagListing& t : listed)
        tags.push_back(t.tag.name);
    }
    if (tags.empty()) return NotFound("equipment {} has no tags", equipment);
    Result<std::map<std::string, double>> latest =
        ml::ReadLatestColumns(hub.storage(), training.tags, tags);
    if (!latest.ok()) {
      return Status(
          latest.status().code(),
          fmt::format("equipment {}: none of its tags is an input of {} ({}): {}", equipment,
                      model->label(), training.tags, latest.status().message()));
    }
    context = std::move(*latest);
    run.source = {"equipment", equipment};
  } else {
    // Without a source named, the spec's values; the model's own tags' latest values fill
    // what they leave out (a model of one machine needs nothing more).
    Result<std::map<std::string, double>> latest =
        ml::ReadLatestColumns(hub.storage(), training.tags);
    if (latest.ok()) {
      context = std::move(*latest);
      run.source = {"latest", training.tags};
    } else if (latest.status().code() == StatusCode::kInvalidArgument) {
      return latest.status();
    } else {
      run.source = {"spec", ""};
    }
  }
  for (const auto& [column, value] : request.spec.context)
    context[column] = value;
  FH_ASSIGN_OR_RETURN(run.result,
                      OptimizeSetpoints(*model, request.spec, context, request.options));
  return run;
}

nlohmann::ordered_json SetpointResultJson(const RunResult& run) {
  const SetpointResult& r = run.result;
  auto point = [&](const PointReport& p) {
    nlohmann::ordered_json controls = nlohmann::ordered_json::object();
    for (size_t i = 0; i < r.controls.size(); ++i)
      controls[r.controls[i].name] = Number(p.controls[i]);
    nlohmann::ordered_json terms = nlohmann::ordered_json::array();
    for (const TermValue& t : p.terms) {
      terms.push_back({{"name", t.name},
                       {"value", Number(t.value)},
                       {"sense", t.maximize ? "maximize" : "minimize"},
                       {"weight", t.weight}});
    }
    nlohmann::ordered_json constraints = nlohmann::ordered_json::array();
    for (const ConstraintCheck& c : p.constraints) {
      constraints.push_back({{"name", c.name},
                             {"value", Number(c.value)},
                             {"min", Optional(c.min)},
                             {"max", Optional(c.max)},
                             {"holds", c.holds}});
    }
    nlohmann::ordered_json outside = nlohmann::ordered_json::array();
    for (const OutsideFeature& o : p.outside)
      outside.push_back(
          {{"feature", o.feature}, {"value", Number(o.value)}, {"min", o.min}, {"max", o.max}});
    nlohmann::ordered_json distance = {{"outside", std::move(outside)}, {"tails", p.tails}};
    distance["nearest_neighbour"] = p.nn_distance ? Number(*p.nn_distance) : nullptr;
    distance["verdict"] = !p.nn_distance               ? "unknown"
                          : *p.nn_distance <= r.nn_p95 ? "typical"
                          : *p.nn_distance <= r.nn_p99 ? "sparse"
                                                       : "beyond";
    return nlohmann::ordered_json{
        {"controls", std::move(controls)},       {"prediction", Number(p.prediction)},
        {"objective", Number(p.objective)},      {"terms", std::move(terms)},
        {"constraints", std::move(constraints)}, {"feasible", p.feasible},
        {"distance", std::move(distance)}};
  };
  nlohmann::ordered_json controls = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.controls.size(); ++i) {
    const Control& c = r.controls[i];
    nlohmann::ordered_json j = {{"name", c.name}, {"min", c.min}, {"max", c.max}};
    j["limits"] = {{"lower", Optional(c.lower_limit)}, {"upper", Optional(c.upper_limit)}};
    j["step"] = Optional(c.step);
    j["searched"] = {r.searched[i].first, r.searched[i].second};
    j["current"] = r.current ? Number(r.current->controls[i]) : nullptr;
    j["recommended"] = Number(r.recommended.controls[i]);
    j["change"] = r.current ? Number(r.recommended.controls[i] - r.current->controls[i]) : nullptr;
    controls.push_back(std::move(j));
  }
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  for (const auto& [column, value] : r.context)
    context[column] = Number(value);
  nlohmann::ordered_json drivers = nlohmann::ordered_json::array();
  for (const Driver& d : r.drivers) {
    drivers.push_back({{"feature", d.feature},
                       {"current", Number(d.current_value)},
                       {"recommended", Number(d.recommended_value)},
                       {"contribution_current", Number(d.current_contribution)},
                       {"contribution_recommended", Number(d.recommended_contribution)},
                       {"change", Number(d.change())}});
  }
  nlohmann::ordered_json doc = {
      {"model", r.model},
      {"task", r.task},
      {"prediction", r.prediction},
      {"goal", r.goal},
      {"controls", std::move(controls)},
      {"context", std::move(context)},
      {"context_source", {{"kind", run.source.kind}, {"detail", run.source.detail}}}};
  doc["current"] = r.current ? point(*r.current) : nullptr;
  doc["recommended"] = point(r.recommended);
  doc["expected_change"] =
      r.current ? Number(r.recommended.prediction - r.current->prediction) : nullptr;
  doc["drivers"] = std::move(drivers);
  doc["training_data"] = {
      {"envelope", r.envelope},
      {"extrapolation_allowed", r.extrapolation_allowed},
      {"nearest_neighbour",
       {{"median", Number(r.nn_median)}, {"p95", Number(r.nn_p95)}, {"p99", Number(r.nn_p99)}}}};
  doc["solver"] = {{"method", r.method},
                   {"algorithms", r.algorithms},
                   {"evaluations", r.evaluations},
                   {"seconds", r.seconds}};
  doc["notes"] = r.notes;
  return doc;
}

}  // namespace fh::optimize::setpoint
