// What an Excel number format says about the numbers it shows, and how a date-formatted
// serial number becomes ISO 8601 text.
//
// xlsx stores dates as serial day numbers; only the cell's number format marks them as
// dates. Serials count days from 1899-12-30 in the 1900 date system (with Lotus 1-2-3's
// phantom 1900-02-29 at serial 60) or from 1904-01-01 in the 1904 system, the fraction
// being the time of day.
#pragma once

#include <string>
#include <string_view>

namespace fh::ingest {

enum class NumberFormatKind {
  kNumber,    // not a date: the stored number text is kept
  kDate,      // a calendar date, with or without a time of day
  kTime,      // a time of day (h:mm, mm:ss)
  kDuration,  // elapsed time ([h]:mm:ss)
};

// The kind of a built-in format id: 14-17 and 22 dates, 18-21, 45 and 47 times, 46 a
// duration. 27-36 and 50-58 are the East Asian locales' built-in date and time formats
// (e.g. zh-CN 31 = yyyy"年"m"月"d"日"), common in Chinese ERP exports and not written
// into styles.xml.
NumberFormatKind BuiltinFormatKind(int id);

// The kind of a custom format code: a date if it has d, m or y outside quoted text,
// escapes and [brackets]; a time if it has h or s (m then means minutes); a duration if it
// has an elapsed-time bracket ([h], [mm], [ss]).
NumberFormatKind ClassifyFormatCode(std::string_view code);

// `serial` as "2024-03-05", "2024-03-05T08:30:00" (".250" when there are milliseconds),
// a time "08:30:00" (a time format, or any serial below 1 in the 1900 system, where no
// day 0 exists), or a duration "25:00:00". False, leaving *out alone, for kNumber and for
// serials that are not dates: negative, past 9999-12-31, or the phantom 1900-02-29.
bool FormatExcelSerial(double serial, NumberFormatKind kind, bool date1904, std::string* out);

}  // namespace fh::ingest
