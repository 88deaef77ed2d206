// factoryhub latest --hub DIR --tag NAME... [--json]
#include "analytics/query.h"
#include "api/json_encode.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct LatestOptions {
  std::string hub;
  std::vector<std::string> tags;
  bool json = false;
};

Status RunLatest(const LatestOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  FH_ASSIGN_OR_RETURN(std::vector<analytics::LatestValue> latest,
                      analytics::RunLatest(hub->storage(), opts.tags));
  if (opts.json) {
    PrintJson(api::LatestJson(latest));
    return Status::Ok();
  }
  Table table({{"tag"}, {"time"}, {"value", true}, {"quality", true}});
  for (const analytics::LatestValue& v : latest) {
    if (v.sample) {
      table.AddRow({v.tag, FormatRfc3339(v.sample->ts), FormatValue(v.sample->value),
                    std::to_string(v.sample->quality)});
    } else {
      table.AddRow({v.tag, "-", "-", "-"});
    }
  }
  table.Print();
  return Status::Ok();
}

}  // namespace

Command RegisterLatest(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("latest", "Show the newest point of tags");
  auto opts = std::make_shared<LatestOptions>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("--tag", opts->tags, "Tag name or glob ('line-1.*'); repeatable")
      ->required()
      ->type_name("NAME");
  AddJsonOption(sub, &opts->json);
  sub->footer("Example:\n  factoryhub latest --hub plant --tag 'line-1.*'");
  return {sub, [opts] { return RunLatest(*opts); }};
}

}  // namespace fh::cli
