// factoryhub anomaly train|score|evaluate: the multivariate anomaly detector (docs/anomaly.md) — a
// PCA of the window the user names as normal, kept in the model registry, and the rows of
// any period it finds beyond its limits, with the signals that moved.
#include <algorithm>

#include "cli/command.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "common/time.h"
#include "ml/model_registry.h"
#include "ml/pca/detector_data.h"
#include "ml/pca/detector_evaluation.h"
#include "ml/pca/detector_training.h"
#include "sim/fault_plan.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace {

// How far before --from a lagged detector reads, for its first rows' predecessors.
constexpr int64_t kContextNs = 10 * kNanosPerMinute;

struct AnomalyCli {
  std::string hub, spec, model, from, to, faults;
  bool json = false, all = false, no_save = false;
  int64_t settle_ns = 5 * kNanosPerMinute;
  size_t limit = 50;
};

Status RunTrain(const AnomalyCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(ml::DetectorSpec spec, ml::DetectorSpec::Load(o.spec));
  FH_ASSIGN_OR_RETURN(ml::DetectorTraining training,
                      ml::TrainDetectorOnHub(*hub, spec, !o.no_save));
  const ml::TrainedDetector& trained = training.trained;
  const nlohmann::ordered_json& doc = training.report;
  const std::optional<ml::RegisteredModel>& stored = training.stored;
  if (o.json) {
    PrintJson(doc);
    return Status::Ok();
  }
  const ml::PcaDetector& d = trained.detector;
  fmt::print(
      "{} signals of {}, {} rows of normal operation ({} to {}), {} held out; {}{} components "
      "explain {:.1f} % of the variance.\n",
      d.signals().size(), spec.signals, d.rows() + trained.held_out,
      FormatRfc3339(spec.normal.from), FormatRfc3339(spec.normal.to), trained.held_out,
      d.lags() ? fmt::format("{} lag{}; ", d.lags(), d.lags() == 1 ? "" : "s") : "", d.components(),
      100 * d.explained());
  fmt::print("Limits at a false-alarm rate of {:g} % each: T² {:.3f}, SPE {:.3f}.\n",
             100 * d.alpha(), d.t2_limit(), d.spe_limit());
  if (trained.held_out > 0) {
    fmt::print(
        "On the held-out normal rows: {:.2f} % beyond T², {:.2f} % beyond SPE, {:.2f} % beyond "
        "either (the false alarms to expect).\n",
        100 * trained.beyond_t2, 100 * trained.beyond_spe, 100 * trained.beyond_either);
  }
  if (stored) {
    fmt::print("Stored {}; score a period with factoryhub anomaly score {} --from T --to T\n",
               stored->label(), stored->label());
  }
  return Status::Ok();
}

// A stored detector with its spec.
struct LoadedDetector {
  ml::RegisteredModel model;
  ml::DetectorSpec spec;
  std::optional<ml::PcaDetector> detector;
};

Result<LoadedDetector> LoadDetector(Hub& hub, const std::string& name) {
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(name));
  LoadedDetector out;
  {
    CatalogSession session = hub.OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_ASSIGN_OR_RETURN(out.model, registry.Get(ref));
  }
  if (out.model.kind != "pca") {
    return InvalidArgument("{} is a {} model, not an anomaly detector: use factoryhub predict",
                           out.model.label(), out.model.kind);
  }
  FH_ASSIGN_OR_RETURN(out.spec, ml::DetectorSpec::Parse(out.model.spec, out.model.label()));
  const nlohmann::json data = nlohmann::json::parse(out.model.data, nullptr, false);
  FH_ASSIGN_OR_RETURN(out.detector, ml::PcaDetector::FromJson(data));
  return out;
}

