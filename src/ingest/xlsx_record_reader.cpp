#include "ingest/xlsx_record_reader.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_set>
#include <vector>

#include "ingest/xlsx_sheet_reader.h"
#include "ingest/xlsx_text.h"
#include "ingest/xlsx_workbook.h"
#include "ingest/zip_archive.h"

namespace fh::ingest {
namespace {

// Rows looked at after the first to decide whether it is a header.
constexpr size_t kHeaderLookahead = 100;

// Header text that is really a number ("2024", "1.5e3") means the row is data.
bool IsNumberText(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && error == std::errc() && end == s.data() + s.size();
}

class XlsxRecordReader final : public RecordReader {
 public:
  XlsxRecordReader(std::unique_ptr<ZipArchive> archive, std::unique_ptr<XlsxWorkbook> workbook,
                   std::unique_ptr<XlsxSheetReader> sheet, std::optional<bool> header)
      : archive_(std::move(archive)),
        workbook_(std::move(workbook)),
        sheet_(std::move(sheet)),
        header_(header),
        slots_(kXlsxMaxColumns, -1) {}

  Result<bool> Next(RecordBatch& batch, size_t max_records) override {
    if (!failed_.ok()) return failed_;
    batch.Clear();
    if (batch.columns() != columns_) batch.mutable_columns() = columns_;
    Status status = Fill(batch, std::max<size_t>(max_records, 1));
    if (!status.ok()) {
      failed_ = status;
      return status;
    }
    return !batch.empty();
  }

  std::string_view format() const override { return "xlsx"; }
  std::string_view encoding() const override { return "utf-8"; }

 private:
  Status Fill(RecordBatch& batch, size_t max_records) {
    if (!started_) {
      FH_RETURN_IF_ERROR(ReadHeader());
      batch.mutable_columns() = columns_;
      started_ = true;
    }
    size_t fields = 0;
    while (batch.size() < max_records &&
           batch.arena_bytes() + fields * kFieldRefBytes < kRecordBatchBytes) {
      FH_ASSIGN_OR_RETURN(const size_t buffered, sheet_->Buffer(1));
      if (buffered == 0) break;
      AddRecord(batch);
      sheet_->Pop();
      fields += batch.field_count(batch.size() - 1);
    }
    return Status::Ok();
  }

  Status ReadHeader() {
    bool header = false;
    if (header_.has_value()) {
      header = *header_;
    } else {
      // Up to kHeaderLookahead rows after the first, and no more than a batch's worth.
      size_t rows = 0;
      while (rows < 1 + kHeaderLookahead && sheet_->buffered_bytes() < kRecordBatchBytes) {
        FH_ASSIGN_OR_RETURN(const size_t buffered, sheet_->Buffer(rows + 1));
        if (buffered == rows) break;  // the sheet ended
        rows = buffered;
      }
      header = LooksLikeHeader(std::min(rows, 1 + kHeaderLookahead));
    }
    if (!header) return Status::Ok();
    FH_ASSIGN_OR_RETURN(const size_t rows, sheet_->Buffer(1));
    if (rows == 0) return Status::Ok();
    for (size_t k = 0; k < sheet_->cell_count(0); ++k) {
      const XlsxCell cell = sheet_->cell(0, k);
      while (columns_.size() < cell.column)
        AddColumn(XlsxColumnName(static_cast<uint32_t>(columns_.size())));
      if (columns_.size() == cell.column) {
        AddColumn(cell.kind == XlsxCellKind::kError ? "" : std::string(cell.text));
      }
    }
    sheet_->Pop();
    return Status::Ok();
  }

  bool LooksLikeHeader(size_t rows) const {
    if (rows < 2) return false;
    bool named = false;
    for (size_t k = 0; k < sheet_->cell_count(0); ++k) {
      const XlsxCell cell = sheet_->cell(0, k);
      if (cell.kind != XlsxCellKind::kText || IsNumberText(cell.text)) return false;
      named = named || !cell.text.empty();
    }
    if (!named) return false;
    for (size_t i = 1; i < rows; ++i) {
      for (size_t k = 0; k < sheet_->cell_count(i); ++k) {
        if (sheet_->cell(i, k).kind == XlsxCellKind::kNumber) return true;
      }
    }
    return false;
  }

