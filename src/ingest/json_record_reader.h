// JSON and NDJSON record readers (exports of ERP/MES/CRM systems and web APIs).
//
// - NDJSON: one object per line; blank lines are skipped and CRLF is accepted. A record's
//   line() is its line number and raw() the line (without the terminator).
// - JSON: one top-level array of objects, streamed: the array is cut into its elements as
//   it is read, so memory holds one element and one read block, never the file. line() is
//   the line where the element starts and raw() the element's text.
//
// Each object is one record, flattened as JsonFlattener describes: nested keys become
// "a.b" columns, arrays stay JSON text, numbers keep their original text, null is absent.
// Columns appear as keys are first seen, so a batch's columns may grow while it fills.
//
// Input must be UTF-8 (RFC 8259): a UTF-8 byte order mark is skipped, UTF-16/32 is an
// error that asks for conversion, and ReaderOptions::encoding other than "auto"/"utf-8"
// is refused. Errors are InvalidArgument "name:line: what"; after one, Next keeps
// returning it. A batch stops at max_records or about 8 MiB of field text, whichever
// comes first.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/byte_source.h"
#include "ingest/record_reader.h"

namespace fh::ingest {

// Reads nothing until the first Next(). `display_name` prefixes errors.
Result<std::unique_ptr<RecordReader>> MakeJsonReader(std::unique_ptr<ByteSource> source,
                                                     std::string display_name,
                                                     const ReaderOptions& options, bool ndjson);

}  // namespace fh::ingest