// The detector's rows in `range`, scored; the rows before it read for the first rows' lags.
Result<std::pair<ml::DetectorRows, std::vector<ml::ScoredRow>>> ScoreRange(Hub& hub,
                                                                           const LoadedDetector& l,
                                                                           TimeRange range) {
  const ml::PcaDetector& d = *l.detector;
  TimeRange read = range;
  if (d.lags() > 0 && read.from > INT64_MIN + kContextNs) read.from -= kContextNs;
  FH_ASSIGN_OR_RETURN(ml::DetectorRows rows,
                      ml::ReadDetectorRows(hub.storage(), l.spec, read, &d.signals()));
  std::vector<ml::ScoredRow> scored = ml::ScoreAligned(d, rows.data);
  std::erase_if(scored, [&](const ml::ScoredRow& r) { return r.time < range.from; });
  return std::pair{std::move(rows), std::move(scored)};
}

Status RunScore(const AnomalyCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(LoadedDetector loaded, LoadDetector(*hub, o.model));
  const ml::RegisteredModel& m = loaded.model;
  const ml::PcaDetector& d = *loaded.detector;
  FH_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(o.from, o.to));
  FH_ASSIGN_OR_RETURN(auto read, ScoreRange(*hub, loaded, range));
  const ml::AlignedSignals& rows = read.first.data;
  const std::vector<ml::ScoredRow>& scored = read.second;
  size_t beyond = 0, beyond_t2 = 0, beyond_spe = 0;
  const ml::ScoredRow* first = nullptr;
  for (const ml::ScoredRow& r : scored) {
    beyond_t2 += r.beyond_t2;
    beyond_spe += r.beyond_spe;
    if (r.beyond_t2 || r.beyond_spe) {
      ++beyond;
      if (first == nullptr) first = &r;
    }
  }
  auto unit_of = [&](const ml::ScoredRow& r) { return rows.units[r.unit].unit; };
  if (o.json) {
    nlohmann::ordered_json doc;
    doc["model"] = m.label();
    doc["t2_limit"] = d.t2_limit();
    doc["spe_limit"] = d.spe_limit();
    doc["rows"] = scored.size();
    doc["beyond"] = {{"t2", beyond_t2}, {"spe", beyond_spe}, {"either", beyond}};
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ml::ScoredRow& r : scored) {
      if (!o.all && !r.beyond_t2 && !r.beyond_spe) continue;
      if (list.size() >= o.limit) break;
      nlohmann::ordered_json row = {
          {"unit", unit_of(r)}, {"time", FormatRfc3339(r.time)}, {"t2", r.t2},
          {"spe", r.spe},       {"beyond_t2", r.beyond_t2},      {"beyond_spe", r.beyond_spe}};
      nlohmann::ordered_json moved = nlohmann::ordered_json::array();
      for (const auto& [signal, share] : r.moved)
        moved.push_back({{"signal", signal}, {"share", share}});
      row["moved"] = std::move(moved);
      list.push_back(std::move(row));
    }
    doc["rows_listed"] = std::move(list);
    PrintJson(doc);
    return Status::Ok();
  }
  fmt::print("{}: {} rows scored; {} beyond a limit ({} T², {} SPE){}.\n", m.label(), scored.size(),
             beyond, beyond_t2, beyond_spe,
             first ? fmt::format(", the first at {}", FormatRfc3339(first->time)) : "");
  size_t listed = 0;
  for (const ml::ScoredRow& r : scored) {
    if (!o.all && !r.beyond_t2 && !r.beyond_spe) continue;
    if (listed++ >= o.limit) {
      fmt::print("... (--limit {})\n", o.limit);
      break;
    }
    std::string moved;
    for (const auto& [signal, share] : r.moved)
      moved += fmt::format("{}{} {:.0f} %", moved.empty() ? "" : ", ", signal, 100 * share);
    fmt::print("{}{}  T² {:.2f}{}  SPE {:.3f}{}{}\n", FormatRfc3339(r.time),
               unit_of(r).empty() ? "" : " " + unit_of(r), r.t2, r.beyond_t2 ? "!" : "", r.spe,
               r.beyond_spe ? "!" : "", moved.empty() ? "" : "  moved: " + moved);
  }
  return Status::Ok();
}

