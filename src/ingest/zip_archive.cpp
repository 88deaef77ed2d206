#include "ingest/zip_archive.h"

#include <zip.h>

#include <string_view>

#include "ingest/byte_source.h"

namespace fh::ingest {
namespace {

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// Why `head` (the file's first bytes) could not be opened as a zip archive.
Status NotAZip(const std::string& display_name, std::string_view head, const std::string& why) {
  if (head.empty()) return InvalidArgument("{}: not an xlsx file: the file is empty", display_name);
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return InvalidArgument(
        "{}: not an xlsx file: this is an OLE2 file, i.e. a legacy .xls workbook or a "
        "password-protected .xlsx; save it as an unprotected .xlsx",
        display_name);
  }
  return InvalidArgument("{}: not an xlsx file (not a zip archive: {})", display_name, why);
}

}  // namespace

ZipMember::~ZipMember() {
  zip_fclose(file_);
}

Result<size_t> ZipMember::Read(char* dst, size_t n) {
  // One byte past the cap is enough to tell that the member is too large.
  const uint64_t room = max_bytes_ - read_ + 1;
  if (n > room) n = static_cast<size_t>(room);
  const zip_int64_t got = zip_fread(file_, dst, n);
  if (got < 0) {
    return InvalidArgument("{}: corrupt zip data: {}", context_, zip_file_strerror(file_));
  }
  read_ += static_cast<uint64_t>(got);
  if (read_ > max_bytes_) {
    return InvalidArgument("{}: inflates to more than {} bytes; refusing it (a zip bomb?)",
                           context_, max_bytes_);
  }
  return static_cast<size_t>(got);
}

Result<std::unique_ptr<ZipArchive>> ZipArchive::OpenFile(const std::string& path,
                                                         std::string display_name) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip != nullptr) {
    return std::unique_ptr<ZipArchive>(new ZipArchive(zip, {}, std::move(display_name)));
  }
  if (code == ZIP_ER_NOENT) return NotFound("{}: no such file", display_name);
  if (code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_SEEK) {
    return IOError("{}: cannot read: {}", display_name, ZipErrorText(code));
  }
  char head[8];
  size_t got = 0;
  if (auto source = OpenFileSource(path); source.ok()) {
    while (got < sizeof head) {
      auto n = (*source)->Read(head + got, sizeof head - got);
      if (!n.ok() || *n == 0) break;
      got += *n;
    }
  }
  return NotAZip(display_name, std::string_view(head, got), ZipErrorText(code));
}

Result<std::unique_ptr<ZipArchive>> ZipArchive::OpenBuffer(std::string bytes,
                                                           std::string display_name) {
  // Constructed first so that libzip reads the archive's own copy, which never moves.
  std::unique_ptr<ZipArchive> archive(new ZipArchive(nullptr, std::move(bytes), display_name));
  const std::string& data = archive->bytes_;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data.data(), data.size(), 0, &error);
  if (source != nullptr) {
    archive->zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive->zip_ == nullptr) zip_source_free(source);
  }
  const std::string why = zip_error_strerror(&error);
  zip_error_fini(&error);
  if (archive->zip_ == nullptr) {
    return NotAZip(display_name, std::string_view(data).substr(0, 8), why);
  }
  return archive;
}

ZipArchive::~ZipArchive() {
  if (zip_ != nullptr) zip_discard(zip_);  // read-only: nothing to write back
}

bool ZipArchive::Contains(const std::string& name) const {
  return zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE) >= 0;
}

Result<std::unique_ptr<ZipMember>> ZipArchive::Open(const std::string& name, uint64_t max_bytes) {
  const zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    return InvalidArgument("{}: not a valid xlsx file: {} is missing", display_name_, name);
  }
  zip_stat_t stat;
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
      (stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > max_bytes) {
    return InvalidArgument("{}: {}: inflates to {} bytes, more than the {} allowed (a zip bomb?)",
                           display_name_, name, stat.size, max_bytes);
  }
  zip_file_t* file = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    return InvalidArgument("{}: {}: cannot read: {}", display_name_, name,
                           zip_error_strerror(zip_get_error(zip_)));
  }
  return std::unique_ptr<ZipMember>(
      new ZipMember(file, fmt::format("{}: {}", display_name_, name), max_bytes));
}

Result<std::string> ZipArchive::ReadAll(const std::string& name, uint64_t max_bytes) {
  FH_ASSIGN_OR_RETURN(auto member, Open(name, max_bytes));
  std::string data;
  constexpr size_t kChunk = 64 << 10;
  while (true) {
    const size_t size = data.size();
    data.resize(size + kChunk);
    FH_ASSIGN_OR_RETURN(const size_t got, member->Read(data.data() + size, kChunk));
    data.resize(size + got);
    if (got == 0) return data;
  }
}

}  // namespace fh::ingest
