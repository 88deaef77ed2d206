// The CSV RecordReader: ERP/MES/CRM exports as RFC 4180 text, in any encoding TextDecoder
// reads.
//
// The format as read:
//  - records end with LF or CRLF, the last one also at the end of the input; empty lines
//    are skipped (and counted in line numbers);
//  - a field that starts with '"' is quoted: it may hold delimiters, line breaks (kept as
//    they are, a lone CR too) and "" for a quote; text between its closing quote and the
//    next delimiter is kept after it, as spreadsheets do ("ab"c is abc). A quote elsewhere
//    is an ordinary character. Unquoted fields are kept as they are, blanks included;
//  - with kWhitespaceDelimiter, fields are separated by runs of spaces and tabs, blanks
//    at the start and end of a line are ignored (a line of blanks is empty), and a field
//    that starts with '"' is quoted as above;
//  - the delimiter is options.delimiter, or detected (DetectCsvDelimiter); whether the
//    first record is a header is options.header, or detected (LooksLikeCsvHeader). Header
//    names are trimmed, and empty or repeated ones renamed (CsvColumnNames). Without a
//    header the columns are "1", "2", ..., as many as the widest sampled record has, and a
//    wider record later adds columns;
//  - with a header, a record with more fields is an error ("data.csv:7: 14 fields, header
//    has 12"), one with fewer has the missing ones null;
//  - a record longer than options.max_record_bytes is an error, as is a quote left open at
//    the end of the input (naming the line it opened on).
// A record's line() is the line it starts on; offset() is exact for UTF-8 and see
// TextDecoder::SourceOffset for the others. Errors are InvalidArgument "NAME:LINE: ...",
// and the reader stays failed after one.
//
// Memory: about two blocks of text, or twice the longest record if that is more (so at
// most about 2 × max_record_bytes); a batch stops at max_records or once its fields and raw
// texts reach 64 MiB.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/byte_source.h"
#include "ingest/record_reader.h"

namespace fh::ingest {

// Reads nothing but what encoding detection needs (up to 64 KiB) until the first Next().
// InvalidArgument for a bad encoding name or delimiter (a quote or a line break).
Result<std::unique_ptr<RecordReader>> MakeCsvReader(std::unique_ptr<ByteSource> source,
                                                    std::string display_name,
                                                    const ReaderOptions& options);

}  // namespace fh::ingest
