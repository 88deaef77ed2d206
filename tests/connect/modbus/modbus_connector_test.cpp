// The Modbus connector against a real Modbus TCP server: libmodbus's server side, run
// here on a free loopback port with known register values. Every type lands as the value
// it encodes; a server that goes away is reconnected to.
#include "connect/modbus/modbus_connector.h"

#include <modbus.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <limits>
#include <set>
#include <thread>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/hub_test.h"
#include "testing/mqtt_peers.h"
#include "testing/wait.h"

namespace fh::connect {
namespace {

// A Modbus TCP server on 127.0.0.1:port answering from a register mapping, one client at a
// time, until stopped.
class ModbusServer {
 public:
  explicit ModbusServer(int port) : port_(port) {
    map_ = modbus_mapping_new(16, 0, 400, 400);
    map_->tab_registers[100] = static_cast<uint16_t>(-215);  // int16 x 0.1: -21.5
    map_->tab_registers[101] = 0x0001;                       // uint32 big: 65538
    map_->tab_registers[102] = 0x0002;
    const uint32_t f = std::bit_cast<uint32_t>(71.5f);  // float32 little
    map_->tab_registers[110] = static_cast<uint16_t>(f);
    map_->tab_registers[111] = static_cast<uint16_t>(f >> 16);
    map_->tab_input_registers[300] = 1480;
    map_->tab_bits[3] = 1;
    map_->tab_registers[396] = 42;
    const uint32_t nan = std::bit_cast<uint32_t>(std::numeric_limits<float>::quiet_NaN());
    map_->tab_registers[120] = static_cast<uint16_t>(nan >> 16);  // float32 big: NaN
    map_->tab_registers[121] = static_cast<uint16_t>(nan);
    Start();
  }
  ~ModbusServer() {
    Stop();
    modbus_mapping_free(map_);
  }
  void Start() {
    stop_ = false;
    ctx_ = modbus_new_tcp("127.0.0.1", port_);
    listen_ = modbus_tcp_listen(ctx_, 1);
    ASSERT_GE(listen_, 0) << modbus_strerror(errno);
    thread_ = std::thread([this] {
      while (!stop_) {
        // accept() with a timeout, so that Stop() is noticed.
        timeval tv{0, 100000};
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(listen_, &fds);
        if (select(listen_ + 1, &fds, nullptr, nullptr, &tv) <= 0) continue;
        int listening = listen_;
        const int client = modbus_tcp_accept(ctx_, &listening);  // the client's socket
        if (client < 0) continue;
        uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
        while (!stop_) {
          fd_set rfds;
          FD_ZERO(&rfds);
          FD_SET(client, &rfds);
          timeval t{0, 100000};
          if (select(client + 1, &rfds, nullptr, nullptr, &t) <= 0) continue;
          const int n = modbus_receive(ctx_, query);
          if (n <= 0) break;
          ++requests_;
          // The MBAP header's unit identifier (byte 6): another unit's request is not
          // answered by a device, and answered "target device failed to respond" by a
          // gateway.
          if (query[6] != unit_) {
            if (gateway_) modbus_reply_exception(ctx_, query, MODBUS_EXCEPTION_GATEWAY_TARGET);
            continue;
          }
          modbus_reply(ctx_, query, n, map_);
        }
        close(client);
      }
    });
  }
  void Stop() {
    if (!ctx_) return;
    stop_ = true;
    thread_.join();
    close(listen_);
    modbus_free(ctx_);
    ctx_ = nullptr;
  }
  int requests() const { return requests_.load(); }
  // Answers only `unit` from now on; others get no answer, or a gateway's exception.
  void AnswerOnly(int unit, bool as_gateway) {
    unit_ = unit;
    gateway_ = as_gateway;
  }

 private:
  int port_;
  std::atomic<int> unit_{1};
  std::atomic<bool> gateway_{false};
  modbus_t* ctx_ = nullptr;
  modbus_mapping_t* map_ = nullptr;
  int listen_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class ModbusConnectorTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    port_ = testing::FreeLoopbackPort();
    server_ = std::make_unique<ModbusServer>(port_);
    ingest_ = std::make_unique<pipeline::StreamIngest>(*hub_);
    ModbusConnectorSpec spec;
    spec.name = "press-01";
    spec.port = port_;
    spec.poll = std::chrono::milliseconds(50);
    spec.timeout = std::chrono::milliseconds(300);
    spec.tag_prefix = "line-1.press-01.";
    auto reg = [](std::string name, int address, ModbusFunction f, ModbusType t, bool big = true,
                  double scale = 1) {
      RegisterSpec r;
      r.name = std::move(name);
      r.address = address;
      r.function = f;
      r.type = t;
      r.big_endian_words = big;
      r.scale = scale;
      return r;
    };
    spec.registers = {
        reg("temperature", 100, ModbusFunction::kHoldingRegister, ModbusType::kInt16, true, 0.1),
        reg("count", 101, ModbusFunction::kHoldingRegister, ModbusType::kUint32),
        reg("pressure", 110, ModbusFunction::kHoldingRegister, ModbusType::kFloat32, false),
        reg("speed", 300, ModbusFunction::kInputRegister, ModbusType::kUint16),
        reg("running", 3, ModbusFunction::kCoil, ModbusType::kBool),
    };
    Result<std::unique_ptr<ModbusConnector>> c = ModbusConnector::Make(spec, *ingest_);
    ASSERT_OK(c);
    connector_ = std::move(*c);
  }
  void TearDown() override {
    connector_.reset();
    ingest_.reset();
    server_.reset();
  }
  template <typename Fn>
  void WaitFor(Fn done, const char* what) {
    testing::WaitUntil(done, [&] {
      return std::string(what) + "; state " + connector_->status().state + ", last error " +
             connector_->status().last_error;
    });
  }
  double Latest(const std::string& tag) {
    Result<std::optional<Sample>> s = hub_->storage().Latest("line-1.press-01." + tag);
    EXPECT_TRUE(s.ok() && s->has_value()) << tag;
    return s.ok() && s->has_value() ? (*s)->value : NAN;
  }

