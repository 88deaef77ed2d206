// factoryhub model list|show|promote|export|import: the model registry (docs/ml.md).
#include <fstream>
#include <sstream>

#include <fmt/ranges.h>

#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "ml/model_registry.h"
#include "ml/preprocess/preprocessing.h"
#include "ml/registered_model_json.h"

namespace fh::cli {
namespace {

struct ModelCli {
  std::string hub;
  std::string ref;   // NAME or NAME@VERSION
  std::string file;  // export: output ("-": stdout); import: input
  bool json = false;
};

template <typename Fn>
auto WithRegistry(const std::string& hub_dir, Fn fn)
    -> decltype(fn(std::declval<ml::ModelRegistry&>())) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(hub_dir));
  CatalogSession session = hub->OpenCatalog();
  ml::ModelRegistry registry(session.models());
  return fn(registry);
}

std::string Headline(const nlohmann::ordered_json& s) {
  if (!s.contains("cv")) return "";
  const auto& cv = s["cv"];
  auto num = [&](const char* k) {
    return cv.contains(k) && cv[k].is_number() ? fmt::format("{:.4f}", cv[k].get<double>())
                                               : std::string("n/a");
  };
  if (cv.contains("macro_f1")) {
    return fmt::format("accuracy {}, macro F1 {}", num("accuracy"), num("macro_f1"));
  }
  return cv.contains("roc_auc") ? fmt::format("ROC AUC {}, F1 {}", num("roc_auc"), num("f1"))
                                : fmt::format("RMSE {}, MAE {}", num("rmse"), num("mae"));
}

Status RunList(const ModelCli& o) {
  return WithRegistry(o.hub, [&](ml::ModelRegistry& r) -> Status {
    FH_ASSIGN_OR_RETURN(std::vector<ml::RegisteredModel> models, r.List(o.ref));
    if (o.json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const ml::RegisteredModel& m : models)
        list.push_back(ml::ModelSummaryJson(m));
      PrintJson(list);
      return Status::Ok();
    }
    if (models.empty()) {
      fmt::print("No models yet: run factoryhub train --spec SPEC.yaml first.\n");
      return Status::Ok();
    }
    Table t({{"model"}, {"kind"}, {"task"}, {"stage"}, {"cross-validated"}, {"created"}});
    for (const ml::RegisteredModel& m : models) {
      t.AddRow({m.label(), m.kind, std::string(ml::ToString(m.task)), m.stage,
                Headline(ml::ModelSummaryJson(m)), FormatRfc3339(m.created_at)});
    }
    t.Print();
    return Status::Ok();
  });
}

Status RunShow(const ModelCli& o) {
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(o.ref));
  return WithRegistry(o.hub, [&](ml::ModelRegistry& r) -> Status {
    FH_ASSIGN_OR_RETURN(ml::RegisteredModel m, r.Get(ref));
    if (o.json) {
      PrintJson(ml::ModelDetailJson(m));
      return Status::Ok();
    }
    const nlohmann::ordered_json s = ml::ModelSummaryJson(m);
    std::string features;
    for (const ml::FeatureSpec& f : m.features)
      features += (features.empty() ? "" : ", ") + f.name;
    std::string batches;
    for (int64_t b : m.training_batches)
      batches += (batches.empty() ? "" : ", ") + std::to_string(b);
    FH_ASSIGN_OR_RETURN(const ml::Preprocessing preprocessing,
                        ml::Preprocessing::FromJson(m.preprocessing));
    PrintKeyValues(
        {{"model", m.label()},
         {"kind", m.kind},
         {"task", std::string(ml::ToString(m.task))},
         {"stage", m.stage},
         {"created", FormatRfc3339(m.created_at)},
         {"threshold", m.threshold ? fmt::format("{:.4f}", *m.threshold) : ""},
         {"classes", m.classes.empty() ? std::string()
                                       : fmt::format("{} (normal: {})", fmt::join(m.classes, ", "),
                                                     m.normal_class)},
         {"cross-validated", Headline(s)},
         {"features", features},
         {"preprocessing", fmt::format("{}", fmt::join(preprocessing.Describe(), "; "))},
         {"trained on", fmt::format("{} rows of batches {}", m.training_rows,
                                    batches.empty() ? "(none recorded)" : batches)}});
    return Status::Ok();
  });
}

