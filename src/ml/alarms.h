// Alarms: a binary model's prediction at or above its threshold, or a multi-class model's
// prediction of a class other than the normal one ("heat dissipation failure", not "none"),
// becomes an alarm record (equipment, time, class, probability, the features that pushed
// it most). Scoring the same rows
// again raises nothing new. This is what `predict --alarms` does, and what the streaming
// connectors will call on incoming data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ml/model_registry.h"
#include "ml/scoring.h"
#include "store/models/alarm_store.h"

namespace fh::ml {

struct Alarm {
  int64_t id = 0;
  std::string model;  // name@version
  std::string equipment;
  int64_t ts = 0;
  std::string predicted_class;  // multi-class
  double probability = 0;
  std::optional<double> threshold;  // binary
  std::vector<Reason> reasons;
  std::string status;  // open, acknowledged
  int64_t created_at = 0;
};

// Stores an alarm per positive prediction not already raised by the model's name for that
// equipment and time; returns how many are new. `equipment` is the spec's template.
Result<int64_t> RaiseAlarms(AlarmStore& store, const RegisteredModel& model,
                            const std::vector<Prediction>& predictions,
                            const std::string& equipment);

// The newest alarms first, of the equipment under `scope` ("" = all).
Result<std::vector<Alarm>> ListAlarms(AlarmStore& store, int64_t limit, std::string_view scope = {},
                                      std::string_view model = {});

// An alarm as `alarms --json` and GET /api/v1/alarms show it: id, model, equipment, time,
// class (null for binary models), probability, threshold (null for multi-class), status,
// reasons, raised_at.
nlohmann::ordered_json AlarmJson(const Alarm& alarm);

}  // namespace fh::ml
