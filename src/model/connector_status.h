// What a live source (a connector, the live scorer) reports at GET /api/v1/connectors and
// /metrics: here, in the model, so that the sources and the API both see it.
#pragma once

#include <cstdint>
#include <string>

#include "model/sample.h"

namespace fh {

struct ConnectorStatus {
  std::string name;
  std::string kind;        // mqtt, modbus; model (serve --score)
  std::string endpoint;    // host:port
  std::string state;       // connecting, connected, backoff, stopped
  std::string last_error;  // why the last connection ended ("" if none)
  int64_t messages = 0;    // received and stored or quarantined (Modbus: polls; model: runs)
  int64_t points = 0;      // stored (model: rows scored)
  int64_t quarantined = 0;
  int64_t reconnects = 0;  // connections established again after one was lost
  int64_t errors = 0;      // failed reads (Modbus polls), failed scoring runs
  // Modbus: polls that failed: no register read (no answer from the unit, a broken
  // connection, every register refused), or the store refused the write.
  int64_t failed_polls = 0;
  // Values a stored message or poll carried that are not finite numbers and so are not
  // points: text, nulls and nested objects of a {field} object; Sparkplug string, bytes,
  // null, NaN and infinite metrics (and transient ones, which are not to be historized);
  // Modbus float32 registers holding NaN or infinities.
  int64_t skipped = 0;
  int64_t alarms = 0;               // model: alarms raised
  TimestampNs connected_since = 0;  // 0 when not connected
};

}  // namespace fh
