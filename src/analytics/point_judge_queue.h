// PointJudgeQueue: how a live monitor (SPC, alarms) sees what the stream ingest stores
// without holding up the ingest. The ingest's threads hand each stored batch over
// (Observe): the points of the tags the monitor watches are copied into a queue (a few
// microseconds) and the request answers its client; the queue's own thread takes them
// every `every` and hands them, in the order they were stored, to the monitor's judge
// function. A write is acknowledged once durable, as before; its verdict follows within
// `every`. Woken by time, not by each batch: on a busy server a wake-up costs more than
// judging a batch's few values per tag, and many batches together judge better.
//
// Before Start and after Stop, Observe judges at once (tests, tools, shutdown). When more
// than `max_queued` points wait (the thread has fallen behind), the writer judges them
// itself: the memory stays bounded and a load the monitor cannot keep up with is slowed
// down rather than buffered without end. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/string_map.h"
#include "model/sample.h"

namespace fh::analytics {

struct QueuedPoints {         // the points of watched tags, in the order they were stored
  std::vector<uint32_t> tag;  // the tag's id, as the monitor numbered it
  std::vector<TimestampNs> ts;
  std::vector<double> value;
  size_t size() const { return tag.size(); }
  void clear() { tag.clear(), ts.clear(), value.clear(); }
};

// Points regrouped tag by tag (a counting sort, stable: each tag's in the order stored), so
// that a monitor judges a tag's values one after another while what judges them is in
// cache (a batch interleaves its tags).
class PointsByTag {
 public:
  // `tags`: one more than the largest tag id.
  void Group(const QueuedPoints& points, size_t tags);
  size_t tags() const { return starts_.empty() ? 0 : starts_.size() - 1; }
  bool empty(uint32_t tag) const { return starts_[tag] == starts_[tag + 1]; }
  std::span<const TimestampNs> ts(uint32_t tag) const {
    return std::span(ts_).subspan(starts_[tag], starts_[tag + 1] - starts_[tag]);
  }
  std::span<const double> values(uint32_t tag) const {
    return std::span(values_).subspan(starts_[tag], starts_[tag + 1] - starts_[tag]);
  }
  // Gives back storage grown past `points` (a burst's).
  void Trim(size_t points);

 private:
  std::vector<uint32_t> starts_, ends_;
  std::vector<TimestampNs> ts_;
  std::vector<double> values_;
};

class PointJudgeQueue {
 public:
  using JudgeFn = std::function<void(const QueuedPoints&)>;
  static constexpr std::chrono::milliseconds kEvery{10};

  // `tag_ids`: the watched tags, numbered by the monitor. `judge` is called one batch of
  // points at a time, never concurrently.
  PointJudgeQueue(StringMap<uint32_t> tag_ids, JudgeFn judge, size_t max_queued = size_t{1} << 18);
  ~PointJudgeQueue();  // Stop()s
  PointJudgeQueue(const PointJudgeQueue&) = delete;
  PointJudgeQueue& operator=(const PointJudgeQueue&) = delete;

  void Observe(const SampleBatch& stored);
  // Judges what is queued now, on the caller's thread (a monitor about to report).
  void JudgeQueued();
  void Start();
  void Stop();  // judges what is queued; idempotent

  bool watches() const { return !tag_ids_.empty(); }

 private:
  static constexpr uint32_t kNotWatched = UINT32_MAX;
  void Loop();

  const StringMap<uint32_t> tag_ids_;
  const JudgeFn judge_;
  const size_t max_queued_;

  std::mutex inbox_mu_;  // guards what follows
  std::condition_variable stop_;
  QueuedPoints inbox_;
  std::vector<std::string> last_names_;  // the tag names of the batches before, by place
  std::vector<uint32_t> last_ids_;       // and their ids
  std::vector<uint32_t> ids_;            // the batch's tags' ids
  bool running_ = false, stopping_ = false;
  std::thread thread_;

  std::mutex judge_mu_;  // one judging at a time, in order; guards what follows
  QueuedPoints judging_;
};

}  // namespace fh::analytics
