#include "analytics/spc/spc_monitor.h"

#include <algorithm>
#include <chrono>

#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/inspection_groups.h"
#include "common/time.h"
#include "store/catalog_session.h"
#include "store/models/spc_limit_store.h"

namespace fh::analytics::spc {
namespace {

// The characteristic's name lives in the monitor's config and the texts of an episode are
// static: a row borrows them.
SpcEventRow EventOf(const Characteristic& c, int limits_version, const LiveEpisode& e,
                    TimestampNs now) {
  SpcEventRow s;
  s.characteristic = c.name;
  s.limits_version = limits_version;
  s.chart = e.chart;
  s.rule = e.rule;
  s.what = e.what;
  s.first_ts = e.first_ts;
  s.ts = e.ts;
  s.last_ts = e.last_ts;
  s.points = e.points;
  s.value = e.value;
  s.active = e.active;
  s.raised_at = now;
  return s;
}

// Why the monitor cannot judge a characteristic live ("" when it can): inspections grouped
// otherwise than as recorded form their subgroups from rows that keep arriving (an order's,
// a bucket's), which a study of a closed range charts instead.
std::string NotLive(const Characteristic& c) {
  const GroupBy by = c.study.group_by;
  if (c.study.inspection.empty() || by == GroupBy::kDefault || by == GroupBy::kRecorded) return "";
  return fmt::format("inspections grouped by {} are charted by studies, not live", GroupByName(by));
}

constexpr int64_t kGrowthEvery = 10;  // runs between writes of open episodes' growth

std::string SourceOf(const Characteristic& c) {
  return c.study.tag.empty() ? "inspection " + c.study.inspection : c.study.tag;
}

}  // namespace

SpcMonitor::SpcMonitor(Hub& hub, SpcConfig config, SpcMonitorOptions options)
    : hub_(hub), config_(std::move(config)), options_(options) {
  entries_.resize(config_.characteristics.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Characteristic& c = config_.characteristics[i];
    entries_[i].characteristic = &c;
    by_name_[c.name] = static_cast<uint32_t>(i);
    if (c.study.tag.empty()) continue;
    auto [it, added] = by_tag_.try_emplace(c.study.tag, static_cast<uint32_t>(tag_entries_.size()));
    if (added) tag_entries_.emplace_back();
    tag_entries_[it->second].push_back(static_cast<uint32_t>(i));
  }

  StringMap<uint32_t> tag_ids;
  for (const auto& [tag, id] : by_tag_)
    tag_ids.emplace(tag, id);
  queue_ = std::make_unique<PointJudgeQueue>(
      std::move(tag_ids), [this](const QueuedPoints& points) { Judge(points); },
      options_.max_queued);
  status_.kind = "spc";
  status_.name = "spc";
  status_.endpoint = kSpcConfigFile;
  status_.state = "stopped";
}

SpcMonitor::~SpcMonitor() {
  Stop();
}

void SpcMonitor::UseLimits(Entry& entry, const FrozenLimits& limits, TimestampNs now) {
  const Characteristic& c = *entry.characteristic;
  TimestampNs resume_after = INT64_MIN;
  if (entry.chart) {  // its episodes are taken before it goes
    const int version = entry.chart->limits().version;
    entry.chart->TakeChanged(
        [&](const LiveEpisode& e) { pending_.push_back(EventOf(c, version, e, now)); }, true);
    resume_after = entry.chart->last_ts();
    entry.episodes += entry.chart->episodes();
  }
  LiveGrouping grouping;
  if (c.study.group_by == GroupBy::kTime) {
    grouping = {c.study.every_ns, c.study.subgroup_size >= 2};
  }
  entry.chart = std::make_unique<LiveChart>(limits, c.study.rules, c.study.enabled_rules, grouping,
                                            LiveTimeWeighted{c.ewma, c.cusum});
  if (resume_after != INT64_MIN) entry.chart->ResumeAfter(resume_after);
}

Status SpcMonitor::Load(TimestampNs now) {
  for (Entry& entry : entries_) {
    const Characteristic& c = *entry.characteristic;
    if (!NotLive(c).empty()) continue;
    FH_ASSIGN_OR_RETURN(std::optional<FrozenLimits> limits, LatestLimits(hub_, c.name));
    if (!limits) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      UseLimits(entry, *limits, now);
    }
    FH_RETURN_IF_ERROR(CatchUp(entry, now).WithContext("judging " + c.name));
  }
  return RecordEpisodes(now, true);
}

