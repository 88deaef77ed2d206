// OpenRecordReader: which reader an export needs, from the options, the file name's
// extension, then the first bytes.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "common/ascii.h"
#include "ingest/csv_record_reader.h"
#include "ingest/json_record_reader.h"
#include "ingest/record_reader.h"
#include "ingest/xlsx_record_reader.h"

namespace fh::ingest {
namespace {

// Enough to see past the blanks that may start a JSON document.
constexpr size_t kJsonSniffBytes = 4096;

Status CheckFormat(const std::string& format) {
  if (format == "auto" || format == "csv" || format == "json" || format == "ndjson" ||
      format == "xlsx") {
    return Status::Ok();
  }
  return InvalidArgument("unknown format '{}' (expected auto, csv, json, ndjson or xlsx)", format);
}

// "auto" when the extension says nothing.
std::string FormatFromExtension(const std::string& path) {
  const std::string ext = AsciiLowered(std::filesystem::path(path).extension().string());
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv") return "csv";
  if (ext == ".json") return "json";
  if (ext == ".ndjson" || ext == ".jsonl") return "ndjson";
  if (ext == ".xlsx") return "xlsx";
  return "auto";
}

std::string FormatFromContent(std::string_view head) {
  if (head.starts_with("PK\x03\x04")) return "xlsx";  // a zip archive
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '[') return "json";
  if (first != std::string_view::npos && head[first] == '{') return "ndjson";
  return "csv";
}

// The xlsx reader needs a file it can seek in: a stream is first copied to a temporary
// file, which goes away with the reader.
class SpooledReader final : public RecordReader {
 public:
  SpooledReader(std::unique_ptr<RecordReader> inner, std::filesystem::path path)
      : inner_(std::move(inner)), path_(std::move(path)) {}
  ~SpooledReader() override {
    inner_.reset();  // closes the file first
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  Result<bool> Next(RecordBatch& batch, size_t max_records) override {
    return inner_->Next(batch, max_records);
  }
  std::string_view format() const override { return inner_->format(); }
  std::string_view encoding() const override { return inner_->encoding(); }
  std::string_view encoding_detection() const override { return inner_->encoding_detection(); }

 private:
  std::unique_ptr<RecordReader> inner_;
  std::filesystem::path path_;
};

Status CopyToFd(ByteSource& source, int fd, const std::string& path) {
  std::string block(1 << 20, '\0');
  while (true) {
    FH_ASSIGN_OR_RETURN(size_t got, source.Read(block.data(), block.size()));
    if (got == 0) return Status::Ok();
    for (size_t done = 0; done < got;) {
      const ssize_t n = ::write(fd, block.data() + done, got - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IOError("{}: write failed: {}", path, std::strerror(errno));
      done += static_cast<size_t>(n);
    }
  }
}

Result<std::unique_ptr<RecordReader>> SpoolXlsx(std::unique_ptr<ByteSource> source,
                                                std::string display_name,
                                                const ReaderOptions& options) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string path = (dir / "factoryhub-import-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return IOError("{}: cannot create a temporary file: {}", path, std::strerror(errno));
  Status copied = CopyToFd(*source, fd, path);
  if (::close(fd) != 0 && copied.ok()) {
    copied = IOError("{}: close failed: {}", path, std::strerror(errno));
  }
  Result<std::unique_ptr<RecordReader>> reader =
      copied.ok() ? MakeXlsxReader(path, std::move(display_name), options)
                  : Result<std::unique_ptr<RecordReader>>(copied);
  if (!reader.ok()) {
    std::filesystem::remove(path, ec);
    return reader.status();
  }
  return std::unique_ptr<RecordReader>(
      std::make_unique<SpooledReader>(std::move(reader).value(), path));
}

Result<std::unique_ptr<RecordReader>> OpenFormat(const std::string& format,
                                                 std::unique_ptr<ByteSource> source,
                                                 std::string display_name,
                                                 const ReaderOptions& options) {
  if (format == "json" || format == "ndjson") {
    return MakeJsonReader(std::move(source), std::move(display_name), options, format == "ndjson");
  }
  if (format == "xlsx") return SpoolXlsx(std::move(source), std::move(display_name), options);
  return MakeCsvReader(std::move(source), std::move(display_name), options);
}

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path,
                                                       const ReaderOptions& options) {
  FH_RETURN_IF_ERROR(CheckFormat(options.format));
  const bool from_stdin = path == "-";
  std::string display_name = from_stdin ? "<stdin>" : path;
  ReaderOptions resolved = options;
  if (resolved.format == "auto" && !from_stdin) {
    resolved.format = FormatFromExtension(path);
    const std::string ext = AsciiLowered(std::filesystem::path(path).extension().string());
    if (ext == ".tsv" && resolved.delimiter == 0) resolved.delimiter = '\t';
  }
  if (resolved.format == "xlsx") {
    std::error_code ec;
    if (!from_stdin && !std::filesystem::exists(path, ec)) {
      return NotFound("{}: no such file", path);
    }
    return MakeXlsxReader(path, std::move(display_name), resolved);
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  if (resolved.format == "auto") {
    FH_ASSIGN_OR_RETURN(std::string head, ReadUpTo(*source, kJsonSniffBytes));
    resolved.format = FormatFromContent(head);
    if (resolved.format == "xlsx" && !from_stdin) {
      source.reset();  // the xlsx reader opens the file itself
      return MakeXlsxReader(path, std::move(display_name), resolved);
    }
    source = MakePrefixedSource(std::move(head), std::move(source));
  }
  return OpenFormat(resolved.format, std::move(source), std::move(display_name), resolved);
}

Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::unique_ptr<ByteSource> source,
                                                       std::string display_name,
                                                       const ReaderOptions& options) {
  FH_RETURN_IF_ERROR(CheckFormat(options.format));
  ReaderOptions resolved = options;
  if (resolved.format == "auto") {
    FH_ASSIGN_OR_RETURN(std::string head, ReadUpTo(*source, kJsonSniffBytes));
    resolved.format = FormatFromContent(head);
    source = MakePrefixedSource(std::move(head), std::move(source));
  }
  return OpenFormat(resolved.format, std::move(source), std::move(display_name), resolved);
}

}  // namespace fh::ingest
