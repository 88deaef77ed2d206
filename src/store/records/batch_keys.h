// BatchKeys: the natural keys a batch has stored so far, as digests, so that a second
// record with the same key is recognised (store/records/entity_writer.h). 16 bytes a record in
// an open-addressing table kept under 3/4 full: about 22 MB per million records of an
// import, where a map of strings would take several times that.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fh {

class BatchKeys {
 public:
  struct First {
    uint32_t values;              // digest of the record's values (32 bits of it)
    std::optional<int64_t> line;  // of the first record with the key, when known
  };
  // The first record stored with key digest `key`, if any.
  std::optional<First> Find(uint64_t key) const;
  // Records the first record with `key` (call only when Find found none).
  void Insert(uint64_t key, uint64_t values, std::optional<int64_t> line);
  // Records `key` as last stored by this record (inserting it if new): a later value won.
  void Replace(uint64_t key, uint64_t values, std::optional<int64_t> line);
  size_t size() const { return used_; }

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty (a digest of 0 is stored as 1)
    uint32_t values = 0;
    uint32_t line = 0;  // 0: unknown; lines past 2^32 - 1 are unknown too
  };
  static uint64_t Stored(uint64_t key) { return key == 0 ? 1 : key; }
  void Grow();

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace fh