Status SpcMonitor::CatchUp(Entry& entry, TimestampNs now) {
  const Characteristic& c = *entry.characteristic;
  if (!c.study.inspection.empty()) return PollInspections(entry, now);
  // The study's subgroups run from the baseline's start; the last baseline subgroup starts
  // at baseline_to, so the values after it are the first ones of phase II.
  TimestampNs from;
  size_t skip;
  {
    std::lock_guard<std::mutex> lock(mu_);  // RunOnce may swap the chart for new limits
    const FrozenLimits& limits = entry.chart->limits();
    from = limits.baseline_to;
    skip = static_cast<size_t>(std::max(1, limits.limits.subgroup_size));
  }
  if (const int64_t every = c.study.every_ns; c.study.group_by == GroupBy::kTime) {
    // By time: phase II begins with the bucket after the last baseline one.
    from = (from / every - (from % every < 0 ? 1 : 0) + 1) * every;
    skip = 0;
  }
  if (from < now - options_.catch_up_ns) {
    from = now - options_.catch_up_ns;
    skip = 0;
  }
  Status s = hub_.storage().Scan(
      c.study.tag, TimeRange{from, now + 1},
      [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
        std::lock_guard<std::mutex> lock(mu_);
        for (size_t i = 0; i < ts.size(); ++i) {
          if (skip > 0) {
            --skip;
            continue;
          }
          entry.chart->Add(ts[i], v[i]);
        }
        return true;
      });
  if (s.code() == StatusCode::kNotFound) return Status::Ok();  // no value yet
  return s;
}

Status SpcMonitor::PollInspections(Entry& entry, TimestampNs now) {
  const Characteristic& c = *entry.characteristic;
  TimestampNs from;
  size_t size;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!entry.chart) return Status::Ok();
    const FrozenLimits& limits = entry.chart->limits();
    from =
        std::max({limits.baseline_to + 1, entry.chart->last_ts() + 1, now - options_.catch_up_ns});
    size = static_cast<size_t>(std::max(1, limits.limits.subgroup_size));
  }
  Result<std::vector<InspectionGroup>> groups =
      ReadInspectionGroups(hub_, c.study.inspection, c.study.equipment, TimeRange{from, now + 1});
  if (!groups.ok() && groups.status().code() == StatusCode::kNotFound) return Status::Ok();
  if (!groups.ok()) return groups.status();
  std::vector<double> values;
  std::lock_guard<std::mutex> lock(mu_);
  if (entry.chart->attribute()) {
    for (const InspectionGroup& g : *groups) {
      int64_t failed = 0;
      for (const Inspection& in : g.rows)
        failed += in.result == InspectionResult::kFail;
      entry.chart->AddCounts(g.ts, static_cast<int64_t>(g.rows.size()), failed);
    }
    return Status::Ok();
  }
  for (const InspectionGroup& g : *groups) {
    values.clear();
    for (const Inspection& in : g.rows) {
      if (in.value) values.push_back(*in.value);
    }
    // A subgroup of another size than the limits' is left out, as a study leaves it out.
    if (values.size() != size) continue;
    entry.chart->AddSubgroup(g.ts, values);
  }
  return Status::Ok();
}

void SpcMonitor::Observe(const SampleBatch& stored) {
  queue_->Observe(stored);
}

void SpcMonitor::Judge(const QueuedPoints& points) {
  const size_t tags = tag_entries_.size();
  by_tag_points_.Group(points, tags);
  std::lock_guard<std::mutex> lock(mu_);
  runs_.clear();
  for (uint32_t t = 0; t < tags; ++t) {
    if (by_tag_points_.empty(t)) continue;
    for (uint32_t e : tag_entries_[t]) {
      if (LiveChart* chart = entries_[e].chart.get()) runs_.push_back({chart, t});
    }
  }
  // The charts are far apart in memory and each is judged for a few values only: the next
  // ones are fetched while this one is judged.
  constexpr size_t kAhead = 6;
  for (size_t r = 0; r < std::min(kAhead, runs_.size()); ++r)
    runs_[r].chart->Prefetch();
  for (size_t r = 0; r < runs_.size(); ++r) {
    if (r + kAhead < runs_.size()) runs_[r + kAhead].chart->Prefetch();
    runs_[r].chart->AddRun(by_tag_points_.ts(runs_[r].tag), by_tag_points_.values(runs_[r].tag));
  }
  by_tag_points_.Trim(2 * options_.max_queued);
}

