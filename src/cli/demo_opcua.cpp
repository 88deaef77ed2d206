#include "cli/demo_opcua.h"

#include "cli/demo_erp.h"
#include "connect/connectors_config.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace {

struct OpcUaSignal {
  const char* node;  // under ns=1;s=Machine.
  const char* tag;   // under the machine's tag prefix
  const char* unit;
  const char* description;
};

constexpr OpcUaSignal kSignals[] = {
    {"SpindleSpeed", "spindle_speed", "rpm", "spindle speed (OPC UA)"},
    {"Temperature", "temperature", "°C", "spindle temperature (OPC UA)"},
    {"PartCount", "part_count", "", "parts made (OPC UA)"},
    {"Running", "running", "", "1 while running (OPC UA)"},
    {"Status", "status", "", "controller status code (OPC UA)"},
    {"FaultySensor", "coolant_flow", "l/min", "coolant flow: a sensor that fails now and then"},
};
constexpr const char* kTagPrefix = "line-2.cnc-ua-01.";

}  // namespace

Result<std::vector<std::unique_ptr<connect::Connector>>> SetUpDemoOpcUa(
    Hub& hub, const std::filesystem::path& dir, const std::string& endpoint,
    pipeline::StreamIngest& ingest) {
  std::string yaml = fmt::format(
      "# The demo's OPC UA machine (make demo-opcua): docs/connectors.md#opc-ua\n"
      "opcua:\n"
      "  - name: cnc-ua-01\n"
      "    endpoint: {}\n"
      "    publishing_interval: 500ms\n"
      "    sampling_interval: 100ms\n"
      "    queue_size: 20\n"
      "    tag_prefix: {}\n"
      "    nodes:\n",
      endpoint, kTagPrefix);
  for (const OpcUaSignal& s : kSignals)
    yaml += fmt::format("      - {{ node: \"ns=1;s=Machine.{}\", tag: {} }}\n", s.node, s.tag);
  yaml += "      - { node: \"ns=1;s=Machine.Program\", tag: program }\n";
  FH_RETURN_IF_ERROR(WriteDemoFile(dir / "connectors.yaml", yaml));
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
    Catalog& catalog = session.catalog();
    const Lineage lineage{.source_system = "opcua", .source_object = endpoint};
    FH_ASSIGN_OR_RETURN(const int64_t machine, catalog.CreateAssetPath(kDemoOpcUaMachine, lineage));
    for (const OpcUaSignal& s : kSignals) {
      TagMeta tag;
      tag.name = std::string(kTagPrefix) + s.tag;
      tag.equipment_id = machine;
      tag.unit = s.unit;
      tag.description = s.description;
      tag.lineage = lineage;
      FH_RETURN_IF_ERROR(catalog.UpsertTag(tag).status());
    }
    FH_RETURN_IF_ERROR(txn.Commit());
  }
  FH_ASSIGN_OR_RETURN(connect::ConnectorsConfig config, connect::LoadConnectorsConfig(dir));
  return connect::MakeConnectors(config, ingest);
}

}  // namespace fh::cli
