// XlsxWorkbook: what reading one worksheet of an xlsx package needs from the rest of it,
// loaded up front: the sheets and where their XML is (workbook.xml and its relationships),
// the date system, which cell styles are dates (styles.xml), and the shared strings.
//
// Part locations follow the package's relationships (_rels/.rels, then the workbook's),
// falling back to the usual xl/... names when a relationship is missing. styles.xml and
// sharedStrings.xml are optional; workbook.xml is not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/excel_number_format.h"
#include "ingest/zip_archive.h"

namespace fh::ingest {

struct XlsxSheetInfo {
  std::string name;
  std::string part;        // its zip member, e.g. "xl/worksheets/sheet1.xml"
  bool worksheet = false;  // false for chart, dialog and macro sheets
  bool visible = true;
};

// The shared string table: every distinct cell text of the workbook, by index.
class XlsxSharedStrings {
 public:
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Appends the string being built by text() to the table.
  void Push() { ends_.push_back(text_.size()); }
  std::string& text() { return text_; }

 private:
  std::string text_;  // all strings, back to back
  std::vector<uint64_t> ends_;
};

struct XlsxWorkbook {
  std::vector<XlsxSheetInfo> sheets;  // in workbook order
  bool date1904 = false;
  // Number format kind of each cell style, by a cell's s attribute (cellXfs index).
  std::vector<NumberFormatKind> cell_formats;
  XlsxSharedStrings shared_strings;
};

// Limits on how far the parts may inflate.
constexpr uint64_t kXlsxMaxMetadataBytes = 64 << 20;        // workbook, rels, styles
constexpr uint64_t kXlsxMaxSharedStringsBytes = 512 << 20;  // sharedStrings.xml
constexpr uint64_t kXlsxMaxSheetBytes = uint64_t{4} << 30;  // one worksheet

Result<XlsxWorkbook> LoadXlsxWorkbook(ZipArchive& archive);

// The sheet named `name` (exactly, else ignoring ASCII case), or for an empty name the
// first visible worksheet. InvalidArgument listing the sheets if there is none such or it
// is not a worksheet.
Result<const XlsxSheetInfo*> FindXlsxSheet(const XlsxWorkbook& workbook, std::string_view name,
                                           std::string_view display_name);

}  // namespace fh::ingest
