// AlarmStore: the hub's alarm table (migrations 0006, 0007). An alarm is unique per model
// name, equipment and time, so scoring the same rows again raises nothing new.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

struct StoredAlarm {
  int64_t id = 0;
  std::string model;       // name@version
  std::string model_name;  // name
  std::string equipment;
  int64_t ts = 0;
  std::string predicted_class;  // empty for a binary model
  double probability = 0;
  std::optional<double> threshold;
  std::string reasons_json;
  std::string status = "open";
  int64_t created_at = 0;
};

class AlarmStore {
 public:
  explicit AlarmStore(sqlite::Db& db) : db_(db) {}

  // Stores the alarms not already raised (same model name, equipment and time), all or
  // none; returns how many are new.
  Result<int64_t> Raise(std::span<const StoredAlarm> alarms);
  // The newest alarms first, at most `limit`, of the equipment under `scope` (an ISA-95
  // path prefix; "" = all).
  // Newest first, of the equipment under `scope` and of the model named `model` ("": all).
  Result<std::vector<StoredAlarm>> List(int64_t limit, std::string_view scope = {},
                                        std::string_view model = {});

 private:
  sqlite::Db& db_;
};

}  // namespace fh
