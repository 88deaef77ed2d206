// factoryhub init DIR [--name NAME]
#include <filesystem>

#include "cli/command.h"
#include "cli/output.h"

namespace fh::cli {
namespace {

struct InitOptions {
  std::string dir;
  std::string name;
  bool json = false;
};

Status RunInit(const InitOptions& opts) {
  HubConfig config;
  std::filesystem::path dir(opts.dir);
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) abs = dir;
  if (!opts.name.empty()) {
    config.name = opts.name;
  } else {
    // Default to the folder's name ("plant-a/" → "plant-a").
    std::filesystem::path base = abs.has_filename() ? abs.filename() : abs.parent_path().filename();
    if (!base.empty()) config.name = base.string();
  }
  FH_RETURN_IF_ERROR(Hub::Init(dir, config));

  const std::string config_file = (abs / kHubConfigFile).string();
  const std::string db_file = (abs / kHubDbFile).string();
  if (opts.json) {
    PrintJson({{"hub", abs.string()},
               {"name", config.name},
               {"config", config_file},
               {"database", db_file}});
    return Status::Ok();
  }
  fmt::print("Created hub '{}' in {}\n", config.name, abs.string());
  fmt::print("  {}  configuration (YAML)\n", config_file);
  fmt::print("  {}  database (SQLite)\n\n", db_file);
  fmt::print("Next:\n");
  fmt::print("  export FH_HUB={}\n", opts.dir);
  fmt::print("  factoryhub write samples.csv   # load timestamp,tag,value[,quality] rows\n");
  fmt::print("  factoryhub info                # what the hub holds\n");
  fmt::print("  factoryhub serve               # HTTP API on http://localhost:{}/\n",
             config.server.port);
  return Status::Ok();
}

}  // namespace

Command RegisterInit(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("init", "Create a new hub in a directory");
  auto opts = std::make_shared<InitOptions>();
  sub->add_option("DIR", opts->dir, "Directory to create the hub in (created if missing)")
      ->required();
  sub->add_option("--name", opts->name, "Name of the hub (default: the directory's name)");
  AddJsonOption(sub, &opts->json);
  return {sub, [opts] { return RunInit(*opts); }};
}

}  // namespace fh::cli
