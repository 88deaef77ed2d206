// OpcUaConnector: subscribes to an OPC UA server's variables (docs/connectors.md#opc-ua)
// and stores each value change the server reports through the StreamIngest — stamped with
// the server's source timestamp, its status code mapped to the sample's quality — before
// acknowledging the notification message that carried it (with the next Publish), so a
// value the server saw delivered is in the store. It connects (secure channel, session),
// finds the configured nodes (node ids, browse paths, every variable under a node), creates
// one subscription with a monitored item per node, and publishes until the connection
// fails or Stop(); then it connects again with backoff (0.2 s to 10 s) and creates the
// session, subscription and items afresh. It is connected once its items are created.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "connect/opcua_source/opcua_nodes.h"
#include "connect/opcua_source/opcua_spec.h"
#include "connect/reconnecting_connector.h"
#include "pipeline/stream_ingest.h"

namespace fh::connect {

// The client settings of a connector: its identity, security, PKI folder and timeouts.
opcua::ClientOptions OpcUaClientOptions(const OpcUaConnectorSpec& spec);

class OpcUaConnector final : public ReconnectingConnector {
 public:
  static Result<std::unique_ptr<OpcUaConnector>> Make(OpcUaConnectorSpec spec,
                                                      pipeline::StreamIngest& ingest);
  ~OpcUaConnector() override;

  // The items of the last session (what the server has monitored), for status and tests.
  std::vector<OpcUaItem> items() const;

 private:
  OpcUaConnector(OpcUaConnectorSpec spec, pipeline::StreamIngest& ingest);
  Status Session(bool* progressed) override;
  // Creates the subscription and its items; the items the server refused are counted as
  // errors and named in last_error, the others are kept. NotFound when none is left.
  Status Subscribe(opcua::Client& client, const ResolvedNodes& nodes, uint32_t* subscription_id,
                   std::chrono::milliseconds* keep_alive);
  // Publishes, storing what comes, until the connection fails or Stop().
  Status Collect(opcua::Client& client, std::chrono::milliseconds keep_alive);

  OpcUaConnectorSpec spec_;
  pipeline::StreamIngest& ingest_;
  pipeline::StreamSource source_;
  mutable std::mutex items_mu_;
  std::vector<OpcUaItem> items_;  // by client handle; guarded by items_mu_
};

}  // namespace fh::connect
