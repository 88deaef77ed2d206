// libFuzzer harness for the xlsx record reader. Random bytes rarely make a zip, so the
// first byte also picks what the rest is: a whole .xlsx file, or one part (the sheet XML,
// sharedStrings.xml or styles.xml) put into an otherwise valid workbook built here. Any
// input must end in records or an error that names the input, never a crash, a hang, or a
// batch that breaks RecordBatch's promises.
#include <zip.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "ingest/xlsx_record_reader.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::map<std::string, std::string> BaseParts() {
  const std::string rels_open =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::map<std::string, std::string> parts;
  parts["_rels/.rels"] = rels_open + "<Relationship Id=\"r1\" Type=\"" + kRel +
                         "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  parts["xl/workbook.xml"] = std::string("<workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRel +
                             "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"r1\"/></sheets>"
                             "</workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      rels_open + "<Relationship Id=\"r1\" Type=\"" + kRel +
      "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  parts["xl/sharedStrings.xml"] = std::string("<sst xmlns=\"") + kMain +
                                  "\"><si><t>name</t></si><si><r><t>a</t></r><r><t>b</t></r>"
                                  "</si></sst>";
  parts["xl/styles.xml"] = std::string("<styleSheet xmlns=\"") + kMain +
                           "\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/>"
                           "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
                           "<xf numFmtId=\"164\"/><xf numFmtId=\"46\"/></cellXfs></styleSheet>";
  parts["xl/worksheets/sheet1.xml"] =
      std::string("<worksheet xmlns=\"") + kMain +
      "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v>"
      "</c></row><row r=\"2\"><c r=\"A2\" s=\"1\"><v>45356.5</v></c><c r=\"B2\" s=\"2\"><v>1.25"
      "</v></c><c r=\"C2\" s=\"3\"><v>2.5</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c></row>"
      "</sheetData></worksheet>";
  return parts;
}

// An uncompressed zip of `parts`, built in memory.
std::string Zip(const std::map<std::string, std::string>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  Check(out != nullptr);
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  Check(zip != nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    const zip_int64_t index = zip_file_add(zip, name.c_str(), source, 0);
    Check(index >= 0);
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  Check(zip_close(zip) == 0);
  std::string bytes;
  Check(zip_source_open(out) == 0);
  char buffer[4096];
  for (zip_int64_t got; (got = zip_source_read(out, buffer, sizeof buffer)) > 0;)
    bytes.append(buffer, static_cast<size_t>(got));
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fh::ingest;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string file;
  switch (data[0] % 4) {
    case 0:
      file = rest;
      break;
    default: {
      static const char* const kPart[] = {nullptr, "xl/worksheets/sheet1.xml",
                                          "xl/sharedStrings.xml", "xl/styles.xml"};
      auto parts = BaseParts();
      parts[kPart[data[0] % 4]] = rest;
      file = Zip(parts);
    }
  }
  ReaderOptions options;
  options.max_record_bytes = 1 << 16;
  if (const int header = (data[0] >> 2) % 3; header != 2) options.header = header == 1;
  const size_t max_records = 1 + (data[0] >> 4) % 4;

  auto reader = MakeXlsxReaderFromBuffer(std::move(file), "fuzz.xlsx", options);
  if (!reader.ok()) {
    Check(reader.status().message().starts_with("fuzz.xlsx"));
    return 0;
  }
  RecordBatch batch;
  size_t columns = 0;
  while (true) {
    auto more = (*reader)->Next(batch, max_records);
    if (!more.ok()) {
      Check(more.status().code() == fh::StatusCode::kInvalidArgument);
      Check(more.status().message().starts_with("fuzz.xlsx"));
      break;
    }
    if (!*more) {
      Check(batch.empty());
      break;
    }
    Check(!batch.empty() && batch.size() <= max_records);
    Check(batch.columns().size() >= columns);
    columns = batch.columns().size();
    Check(std::set<std::string>(batch.columns().begin(), batch.columns().end()).size() == columns);
    for (size_t r = 0; r < batch.size(); ++r) {
      Check(batch.line(r) >= 1);
      Check(batch.field_count(r) >= 1 && batch.field_count(r) <= batch.columns().size());
      for (size_t c = 0; c < batch.field_count(r); ++c) {
        if (auto field = batch.field(r, c)) {
          Check(simdjson::validate_utf8(field->data(), field->size()));
          Check(batch.raw(r).find(*field) != std::string_view::npos);  // raw shows every value
        }
      }
    }
  }
  return 0;
}
