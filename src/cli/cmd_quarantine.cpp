// factoryhub quarantine list|show|export|replay|resolve|dismiss: the records imports
// rejected, with every reason; replay runs them through a (fixed) mapping again; resolve and
// dismiss close entries by hand, saying why.
#include <fstream>

#include "api/governance_json.h"
#include "cli/audit_actor.h"
#include "cli/command.h"
#include "cli/import_report_output.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "common/personal_mask.h"
#include "common/time.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "pipeline/stream_ingest.h"
#include "pipeline/stream_replay.h"
#include "store/governance/governance_store.h"

namespace fh::cli {
namespace {

struct QuarantineCli {
  std::string hub;
  std::optional<int64_t> batch;
  std::string mapping_name;
  std::string status = "open";
  int64_t limit = 100;
  int64_t id = 0;
  std::string output = "-";
  std::string format = "csv";
  std::string mapping_file;
  bool streams = false;  // replay through the hub's stream mapping
  std::vector<int64_t> ids;
  bool dry_run = false;
  bool json = false;
  std::string reason;     // resolve, dismiss
  bool unmasked = false;  // show personal values as stored
};

std::string ReasonsText(const QuarantinedRecord& q) {
  std::string out;
  for (const govern::Violation& v : q.reasons) {
    if (!out.empty()) out += "; ";
    out += v.rule;
    if (!v.field.empty()) out += " " + v.field;
    out += ": " + v.message;
  }
  return out;
}

struct Listed {
  std::vector<QuarantinedRecord> records;  // at most --limit
  int64_t total = 0;                       // that the filter selects
  int64_t masked = 0;                      // personal values masked
};

Result<Listed> List(Hub& hub, const QuarantineCli& o) {
  CatalogSession session = hub.OpenCatalog();
  GovernanceStore& gov = session.governance();
  QuarantineFilter f;
  f.batch_id = o.batch;
  f.mapping_name = o.mapping_name;
  f.status = o.status == "all" ? "" : o.status;
  f.limit = o.limit;
  Listed out;
  FH_ASSIGN_OR_RETURN(out.records, gov.ListQuarantine(f));
  if (!o.unmasked) {
    for (QuarantinedRecord& q : out.records)
      out.masked += api::MaskPersonalColumns(q);
  }
  out.total = static_cast<int64_t>(out.records.size());
  if (out.total == o.limit) {
    FH_ASSIGN_OR_RETURN(out.total, gov.CountQuarantine(f));
  }
  return out;
}

Status RunList(const QuarantineCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(Listed listed, List(*hub, o));
  const std::vector<QuarantinedRecord>& records = listed.records;
  // Said on stderr, so that the JSON on stdout stays an array of the records.
  if (listed.total > static_cast<int64_t>(records.size())) {
    fmt::print(stderr, "The first {} of {} records; --limit N shows more.\n", records.size(),
               listed.total);
  }
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& q : records)
      out.push_back(api::QuarantinedRecordJson(q));
    PrintJson(out);
    return Status::Ok();
  }
  if (records.empty()) {
    fmt::print("No {}quarantined records.\n", o.status == "all" ? "" : o.status + " ");
    return Status::Ok();
  }
  Table t({{"id", true},
           {"batch", true},
           {"mapping"},
           {"source"},
           {"line", true},
           {"status"},
           {"reasons"}});
  for (const auto& q : records) {
    t.AddRow({std::to_string(q.id), std::to_string(q.batch_id), q.mapping_name, q.source_object,
              q.source_line ? std::to_string(*q.source_line) : "", q.status, ReasonsText(q)});
  }
  t.Print();
  return Status::Ok();
}

