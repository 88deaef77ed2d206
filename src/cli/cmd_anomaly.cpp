// factoryhub anomaly train|score: the multivariate anomaly detector (docs/anomaly.md) — a
// PCA of the window the user names as normal, kept in the model registry, and the rows of
// any period it finds beyond its limits, with the signals that moved.
#include <algorithm>

#include "cli/command.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "common/time.h"
#include "ml/model_registry.h"
#include "ml/pca/detector_data.h"
#include "ml/pca/detector_training.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace {

// How far before --from a lagged detector reads, for its first rows' predecessors.
constexpr int64_t kContextNs = 10 * kNanosPerMinute;

struct AnomalyCli {
  std::string hub, spec, model, from, to;
  bool json = false, all = false, no_save = false;
  size_t limit = 50;
};

Status RunTrain(const AnomalyCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(ml::DetectorSpec spec, ml::DetectorSpec::Load(o.spec));
  FH_ASSIGN_OR_RETURN(ml::AlignedSignals normal,
                      ml::ReadAligned(hub->storage(), spec.signals, spec.normal, spec.hold_ns));
  FH_ASSIGN_OR_RETURN(ml::TrainedDetector trained, ml::TrainDetector(spec, normal));
  nlohmann::ordered_json doc = ml::DetectorReportJson(trained);
  doc["normal"] = {{"from", FormatRfc3339(spec.normal.from)},
                   {"to", FormatRfc3339(spec.normal.to)}};
  std::optional<ml::RegisteredModel> stored;
  if (!o.no_save) {
    ml::RegisteredModel m;
    m.name = spec.name;
    m.kind = "pca";
    m.task = ml::Task::kAnomaly;
    m.spec = spec.text;
    for (const std::string& s : trained.detector.signals())
      m.features.push_back({.kind = ml::FeatureSpec::Kind::kColumn, .name = s, .column = s});
    m.report = JsonText(doc);
    m.training_rows = static_cast<int64_t>(trained.detector.rows());
    m.data = JsonText(trained.detector.ToJson());
    CatalogSession session = hub->OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_ASSIGN_OR_RETURN(stored, registry.RegisterTrainedOn(std::move(m), normal.tags));
    doc["stored_as"] = stored->label();
  }
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

Status RunScore(const AnomalyCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(o.model));
  ml::RegisteredModel m;
  {
    CatalogSession session = hub->OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_ASSIGN_OR_RETURN(m, registry.Get(ref));
  }
  if (m.kind != "pca") {
    return InvalidArgument("{} is a {} model, not an anomaly detector: use factoryhub predict",
                           m.label(), m.kind);
  }
  FH_ASSIGN_OR_RETURN(ml::DetectorSpec spec, ml::DetectorSpec::Parse(m.spec, m.label()));
  const nlohmann::json data = nlohmann::json::parse(m.data, nullptr, false);
  FH_ASSIGN_OR_RETURN(ml::PcaDetector d, ml::PcaDetector::FromJson(data));
  FH_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(o.from, o.to));
  // The rows before --from too, for the first rows' lags (a lagged detector needs them).
  TimeRange read = range;
  if (d.lags() > 0 && read.from > INT64_MIN + kContextNs) read.from -= kContextNs;
  FH_ASSIGN_OR_RETURN(ml::AlignedSignals rows, ml::ReadAligned(hub->storage(), spec.signals, read,
                                                               spec.hold_ns, &d.signals()));
  std::vector<ml::ScoredRow> scored = ml::ScoreAligned(d, rows);
  std::erase_if(scored, [&](const ml::ScoredRow& r) { return r.time < range.from; });
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
  return {sub, [run] { return (*run)(); }};
}

}  // namespace fh::cli
