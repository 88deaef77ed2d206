// SpcMonitor: serve's live SPC. Every characteristic of the hub's spc.yaml with frozen
// limits is charted as its data arrives (phase II): a tag's values as the stream ingest
// stores them (Observe, called with each stored batch), an inspection's subgroups as they
// appear in the catalog (polled). What fires becomes an episode (live_chart.h), written to
// the hub's SPC events (store/models/spc_event_store.h) every `every` when it opens or ends
// (an open episode's growth every tenth time) — for `factoryhub spc events`,
// GET /api/v1/spc/events and the alarm system.
//
// When it loads a characteristic's limits (Load, at start), it first judges what the hub
// already holds after the limits' baseline, up to `catch_up` back: a server that starts (or
// restarts) reports what happened while it was away, and judges the same subgroups the same
// way each time, so that the events' key (characteristic, chart, rule, time) adds nothing
// twice. A version frozen while it runs is picked up within `every`, for the values that
// arrive after. A characteristic without frozen limits is not charted (the status says
// which); one is picked up as soon as it is frozen.
//
// Tags are grouped by count or time as their characteristic says; inspections as recorded
// (grouped by order, time or count they are charted by studies, not live: watches() says).
// Values are judged in the order they arrive; one not newer than the last of its
// characteristic (a retry, a source writing out of order) is counted as late, not judged.
// Points written by `factoryhub write` or imports while the server runs are charted by a
// study (`factoryhub spc chart`), not here. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analytics/point_judge_queue.h"
#include "analytics/spc/live_chart.h"
#include "analytics/spc/spc_config.h"
#include "common/periodic_thread.h"
#include "common/status.h"
#include "common/string_map.h"
#include "common/time.h"
#include "model/connector_status.h"
#include "model/sample.h"
#include "store/hub.h"
#include "store/models/spc_event_store.h"

namespace fh::analytics::spc {

struct SpcMonitorOptions {
  int64_t every_ns = kNanosPerSecond;        // writing events, polling inspections and limits
  int64_t catch_up_ns = 24 * kNanosPerHour;  // judged at Load, at most this far back
  // Points queued for the judge thread (20 bytes each) beyond which the ingest's writers
  // judge them themselves (see Observe).
  size_t max_queued = size_t{1} << 18;
};

// One characteristic as the monitor sees it.
struct SpcWatch {
  std::string characteristic;
  std::string source;      // the tag, or "inspection NAME"
  int limits_version = 0;  // 0: no frozen limits, not charted
  int64_t subgroups = 0;   // judged
  int64_t late = 0;        // values not judged: not newer than the last
  int64_t left_out = 0;    // time buckets not of the limits' subgroup size
  std::string not_live;    // why it is not judged live ("" when it is)
  int64_t episodes = 0;    // opened
  TimestampNs last_ts = 0;
};

class SpcMonitor {
 public:
  // `hub` must outlive the monitor. Nothing is read yet: Load() does.
  SpcMonitor(Hub& hub, SpcConfig config, SpcMonitorOptions options = {});
  ~SpcMonitor();  // Stop()s
  SpcMonitor(const SpcMonitor&) = delete;
  SpcMonitor& operator=(const SpcMonitor&) = delete;

  // Loads every characteristic's newest limits and judges what is stored after their
  // baselines (see above), then writes the events found.
  Status Load(TimestampNs now);
  // Judges the values of characteristics' tags in a batch the store holds now: the stream
  // ingest's hook. Once started, it only queues them (a copy of the charted points) for the
  // monitor's judge thread, which judges them within moments (every 10 ms), in the order
  // they were stored, so that the ingest answers its client without waiting for the charts;
  // when more than `max_queued` points wait, the caller judges them (the memory stays
  // bounded and a load the charts cannot keep up with is slowed down). Before Start and
  // after Stop it judges at once. Cheap for tags without a characteristic (a lookup per tag
  // per batch).
  void Observe(const SampleBatch& stored);
  // Picks up limits frozen since, judges new inspection subgroups and writes the episodes
  // that changed: what the thread runs every `every`.
  Status RunOnce(TimestampNs now);

  // Starts the judge thread and the one that runs RunOnce every `every`.
  void Start();
  void Stop();  // judges what is queued and writes what is pending; idempotent

  ConnectorStatus status() const;  // kind "spc" at GET /api/v1/connectors
  std::vector<SpcWatch> watches() const;
  size_t characteristics() const { return entries_.size(); }

 private:
  struct Entry {
    const Characteristic* characteristic = nullptr;
    std::unique_ptr<LiveChart> chart;  // null until it has frozen limits
    int64_t episodes = 0;              // opened by the charts it had before
  };
  // Replaces an entry's chart by one for `limits`; the old chart's episodes are taken first.
  void UseLimits(Entry& entry, const FrozenLimits& limits, TimestampNs now);
  // Judges the entry's stored data after its baseline (at most catch_up back).
  Status CatchUp(Entry& entry, TimestampNs now);
  Status PollInspections(Entry& entry, TimestampNs now);
  // Writes the episodes that changed since the last time (with `grown`, also those that
  // only grew) to the hub's events, and pending_. They are taken from the charts under mu_
  // by a swap of each chart's list (the ingest waits for no copying), then made rows and
  // written outside it.
  Status RecordEpisodes(TimestampNs now, bool grown);

  Hub& hub_;
  const SpcConfig config_;
  const SpcMonitorOptions options_;
  std::vector<Entry> entries_;                      // as in config_
  StringMap<uint32_t> by_tag_;                      // charted tag -> its id, dense
  std::vector<std::vector<uint32_t>> tag_entries_;  // by tag id: the entries charting it
  StringMap<uint32_t> by_name_;                     // characteristic -> its entry

  // Observe queues, the queue's thread judges (Judge): the ingest's request answers its
  // client without waiting for the charts.
  std::unique_ptr<PointJudgeQueue> queue_;
  // Judges points taken from the queue (one call at a time): by tag, in the order stored.
  void Judge(const QueuedPoints& points);
  struct Run {  // a chart and its tag (Judge's scratch)
    LiveChart* chart;
    uint32_t tag;
  };
  PointsByTag by_tag_points_;
  std::vector<Run> runs_;

  mutable std::mutex mu_;  // guards the charts and what follows
  // Episodes of replaced charts, and those a failed write kept for the next.
  std::vector<SpcEventRow> pending_;
  ConnectorStatus status_;
  std::mutex write_mu_;  // one RecordEpisodes at a time; guards what follows
  std::vector<std::vector<LiveEpisode>> taken_;  // per entry, from its chart
  std::vector<int> taken_version_;               // per entry, the chart's limits version
  std::vector<SpcEventRow> writing_;             // being written
  PeriodicThread thread_;
};

}  // namespace fh::analytics::spc
