#include "ml/pca/live_detector.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

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
  // Rows without every signal, and those of a stopped machine, are not scored. The watermark
  // moves to the newest row scored: a batch read while it was being stored (some signals in,
  // the others not yet) is scored once it is whole. Rows that stay incomplete, or a long stop,
  // hold it back at most `lookback`, so that a read never covers more than twice that.
  TimestampNs watermark = scored_until_;
  if (read->newest > std::numeric_limits<TimestampNs>::min() + lookback_ns_) {
    watermark = std::max(watermark, read->newest - lookback_ns_);
  }
  int64_t scored = 0, beyond = 0;
  std::vector<std::pair<const std::string*, Excursion>> excursions;
  for (const ScoredRow& r : ScoreAligned(detector_, *rows, 3)) {
    if (r.time <= scored_until_) continue;  // context for the lags and held values
    watermark = std::max(watermark, r.time);
    const std::string& unit = rows->units[r.unit].unit;
    const std::string tag = ModelScoreTag(model_.name, unit);
    const double t2 = r.t2 / detector_.t2_limit(), spe = r.spe / detector_.spe_limit();
    scores.Add(tag, r.time, std::max(t2, spe));
    scores.Add(tag + ".t2", r.time, r.t2);
    scores.Add(tag + ".spe", r.time, r.spe);
    ++scored;
    if (!r.beyond_t2 && !r.beyond_spe) continue;
    ++beyond;
    std::string text = spe >= t2 ? fmt::format("SPE {:.1f}× its limit", spe)
                                 : fmt::format("T² {:.1f}× its limit", t2);
    for (size_t i = 0; i < r.moved.size(); ++i) {
      text += fmt::format("{}{} {:.0f} %", i == 0 ? "; moved: " : ", ", r.moved[i].first,
                          100 * r.moved[i].second);
    }
    excursions.push_back({&unit, {r.time, std::move(text)}});
  }
  {
    // Remembered before the scores are published: the alarm they raise asks for them.
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [unit, e] : excursions) {
      std::deque<Excursion>& kept = excursions_[*unit];
      kept.push_back(std::move(e));
      if (kept.size() > kExcursionsKept) kept.pop_front();
    }
  }
  if (publish_ && scored > 0) FH_RETURN_IF_ERROR(publish_(scores));
  scored_until_ = watermark;
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.messages;
  status_.points += scored;
  status_.alarms += beyond;
  return Status::Ok();
}

std::string LiveDetector::Explain(const std::string& unit, TimestampNs ts) const {
  std::lock_guard<std::mutex> lock(mu_);
  // "": the only unit, whatever its name.
  auto found =
      unit.empty() && excursions_.size() == 1 ? excursions_.begin() : excursions_.find(unit);
  if (found == excursions_.end()) return {};
  const std::deque<Excursion>& kept = found->second;
  auto after = std::upper_bound(kept.begin(), kept.end(), ts,
                                [](TimestampNs t, const Excursion& e) { return t < e.time; });
  return after == kept.begin() ? std::string() : std::prev(after)->text;
}

}  // namespace fh::ml
