// factoryhub version
#include "cli/command.h"
#include "cli/output.h"
#include "cli/version.h"

namespace fh::cli {

Command RegisterVersion(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("version", "Print the version of factoryhub");
  auto json = std::make_shared<bool>(false);
  AddJsonOption(sub, json.get());
  return {sub, [json]() -> Status {
            if (*json) {
              PrintJson({{"version", kVersion}});
            } else {
              fmt::print("factoryhub {}\n", kVersion);
            }
            return Status::Ok();
          }};
}

}  // namespace fh::cli
