// ModbusConnector: polls a Modbus TCP device (libmodbus) every `poll`, reads its register
// map in as few requests as PlanReads allows, and stores one point per register per poll
// through the StreamIngest, stamped with the poll's time. It is connected once a poll
// read a register. A failed read (no answer from the unit, a broken connection, a
// gateway whose unit does not answer) fails the poll and ends the connection; it is opened
// again with exponential backoff (0.2 s to 10 s), and the status says why.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "connect/modbus/modbus_registers.h"
#include "connect/reconnecting_connector.h"
#include "pipeline/stream_ingest.h"

namespace fh::connect {

struct ModbusConnectorSpec {
  std::string name;
  std::string host = "127.0.0.1";
  int port = 502;
  int unit = 1;                             // the slave / unit identifier
  std::chrono::milliseconds poll{1000};     // between the starts of two polls
  std::chrono::milliseconds timeout{1000};  // per request
  std::string tag_prefix;                   // before each register's name
  std::vector<RegisterSpec> registers;
};

class ModbusConnector final : public ReconnectingConnector {
 public:
  static Result<std::unique_ptr<ModbusConnector>> Make(ModbusConnectorSpec spec,
                                                       pipeline::StreamIngest& ingest);
  ~ModbusConnector() override;
  int64_t polls() const { return polls_.load(); }

 private:
  ModbusConnector(ModbusConnectorSpec spec, pipeline::StreamIngest& ingest);
  // Connects, then polls until a read fails or Stop().
  Status Session(bool* progressed) override;
  Status Poll(void* ctx);
  // Counts a poll that failed while `reading` with libmodbus's errno `error`, and says
  // why, naming the unit when it did not answer.
  Status FailedPoll(int error, std::string_view reading);

  ModbusConnectorSpec spec_;
  std::vector<ReadBlock> plan_;
  pipeline::StreamIngest& ingest_;
  pipeline::StreamSource source_;
  std::atomic<int64_t> polls_{0};
};

}  // namespace fh::connect