  int port_ = 0;
  std::unique_ptr<ModbusServer> server_;
  std::unique_ptr<pipeline::StreamIngest> ingest_;
  std::unique_ptr<ModbusConnector> connector_;
};

TEST_F(ModbusConnectorTest, EveryRegisterTypeIsPolledAsTheValueItEncodes) {
  connector_->Start();
  WaitFor([&] { return connector_->polls() >= 3; }, "3 polls");
  EXPECT_DOUBLE_EQ(Latest("temperature"), -21.5);
  EXPECT_EQ(Latest("count"), 65538);
  EXPECT_EQ(Latest("pressure"), 71.5);
  EXPECT_EQ(Latest("speed"), 1480);
  EXPECT_EQ(Latest("running"), 1);
  // Three requests a poll: holding 100-111 together, the input register, the coil.
  const int polls = static_cast<int>(connector_->polls());
  EXPECT_LE(server_->requests(), 3 * (polls + 1));
  const ConnectorStatus s = connector_->status();
  EXPECT_EQ(s.kind, "modbus");
  EXPECT_EQ(s.state, "connected");
  EXPECT_GE(s.points, 5 * 3);
  EXPECT_EQ(s.failed_polls, 0);
  EXPECT_EQ(s.reconnects, 0);
}

TEST_F(ModbusConnectorTest, ADeviceThatGoesAwayIsPolledAgainWhenItReturns) {
  connector_->Start();
  WaitFor([&] { return connector_->polls() >= 1; }, "a poll");
  server_->Stop();
  // Tried again while the device is away: attempts are no reconnections.
  WaitFor([&] { return connector_->status().last_error.starts_with("connect: "); },
          "a refused connection attempt");
  EXPECT_NE(connector_->status().state, "connected");
  EXPECT_GE(connector_->status().errors, 1);
  EXPECT_EQ(connector_->status().reconnects, 0);
  const int64_t before = connector_->polls();
  server_->Start();
  WaitFor([&] { return connector_->polls() > before + 1; }, "polls after the return");
  EXPECT_EQ(connector_->status().reconnects, 1);
  EXPECT_EQ(connector_->status().state, "connected");
}

// A wrong unit id: the TCP port accepts, the unit never answers. The connector must not
// report connected (nor count reconnections) while no poll succeeds, and must say why.
class ModbusWrongUnitTest : public ModbusConnectorTest,
                            public ::testing::WithParamInterface<bool> {};

TEST_P(ModbusWrongUnitTest, NoAnswerFromTheUnitIsNeverConnected) {
  const bool gateway = GetParam();
  server_->AnswerOnly(1, gateway);
  ModbusConnectorSpec spec;
  spec.name = "wrong-unit";
  spec.port = port_;
  spec.unit = 7;
  spec.poll = std::chrono::milliseconds(50);
  spec.timeout = std::chrono::milliseconds(100);
  RegisterSpec r;
  r.name = "temperature";
  r.address = 100;
  spec.registers = {r};
  Result<std::unique_ptr<ModbusConnector>> c = ModbusConnector::Make(spec, *ingest_);
  ASSERT_OK(c);
  (*c)->Start();
  std::set<std::string> states;
  testing::WaitUntil(
      [&] {
        const ConnectorStatus st = (*c)->status();
        states.insert(st.state);
        return st.failed_polls >= 3;
      },
      [&] { return "3 failed polls; last error " + (*c)->status().last_error; });
  const ConnectorStatus st = (*c)->status();
  (*c)->Stop();
  EXPECT_FALSE(states.contains("connected"));
  EXPECT_EQ(st.connected_since, 0);
  EXPECT_EQ(st.reconnects, 0);
  EXPECT_EQ(st.messages, 0);
  EXPECT_EQ(st.points, 0);
  EXPECT_GE(st.errors, 3);
  EXPECT_EQ((*c)->polls(), 0);
  EXPECT_THAT(st.last_error, ::testing::StartsWith("no answer from unit 7"));
  if (gateway) {
    EXPECT_THAT(st.last_error, ::testing::HasSubstr("the gateway says"));
  } else {
    EXPECT_THAT(st.last_error, ::testing::HasSubstr("within 100 ms"));
  }
}

INSTANTIATE_TEST_SUITE_P(SilentOrGateway, ModbusWrongUnitTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Gateway" : "Silent";
                         });