Status RunShow(const QuarantineCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  CatalogSession session = hub->OpenCatalog();
  GovernanceStore& gov = session.governance();
  FH_ASSIGN_OR_RETURN(QuarantinedRecord q, gov.GetQuarantined(o.id));
  if (!o.unmasked) api::MaskPersonalColumns(q);
  if (o.json) {
    PrintJson(api::QuarantinedRecordJson(q));
    return Status::Ok();
  }
  PrintKeyValues(
      {{"id", std::to_string(q.id)},
       {"status", q.status},
       {"batch", std::to_string(q.batch_id)},
       {"mapping", q.mapping_name},
       {"entity", q.entity},
       {"source", q.source_system + " " + q.source_object},
       {"line", q.source_line ? std::to_string(*q.source_line) : ""},
       {"key", q.record_key.value_or("")},
       {"resolution", q.resolution ? fmt::format("{} ({})", *q.resolution,
                                                 FormatRfc3339(q.resolved_at.value_or(0)))
                                   : ""},
       {"raw", q.raw}});
  fmt::print("\nfields:\n");
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t i = 0; i < q.columns.size() && i < q.fields.size(); ++i) {
    rows.emplace_back("  " + q.columns[i], q.fields[i] ? *q.fields[i] : "(null)");
  }
  PrintKeyValues(rows);
  fmt::print("\nreasons:\n");
  for (const govern::Violation& v : q.reasons) {
    fmt::print("  {} [{}, {}]{}{}: {}\n", v.rule, govern::ToString(govern::DimensionOf(v.check)),
               govern::ToString(v.severity), v.field.empty() ? "" : " field ", v.field, v.message);
  }
  return Status::Ok();
}

Status RunExport(const QuarantineCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  QuarantineCli all = o;
  all.limit = std::numeric_limits<int64_t>::max();
  FH_ASSIGN_OR_RETURN(Listed listed, List(*hub, all));
  const std::vector<QuarantinedRecord>& records = listed.records;
  std::ofstream file;
  std::FILE* out = stdout;
  std::string text;
  if (o.format == "ndjson") {
    for (const auto& q : records)
      text += JsonText(api::QuarantinedRecordJson(q)) + "\n";
  } else {
    // The rejected rows with their original columns, ready to fix and import again. UTF-8
    // (records are kept so whatever the source's encoding), with a byte order mark: Excel
    // then opens it as UTF-8, and an import reads it as UTF-8 whatever encoding the
    // mapping names for the original exports (text_decoder.h).
    const std::vector<std::string>* header = nullptr;
    if (!records.empty()) text = "\xEF\xBB\xBF";
    for (const auto& q : records) {
      if (!header) {
        header = &q.columns;
        for (size_t i = 0; i < q.columns.size(); ++i) {
          text += (i ? "," : "") + CsvCell(q.columns[i]);
        }
        // Each row's entry: imported again (fixed), the record keeps its lineage to the
        // original file and line, and the entry is resolved.
        text += ",_quarantine_id\n";
      } else if (*header != q.columns) {
        return FailedPrecondition(
            "the records have different columns (several sources): export one --batch or "
            "--mapping at a time, or use --format ndjson");
      }
      for (size_t i = 0; i < q.fields.size(); ++i) {
        text += (i ? "," : "") + CsvCell(q.fields[i].value_or(""));
      }
      text += "," + std::to_string(q.id) + "\n";
    }
  }
  if (o.output != "-") {
    file.open(o.output, std::ios::binary);
    if (!file) return IOError("cannot write '{}'", o.output);
    file << text;
    if (!file) return IOError("cannot write '{}'", o.output);
    fmt::print(stderr, "Exported {} records to {}.\n", records.size(), o.output);
  } else {
    std::fwrite(text.data(), 1, text.size(), out);
  }
  if (listed.masked > 0) {
    fmt::print(stderr,
               "{} personal values are masked (the mapping marks them personal); --unmasked "
               "exports them as stored, to fix and import again.\n",
               listed.masked);
  }
  return Status::Ok();
}

pipeline::ReplayOptions ReplayOptionsOf(const QuarantineCli& o) {
  pipeline::ReplayOptions options;
  options.batch_id = o.batch;
  options.ids = o.ids;
  options.dry_run = o.dry_run;
  return options;
}

