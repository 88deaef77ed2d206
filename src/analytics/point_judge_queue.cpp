#include "analytics/point_judge_queue.h"

namespace fh::analytics {

void PointsByTag::Group(const QueuedPoints& points, size_t tags) {
  const size_t n = points.size();
  starts_.assign(tags + 1, 0);
  for (uint32_t t : points.tag)
    ++starts_[t + 1];
  for (size_t t = 0; t < tags; ++t)
    starts_[t + 1] += starts_[t];
  ts_.resize(n);
  values_.resize(n);
  ends_.assign(starts_.begin(), starts_.end() - 1);
  for (size_t k = 0; k < n; ++k) {
    const uint32_t at = ends_[points.tag[k]]++;
    ts_[at] = points.ts[k];
    values_[at] = points.value[k];
  }
}

void PointsByTag::Trim(size_t points) {
  if (ts_.capacity() > points) ts_ = {}, values_ = {};
}

PointJudgeQueue::PointJudgeQueue(StringMap<uint32_t> tag_ids, JudgeFn judge, size_t max_queued)
    : tag_ids_(std::move(tag_ids)), judge_(std::move(judge)), max_queued_(max_queued) {}

PointJudgeQueue::~PointJudgeQueue() {
  Stop();
}

void PointJudgeQueue::Observe(const SampleBatch& stored) {
  if (tag_ids_.empty() || stored.empty()) return;
  const std::vector<std::string>& names = stored.tag_names();
  const std::vector<uint32_t>& tag = stored.tag();
  bool judge_here;
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    ids_.resize(names.size());
    if (last_names_.size() < names.size()) {
      last_names_.resize(names.size());
      last_ids_.resize(names.size(), kNotWatched);
    }
    bool any = false;
    for (size_t i = 0; i < names.size(); ++i) {
      // A source sends the same tags in the same order batch after batch: comparing the
      // name with the last batch's at the same place is cheaper than hashing it.
      if (last_names_[i] != names[i]) {
        auto it = tag_ids_.find(std::string_view(names[i]));
        last_names_[i] = names[i];
        last_ids_[i] = it == tag_ids_.end() ? kNotWatched : it->second;
      }
      ids_[i] = last_ids_[i];
      any |= ids_[i] != kNotWatched;
    }
    if (!any) return;
    // Appended in place (a batch's watched points are often all of them).
    const size_t from = inbox_.tag.size();
    inbox_.tag.resize(from + tag.size());
    inbox_.ts.resize(from + tag.size());
    inbox_.value.resize(from + tag.size());
    size_t at = from;
    for (size_t k = 0; k < tag.size(); ++k) {
      const uint32_t id = ids_[tag[k]];
      inbox_.tag[at] = id;
      inbox_.ts[at] = stored.ts()[k];
      inbox_.value[at] = stored.value()[k];
      at += id != kNotWatched;
    }
    inbox_.tag.resize(at);
    inbox_.ts.resize(at);
    inbox_.value.resize(at);
    judge_here = !running_ || inbox_.tag.size() > max_queued_;
  }
  if (judge_here) JudgeQueued();
}

void PointJudgeQueue::JudgeQueued() {
  std::lock_guard<std::mutex> judging(judge_mu_);
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    std::swap(inbox_, judging_);
  }
  if (judging_.size() == 0) return;
  judge_(judging_);
  judging_.clear();
  // Its storage is kept for the next points, but not a burst's (a huge batch).
  if (judging_.tag.capacity() > 2 * max_queued_) judging_ = {};
}

void PointJudgeQueue::Loop() {
  std::unique_lock<std::mutex> lock(inbox_mu_);
  while (!stop_.wait_for(lock, kEvery, [this] { return stopping_; })) {
    lock.unlock();
    JudgeQueued();
    lock.lock();
  }
}

void PointJudgeQueue::Start() {
  std::lock_guard<std::mutex> lock(inbox_mu_);
  if (running_ || tag_ids_.empty()) return;
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void PointJudgeQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(inbox_mu_);
    stopping_ = true;
    running_ = false;  // from now on Observe judges itself
  }
  stop_.notify_all();
  if (thread_.joinable()) thread_.join();
  JudgeQueued();
}

}  // namespace fh::analytics