std::string Moved(const std::vector<std::pair<std::string, double>>& moved) {
  std::string out;
  for (const auto& [signal, share] : moved)
    out += fmt::format("{}{} {:.0f} %", out.empty() ? "" : ", ", signal, 100 * share);
  return out;
}

Status RunEvaluate(const AnomalyCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(LoadedDetector loaded, LoadDetector(*hub, o.model));
  FH_ASSIGN_OR_RETURN(sim::FaultPlan plan, sim::FaultPlan::Load(o.faults));
  if (plan.empty()) return InvalidArgument("{}: no faults to judge the detector on", o.faults);
  TimeRange range{INT64_MAX, INT64_MIN};
  for (const sim::Fault& f : plan.faults()) {
    range.from = std::min(range.from, f.start);
    range.to = std::max(range.to, f.end);
  }
  // By default, an hour each side of the faults (normal rows to count false alarms on), up
  // to now: a plan may reach into the future (the demo's does).
  range.from -= kNanosPerHour;
  range.to = std::min(range.to + kNanosPerHour, NowNs());
  if (!o.from.empty() || !o.to.empty()) {
    FH_ASSIGN_OR_RETURN(TimeRange given, ParseTimeRange(o.from, o.to));
    if (!o.from.empty()) range.from = given.from;
    if (!o.to.empty()) range.to = given.to;
  }
  // The faults that began in the range: those after it cannot be judged yet.
  std::vector<ml::FaultWindow> windows;
  for (const sim::Fault& f : plan.faults()) {
    if (f.start >= range.to || f.end <= range.from) continue;
    windows.push_back({f.name, std::string(sim::ToString(f.kind)), f.machine, f.start, f.end});
  }
  FH_ASSIGN_OR_RETURN(auto read, ScoreRange(*hub, loaded, range));
  const ml::DetectionReport report =
      ml::EvaluateDetection(read.second, read.first.data, windows, o.settle_ns);
  const ml::PcaDetector& d = *loaded.detector;
  if (o.json) {
    nlohmann::ordered_json faults = nlohmann::ordered_json::array();
    for (const ml::FaultDetection& f : report.faults) {
      nlohmann::ordered_json moved = nlohmann::ordered_json::array();
      for (const auto& [signal, share] : f.moved)
        moved.push_back({{"signal", signal}, {"share", share}});
      faults.push_back(
          {{"fault", f.fault.name},
           {"kind", f.fault.kind},
           {"machine", f.fault.machine},
           {"start", FormatRfc3339(f.fault.start)},
           {"end", FormatRfc3339(f.fault.end)},
           {"rows", f.rows},
           {"beyond", f.beyond},
           {"detected", f.detected.has_value()},
           {"delay_s", f.detected ? nlohmann::ordered_json(
                                        static_cast<double>(*f.detected - f.fault.start) / 1e9)
                                  : nlohmann::ordered_json(nullptr)},
           {"moved", std::move(moved)}});
    }
    PrintJson({{"model", loaded.model.label()},
               {"alpha", d.alpha()},
               {"from", FormatRfc3339(range.from)},
               {"to", FormatRfc3339(range.to)},
               {"faults", std::move(faults)},
               {"missed", report.missed()},
               {"normal_rows", report.normal_rows},
               {"false_alarms", report.normal_beyond},
               {"false_alarm_rate", report.false_alarm_rate()},
               {"stopped_rows", read.first.stopped}});
    return Status::Ok();
  }
  fmt::print("{} on {} faults, {} to {} (limits at {:g} % each):\n\n", loaded.model.label(),
             report.faults.size(), FormatRfc3339(range.from), FormatRfc3339(range.to),
             100 * d.alpha());
  Table table({{"fault"},
               {"kind"},
               {"machine"},
               {"start"},
               {"lasted"},
               {"detected"},
               {"delay", true},
               {"rows beyond", true},
               {"moved first"}});
  for (const ml::FaultDetection& f : report.faults) {
    table.AddRow({f.fault.name, f.fault.kind, f.fault.machine, FormatRfc3339(f.fault.start),
                  FormatDuration(f.fault.end - f.fault.start),
                  !f.judged()  ? "no rows"
                  : f.detected ? "yes"
                               : "MISSED",
                  f.detected ? FormatDuration(*f.detected - f.fault.start) : "",
                  f.judged() ? fmt::format("{:.0f} %", 100.0 * f.beyond / f.rows) : "",
                  Moved(f.moved)});
  }
  table.Print();
  fmt::print(
      "\nMissed {} of {} faults. False alarms outside them: {:.2f} % of {} rows (limits set for "
      "{:g} % each, T² and SPE){}.\n",
      report.missed(), report.faults.size(), 100 * report.false_alarm_rate(), report.normal_rows,
      100 * d.alpha(),
      read.first.stopped > 0
          ? fmt::format("; {} rows of stopped equipment not judged", read.first.stopped)
          : "");
  return Status::Ok();
}

}  // namespace

