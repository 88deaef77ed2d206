#include "ingest/xlsx_sheet_reader.h"

#include <charconv>

#include "common/text_trim.h"
#include "ingest/xlsx_text.h"

namespace fh::ingest {
namespace {

constexpr size_t kChunkBytes = 64 << 10;
// The parse pauses at the end of a row once the buffered rows hold this much text: tiny
// cells that all name one long shared string would otherwise turn one chunk of XML into
// gigabytes of values.
constexpr size_t kSuspendBytes = 4 << 20;
constexpr int64_t kMaxRowNumber = 1 << 30;  // Excel stops at 1048576; leave room, not overflow

bool ParseUnsigned(std::string_view text, uint64_t* n) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *n);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

XlsxSheetReader::XlsxSheetReader(std::unique_ptr<ZipMember> member, const XlsxWorkbook* workbook,
                                 std::string display_name, std::string member_name,
                                 size_t max_row_bytes)
    : member_(std::move(member)),
      workbook_(workbook),
      display_name_(display_name),
      max_row_bytes_(max_row_bytes),
      stream_(this, fmt::format("{}: {}", display_name, member_name)),
      chunk_(std::make_unique_for_overwrite<char[]>(kChunkBytes)) {}

Result<size_t> XlsxSheetReader::Buffer(size_t count) {
  if (head_ == rows_.size() && head_ > 0) {
    // Everything was consumed but the cells of a row the last chunk ended in.
    const size_t keep = in_row_ ? row_first_cell_ : cells_.size();
    const size_t text_dropped = keep < cells_.size() ? cells_[keep].offset : text_.size();
    cells_.erase(cells_.begin(), cells_.begin() + static_cast<ptrdiff_t>(keep));
    for (StoredCell& cell : cells_)
      cell.offset -= text_dropped;
    text_.erase(0, text_dropped);
    row_first_cell_ = 0;
    rows_.clear();
    head_ = 0;
  }
  while (buffered() < count) {
    if (stream_.suspended()) {
      FH_RETURN_IF_ERROR(stream_.Resume());
      continue;
    }
    if (done_) break;
    FH_ASSIGN_OR_RETURN(const size_t got, member_->Read(chunk_.get(), kChunkBytes));
    done_ = got == 0;
    FH_RETURN_IF_ERROR(stream_.Parse(std::string_view(chunk_.get(), got), done_));
  }
  return buffered();
}

void XlsxSheetReader::RowError(std::string_view what) {
  Fail(InvalidArgument("{}:{}: {}", display_name_, row_number_, what));
}

std::string XlsxSheetReader::CellName() const {
  return XlsxColumnName(static_cast<uint32_t>(column_)) + std::to_string(row_number_);
}

void XlsxSheetReader::StartElement(std::string_view name, const char** attributes) {
  if (in_cell_) {
    if (name == "v") {
      in_value_ = true;
      cell_has_value_ = true;
    } else if (name == "is") {
      in_inline_ = true;
      cell_has_value_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t" && in_inline_ && !in_phonetic_) {
      in_text_ = true;
    }
  } else if (in_row_) {
    if (name == "c") StartCell(attributes);
  } else if (in_sheet_data_) {
    if (name != "row") return;
    in_row_ = true;
    // r is optional: without it a row follows the previous one.
    const char* r = Attribute(attributes, "r");
    uint64_t number = static_cast<uint64_t>(row_number_) + 1;
    if (r != nullptr && (!ParseUnsigned(r, &number) || number == 0 ||
                         number > static_cast<uint64_t>(kMaxRowNumber))) {
      Fail(InvalidArgument("{}:{}: row number r=\"{}\" is not valid", display_name_,
                           row_number_ + 1, r));
      return;
    }
    row_number_ = static_cast<int64_t>(number);
    row_offset_ = stream_.byte_index();
    row_first_cell_ = cells_.size();
    row_bytes_ = 0;
    column_ = -1;
  } else if (name == "sheetData") {
    in_sheet_data_ = true;
  }
}

void XlsxSheetReader::StartCell(const char** attributes) {
  in_cell_ = true;
  cell_has_value_ = false;
  raw_.clear();
  const char* r = Attribute(attributes, "r");
  uint32_t column = static_cast<uint32_t>(column_ + 1);
  if (r != nullptr && !ParseXlsxColumn(r, &column)) {
    RowError(fmt::format("cell reference r=\"{}\" is not valid (columns run A to XFD)", r));
    return;
  }
  if (column >= kXlsxMaxColumns) {
    RowError("more than 16384 cells in a row (columns run A to XFD)");
    return;
  }
  column_ = column;

  const char* t = Attribute(attributes, "t");
  const std::string_view type = t != nullptr ? t : "n";
  if (type == "s") {
    cell_type_ = CellType::kShared;
  } else if (type == "inlineStr") {
    cell_type_ = CellType::kInline;
  } else if (type == "str") {
    cell_type_ = CellType::kFormulaString;
  } else if (type == "b") {
    cell_type_ = CellType::kBool;
  } else if (type == "e") {
    cell_type_ = CellType::kError;
  } else if (type == "d") {
    cell_type_ = CellType::kDate;
  } else {
    cell_type_ = CellType::kNumber;
  }
  cell_format_ = NumberFormatKind::kNumber;
  uint64_t style = 0;
  if (const char* s = Attribute(attributes, "s");
      s != nullptr && ParseUnsigned(s, &style) && style < workbook_->cell_formats.size()) {
    cell_format_ = workbook_->cell_formats[style];
  }
}

void XlsxSheetReader::Text(std::string_view text) {
  if (!in_value_ && !in_text_) return;
  if (row_bytes_ + raw_.size() + text.size() > max_row_bytes_) {
    RowError(fmt::format("row longer than {} bytes (the record size limit)", max_row_bytes_));
    return;
  }
  raw_.append(text);
}

void XlsxSheetReader::EndElement(std::string_view name) {
  if (in_cell_) {
    if (name == "v") {
      in_value_ = false;
    } else if (name == "t") {
      in_text_ = false;
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "c") {
      in_cell_ = false;
      if (cell_has_value_) EndCell();
    }
  } else if (in_row_) {
    if (name != "row") return;
    in_row_ = false;
    if (cells_.size() > row_first_cell_) {
      rows_.push_back(
          StoredRow{row_number_, row_offset_, row_first_cell_, cells_.size() - row_first_cell_});
      if (text_.size() >= kSuspendBytes) stream_.Suspend();
    }
  } else if (name == "sheetData") {
    in_sheet_data_ = false;
  }
}

void XlsxSheetReader::EndCell() {
  switch (cell_type_) {
    case CellType::kShared: {
      uint64_t index = 0;
      const auto& strings = workbook_->shared_strings;
      if (!ParseUnsigned(TrimSpace(raw_), &index) || index >= strings.size()) {
        RowError(fmt::format("cell {}: shared string '{}' does not exist (the workbook has {})",
                             CellName(), raw_.substr(0, 32), strings.size()));
        return;
      }
      return AddCell(XlsxCellKind::kText, strings[index]);
    }
    case CellType::kInline:
    case CellType::kFormulaString:
      value_.clear();
      AppendXlsxUnescaped(raw_, &value_);
      return AddCell(XlsxCellKind::kText, value_);
    case CellType::kBool: {
      const std::string_view v = TrimSpace(raw_);
      if (v == "1" || v == "true") return AddCell(XlsxCellKind::kBool, "true");
      if (v == "0" || v == "false") return AddCell(XlsxCellKind::kBool, "false");
      return RowError(
          fmt::format("cell {}: boolean value '{}' is not 0 or 1", CellName(), raw_.substr(0, 32)));
    }
    case CellType::kError:
      return AddCell(XlsxCellKind::kError, TrimSpace(raw_));
    case CellType::kDate:
      return AddCell(XlsxCellKind::kNumber, TrimSpace(raw_));
    case CellType::kNumber: {
      const std::string_view v = TrimSpace(raw_);
      if (v.empty()) return;  // a styled cell without a value
      double serial = 0;
      if (cell_format_ != NumberFormatKind::kNumber) {
        const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), serial);
        if (error == std::errc() && end == v.data() + v.size() &&
            FormatExcelSerial(serial, cell_format_, workbook_->date1904, &value_)) {
          return AddCell(XlsxCellKind::kNumber, value_);
        }
      }
      return AddCell(XlsxCellKind::kNumber, v);
    }
  }
}

void XlsxSheetReader::AddCell(XlsxCellKind kind, std::string_view text) {
  row_bytes_ += text.size();
  if (row_bytes_ > max_row_bytes_) {
    return RowError(
        fmt::format("row longer than {} bytes (the record size limit)", max_row_bytes_));
  }
  cells_.push_back(StoredCell{static_cast<uint32_t>(column_), kind, text_.size(), text.size()});
  text_.append(text);
}

}  // namespace fh::ingest
