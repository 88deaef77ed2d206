// factoryhub init DIR [--name NAME] [--storage clickhouse --clickhouse-url URL ...]
#include <filesystem>

#include "cli/command.h"
#include "cli/output.h"

namespace fh::cli {
namespace {

struct InitOptions {
  std::string dir;
  std::string name;
  std::string storage = "sqlite";
  ClickHouseConfig clickhouse;
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
  config.storage.backend = opts.storage;
  config.storage.clickhouse = opts.clickhouse;
  FH_RETURN_IF_ERROR(Hub::Init(dir, config));

  const std::string config_file = (abs / kHubConfigFile).string();
  const std::string db_file = (abs / kHubDbFile).string();
  if (opts.json) {
    nlohmann::json out = {{"hub", abs.string()},
                          {"name", config.name},
                          {"config", config_file},
                          {"database", db_file},
                          {"storage", config.storage.backend}};
    if (config.storage.backend == "clickhouse") {
      out["clickhouse"] = {
          {"url", opts.clickhouse.url},
          {"database", opts.clickhouse.database},
          {"site", opts.clickhouse.site.empty() ? config.name : opts.clickhouse.site}};
    }
    PrintJson(out);
    return Status::Ok();
  }
  fmt::print("Created hub '{}' in {}\n", config.name, abs.string());
  fmt::print("  {}  configuration (YAML)\n", config_file);
  if (config.storage.backend == "clickhouse") {
    fmt::print("  {}  catalog (SQLite)\n", db_file);
    fmt::print("  time series in ClickHouse at {}, database {}, site '{}'\n\n", opts.clickhouse.url,
               opts.clickhouse.database,
               opts.clickhouse.site.empty() ? config.name : opts.clickhouse.site);
  } else {
    fmt::print("  {}  database (SQLite)\n\n", db_file);
  }
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
  sub->add_option("--storage", opts->storage,
                  "Where the time series go: sqlite (embedded, default) or clickhouse")
      ->check(CLI::IsMember({"sqlite", "clickhouse"}));
  sub->add_option("--clickhouse-url", opts->clickhouse.url,
                  "ClickHouse's HTTP interface (default http://127.0.0.1:8123)");
  sub->add_option("--clickhouse-database", opts->clickhouse.database,
                  "Its database, created if missing (default factoryhub)");
  sub->add_option("--clickhouse-user", opts->clickhouse.user, "Its user (default: default)");
  sub->add_option("--clickhouse-password-env", opts->clickhouse.password_env,
                  "The environment variable holding the password (default "
                  "FH_CLICKHOUSE_PASSWORD)");
  sub->add_option("--clickhouse-cluster", opts->clickhouse.cluster,
                  "A cluster of the server's remote_servers: replicated tables on every shard, "
                  "read and written through Distributed tables");
  sub->add_option("--site", opts->clickhouse.site,
                  "The name this hub's points are stored under in ClickHouse (default: the "
                  "hub's name)");
  AddJsonOption(sub, &opts->json);
  return {sub, [opts] { return RunInit(*opts); }};
}

}  // namespace fh::cli
