// The demo's OPC UA machine (`make demo-opcua`, `factoryhub demo --opcua ENDPOINT`): a CNC on
// line 2 whose controller is an OPC UA server (tests/interop/opcua/server.mjs, node-opcua, in
// the Makefile's demo-opcua), subscribed to by an opcua connector of the demo hub's
// connectors.yaml, its tags placed on the machine so that it appears on the plant's pages.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/connector.h"
#include "pipeline/stream_ingest.h"
#include "store/hub.h"

namespace fh::cli {

inline constexpr const char* kDemoOpcUaMachine = "acme/shanghai/machining/line-2/cnc-ua-01";

// Writes the connector of `endpoint` into the hub's connectors.yaml (replacing the file: the
// demo's own), registers the machine and its tags, and makes the connectors (not started).
Result<std::vector<std::unique_ptr<connect::Connector>>> SetUpDemoOpcUa(
    Hub& hub, const std::filesystem::path& dir, const std::string& endpoint,
    pipeline::StreamIngest& ingest);

}  // namespace fh::cli