// Points a stream mapping rejected, through the hub's streams.yaml as it is now.
Status RunStreamReplay(const QuarantineCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(std::shared_ptr<govern::StreamGovernor> governor,
                      pipeline::LoadHubStreamMapping(hub->dir().string()));
  FH_ASSIGN_OR_RETURN(pipeline::StreamReplayReport report,
                      pipeline::ReplayStreamQuarantine(*hub, governor, ReplayOptionsOf(o)));
  if (!o.dry_run) {
    FH_RETURN_IF_ERROR(Audit(*hub, "quarantine.replay", "streams",
                             {{"replayed", report.replayed},
                              {"still_failing", report.still_failing},
                              {"batch", report.batch ? *report.batch : 0}}));
  }
  if (o.json) {
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const auto& f : report.failures)
      failures.push_back({{"id", f.id}, {"tag", f.tag}, {"reasons", f.reasons}});
    PrintJson({{"read", report.read},
               {"replayed", report.replayed},
               {"still_failing", report.still_failing},
               {"batch", report.batch ? nlohmann::ordered_json(*report.batch)
                                      : nlohmann::ordered_json(nullptr)},
               {"dry_run", o.dry_run},
               {"failures", std::move(failures)}});
    return Status::Ok();
  }
  fmt::print("{} {} quarantined points through {}: {} {}, {} still failing\n",
             o.dry_run ? "Replay (dry run) of" : "Replayed", report.read,
             governor ? governor->mapping().path : std::string("no stream mapping"),
             report.replayed, o.dry_run ? "would be stored" : "stored", report.still_failing);
  if (report.batch) fmt::print("batch {}\n", *report.batch);
  for (const auto& f : report.failures)
    fmt::print("  #{} {}: {}\n", f.id, f.tag, f.reasons);
  return Status::Ok();
}

Status RunReplay(const QuarantineCli& o) {
  if (o.streams == !o.mapping_file.empty()) {
    return InvalidArgument(
        "quarantine replay: give --mapping FILE or --streams, not both or neither");
  }
  if (o.streams) return RunStreamReplay(o);
  FH_ASSIGN_OR_RETURN(govern::Mapping mapping, govern::LoadMapping(o.mapping_file));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(pipeline::ImportReport report,
                      pipeline::ReplayQuarantine(*hub, mapping, ReplayOptionsOf(o)));
  if (!o.dry_run) {
    FH_RETURN_IF_ERROR(Audit(*hub, "quarantine.replay", report.mapping,
                             {{"accepted", report.accepted},
                              {"quarantined", report.quarantined},
                              {"batch", report.batch_id.value_or(0)}}));
  }
  if (o.json) {
    PrintJson(ImportReportJson(report));
  } else {
    PrintImportReport(report, o.dry_run ? "Replay (dry run) of" : "Replayed");
  }
  return Status::Ok();
}

// resolve|dismiss: every id, or none if one cannot be closed (one transaction).
Status RunClose(const QuarantineCli& o, std::string_view status) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  {
    CatalogSession session = hub->OpenCatalog();
    GovernanceStore& gov = session.governance();
    FH_RETURN_IF_ERROR(gov.CloseQuarantined(o.ids, status, o.reason, NowNs()));
  }
  FH_RETURN_IF_ERROR(Audit(*hub, status == "resolved" ? "quarantine.resolve" : "quarantine.dismiss",
                           fmt::format("{} records", o.ids.size()),
                           {{"ids", o.ids}, {"reason", o.reason}}));
  if (o.json) {
    PrintJson({{"status", status}, {"ids", o.ids}, {"reason", o.reason}});
  } else {
    fmt::print("{} {} quarantined record{}: {}.\n", status == "resolved" ? "Resolved" : "Dismissed",
               o.ids.size(), o.ids.size() == 1 ? "" : "s", o.reason);
  }
  return Status::Ok();
}

void AddUnmaskedFlag(CLI::App* sub, QuarantineCli* o) {
  sub->add_flag("--unmasked", o->unmasked,
                "Show personal values (the mapping's personal: fields) as stored, not masked");
}

void AddFilters(CLI::App* sub, QuarantineCli* o) {
  sub->add_option("--batch", o->batch, "Only records of this import batch");
  sub->add_option("--mapping-name", o->mapping_name, "Only records of this mapping");
  sub->add_option("--status", o->status, "open (default), replayed, resolved, dismissed or all")
      ->check(CLI::IsMember({"open", "replayed", "resolved", "dismissed", "all"}));
  AddUnmaskedFlag(sub, o);
}

}  // namespace

