#include "ml/pca/live_detector.h"

#include <algorithm>

#include "ml/pca/detector_data.h"
#include "model/score_tag.h"

namespace fh::ml {

Result<std::unique_ptr<LiveDetector>> LiveDetector::Make(Hub& hub, RegisteredModel model,
                                                         int64_t every_ns, int64_t lookback_ns) {
  FH_ASSIGN_OR_RETURN(DetectorSpec spec, DetectorSpec::Parse(model.spec, model.label()));
  const nlohmann::json data = nlohmann::json::parse(model.data, nullptr, false);
  Result<PcaDetector> detector = PcaDetector::FromJson(data);
  if (!detector.ok()) return detector.status().WithContext(model.label());
  return std::unique_ptr<LiveDetector>(new LiveDetector(
      hub, std::move(model), std::move(spec), std::move(*detector), every_ns, lookback_ns));
}

LiveDetector::LiveDetector(Hub& hub, RegisteredModel model, DetectorSpec spec, PcaDetector detector,
                           int64_t every_ns, int64_t lookback_ns)
    : PeriodicLiveModel({.name = model.label(), .kind = "detector", .endpoint = spec.signals},
                        every_ns),
      hub_(hub),
      model_(std::move(model)),
      spec_(std::move(spec)),
      detector_(std::move(detector)),
      lookback_ns_(lookback_ns) {
  scored_until_ = NowNs() - lookback_ns_;  // what arrived while the server was away
}

LiveDetector::~LiveDetector() {
  Stop();
}

Status LiveDetector::RunOnce(TimestampNs now) {
  // A row younger than one interval may still miss some of its signals.
  const TimestampNs cutoff = now - every_ns_;
  if (cutoff <= scored_until_) return Status::Ok();
  const TimeRange range{scored_until_ - lookback_ns_, cutoff + 1};
  Result<DetectorRows> read = ReadDetectorRows(hub_.storage(), spec_, range, &detector_.signals());
  // None of its signals yet: nothing to score, not an error.
  if (!read.ok() && read.status().code() == StatusCode::kNotFound) return Status::Ok();
  if (!read.ok()) return read.status();
  const AlignedSignals* rows = &read->data;
  SampleBatch scores;
  // Rows without every signal, and those of a stopped machine, are not scored; the
  // watermark moves on with the data all the same (a long stop must not widen every read).
  const TimestampNs newest = std::max(scored_until_, read->newest);
  int64_t scored = 0, beyond = 0;
  for (const ScoredRow& r : ScoreAligned(detector_, *rows, 0)) {
    if (r.time <= scored_until_) continue;  // context for the lags and held values
    const std::string tag = ModelScoreTag(model_.name, rows->units[r.unit].unit);
    const double index = std::max(r.t2 / detector_.t2_limit(), r.spe / detector_.spe_limit());
    scores.Add(tag, r.time, index);
    scores.Add(tag + ".t2", r.time, r.t2);
    scores.Add(tag + ".spe", r.time, r.spe);
    ++scored;
    beyond += r.beyond_t2 || r.beyond_spe;
  }
  if (publish_ && scored > 0) FH_RETURN_IF_ERROR(publish_(scores));
  scored_until_ = newest;
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.messages;
  status_.points += scored;
  status_.alarms += beyond;
  return Status::Ok();
}

}  // namespace fh::ml