  // Names the next column: `name`, or its letter when empty, made unique with "_<letter>".
  void AddColumn(std::string name) {
    const std::string letter = XlsxColumnName(static_cast<uint32_t>(columns_.size()));
    if (name.empty()) name = letter;
    if (names_.contains(name)) name += "_" + letter;
    names_.insert(name);
    columns_.push_back(std::move(name));
  }

  void AddRecord(RecordBatch& batch) {
    const size_t cells = sheet_->cell_count(0);
    uint32_t last = 0;
    for (size_t k = 0; k < cells; ++k) {
      const XlsxCell cell = sheet_->cell(0, k);
      last = std::max(last, cell.column);
      slots_[cell.column] = static_cast<int32_t>(k);  // a repeated cell: the last one wins
    }
    while (columns_.size() <= last) {
      AddColumn("");
      batch.mutable_columns().push_back(columns_.back());
    }
    batch.BeginRecord(sheet_->row_number(0), sheet_->row_offset(0));
    raw_.clear();
    for (uint32_t c = 0; c <= last; ++c) {
      if (c > 0) raw_ += '\t';
      const int32_t k = slots_[c];
      if (k < 0) {
        batch.AddNull();
        continue;
      }
      slots_[c] = -1;
      const XlsxCell cell = sheet_->cell(0, static_cast<size_t>(k));
      if (cell.kind == XlsxCellKind::kError) {
        batch.AddNull();
      } else {
        batch.AddField(cell.text);
      }
      raw_.append(cell.text);
    }
    batch.EndRecord(raw_);
  }

  // Declared in this order so that the sheet goes before the workbook and the archive it
  // reads.
  std::unique_ptr<ZipArchive> archive_;
  std::unique_ptr<XlsxWorkbook> workbook_;
  std::unique_ptr<XlsxSheetReader> sheet_;
  std::optional<bool> header_;
  bool started_ = false;
  Status failed_;
  std::vector<std::string> columns_;
  std::unordered_set<std::string> names_;
  std::vector<int32_t> slots_;  // by column: the row's cell there, or -1
  std::string raw_;
};

Result<std::unique_ptr<RecordReader>> OpenWorkbook(std::unique_ptr<ZipArchive> archive,
                                                   const std::string& display_name,
                                                   const ReaderOptions& options) {
  auto workbook = std::make_unique<XlsxWorkbook>();
  FH_ASSIGN_OR_RETURN(*workbook, LoadXlsxWorkbook(*archive));
  FH_ASSIGN_OR_RETURN(const XlsxSheetInfo* sheet,
                      FindXlsxSheet(*workbook, options.sheet, display_name));
  FH_ASSIGN_OR_RETURN(auto member, archive->Open(sheet->part, kXlsxMaxSheetBytes));
  auto rows = std::make_unique<XlsxSheetReader>(
      std::move(member), workbook.get(), display_name, sheet->part,
      std::clamp<size_t>(options.max_record_bytes, 1, kMaxRecordBytes));
  return std::unique_ptr<RecordReader>(std::make_unique<XlsxRecordReader>(
      std::move(archive), std::move(workbook), std::move(rows), options.header));
}

}  // namespace

Result<std::unique_ptr<RecordReader>> MakeXlsxReader(const std::string& path,
                                                     std::string display_name,
                                                     const ReaderOptions& options) {
  if (path != "-") {
    FH_ASSIGN_OR_RETURN(auto archive, ZipArchive::OpenFile(path, display_name));
    return OpenWorkbook(std::move(archive), display_name, options);
  }
  FH_ASSIGN_OR_RETURN(auto input, OpenFileSource(path));
  std::string bytes;
  constexpr size_t kChunk = 1 << 20;
  while (true) {
    const size_t size = bytes.size();
    bytes.resize(size + kChunk);
    FH_ASSIGN_OR_RETURN(const size_t got, input->Read(bytes.data() + size, kChunk));
    bytes.resize(size + got);
    if (got == 0) break;
  }
  return MakeXlsxReaderFromBuffer(std::move(bytes), std::move(display_name), options);
}

Result<std::unique_ptr<RecordReader>> MakeXlsxReaderFromBuffer(std::string bytes,
                                                               std::string display_name,
                                                               const ReaderOptions& options) {
  FH_ASSIGN_OR_RETURN(auto archive, ZipArchive::OpenBuffer(std::move(bytes), display_name));
  return OpenWorkbook(std::move(archive), display_name, options);
}

}  // namespace fh::ingest
