// factoryhub import --hub DIR --mapping M.yaml FILE [--json]
// factoryhub validate --hub DIR --mapping M.yaml FILE [--json]   (the same, stores nothing)
#include <chrono>
#include <filesystem>

#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/import_report_output.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"

namespace fh::cli {
namespace {

struct ImportOptionsCli {
  std::string hub;
  std::string mapping;
  std::string file;
  std::string source_object;
  bool json = false;
};

Status RunImport(const ImportOptionsCli& opts, bool dry_run) {
  FH_ASSIGN_OR_RETURN(govern::Mapping mapping, govern::LoadMapping(opts.mapping));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  std::optional<int64_t> total;
  std::error_code ec;
  if (opts.file != "-" && std::filesystem::is_regular_file(opts.file, ec)) {
    total = static_cast<int64_t>(std::filesystem::file_size(opts.file, ec));
  }
  ProgressLine progress;
  pipeline::ImportOptions options;
  options.dry_run = dry_run;
  options.source_object = opts.source_object;
  const std::string name = opts.file == "-" ? "<stdin>" : opts.file;
  options.progress = [&](const pipeline::ImportProgress& p) {
    if (!progress.Due()) return;
    std::string text = fmt::format("{} {}: {} records", dry_run ? "validating" : "importing", name,
                                   FormatCount(p.records));
    if (total && *total > 0) {
      text += fmt::format(", {} of {} ({}%)", FormatBytes(p.bytes), FormatBytes(*total),
                          p.bytes * 100 / *total);
    }
    progress.Show(text);
  };
  const auto start = std::chrono::steady_clock::now();
  Result<pipeline::ImportReport> report = pipeline::ImportFile(*hub, mapping, opts.file, options);
  progress.Clear();
  if (!report.ok()) {
    return Status(report.status().code(),
                  report.status().message() + (dry_run ? "" : " (nothing of the file was stored)"));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!dry_run && !report->new_mapping_digest.empty()) {
    FH_RETURN_IF_ERROR(Audit(*hub, "mapping.version", report->mapping,
                             {{"entity", report->entity}, {"digest", report->new_mapping_digest}}));
  }
  if (!dry_run && report->batch_id) {
    FH_RETURN_IF_ERROR(Audit(*hub, "import.batch", std::to_string(*report->batch_id),
                             {{"file", name},
                              {"mapping", report->mapping},
                              {"accepted", report->accepted},
                              {"quarantined", report->quarantined}}));
  }
  if (opts.json) {
    nlohmann::ordered_json doc = ImportReportJson(*report);
    doc["seconds"] = seconds;
    PrintJson(doc);
  } else {
    PrintImportReport(*report, dry_run ? "Validated" : "Imported");
    fmt::print("\n{} records in {}.", FormatCount(report->read), FormatSeconds(seconds));
    if (report->quarantined > 0 && !dry_run) {
      fmt::print(" See them with: factoryhub quarantine list --hub {} --batch {}", HubDir(opts.hub),
                 report->batch_id.value_or(0));
    }
    fmt::print("\n");
  }
  return Status::Ok();
}

Command Register(CLI::App& parent, bool dry_run) {
  CLI::App* sub = parent.add_subcommand(
      dry_run ? "validate" : "import",
      dry_run ? "Check a file against a mapping and its rules: the import's report, nothing stored"
              : "Import an export file (CSV, JSON, NDJSON, xlsx) through a mapping and its rules");
  auto opts = std::make_shared<ImportOptionsCli>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("--mapping,-m", opts->mapping, "The mapping (YAML, docs/mappings.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("FILE", opts->file, "The file to read, or - for standard input")->required();
  sub->add_option("--source-object", opts->source_object,
                  "The source's name in lineage (default: the mapping's source.object, else the "
                  "file's name)");
  AddJsonOption(sub, &opts->json);
  sub->footer(fmt::format(
      "Prints read, accepted, quarantined and duplicates (read = accepted + quarantined + "
      "duplicates) and every check's counts.{}\n"
      "Example:\n  factoryhub {} --hub plant --mapping "
      "examples/plant-a/mappings/erp-materials.yaml "
      "examples/plant-a/erp/materials.csv",
      dry_run ? "" : " Re-importing the same file changes nothing (all duplicates).",
      dry_run ? "validate" : "import"));
  return {sub, [opts, dry_run] { return RunImport(*opts, dry_run); }};
}

}  // namespace

Command RegisterImport(CLI::App& parent) {
  return Register(parent, false);
}
Command RegisterValidate(CLI::App& parent) {
  return Register(parent, true);
}

}  // namespace fh::cli
