// factoryhub write --hub DIR FILE|- [--epoch s|ms|us|ns] [--quarantine] [--json]
//
// The file goes through the hub's stream mapping and one storage writer as one batch
// (pipeline/sample_file_write.h): by default a bad line or a point failing a rule anywhere
// fails the file and stores nothing, so a re-run after fixing it cannot duplicate data;
// --quarantine stores the rest and quarantines those.
#include <chrono>
#include <filesystem>
#include <optional>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "common/time.h"
#include "ingest/sample_csv_reader.h"
#include "pipeline/sample_file_write.h"
#include "pipeline/stream_ingest.h"

namespace fh::cli {
namespace {

struct WriteOptions {
  std::string hub;
  std::string file;
  std::string epoch;  // empty: RFC 3339 timestamps
  bool quarantine = false;
  bool json = false;
};

std::string ProgressText(const std::string& name, int64_t samples, int64_t lines) {
  return fmt::format("writing {}: {} samples, {} lines", name, FormatCount(samples),
                     FormatCount(lines));
}

void PrintReport(const WriteOptions& opts, const std::string& name,
                 const pipeline::SampleFileWriteReport& r, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(r.written) / seconds : 0;
  if (opts.json) {
    nlohmann::ordered_json examples = nlohmann::ordered_json::array();
    for (const auto& e : r.examples)
      examples.push_back({{"line", e.line}, {"message", e.message}});
    PrintJson({{"file", name},
               {"batch", r.batch_id},
               {"mapping",
                r.mapping.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.mapping)},
               {"read", r.read},
               {"written", r.written},
               {"quarantined", r.quarantined},
               {"warnings", r.warnings},
               {"tags", r.tags},
               {"seconds", seconds},
               {"samples_per_second", rate},
               {"rejected", examples}});
    return;
  }
  fmt::print("Wrote {} samples of {} tag{} from {} in {} ({} samples/s) as batch {}{}.\n",
             FormatCount(r.written), r.tags, r.tags == 1 ? "" : "s", name, FormatSeconds(seconds),
             FormatCount(static_cast<int64_t>(rate)), r.batch_id,
             r.mapping.empty() ? "" : fmt::format(" through {}", r.mapping));
  if (r.warnings > 0) fmt::print("{} stored with a warning of the stream mapping.\n", r.warnings);
  if (r.quarantined == 0) return;
  fmt::print("Quarantined {} record{}:\n", FormatCount(r.quarantined),
             r.quarantined == 1 ? "" : "s");
  for (const auto& e : r.examples)
    fmt::print("  line {}: {}\n", e.line, e.message);
  if (r.quarantined > static_cast<int64_t>(r.examples.size())) fmt::print("  ...\n");
  fmt::print("See them with: factoryhub quarantine list --hub {} --batch {}\n", HubDir(opts.hub),
             r.batch_id);
}

Status RunWrite(const WriteOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  pipeline::SampleFileWriteOptions write;
  FH_ASSIGN_OR_RETURN(write.governor, pipeline::LoadHubStreamMapping(hub->dir().string()));
  write.on_bad = opts.quarantine ? pipeline::BadSamplePolicy::kQuarantine
                                 : pipeline::BadSamplePolicy::kRejectFile;

  ingest::SampleCsvOptions csv;
  if (!opts.epoch.empty()) {
    FH_ASSIGN_OR_RETURN(csv.epoch_unit, ParseEpochUnit(opts.epoch));
  }
  csv.skip_bad_lines = opts.quarantine;
  const std::string name = opts.file == "-" ? "<stdin>" : opts.file;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::SampleCsvReader> reader,
                      ingest::SampleCsvReader::Open(opts.file, csv));

  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress;
  write.progress = [&](int64_t points, int64_t lines) {
    if (progress.Due()) progress.Show(ProgressText(name, points, lines));
  };
  const pipeline::StreamSource source{"file", name};
  Result<pipeline::SampleFileWriteReport> report =
      pipeline::WriteSampleFile(*hub, *reader, source, write);
  progress.Clear();
  if (!report.ok()) {
    const Status& s = report.status();
    return Status(s.code(), s.message() + " (nothing was stored)");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintReport(opts, name, *report, seconds);
  return Status::Ok();
}

}  // namespace

Command RegisterWrite(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "write",
      "Store samples from a CSV file (timestamp,tag,value[,quality]) through the hub's stream "
      "mapping, as one batch; all or nothing unless --quarantine");
  auto opts = std::make_shared<WriteOptions>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("FILE", opts->file, "CSV file to read, or - for standard input")->required();
  sub->add_option("--epoch", opts->epoch,
                  "Timestamps are numbers of this unit since the Unix epoch (default: RFC 3339 "
                  "text)")
      ->check(CLI::IsMember({"s", "ms", "us", "ns"}))
      ->type_name("s|ms|us|ns");
  sub->add_flag("--quarantine", opts->quarantine,
                "Store the good lines and quarantine the others (malformed, or failing a rule of "
                "streams.yaml) instead of failing the whole file");
  AddJsonOption(sub, &opts->json);
  sub->footer(
      "Example:\n"
      "  factoryhub write --hub plant samples.csv\n"
      "  printf 'timestamp,tag,value\\n2026-03-01T08:00:00Z,line-1.temp,21.5\\n' | "
      "factoryhub write --hub plant -\n"
      "  factoryhub write --hub plant --quarantine export.csv   # bad lines to the quarantine\n"
      "\n"
      "Exit 3 when a line is malformed or a point fails a rule (nothing is stored), unless\n"
      "--quarantine.");
  return {sub, [opts] { return RunWrite(*opts); }};
}

}  // namespace fh::cli
