// factoryhub report quality [--format text|json|html] [--output FILE]
#include <fstream>

#include "cli/command.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "importer/quality_report.h"

namespace fh::cli {
namespace {

struct ReportCli {
  std::string hub;
  std::string format = "text";
  std::string output = "-";
  int batches = 30;
  bool json = false;
};

Status RunQuality(const ReportCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<importer::QualityReport> report = [&] {
    std::lock_guard<std::mutex> lock(hub->catalog_mutex());
    return importer::BuildQualityReport(hub->catalog_db(), hub->config().name, o.batches);
  }();
  if (!report.ok()) return report.status();
  std::string text;
  if (o.format == "json" || o.json) {
    text = JsonText(importer::QualityReportJson(*report), 2) + "\n";
  } else if (o.format == "html") {
    text = importer::QualityReportHtml(*report);
  } else {
    Table t({{"mapping"},
             {"entity"},
             {"batches"},
             {"read", true},
             {"accepted", true},
             {"quarantined", true},
             {"duplicates", true},
             {"completeness", true},
             {"validity", true},
             {"uniqueness", true},
             {"timeliness", true},
             {"consistency", true}});
    const auto pct = importer::FormatScore;
    for (const importer::SourceQuality& s : report->sources) {
      if (s.current_batches == 0) continue;
      // The source's latest import with the replays and imports since, together.
      const importer::BatchQuality& b = s.current;
      const std::string batches = s.current_batches == 1
                                      ? fmt::format("{}", b.id)
                                      : fmt::format("{} +{}", b.id, s.current_batches - 1);
      std::vector<std::string> row = {s.mapping,
                                      s.entity,
                                      batches,
                                      FormatCount(b.read),
                                      FormatCount(b.accepted),
                                      FormatCount(b.quarantined),
                                      FormatCount(b.duplicates)};
      for (const auto& v : b.dimensions.score)
        row.push_back(pct(v));
      t.AddRow(std::move(row));
    }
    if (t.empty()) {
      fmt::print("No imports yet: run factoryhub import first.\n");
      return Status::Ok();
    }
    t.Print();
    fmt::print("\nOverall:");
    for (size_t d = 0; d < importer::kDimensions.size(); ++d) {
      fmt::print(" {} {}", govern::ToString(importer::kDimensions[d]),
                 pct(report->overall.score[d]));
    }
    fmt::print("; {} open quarantined records.\n", report->open_quarantine);
    return Status::Ok();
  }
  if (o.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::Ok();
  }
  std::ofstream out(o.output, std::ios::binary);
  out << text;
  if (!out) return IOError("cannot write '{}'", o.output);
  fmt::print(stderr, "Wrote the quality report to {}.\n", o.output);
  return Status::Ok();
}

}  // namespace

Command RegisterReport(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("report", "Reports on the hub's data");
  sub->require_subcommand(1);
  auto o = std::make_shared<ReportCli>();
  CLI::App* quality = sub->add_subcommand(
      "quality",
      "Data quality per source, entity and rule by DAMA dimension, with the trend over batches");
  AddHubOption(quality, &o->hub);
  quality->add_option("--format", o->format, "text (default), json or html")
      ->check(CLI::IsMember({"text", "json", "html"}));
  AddJsonOption(quality, &o->json);
  quality->add_option("--output,-o", o->output, "File to write (default: standard output)");
  quality->add_option("--batches", o->batches, "Batches per source in the trend (default 30)")
      ->check(CLI::Range(1, 100000));
  quality->footer(
      "Example:\n  factoryhub report quality --hub plant --format html -o quality.html");
  return {sub, [o] { return RunQuality(*o); }};
}

}  // namespace fh::cli
