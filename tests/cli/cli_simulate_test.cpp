// simulate: a seeded plant is the same plant however it travels — written into a hub,
// POSTed to serve, or published to mosquitto and stored by serve's MQTT connector, the
// hub ends up with the same points.
#include <signal.h>

#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "testing/mqtt_peers.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kWindow = {
    "--machines",           "2",       "--from", "2026-01-01T00:00:00Z", "--until",
    "2026-01-01T00:10:00Z", "--every", "1m"};

std::vector<std::string> With(std::vector<std::string> head) {
  head.insert(head.end(), kWindow.begin(), kWindow.end());
  return head;
}

class CliSimulateTest : public CliTest {
 protected:
  nlohmann::json All(const std::string& hub_dir) {
    return Json({"query", "--hub", hub_dir, "--tag", "line-1.*"});
  }
  // serve on hub_dir until the returned process is stopped; its port in *port.
  std::unique_ptr<CliProcess> Serve(const std::string& hub_dir, int* port) {
    auto serve = std::make_unique<CliProcess>(
        std::vector<std::string>{"serve", "--hub", hub_dir, "--port", "0"});
    std::string seen;
    EXPECT_NE(serve->WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve->ReadStderr();
    std::smatch m;
    EXPECT_TRUE(std::regex_search(seen, m, std::regex("http://localhost:([0-9]+)/")));
    *port = m.empty() ? 0 : std::stoi(m[1]);
    return serve;
  }
};

TEST_F(CliSimulateTest, ASeededWindowIsTheSameEveryTime) {
  InitHub();
  const std::string other = (tmp_ / "other").string();
  Ok({"init", other});
  CliResult r = RunCli(With({"simulate", "--hub", hub()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("simulate: 2 machines, 132 points"));
  Ok(With({"simulate", "--hub", other}));
  const nlohmann::json a = All(hub()), b = All(other);
  ASSERT_EQ(a["series"].size(), 12u);  // 6 signals of 2 machines
  for (const auto& s : a["series"])
    EXPECT_EQ(s["points"].size(), 11u) << s["tag"];
  EXPECT_EQ(a, b);
  const std::string third = (tmp_ / "third").string();
  Ok({"init", third});
  Ok(With({"simulate", "--hub", third, "--seed", "7"}));
  EXPECT_NE(All(third), a);
}

TEST_F(CliSimulateTest, OverHttpAndMqttTheHubGetsTheSamePoints) {
  InitHub();
  Ok(With({"simulate", "--hub", hub()}));
  const nlohmann::json direct = All(hub());

  const std::string via_http = (tmp_ / "http").string();
  Ok({"init", via_http});
  {
    int port = 0;
    std::unique_ptr<CliProcess> serve = Serve(via_http, &port);
    ASSERT_GT(port, 0);
    Ok(With({"simulate", "--to", "http://127.0.0.1:" + std::to_string(port)}));
    EXPECT_EQ(serve->Signal(SIGTERM), 0);
  }
  EXPECT_EQ(All(via_http), direct);

  const std::string via_mqtt = (tmp_ / "mqtt").string();
  Ok({"init", via_mqtt});
  MosquittoBroker broker(tmp_.path(), FreeLoopbackPort());
  std::ofstream(std::filesystem::path(via_mqtt) / "connectors.yaml")
      << "mqtt:\n  - name: plant\n    broker: 127.0.0.1:" << broker.port() << "\n"
      << "    topics:\n      - { topic: 'plant/{line}/{machine}', tag: '{line}.{machine}.{field}',"
      << " value: '', time: ts }\n";
  {
    int port = 0;
    std::unique_ptr<CliProcess> serve = Serve(via_mqtt, &port);
    ASSERT_GT(port, 0);
    auto connector = [&] {
      return nlohmann::json::parse(
          ResponseBody(HttpGet(port, "/api/v1/connectors")))["connectors"][0];
    };
    for (int i = 0; i < 200 && connector()["state"] != "connected"; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    Ok(With({"simulate", "--to", "mqtt://127.0.0.1:" + std::to_string(broker.port())}));
    // 11 times x 2 machines: one message per machine and time.
    for (int i = 0; i < 200 && connector()["messages"] != 22; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    EXPECT_EQ(connector()["messages"], 22);
    EXPECT_EQ(serve->Signal(SIGTERM), 0);
  }
  EXPECT_EQ(All(via_mqtt), direct);
}

TEST_F(CliSimulateTest, MachineStopsAreStateEventsWithReasons) {
  InitHub();
  CliResult r =
      RunCli({"simulate", "--hub", hub(), "--machines", "2", "--from", "2026-01-01T00:00:00Z",
              "--until", "2026-01-02T00:00:00Z", "--every", "1m"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("machine state changes, 26 work orders"));
  // Written as a live source: its points have the lineage of a stream batch.
  const nlohmann::json lineage = Json({"lineage", "sample", "line-1.cnc-01.torque", "--at",
                                       "2026-01-01T12:00:00Z", "--hub", hub(), "--json"});
  ASSERT_EQ(lineage["batches"].size(), 1u) << lineage.dump();
  EXPECT_EQ(lineage["batches"][0]["source_system"], "simulate");
  EXPECT_EQ(lineage["batches"][0]["samples"], 24 * 60 + 1);
  std::unique_ptr<Hub> h = std::move(Hub::Open(hub())).value();
  CatalogSession session = h->OpenCatalog();
  Catalog& catalog = session.catalog();
  const TimestampNs start = ParseRfc3339("2026-01-01T00:00:00Z").value();
  for (const char* machine : {"cnc-01", "cnc-02"}) {
    Result<Asset> asset =
        catalog.FindAsset(std::string("acme/shanghai/machining/line-1/") + machine);
    ASSERT_OK(asset);
    Result<std::vector<EquipmentStateEvent>> events = catalog.ListStateEvents(asset->id);
    ASSERT_OK(events);
    // Stops come about once an hour: a day has a few dozen events, back to back.
    ASSERT_GT(events->size(), 6u) << machine;
    EXPECT_EQ(events->front().start_ts, start);
    EXPECT_EQ(events->front().state, EquipmentState::kRunning);
    int downs = 0;
    for (size_t i = 0; i < events->size(); ++i) {
      const EquipmentStateEvent& e = (*events)[i];
      if (i + 1 < events->size()) {
        ASSERT_TRUE(e.end_ts.has_value());
        EXPECT_EQ(*e.end_ts, (*events)[i + 1].start_ts);  // no gap, no overlap
        EXPECT_NE(e.state, (*events)[i + 1].state);
      }
      if (e.state == EquipmentState::kDown) {
        ++downs;
        ASSERT_TRUE(e.reason_id.has_value());
      } else {
        EXPECT_FALSE(e.reason_id.has_value());
      }
    }
    EXPECT_GT(downs, 2) << machine;
    EXPECT_FALSE(events->back().end_ts.has_value());  // the state it is in now
  }
  EXPECT_TRUE(catalog.FindReasonCode("JAM").ok());

  // Two-hour work orders per machine (13: the last starts at the window's end), and five
  // bores measured every 15 minutes of cutting, each tied to its order.
  Result<std::vector<WorkOrder>> orders = catalog.ListWorkOrders();
  ASSERT_OK(orders);
  EXPECT_EQ(orders->size(), 26u);
  int completed = 0;
  for (const WorkOrder& o : *orders) {
    EXPECT_EQ(o.planned_qty, 160);
    if (o.status == WorkOrderStatus::kCompleted) {
      ++completed;
      EXPECT_TRUE(o.actual_end.has_value());
      EXPECT_GT(o.good_qty, 100) << o.number;  // most of two hours was cutting
    }
  }
  EXPECT_EQ(completed, 24);
  Result<std::vector<Inspection>> all = catalog.ListInspections();
  ASSERT_OK(all);
  size_t bores = 0, burr_checks = 0, burrs = 0;
  for (const Inspection& in : *all) {
    ASSERT_TRUE(in.work_order_id.has_value());
    if (in.characteristic == "burr_check") {  // ten parts a check, pass or fail
      ++burr_checks;
      EXPECT_FALSE(in.value.has_value());
      burrs += in.result == InspectionResult::kFail;
      continue;
    }
    ++bores;
    EXPECT_EQ(in.characteristic, "bore_diameter");
    ASSERT_TRUE(in.value.has_value());
    EXPECT_EQ(in.result == InspectionResult::kFail, *in.value < 24.95 || *in.value > 25.05);
  }
  EXPECT_GT(bores, 500u);
  EXPECT_EQ(bores % 5, 0u);
  EXPECT_EQ(burr_checks, bores * 2);  // ten for every five bores
  EXPECT_GT(burrs, 0u);
  EXPECT_LT(burrs, burr_checks / 10);  // 1% on a new tool to 6% on a worn one
}

}  // namespace
}  // namespace fh::testing
