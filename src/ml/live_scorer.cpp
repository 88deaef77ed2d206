#include "ml/live_scorer.h"

#include <algorithm>
#include <chrono>

#include "common/time.h"
#include "ml/alarms.h"
#include "ml/column_data.h"
#include "ml/scoring.h"
#include "model/score_tag.h"

namespace fh::ml {

namespace {
constexpr size_t kReasons = 3;  // what an alarm explains itself with
}

Result<std::unique_ptr<LiveScorer>> LiveScorer::Make(Hub& hub, const std::string& model_ref,
                                                     int64_t every_ns, int64_t lookback_ns) {
  FH_ASSIGN_OR_RETURN(ml::ModelRef ref, ml::ParseModelRef(model_ref));
  Result<ml::RegisteredModel> model = [&] {
    CatalogSession session = hub.OpenCatalog();
    return ml::ModelRegistry(session.models()).Get(ref);
  }();
  if (!model.ok()) return model.status().WithContext("--score " + model_ref);
  FH_ASSIGN_OR_RETURN(ml::TrainingSpec spec, ml::ParseTrainingSpec(model->spec, model->label()));
  return std::unique_ptr<LiveScorer>(
      new LiveScorer(hub, std::move(model).value(), std::move(spec), every_ns, lookback_ns));
}

LiveScorer::LiveScorer(Hub& hub, ml::RegisteredModel model, ml::TrainingSpec spec, int64_t every_ns,
                       int64_t lookback_ns)
    : PeriodicLiveModel({.name = model.label(), .kind = "model", .endpoint = spec.tags}, every_ns),
      hub_(hub),
      model_(std::move(model)),
      spec_(std::move(spec)),
      lookback_ns_(lookback_ns) {
  // A new server scores the last `lookback` first: what arrived while it was away.
  scored_until_ = NowNs() - lookback_ns_;
}

LiveScorer::~LiveScorer() {
  Stop();
}

Status LiveScorer::RunOnce(TimestampNs now) {
  // A row younger than one interval may still be missing some of its tags (a machine's
  // signals need not arrive in one write): it waits for the next run.
  const TimestampNs cutoff = now - every_ns_;
  if (cutoff <= scored_until_) return Status::Ok();
  TimeRange range;
  range.from = scored_until_ - lookback_ns_;
  range.to = cutoff + 1;
  Result<ml::ColumnData> data = ml::ReadColumns(hub_.storage(), spec_.tags, range);
  // No tag of the model yet: nothing to score, not an error.
  if (!data.ok() && data.status().code() == StatusCode::kNotFound) return Status::Ok();
  if (!data.ok()) return data.status();
  TimestampNs newest = scored_until_;
  for (const ml::UnitColumns& u : data->units) {
    if (!u.time.empty()) newest = std::max(newest, u.time.back());
  }
  if (newest == scored_until_) {
    std::lock_guard<std::mutex> lock(mu_);
    ++status_.messages;
    return Status::Ok();
  }
  FH_ASSIGN_OR_RETURN(std::vector<ml::Prediction> predictions,
                      ml::Score(model_, *data, kReasons, ml::Explain::kPositive));
  // The rows before the watermark were only context for the windows.
  std::erase_if(predictions, [this](const ml::Prediction& p) { return p.time <= scored_until_; });
  if (publish_ && !predictions.empty()) {
    SampleBatch scores;
    for (const ml::Prediction& p : predictions)
      scores.Add(ModelScoreTag(model_.name, p.unit), p.time, p.score);
    FH_RETURN_IF_ERROR(publish_(scores));
  }
  int64_t raised = 0;
  {
    CatalogSession session = hub_.OpenCatalog();
    FH_ASSIGN_OR_RETURN(raised,
                        ml::RaiseAlarms(session.alarms(), model_, predictions, spec_.equipment));
  }
  scored_until_ = newest;
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.messages;
  status_.points += static_cast<int64_t>(predictions.size());
  status_.alarms += raised;
  return Status::Ok();
}

}  // namespace fh::ml
