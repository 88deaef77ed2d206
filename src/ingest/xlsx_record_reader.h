// The Excel (.xlsx) record reader: one worksheet's rows as records.
//
// - The sheet is ReaderOptions::sheet (exact name, else ignoring case), or the first
//   visible worksheet; an unknown name is an error listing the workbook's sheets.
// - line() is the Excel row number; offset() is the row's byte offset in the sheet's XML
//   (inflated), which is only good for telling rows apart.
// - Fields by column position from the cells' references ("C7"): gaps are null, and so
//   are error cells (#N/A, #DIV/0!: they carry no value). Other values are text as
//   XlsxSheetReader describes: dates become ISO 8601, numbers keep their stored text.
// - raw() is the row's values from column A to its last cell joined by tabs, with empty
//   text for gaps and the error text ("#N/A") for error cells, so that a quarantined row
//   shows what the sheet held.
// - Header: ReaderOptions::header, or when unset, the first row is a header if all its
//   values are text that does not look like a number and one of the next 100 rows has a
//   number (or date). Without a header, columns are named by their letters "A", "B", ...;
//   with one, empty header cells take their letter and a repeated name gets "_<letter>"
//   ("qty", "qty_D"). A row wider than the columns adds letter-named columns.
//
// Memory: the shared strings are loaded whole (up to 512 MiB of XML); the sheet's XML is
// streamed (up to 4 GiB inflated) and never held whole. Corrupt or non-xlsx input is
// InvalidArgument naming the file and what is wrong.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace fh::ingest {

// `path` "-" reads standard input (into memory: a zip is read from its end).
Result<std::unique_ptr<RecordReader>> MakeXlsxReader(const std::string& path,
                                                     std::string display_name,
                                                     const ReaderOptions& options);
// The same over a workbook's bytes (fuzzing, uploads).
Result<std::unique_ptr<RecordReader>> MakeXlsxReaderFromBuffer(std::string bytes,
                                                               std::string display_name,
                                                               const ReaderOptions& options);

}  // namespace fh::ingest
