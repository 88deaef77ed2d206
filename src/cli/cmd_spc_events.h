// `factoryhub spc events`: what serve's SPC monitor recorded on live data.
#pragma once

#include <functional>
#include <memory>

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace fh::cli {

// Adds `events` under `spc`; when given, sets *chosen to run it.
void AddSpcEventsCommand(CLI::App* spc, const std::shared_ptr<std::function<Status()>>& chosen);

}  // namespace fh::cli
