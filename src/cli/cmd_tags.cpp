// factoryhub tags --hub DIR [--json]
#include <algorithm>

#include "api/json_encode.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct TagsOptions {
  std::string hub;
  bool json = false;
};

Status RunTags(const TagsOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> tags, hub->storage().ListTags());
  if (opts.json) {
    PrintJson(api::TagsJson(std::move(tags)));
    return Status::Ok();
  }
  if (tags.empty()) {
    PrintNote("the hub has no tags yet: load some with 'factoryhub write'");
    return Status::Ok();
  }
  std::sort(tags.begin(), tags.end(),
            [](const TagInfo& a, const TagInfo& b) { return a.name < b.name; });
  Table table({{"tag"}, {"samples", true}, {"first"}, {"last"}});
  for (const TagInfo& t : tags) {
    const bool any = t.samples > 0;
    table.AddRow({t.name, FormatCount(t.samples), any ? FormatRfc3339(t.first_ts) : "-",
                  any ? FormatRfc3339(t.last_ts) : "-"});
  }
  table.Print();
  return Status::Ok();
}

}  // namespace

Command RegisterTags(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("tags", "List tags with their sample counts and time span");
  auto opts = std::make_shared<TagsOptions>();
  AddHubOption(sub, &opts->hub);
  AddJsonOption(sub, &opts->json);
  return {sub, [opts] { return RunTags(*opts); }};
}

}  // namespace fh::cli