Command RegisterAnomaly(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "anomaly", "Multivariate anomaly detection: PCA of normal operation, T² and SPE limits");
  sub->require_subcommand(1);
  auto o = std::make_shared<AnomalyCli>();
  auto run = std::make_shared<std::function<Status()>>();

  CLI::App* train = sub->add_subcommand(
      "train", "Train a detector on the window a detector spec names as normal, and store it");
  AddHubOption(train, &o->hub);
  train->add_option("--spec", o->spec, "The detector spec (YAML, docs/anomaly.md)")
      ->required()
      ->check(CLI::ExistingFile);
  train->add_flag("--no-save", o->no_save, "Only report: do not store the detector");
  AddJsonOption(train, &o->json);
  train->callback([o, run] { *run = [o] { return RunTrain(*o); }; });
  train->footer("Example:\n  factoryhub anomaly train --hub plant --spec press-1.yaml");

  CLI::App* score = sub->add_subcommand(
      "score", "Score a period with a stored detector: the rows beyond a limit, what moved");
  AddHubOption(score, &o->hub);
  score->add_option("model", o->model, "The detector: NAME or NAME@VERSION")->required();
  score->add_option("--from", o->from, "From (RFC 3339, now-1d, epoch seconds)");
  score->add_option("--to", o->to, "To, exclusive (default: now)");
  score->add_flag("--all", o->all, "Every row, not only those beyond a limit");
  score->add_option("--limit", o->limit, "Rows listed at most (default 50)");
  AddJsonOption(score, &o->json);
  score->callback([o, run] { *run = [o] { return RunScore(*o); }; });
  score->footer("Example:\n  factoryhub anomaly score --hub plant press-1 --from now-1d");

  CLI::App* evaluate = sub->add_subcommand(
      "evaluate",
      "Judge a stored detector on known faults (simulate --faults): missed detections, delay, "
      "false alarms");
  AddHubOption(evaluate, &o->hub);
  evaluate->add_option("model", o->model, "The detector: NAME or NAME@VERSION")->required();
  evaluate->add_option("--faults", o->faults, "The fault plan the data was simulated with (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  evaluate->add_option("--from", o->from, "From (default: an hour before the first fault)");
  evaluate->add_option("--to", o->to, "To, exclusive (default: an hour after the last fault)");
  evaluate->add_option_function<std::string>(
      "--settle",
      [o](const std::string& text) {
        Result<int64_t> d = ParseDuration(text);
        if (!d.ok() || *d < 0) throw CLI::ValidationError("--settle", "a duration, e.g. 5m");
        o->settle_ns = *d;
      },
      "After a fault, how long its rows count as neither fault nor normal (default 5m)");
  AddJsonOption(evaluate, &o->json);
  evaluate->callback([o, run] { *run = [o] { return RunEvaluate(*o); }; });
  evaluate->footer(
      "Example:\n  factoryhub simulate --hub plant --from 2026-03-02 --until 2026-03-03 "
      "--faults faults.yaml\n  factoryhub anomaly evaluate --hub plant cnc-01 --faults "
      "faults.yaml");
  return {sub, [run] { return (*run)(); }};
}

}  // namespace fh::cli
