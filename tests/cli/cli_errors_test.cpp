// Exit codes, error messages and --help: the CLI's contract with scripts and people.
#include <gmock/gmock.h>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kSubcommands[] = {"init", "write",   "query", "latest", "tags",
                                        "info", "compact", "serve", "demo",   "version"};

// --hub wins over FH_HUB in every subcommand, those that share their options too (CLI11
// filled FH_HUB into every subcommand's --hub, used or not: `report quality --hub X` with
// FH_HUB set opened FH_HUB's hub).
TEST_F(CliTest, HubFlagWinsOverTheEnvironmentInEverySubcommand) {
  InitHub();
  CliRunOptions elsewhere;
  elsewhere.env["FH_HUB"] = (tmp_ / "no-such-hub").string();
  const std::vector<std::vector<std::string>> commands = {
      {"report", "quality"}, {"report", "warnings", "--batch", "1"},
      {"report", "batches"}, {"quarantine", "list"},
      {"model", "list"},     {"info"}};
  for (std::vector<std::string> args : commands) {
    args.insert(args.end(), {"--hub", hub()});
    CliResult r = RunCli(args, elsewhere);
    EXPECT_THAT(r.err, ::testing::Not(HasSubstr("no-such-hub"))) << args[0] << " " << args[1];
  }
  // And FH_HUB alone still names the hub.
  CliRunOptions here;
  here.env["FH_HUB"] = hub();
  EXPECT_EQ(RunCli({"report", "quality"}, here).exit_code, 0);
}

TEST_F(CliTest, HelpWorksForEverySubcommand) {
  for (const char* sub : kSubcommands) {
    CliResult r = RunCli({sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("Usage")) << sub;
    EXPECT_THAT(r.out, HasSubstr(sub)) << sub;
  }
}

TEST_F(CliTest, TopLevelHelpListsCommandsAndExitCodes) {
  CliResult r = Ok({"--help"});
  for (const char* sub : kSubcommands)
    EXPECT_THAT(r.out, HasSubstr(sub));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
  EXPECT_THAT(r.out, HasSubstr("FH_HUB"));
}

TEST_F(CliTest, Version) {
  EXPECT_THAT(Ok({"version"}).out, StartsWith("factoryhub "));
  EXPECT_THAT(Ok({"--version"}).out, StartsWith("factoryhub "));
  EXPECT_TRUE(Json({"version"})["version"].is_string());
}

struct ExitCase {
  const char* name;
  std::vector<std::string> args;  // "HUB" is replaced by the test's hub path
  int exit_code;
  const char* message;  // expected in stderr
};

class CliExitCodes : public CliTest, public ::testing::WithParamInterface<ExitCase> {};

TEST_P(CliExitCodes, MapsErrorsToDocumentedCodes) {
  InitHub();
  Ok({"write", "--hub", hub(),
      WriteFile("s.csv", "timestamp,tag,value\n2026-03-01T08:00:00Z,line1.temp,1\n")});
  std::vector<std::string> args = GetParam().args;
  for (std::string& a : args) {
    if (a == "HUB") a = hub();
    if (a == "NOT_A_HUB") a = (tmp_ / "not-a-hub").string();
  }
  CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, GetParam().exit_code) << Describe(args) << "\nstderr: " << r.err;
  EXPECT_THAT(r.err, StartsWith("factoryhub: error: ")) << Describe(args);
  EXPECT_THAT(r.err, HasSubstr(GetParam().message)) << Describe(args);
  EXPECT_EQ(r.out, "") << Describe(args);
}

INSTANTIATE_TEST_SUITE_P(
    All, CliExitCodes,
    ::testing::Values(
        ExitCase{"NoSubcommand", {}, 2, "subcommand"},
        ExitCase{"UnknownFlag", {"info", "--hub", "HUB", "--bogus"}, 2, "--bogus"},
        ExitCase{"MissingTag", {"query", "--hub", "HUB"}, 2, "--tag"},
        ExitCase{
            "BadFrom", {"query", "--hub", "HUB", "--tag", "x", "--from", "yesterday"}, 2, "--from"},
        ExitCase{"EmptyRange",
                 {"query", "--hub", "HUB", "--tag", "x", "--from", "now", "--to", "now-1h"},
                 2,
                 "--to"},
        ExitCase{
            "BadEvery", {"query", "--hub", "HUB", "--tag", "x", "--every", "0s"}, 2, "--every"},
        ExitCase{
            "BadAgg", {"query", "--hub", "HUB", "--tag", "x", "--agg", "mean,median"}, 2, "median"},
        ExitCase{"BadLimit", {"query", "--hub", "HUB", "--tag", "x", "--limit", "0"}, 2, "--limit"},
        ExitCase{"BadEpoch", {"write", "--hub", "HUB", "--epoch", "min", "-"}, 2, "--epoch"},
        ExitCase{"UnknownTag",
                 {"query", "--hub", "HUB", "--tag", "no.such.tag"},
                 4,
                 "unknown tag 'no.such.tag'"},
        ExitCase{"GlobMatchesNothing",
                 {"query", "--hub", "HUB", "--tag", "zzz*"},
                 4,
                 "no tag matches 'zzz*'"},
        ExitCase{"LatestUnknownTag", {"latest", "--hub", "HUB", "--tag", "nope"}, 4, "nope"},
        ExitCase{"WriteMissingFile",
                 {"write", "--hub", "HUB", "/nonexistent/x.csv"},
                 4,
                 "/nonexistent/x.csv"},
        ExitCase{"NoHub", {"info"}, 5, "no hub: pass --hub DIR or set FH_HUB"},
        ExitCase{"NotAHub", {"info", "--hub", "NOT_A_HUB"}, 5, "not a hub"},
        ExitCase{"NotAHubQuery", {"query", "--hub", "NOT_A_HUB", "--tag", "x"}, 5, "not a hub"},
        ExitCase{"InitTwice", {"init", "HUB"}, 5, "already"}),
    [](const ::testing::TestParamInfo<ExitCase>& p) { return p.param.name; });

TEST_F(CliTest, JsonOutputsParse) {
  InitHub();
  Ok({"write", "--hub", hub(),
      WriteFile("s.csv", "timestamp,tag,value\n2026-03-01T08:00:00Z,line1.temp,1\n")});
  const std::vector<std::vector<std::string>> commands = {
      {"info", "--hub", hub()},
      {"tags", "--hub", hub()},
      {"latest", "--hub", hub(), "--tag", "*"},
      {"query", "--hub", hub(), "--tag", "*"},
      {"query", "--hub", hub(), "--tag", "*", "--every", "1m"},
      {"compact", "--hub", hub()},
      {"version"},
      {"init", (tmp_ / "second").string()},
  };
  for (const auto& args : commands) {
    nlohmann::json doc = Json(args);
    EXPECT_TRUE(doc.is_object()) << Describe(args);
  }
}

}  // namespace
}  // namespace fh::testing
