// factoryhub report quality [--format text|json|html] [--output FILE]
// factoryhub report warnings --batch N [--limit N] [--json]: the records a batch stored with
// warnings, line by line.
#include <fstream>

#include "analytics/quality_report.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"

namespace fh::cli {
namespace {

struct ReportCli {
  std::string hub;
  std::string format = "text";
  std::string output = "-";
  int batches = 30;
  bool json = false;
  int64_t batch = 0;    // warnings
  int64_t limit = 100;  // warnings
};

Status RunQuality(const ReportCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<analytics::QualityReport> report = [&] {
    CatalogSession session = hub->OpenCatalog();
    return analytics::BuildQualityReport(session.governance(), hub->config().name, o.batches);
  }();
  if (!report.ok()) return report.status();
  std::string text;
  if (o.format == "json" || o.json) {
    text = JsonText(analytics::QualityReportJson(*report), 2) + "\n";
  } else if (o.format == "html") {
    text = analytics::QualityReportHtml(*report);
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
    const auto pct = analytics::FormatScore;
    for (const analytics::SourceQuality& s : report->sources) {
      if (s.current_batches == 0) continue;
      // The source's latest import with the replays and imports since, together.
      const analytics::BatchQuality& b = s.current;
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
    for (size_t d = 0; d < analytics::kDimensions.size(); ++d) {
      fmt::print(" {} {}", govern::ToString(analytics::kDimensions[d]),
                 pct(report->overall.score[d]));
    }
    fmt::print("; {} open quarantined records.\n", report->open_quarantine);
    // Imports that failed after a source's current state: stored nothing, said why.
    bool header = false;
    for (const analytics::SourceQuality& s : report->sources) {
      for (size_t i = 0; i < s.batches.size(); ++i) {
        const analytics::BatchQuality& b = s.batches[i];
        if (b.status != "failed" || (s.current_batches > 0 && i < s.current_from)) continue;
        if (!header) fmt::print("\nFailed imports (nothing of them is stored):\n");
        header = true;
        fmt::print("  batch {} {} {} ({}): {}\n", b.id, s.mapping, b.source_object,
                   FormatRfc3339(b.started_at), b.message.empty() ? "no message" : b.message);
      }
    }
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

Status RunWarnings(const ReportCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  std::vector<RecordWarning> warned;
  int64_t listed = 0;
  {
    CatalogSession session = hub->OpenCatalog();
    FH_RETURN_IF_ERROR(session.catalog().GetBatch(o.batch).status());  // it exists
    GovernanceStore& gov = session.governance();
    FH_ASSIGN_OR_RETURN(warned, gov.ListWarnings(o.batch, o.limit));
    FH_ASSIGN_OR_RETURN(listed, gov.CountWarnings(o.batch));
  }
  if (listed > static_cast<int64_t>(warned.size())) {
    fmt::print(stderr, "The first {} of {} records with warnings; --limit N shows more.\n",
               warned.size(), listed);
  }
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const RecordWarning& w : warned) {
      nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
      for (const govern::Violation& v : w.reasons) {
        reasons.push_back({{"check", govern::ToString(v.check)},
                           {"rule", v.rule},
                           {"field", v.field},
                           {"value", v.value},
                           {"message", v.message}});
      }
      out.push_back({{"line", w.source_line ? nlohmann::ordered_json(*w.source_line) : nullptr},
                     {"key", w.record_key ? nlohmann::ordered_json(*w.record_key) : nullptr},
                     {"warnings", reasons}});
    }
    PrintJson(out);
    return Status::Ok();
  }
  if (warned.empty()) {
    fmt::print("Batch {} stored no record with a warning.\n", o.batch);
    return Status::Ok();
  }
  Table t({{"line", true}, {"key"}, {"warnings"}});
  for (const RecordWarning& w : warned) {
    std::string text;
    for (const govern::Violation& v : w.reasons) {
      text += fmt::format("{}{}{}: {}", text.empty() ? "" : "; ", v.rule,
                          v.field.empty() ? "" : " " + v.field, v.message);
    }
    t.AddRow(
        {w.source_line ? std::to_string(*w.source_line) : "", w.record_key.value_or(""), text});
  }
  t.Print();
  return Status::Ok();
}

// The import history: every batch, newest first, with its counters and, for a failed one,
// why.
Status RunBatches(const ReportCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  std::vector<IngestBatch> batches;
  {
    CatalogSession session = hub->OpenCatalog();
    FH_ASSIGN_OR_RETURN(batches, session.catalog().ListBatches(o.limit));
  }
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const IngestBatch& b : batches) {
      out.push_back(
          {{"batch", b.id},
           {"status", std::string(ToString(b.status))},
           {"started_at", FormatRfc3339(b.started_at)},
           {"finished_at", b.finished_at ? nlohmann::ordered_json(FormatRfc3339(*b.finished_at))
                                         : nlohmann::ordered_json()},
           {"source_system", b.source_system},
           {"source_object", b.source_object},
           {"mapping_version", b.mapping_version},
           {"read", b.records_read},
           {"accepted", b.accepted},
           {"quarantined", b.quarantined},
           {"duplicates", b.duplicates},
           {"stale", b.stale},
           {"message", b.message ? nlohmann::ordered_json(*b.message) : nlohmann::ordered_json()}});
    }
    PrintJson(out);
    return Status::Ok();
  }
  if (batches.empty()) {
    fmt::print("No imports yet: run factoryhub import first.\n");
    return Status::Ok();
  }
  Table t({{"batch", true},
           {"started"},
           {"status"},
           {"mapping"},
           {"source"},
           {"read", true},
           {"accepted", true},
           {"quarantined", true},
           {"duplicates", true},
           {"stale", true},
           {"message"}});
  for (const IngestBatch& b : batches) {
    t.AddRow({std::to_string(b.id), FormatRfc3339(b.started_at), std::string(ToString(b.status)),
              b.mapping_version, b.source_system + " " + b.source_object,
              FormatCount(b.records_read), FormatCount(b.accepted), FormatCount(b.quarantined),
              FormatCount(b.duplicates), FormatCount(b.stale), b.message.value_or("")});
  }
  t.Print();
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
  auto which = std::make_shared<std::string>("quality");
  quality->callback([which] { *which = "quality"; });

  CLI::App* warnings = sub->add_subcommand(
      "warnings", "The records an import batch stored with warnings: line, key and why");
  AddHubOption(warnings, &o->hub);
  warnings->add_option("--batch", o->batch, "The batch (import prints its number)")->required();
  warnings->add_option("--limit", o->limit, "At most this many (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddJsonOption(warnings, &o->json);
  warnings->footer("Example:\n  factoryhub report warnings --hub plant --batch 4");
  warnings->callback([which] { *which = "warnings"; });

  CLI::App* batches = sub->add_subcommand(
      "batches",
      "The import history: every batch, newest first, with its counts and why one failed");
  AddHubOption(batches, &o->hub);
  batches->add_option("--limit", o->limit, "At most this many (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  AddJsonOption(batches, &o->json);
  batches->footer("Example:\n  factoryhub report batches --hub plant --limit 20");
  batches->callback([which] { *which = "batches"; });
  return {sub, [o, which] {
            if (*which == "warnings") return RunWarnings(*o);
            if (*which == "batches") return RunBatches(*o);
            return RunQuality(*o);
          }};
}

}  // namespace fh::cli
