// The `spc` subcommands that do not chart one study: freezing limits and their history,
// attribute charts, and what serve's SPC monitor recorded. cmd_spc.cpp registers them
// under `spc` beside its chart views.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "analytics/spc/spc_config.h"
#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

// Each adds its subcommands under `spc`; the one given sets *chosen to run it.
using ChosenSpcCommand = std::shared_ptr<std::function<Status()>>;

// `freeze` and `limits`: phase-II limits of spc.yaml's characteristics, versioned.
void AddSpcLimitsCommands(CLI::App* spc, const ChosenSpcCommand& chosen);
// `attribute`: p, np, c, u charts of inspection results.
void AddSpcAttributeCommand(CLI::App* spc, const ChosenSpcCommand& chosen);
// `events`: the episodes serve judged on live data.
void AddSpcEventsCommand(CLI::App* spc, const ChosenSpcCommand& chosen);

// The characteristic `name` of the hub's spc.yaml; NotFound says which it defines.
Result<analytics::spc::Characteristic> FindCharacteristic(Hub& hub, const std::string& name);

}  // namespace fh::cli
