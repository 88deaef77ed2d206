// XlsxSheetReader: the rows of one worksheet as its XML streams out of the zip, a chunk at
// a time through expat, so that only the rows of the current chunk are in memory (and the
// parse pauses once they hold a few MiB of values, which shared strings can inflate).
//
// A row is its Excel row number, its offset in the sheet XML, and its cells that have a
// value, each with its 0-based column. Cell values come out as text: shared and inline
// strings (rich-text runs joined, phonetic guides dropped, _xHHHH_ escapes decoded),
// formula string results, booleans as "true"/"false", error values as written ("#N/A"),
// numbers as stored unless their style is a date format, which turns them into ISO 8601
// (see FormatExcelSerial). Rows with no values are skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/xlsx_workbook.h"
#include "ingest/xml_stream.h"
#include "ingest/zip_archive.h"

namespace fh::ingest {

enum class XlsxCellKind : uint8_t {
  kText,    // shared, inline or formula string
  kNumber,  // number, date or time
  kBool,
  kError,  // an error value: "#DIV/0!", "#N/A", ...
};

struct XlsxCell {
  uint32_t column;
  XlsxCellKind kind;
  std::string_view text;
};

class XlsxSheetReader final : private XmlHandler {
 public:
  // `workbook` must outlive the reader. Errors are "name:row: ..." (the Excel row number);
  // a row whose values exceed `max_row_bytes` is an error.
  XlsxSheetReader(std::unique_ptr<ZipMember> member, const XlsxWorkbook* workbook,
                  std::string display_name, std::string member_name, size_t max_row_bytes);

  // Parses until at least `count` rows are buffered or the sheet ends; returns how many are.
  Result<size_t> Buffer(size_t count);
  size_t buffered() const { return rows_.size() - head_; }
  // Text held by the buffered rows.
  size_t buffered_bytes() const { return text_.size(); }

  // The i-th buffered row. Views stay valid until Pop() empties the buffer.
  int64_t row_number(size_t i) const { return rows_[head_ + i].number; }
  int64_t row_offset(size_t i) const { return rows_[head_ + i].offset; }
  size_t cell_count(size_t i) const { return rows_[head_ + i].cell_count; }
  XlsxCell cell(size_t i, size_t k) const {
    const StoredCell& c = cells_[rows_[head_ + i].first_cell + k];
    return XlsxCell{c.column, c.kind, std::string_view(text_).substr(c.offset, c.length)};
  }
  // Drops the first buffered row.
  void Pop() { ++head_; }

 private:
  struct StoredCell {
    uint32_t column;
    XlsxCellKind kind;
    size_t offset;  // into text_
    size_t length;
  };
  struct StoredRow {
    int64_t number;
    int64_t offset;
    size_t first_cell;
    size_t cell_count;
  };
  enum class CellType : uint8_t { kNumber, kShared, kInline, kFormulaString, kBool, kError, kDate };

  void StartElement(std::string_view name, const char** attributes) override;
  void EndElement(std::string_view name) override;
  void Text(std::string_view text) override;
  void StartCell(const char** attributes);
  void EndCell();
  void AddCell(XlsxCellKind kind, std::string_view text);
  void RowError(std::string_view what);
  std::string CellName() const;

  std::unique_ptr<ZipMember> member_;
  const XlsxWorkbook* workbook_;
  std::string display_name_;
  size_t max_row_bytes_;
  XmlStream stream_;
  std::unique_ptr<char[]> chunk_;
  bool done_ = false;

  // Parsed rows not yet popped.
  std::vector<StoredRow> rows_;
  std::vector<StoredCell> cells_;
  std::string text_;
  size_t head_ = 0;

  // Where the parse is.
  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_value_ = false;   // <v>
  bool in_inline_ = false;  // <is>
  bool in_phonetic_ = false;
  bool in_text_ = false;  // <t> of an inline string
  int64_t row_number_ = 0;
  int64_t row_offset_ = 0;
  size_t row_first_cell_ = 0;
  size_t row_bytes_ = 0;
  int64_t column_ = -1;
  CellType cell_type_ = CellType::kNumber;
  NumberFormatKind cell_format_ = NumberFormatKind::kNumber;
  bool cell_has_value_ = false;
  std::string raw_;    // the cell's <v> or inline text as written
  std::string value_;  // scratch for the converted value
};

}  // namespace fh::ingest