Status SpcMonitor::RecordEpisodes(TimestampNs now, bool grown) {
  queue_->JudgeQueued();  // what was stored before now is in the episodes written
  std::lock_guard<std::mutex> writing(write_mu_);
  taken_.resize(entries_.size());
  taken_version_.resize(entries_.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (!entries_[i].chart) continue;
      entries_[i].chart->TakeChangedInto(taken_[i], grown);
      taken_version_[i] = entries_[i].chart->limits().version;
    }
    // Appended, not swapped: writing_ keeps its capacity for the next run's many rows.
    writing_.insert(writing_.end(), pending_.begin(), pending_.end());
    pending_.clear();
  }
  for (size_t i = 0; i < taken_.size(); ++i) {
    for (const LiveEpisode& e : taken_[i])
      writing_.push_back(EventOf(*entries_[i].characteristic, taken_version_[i], e, now));
    taken_[i].clear();  // its storage goes back to the chart next time
  }
  if (writing_.empty()) return Status::Ok();
  Status s = [&] {
    EventSession session = hub_.OpenEvents();
    return session.spc_events().Upsert(std::span<const SpcEventRow>(writing_));
  }();
  if (!s.ok()) {
    // Kept for the next run, before what came since: an episode's later state wins.
    std::lock_guard<std::mutex> lock(mu_);
    writing_.insert(writing_.end(), std::make_move_iterator(pending_.begin()),
                    std::make_move_iterator(pending_.end()));
    pending_.swap(writing_);
  }
  writing_.clear();
  return s;
}

Status SpcMonitor::RunOnce(TimestampNs now) {
  // Limits frozen since: one query for all, then the changed ones.
  std::vector<std::pair<std::string, int>> versions;
  {
    CatalogSession session = hub_.OpenCatalog();
    FH_ASSIGN_OR_RETURN(versions, session.spc_limits().LatestVersions());
  }
  for (const auto& [name, version] : versions) {
    auto it = by_name_.find(std::string_view(name));
    if (it == by_name_.end()) continue;
    Entry& entry = entries_[it->second];
    if (!NotLive(*entry.characteristic).empty()) continue;
    int current;
    {
      std::lock_guard<std::mutex> lock(mu_);
      current = entry.chart ? entry.chart->limits().version : 0;
    }
    if (current == version) continue;
    FH_ASSIGN_OR_RETURN(std::optional<FrozenLimits> limits, LatestLimits(hub_, name));
    if (!limits) continue;
    std::lock_guard<std::mutex> lock(mu_);
    UseLimits(entry, *limits, now);
  }
  for (Entry& entry : entries_) {
    if (!entry.characteristic->study.inspection.empty()) {
      FH_RETURN_IF_ERROR(PollInspections(entry, now));
    }
  }
  bool grown;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Openings and ends every run; the growth of open episodes every tenth.
    grown = ++status_.messages % kGrowthEvery == 0;
  }
  return RecordEpisodes(now, grown);
}

void SpcMonitor::Start() {
  queue_->Start();
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.state = "monitoring";
    status_.connected_since = NowNs();
  }
  thread_.Start(std::chrono::nanoseconds(options_.every_ns), [this] {
    const Status s = RunOnce(NowNs());
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++status_.errors;
    status_.last_error = s.message();
  });
}

void SpcMonitor::Stop() {
  queue_->Stop();
  thread_.Stop();
  (void)RecordEpisodes(NowNs(), true);  // best effort: the data is stored, a study finds it
  std::lock_guard<std::mutex> lock(mu_);
  status_.state = "stopped";
  status_.connected_since = 0;
}

ConnectorStatus SpcMonitor::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  ConnectorStatus s = status_;
  for (const Entry& e : entries_) {
    if (!e.chart) continue;
    s.points += e.chart->subgroups();
    s.skipped += e.chart->late() + e.chart->left_out();
  }
  for (const Entry& e : entries_)
    s.alarms += e.episodes + (e.chart ? e.chart->episodes() : 0);
  return s;
}

std::vector<SpcWatch> SpcMonitor::watches() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SpcWatch> out;
  for (const Entry& e : entries_) {
    SpcWatch w;
    w.characteristic = e.characteristic->name;
    w.source = SourceOf(*e.characteristic);
    w.not_live = NotLive(*e.characteristic);
    if (e.chart) {
      w.limits_version = e.chart->limits().version;
      w.subgroups = e.chart->subgroups();
      w.late = e.chart->late();
      w.left_out = e.chart->left_out();
      w.last_ts = e.chart->last_ts() == INT64_MIN ? 0 : e.chart->last_ts();
    }
    w.episodes = e.episodes + (e.chart ? e.chart->episodes() : 0);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace fh::analytics::spc
