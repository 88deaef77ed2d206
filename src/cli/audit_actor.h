// Who the audit ledger names for what the command line does: "cli:<the OS user>" (the hub
// folder is its owner's: whoever runs a command there is who did it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

std::string CliActor();
// Records `action` on `subject` in `hub`'s ledger as CliActor(). A failure to record is
// reported (the action itself is done): the caller returns it, so the exit code says so.
Status Audit(Hub& hub, std::string action, std::string subject,
             nlohmann::json detail = nlohmann::json::object());

}  // namespace fh::cli