// A float32 holding NaN (a device's "no value") is no point, as line protocol refuses
// NaN: counted in skipped and named, while the other registers are stored.
TEST_F(ModbusConnectorTest, ANaNRegisterIsCountedNotStored) {
  ModbusConnectorSpec spec;
  spec.name = "press-04";
  spec.port = port_;
  spec.poll = std::chrono::milliseconds(50);
  spec.timeout = std::chrono::milliseconds(300);
  spec.tag_prefix = "line-1.press-04.";
  for (auto [name, address, type] :
       {std::tuple{"flow", 120, ModbusType::kFloat32}, {"edge", 396, ModbusType::kUint16}}) {
    RegisterSpec r;
    r.name = name;
    r.address = address;
    r.type = type;
    spec.registers.push_back(r);
  }
  Result<std::unique_ptr<ModbusConnector>> c = ModbusConnector::Make(spec, *ingest_);
  ASSERT_OK(c);
  (*c)->Start();
  testing::WaitUntil([&] { return (*c)->polls() >= 2; },
                     [&] { return "2 polls; last error " + (*c)->status().last_error; });
  (*c)->Stop();
  const ConnectorStatus st = (*c)->status();
  EXPECT_EQ(st.skipped, st.messages);  // one a poll
  EXPECT_EQ(st.points, st.messages);   // edge
  EXPECT_EQ(st.failed_polls, 0);
  EXPECT_EQ(st.last_error, "register 'flow' at 120: NaN, not stored");
  Result<std::optional<Sample>> flow = hub_->storage().Latest("line-1.press-04.flow");
  EXPECT_FALSE(flow.ok() && flow->has_value());
}

TEST_F(ModbusConnectorTest, APollWhoseEveryRegisterIsRefusedFailsAndIsNotConnected) {
  ModbusConnectorSpec spec;
  spec.name = "press-03";
  spec.port = port_;
  spec.poll = std::chrono::milliseconds(50);
  spec.timeout = std::chrono::milliseconds(300);
  RegisterSpec r;
  r.name = "beyond";
  r.address = 405;  // the device has 400 holding registers
  spec.registers = {r};
  Result<std::unique_ptr<ModbusConnector>> c = ModbusConnector::Make(spec, *ingest_);
  ASSERT_OK(c);
  (*c)->Start();
  testing::WaitUntil([&] { return (*c)->status().failed_polls >= 2; },
                     [&] { return "2 failed polls; last error " + (*c)->status().last_error; });
  const ConnectorStatus st = (*c)->status();
  (*c)->Stop();
  EXPECT_NE(st.state, "connected");
  EXPECT_EQ(st.messages, 0);
  EXPECT_THAT(st.last_error, ::testing::HasSubstr("register 'beyond' at 405: "));
}

TEST_F(ModbusConnectorTest, ARegisterTheDeviceRefusesDoesNotHideTheOthers) {
  // 396 and 405 are read in one request; the device has 400 holding registers, so it
  // answers that request with an exception (illegal data address).
  ModbusConnectorSpec spec;
  spec.name = "press-02";
  spec.port = port_;
  spec.poll = std::chrono::milliseconds(50);
  spec.timeout = std::chrono::milliseconds(300);
  spec.tag_prefix = "line-1.press-02.";
  for (auto [name, address] : {std::pair{"edge", 396}, {"beyond", 405}, {"temperature", 100}}) {
    RegisterSpec r;
    r.name = name;
    r.address = address;
    r.function = ModbusFunction::kHoldingRegister;
    r.type = ModbusType::kUint16;
    spec.registers.push_back(r);
  }
  Result<std::unique_ptr<ModbusConnector>> c = ModbusConnector::Make(spec, *ingest_);
  ASSERT_OK(c);
  (*c)->Start();
  testing::WaitUntil([&] { return (*c)->polls() >= 3; },
                     [&] { return "3 polls; last error " + (*c)->status().last_error; });
  Result<std::optional<Sample>> edge = hub_->storage().Latest("line-1.press-02.edge");
  ASSERT_TRUE(edge.ok() && edge->has_value());
  EXPECT_EQ((*edge)->value, 42);
  Result<std::optional<Sample>> temperature = hub_->storage().Latest("line-1.press-02.temperature");
  ASSERT_TRUE(temperature.ok() && temperature->has_value());
  Result<std::optional<Sample>> beyond = hub_->storage().Latest("line-1.press-02.beyond");
  EXPECT_FALSE(beyond.ok() && beyond->has_value());
  const ConnectorStatus st = (*c)->status();
  EXPECT_EQ(st.state, "connected");  // an exception is an answer: the connection stays
  EXPECT_EQ(st.reconnects, 0);
  EXPECT_GE(st.errors, 3);  // once a poll
  EXPECT_THAT(st.last_error, ::testing::HasSubstr("register 'beyond' at 405: "));
  (*c)->Stop();
}

}  // namespace
}  // namespace fh::connect
