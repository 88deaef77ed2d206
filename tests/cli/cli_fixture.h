// A temporary directory with a hub path inside, and shorthands to run the CLI against it.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "testing/temp_dir.h"

namespace fh::testing {

class CliTest : public ::testing::Test {
 protected:
  std::string hub() const { return (tmp_ / "hub").string(); }

  // Writes `text` to a file in the temp dir and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = (tmp_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Runs and expects exit 0, reporting stderr otherwise.
  CliResult Ok(const std::vector<std::string>& args, const CliRunOptions& options = {}) {
    CliResult r = RunCli(args, options);
    EXPECT_EQ(r.exit_code, 0) << Describe(args) << "\nstderr: " << r.err;
    return r;
  }

  // Runs with --json, expects exit 0 and returns the parsed stdout.
  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    CliResult r = Ok(args);
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(doc.is_discarded()) << Describe(args) << "\nstdout is not JSON: " << r.out;
    return doc;
  }

  void InitHub() { Ok({"init", hub()}); }

  static std::string Describe(const std::vector<std::string>& args) {
    std::string s = "factoryhub";
    for (const std::string& a : args)
      s += " " + a;
    return s;
  }

  TempDir tmp_;
};

}  // namespace fh::testing
