// The rejected records of a samples import, held until the samples are committed: the
// storage writer keeps the database's write lock until then, so they cannot be quarantined
// as they come. The first ones stay in memory, the rest go to an unlinked temporary file,
// so that memory does not grow with the number of rejections.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "common/status.h"
#include "store/governance/governance_store.h"

namespace fh::pipeline {

class QuarantineSpool {
 public:
  explicit QuarantineSpool(size_t memory_records = 4096) : memory_records_(memory_records) {}

  Status Add(const QuarantinedRecord& q);
  // Every record, in the order added (those of the file read back as they were).
  Status ForEach(const std::function<Status(const QuarantinedRecord&)>& fn);
  size_t size() const { return memory_.size() + spilled_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  size_t memory_records_;
  std::vector<QuarantinedRecord> memory_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  size_t spilled_ = 0;
  bool read_back_ = false;  // the file was read since the last write
  std::string buffer_;      // one record's encoding
};

}  // namespace fh::pipeline
