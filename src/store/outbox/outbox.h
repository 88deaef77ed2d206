// The outbox of an edge hub: every batch the hub stores, appended in order to segment files
// in <hub>/sync/outbox, until its central hub has acknowledged it (src/sync/forwarder.h).
//
// Store and forward: a write is appended after the store has it and before it is
// acknowledged, so what a client was told is stored is also queued for the central hub,
// across crashes (records are fsynced; a record torn by a crash is never read, since the
// state's `tail` is written after it). Every process that writes to the hub (serve, an
// import) appends, under an exclusive lock on <outbox>/lock.
//
// A record's position is its byte offset in the outbox's whole stream (a segment is named
// by the offset of its first byte): what the central hub acknowledges, and what it keeps to
// recognise a record sent twice. Bounded: past `max_bytes` of unsent records, or when the
// oldest unsent record is older than `max_age`, the oldest segments are dropped whole; what
// was dropped is counted (records and points) and shown by `factoryhub sync status`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::outbox {

struct Limits {
  int64_t max_bytes = int64_t{10} << 30;                      // 10 GiB of unsent records
  int64_t max_age_ns = int64_t{30} * 24 * 3600 * 1000000000;  // 30 days
  int64_t segment_bytes = int64_t{64} << 20;                  // a segment rolls past this
};

struct Record {
  uint64_t position = 0;  // of its first byte in the stream
  uint64_t end = 0;       // of the byte after it: what acknowledging it moves the cursor to
  int64_t appended_ns = 0;
  uint32_t points = 0;
  std::string payload;
};

struct OutboxState {
  uint64_t tail = 0;   // the stream's end: the next record's position
  uint64_t acked = 0;  // everything before it is acknowledged (or dropped)
  int64_t dropped_records = 0;
  int64_t dropped_points = 0;
  int64_t oldest_unsent_ns = 0;  // when the first unsent record was appended; 0: none
  int64_t unsent_records = 0;
  int64_t unsent_points = 0;
};

class Outbox {
 public:
  // Creates the folder if needed.
  static Result<std::unique_ptr<Outbox>> Open(const std::filesystem::path& dir, Limits limits);
  ~Outbox();

  // Durable when it returns OK.
  Status Append(std::string_view payload, uint32_t points, int64_t now_ns);
  // The unsent records from the cursor on, at most `max_bytes` of payload (one at least).
  Result<std::vector<Record>> ReadUnsent(size_t max_bytes);
  // Moves the cursor to `end` (a record's end, as ReadUnsent gave it) and deletes the
  // segments wholly before it. Durable when it returns OK.
  Status Acknowledge(uint64_t end);
  // Drops the oldest segments while the unsent records are past the limits (Append does it
  // for size; the forwarder calls it for age).
  Status EnforceLimits(int64_t now_ns);
  // The state and what is waiting (counts the unsent records: reads their headers).
  Result<OutboxState> State();
  // Made at random when the outbox is created: positions count from 0 in each outbox, so a
  // receiver keeps them per epoch (a hub restored from a backup starts a new outbox).
  const std::string& epoch() const;

 private:
  struct Impl;
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fh::outbox