Status RunPromote(const ModelCli& o) {
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(o.ref));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  {
    CatalogSession session = hub->OpenCatalog();
    ml::ModelRegistry registry(session.models());
    FH_RETURN_IF_ERROR(registry.Promote(ref));
  }
  const std::string label = fmt::format("{}@{}", ref.name, ref.version.value_or(0));
  FH_RETURN_IF_ERROR(Audit(*hub, "model.promote", label));
  fmt::print("{} is now in production.\n", label);
  return Status::Ok();
}

Status RunExport(const ModelCli& o) {
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(o.ref));
  return WithRegistry(o.hub, [&](ml::ModelRegistry& r) -> Status {
    FH_ASSIGN_OR_RETURN(ml::RegisteredModel m, r.Get(ref));
    const std::string text = ml::ExportModel(m);
    if (o.file == "-") {
      fmt::print("{}", text);
      return Status::Ok();
    }
    std::ofstream out(o.file, std::ios::binary);
    out << text;
    if (!out) return IOError("cannot write {}", o.file);
    PrintNote(fmt::format("wrote {} to {}", m.label(), o.file));
    return Status::Ok();
  });
}

Status RunImport(const ModelCli& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return NotFound("cannot read {}", o.file);
  std::stringstream ss;
  ss << in.rdbuf();
  FH_ASSIGN_OR_RETURN(ml::RegisteredModel m, ml::ImportModel(ss.str(), o.file));
  return WithRegistry(o.hub, [&](ml::ModelRegistry& r) -> Status {
    FH_ASSIGN_OR_RETURN(ml::RegisteredModel stored, r.Register(std::move(m)));
    if (o.json) {
      PrintJson(ml::ModelSummaryJson(stored));
    } else {
      fmt::print("Imported as {}.\n", stored.label());
    }
    return Status::Ok();
  });
}

}  // namespace

Command RegisterModel(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "model", "Trained models in the hub: list, show, promote, export, import");
  sub->require_subcommand(1);
  auto o = std::make_shared<ModelCli>();
  auto which = std::make_shared<std::string>();

  CLI::App* list = sub->add_subcommand("list", "Every version of every model, newest first");
  AddHubOption(list, &o->hub);
  list->add_option("NAME", o->ref, "Only this model's versions");
  AddJsonOption(list, &o->json);
  list->callback([which] { *which = "list"; });

  CLI::App* show =
      sub->add_subcommand("show", "A model's kind, threshold, metrics, features and training data");
  AddHubOption(show, &o->hub);
  show->add_option("MODEL", o->ref, "NAME (production, else newest) or NAME@VERSION")->required();
  AddJsonOption(show, &o->json);
  show->callback([which] { *which = "show"; });

  CLI::App* promote =
      sub->add_subcommand("promote", "Make a version the one predict uses by default");
  AddHubOption(promote, &o->hub);
  promote->add_option("MODEL", o->ref, "NAME@VERSION")->required();
  promote->callback([which] { *which = "promote"; });

  CLI::App* exp = sub->add_subcommand("export", "Write a model to one JSON file");
  AddHubOption(exp, &o->hub);
  exp->add_option("MODEL", o->ref, "NAME or NAME@VERSION")->required();
  exp->add_option("--output,-o", o->file, "File to write (default: standard output)")
      ->default_val("-");
  exp->callback([which] { *which = "export"; });

  CLI::App* imp = sub->add_subcommand("import", "Store an exported model as a new version");
  AddHubOption(imp, &o->hub);
  imp->add_option("FILE", o->file, "A file written by model export")
      ->required()
      ->check(CLI::ExistingFile);
  AddJsonOption(imp, &o->json);
  imp->callback([which] { *which = "import"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub model list --hub plant\n"
      "  factoryhub model promote --hub plant ai4i-machine-failure@2\n"
      "  factoryhub model export --hub plant ai4i-machine-failure -o model.json");
  return {sub, [o, which]() -> Status {
            if (*which == "list") return RunList(*o);
            if (*which == "show") return RunShow(*o);
            if (*which == "promote") return RunPromote(*o);
            if (*which == "export") return RunExport(*o);
            return RunImport(*o);
          }};
}

}  // namespace fh::cli
