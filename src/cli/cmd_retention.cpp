// factoryhub retention --hub DIR [--dry-run] [--now TIME] [--json]: applies the hub's
// retention policies (retention.yaml, docs/retention.md) once, as serve does every `every`,
// or shows what they would delete and roll up.
#include "analytics/retention/retention_run.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct RetentionOptions {
  std::string hub, now = "now";
  bool dry_run = false, json = false;
};

Status Run(const RetentionOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  const std::string file = (hub->dir() / analytics::retention::kRetentionConfigFile).string();
  FH_ASSIGN_OR_RETURN(analytics::retention::RetentionConfig config,
                      analytics::retention::RetentionConfig::Load(file));
  FH_ASSIGN_OR_RETURN(const TimestampNs now, ParseTimePoint(opts.now, NowNs()));
  FH_ASSIGN_OR_RETURN(
      analytics::retention::RetentionReport r,
      analytics::retention::ApplyRetention(hub->storage(), config, now, opts.dry_run));
  if (opts.json) {
    nlohmann::ordered_json tags = nlohmann::ordered_json::array();
    for (const auto& t : r.tags) {
      tags.push_back({{"tag", t.tag},
                      {"policy", t.policy},
                      {"cutoff", FormatRfc3339(t.cutoff)},
                      {"deleted", t.deleted},
                      {"rollup_points", t.rollup_points}});
    }
    PrintJson({{"dry_run", opts.dry_run},
               {"policies", config.policies.size()},
               {"tags_covered", r.tags_covered},
               {"deleted", r.deleted},
               {"rollup_points", r.rollup_points},
               {"tags", std::move(tags)}});
    return Status::Ok();
  }
  if (config.policies.empty()) {
    fmt::print("No retention policies ({}): every point is kept.\n", file);
    return Status::Ok();
  }
  for (const auto& t : r.tags) {
    fmt::print("{:<40} {:<16} before {}  {} points{}\n", t.tag, t.policy, FormatRfc3339(t.cutoff),
               t.deleted,
               t.rollup_points ? fmt::format(", {} rollup points", t.rollup_points) : "");
  }
  fmt::print("{} {} points of {} tags ({} covered by {} policies), {} {} rollup points.\n",
             opts.dry_run ? "Would delete" : "Deleted", r.deleted, r.tags.size(), r.tags_covered,
             config.policies.size(), opts.dry_run ? "would write" : "wrote", r.rollup_points);
  return Status::Ok();
}

}  // namespace

Command RegisterRetention(CLI::App& parent) {
  auto opts = std::make_shared<RetentionOptions>();
  CLI::App* sub = parent.add_subcommand(
      "retention", "Apply the hub's retention policies now (serve applies them every hour)");
  AddHubOption(sub, &opts->hub);
  sub->add_flag("--dry-run", opts->dry_run,
                "Show what would be deleted and rolled up; change nothing");
  sub->add_option("--now", opts->now, "The time the policies' ages count from (default: now)");
  AddJsonOption(sub, &opts->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub retention --hub plant --dry-run\n"
      "  factoryhub retention --hub plant --json\n"
      "The policies are the hub's retention.yaml: per tag pattern, raw points kept for a time,\n"
      "then rolled up into aggregates per interval (docs/retention.md).");
  return {sub, [opts]() -> Status { return Run(*opts); }};
}

}  // namespace fh::cli
