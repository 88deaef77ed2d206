// ZipArchive: read-only access to the members of a zip file (an xlsx package), with a cap
// on how far each member may inflate, so that a small crafted archive (a "zip bomb")
// cannot exhaust memory or time. Errors name the archive by its display name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"

typedef struct zip zip_t;
typedef struct zip_file zip_file_t;

namespace fh::ingest {

// One member being read. Must not outlive its ZipArchive.
class ZipMember {
 public:
  ~ZipMember();
  ZipMember(const ZipMember&) = delete;
  ZipMember& operator=(const ZipMember&) = delete;

  // Reads up to n (> 0) bytes; 0 at the end. InvalidArgument when the data is corrupt (bad
  // CRC or deflate stream) or inflates past the cap given to ZipArchive::Open.
  Result<size_t> Read(char* dst, size_t n);

 private:
  friend class ZipArchive;
  ZipMember(zip_file_t* file, std::string context, uint64_t max_bytes)
      : file_(file), context_(std::move(context)), max_bytes_(max_bytes) {}

  zip_file_t* file_;
  std::string context_;  // "book.xlsx: xl/worksheets/sheet1.xml"
  uint64_t max_bytes_;
  uint64_t read_ = 0;
};

class ZipArchive {
 public:
  // NotFound if there is no such file; InvalidArgument if it is not a zip archive (with a
  // hint for legacy .xls and encrypted workbooks, which are OLE2 files).
  static Result<std::unique_ptr<ZipArchive>> OpenFile(const std::string& path,
                                                      std::string display_name);
  // The archive keeps `bytes`.
  static Result<std::unique_ptr<ZipArchive>> OpenBuffer(std::string bytes,
                                                        std::string display_name);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Member names compare case-insensitively, as OPC part names do.
  bool Contains(const std::string& name) const;
  // InvalidArgument "name: not a valid xlsx file: <member> is missing" if absent, or if its
  // stated size exceeds `max_bytes` (the member's reads also stop there).
  Result<std::unique_ptr<ZipMember>> Open(const std::string& name, uint64_t max_bytes);
  // The whole member, under the same cap.
  Result<std::string> ReadAll(const std::string& name, uint64_t max_bytes);

  const std::string& display_name() const { return display_name_; }

 private:
  ZipArchive(zip_t* zip, std::string bytes, std::string display_name)
      : zip_(zip), bytes_(std::move(bytes)), display_name_(std::move(display_name)) {}

  zip_t* zip_;
  std::string bytes_;  // OpenBuffer's data, which libzip reads in place
  std::string display_name_;
};

}  // namespace fh::ingest
