#include "ingest/xlsx_text.h"

#include "common/hex.h"

namespace fh::ingest {
namespace {

// The code unit of an escape "_xHHHH_" at the start of `text`, or -1.
int32_t EscapeAt(std::string_view text) {
  if (text.size() < 7 || text[0] != '_' || text[1] != 'x' || text[6] != '_') return -1;
  int32_t unit = 0;
  for (size_t i = 2; i < 6; ++i) {
    const int digit = HexDigitValue(text[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string XlsxColumnName(uint32_t column) {
  std::string name;
  for (uint32_t n = column + 1; n > 0; n = (n - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

bool ParseXlsxColumn(std::string_view reference, uint32_t* column) {
  uint32_t n = 0;
  size_t i = 0;
  for (; i < reference.size() && i < 4; ++i) {
    char c = reference[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    n = n * 26 + static_cast<uint32_t>(c - 'A' + 1);
  }
  if (i == 0 || n > kXlsxMaxColumns) return false;
  for (; i < reference.size(); ++i) {
    if (reference[i] < '0' || reference[i] > '9') return false;
  }
  *column = n - 1;
  return true;
}

void AppendXlsxUnescaped(std::string_view text, std::string* out) {
  while (!text.empty()) {
    const size_t mark = text.find("_x");
    if (mark == std::string_view::npos) break;
    out->append(text.substr(0, mark));
    text.remove_prefix(mark);
    const int32_t unit = EscapeAt(text);
    if (unit < 0) {
      out->append(text.substr(0, 2));
      text.remove_prefix(2);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int32_t low = EscapeAt(text.substr(7));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
                       (static_cast<uint32_t>(low) - 0xDC00),
                   out);
        text.remove_prefix(14);
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) {
      out->append(text.substr(0, 7));  // a lone surrogate is not text: keep the escape
    } else {
      AppendUtf8(static_cast<uint32_t>(unit), out);
    }
    text.remove_prefix(7);
  }
  out->append(text);
}

}  // namespace fh::ingest