Command RegisterQuarantine(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "quarantine", "Records that imports rejected: list, show, export, replay, resolve, dismiss");
  sub->require_subcommand(1);
  auto o = std::make_shared<QuarantineCli>();
  auto which = std::make_shared<std::string>();

  CLI::App* list = sub->add_subcommand("list", "List quarantined records with their reasons");
  AddHubOption(list, &o->hub);
  AddFilters(list, o.get());
  list->add_option("--limit", o->limit, "At most this many (default 100)");
  AddJsonOption(list, &o->json);
  list->callback([which] { *which = "list"; });

  CLI::App* show = sub->add_subcommand("show", "One record: fields, original text, every reason");
  AddHubOption(show, &o->hub);
  show->add_option("ID", o->id, "The record's id (from list)")->required();
  AddUnmaskedFlag(show, o.get());
  AddJsonOption(show, &o->json);
  show->callback([which] { *which = "show"; });

  CLI::App* exp = sub->add_subcommand(
      "export",
      "Write quarantined records: CSV with their original columns, or NDJSON with "
      "their reasons");
  AddHubOption(exp, &o->hub);
  AddFilters(exp, o.get());
  exp->add_option("--output,-o", o->output, "File to write (default: standard output)");
  exp->add_option("--format", o->format, "csv (default) or ndjson")
      ->check(CLI::IsMember({"csv", "ndjson"}));
  exp->callback([which] { *which = "export"; });

  CLI::App* replay = sub->add_subcommand(
      "replay",
      "Run open quarantined records through a (fixed) mapping, or stream points through the "
      "stream mapping: those that pass are stored");
  AddHubOption(replay, &o->hub);
  replay->add_option("--mapping,-m", o->mapping_file, "The mapping (YAML)")
      ->check(CLI::ExistingFile);
  replay->add_flag("--streams", o->streams,
                   "Instead: the points a stream mapping rejected, through the hub's "
                   "streams.yaml as it is now");
  replay->add_option("--batch", o->batch, "Only records of this import batch");
  replay->add_option("--id", o->ids, "Only these records");
  replay->add_flag("--dry-run", o->dry_run, "Report what would pass; store nothing");
  AddJsonOption(replay, &o->json);
  replay->callback([which] { *which = "replay"; });

  for (const char* status : {"resolve", "dismiss"}) {
    CLI::App* close = sub->add_subcommand(
        status, std::string_view(status) == "resolve"
                    ? "Close open records fixed another way (entered in the source system, "
                      "carried by a later export), saying how"
                    : "Close open records that need no fix (a test row, a record the plant "
                      "does not want), saying why");
    AddHubOption(close, &o->hub);
    close->add_option("ID", o->ids, "The records' ids (from list)")->required();
    close->add_option("--reason", o->reason, "Why (kept with each record)")->required();
    AddJsonOption(close, &o->json);
    close->callback([which, status] { *which = status; });
  }

  sub->footer(
      "Examples:\n"
      "  factoryhub quarantine list --hub plant --batch 3\n"
      "  factoryhub quarantine show --hub plant 17\n"
      "  factoryhub quarantine export --hub plant --mapping-name erp-materials -o fix.csv\n"
      "  factoryhub quarantine replay --hub plant --mapping fixed-mapping.yaml\n"
      "  factoryhub quarantine replay --hub plant --streams --dry-run\n"
      "  factoryhub quarantine resolve --hub plant 17 18 --reason \"entered in SAP by hand\"\n"
      "  factoryhub quarantine dismiss --hub plant 21 --reason \"test order, not production\"");
  return {sub, [o, which]() -> Status {
            if (*which == "list") return RunList(*o);
            if (*which == "show") return RunShow(*o);
            if (*which == "export") return RunExport(*o);
            if (*which == "resolve") return RunClose(*o, "resolved");
            if (*which == "dismiss") return RunClose(*o, "dismissed");
            return RunReplay(*o);
          }};
}

}  // namespace fh::cli
