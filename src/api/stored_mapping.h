// The mapping a name stands for on this hub: its text as the hub last stored it (each import
// stores the mapping it ran with, docs/governance.md), parsed. The dashboard imports and
// replays through these, having no mapping files of its own.
#pragma once

#include <string>

#include "common/status.h"
#include "govern/mapping.h"
#include "store/hub.h"

namespace fh::api {

// NotFound when no import used a mapping of that name.
Result<govern::Mapping> LastStoredMapping(Hub& hub, const std::string& name);

}  // namespace fh::api
