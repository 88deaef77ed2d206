#include "ingest/xlsx_workbook.h"

#include <charconv>
#include <unordered_map>

#include "ingest/xlsx_text.h"
#include "ingest/xml_stream.h"

namespace fh::ingest {
namespace {

bool IsTrue(const char* value) {
  return value != nullptr && (std::string_view(value) == "1" || std::string_view(value) == "true");
}

int ToInt(const char* value, int fallback) {
  if (value == nullptr) return fallback;
  int n = fallback;
  const std::string_view text(value);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  return error == std::errc() && end == text.data() + text.size() ? n : fallback;
}

std::string DirOf(std::string_view part) {
  const size_t slash = part.rfind('/');
  return std::string(slash == std::string_view::npos ? "" : part.substr(0, slash + 1));
}

// A relationship target, relative to the source part's folder or absolute from the
// package root, as a zip member name.
std::string ResolvePart(std::string_view source_dir, std::string_view target) {
  const std::string path = target.starts_with('/') ? std::string(target.substr(1))
                                                   : std::string(source_dir) + std::string(target);
  std::vector<std::string_view> segments;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string resolved;
  for (std::string_view segment : segments) {
    if (!resolved.empty()) resolved += '/';
    resolved.append(segment);
  }
  return resolved;
}

// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels"
std::string RelationshipsOf(std::string_view part) {
  const std::string dir = DirOf(part);
  return dir + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
}

struct Relationship {
  std::string type;  // the URI's last segment: "worksheet", "sharedStrings", ...
  std::string target;
};

class RelationshipsHandler final : public XmlHandler {
 public:
  std::unordered_map<std::string, Relationship> by_id;

  // The first target of a type, or empty.
  std::string Find(std::string_view type) const {
    for (const auto& [id, rel] : by_id) {
      if (rel.type == type) return rel.target;
    }
    return "";
  }

  void StartElement(std::string_view name, const char** attributes) override {
    if (name != "Relationship") return;
    const char* id = Attribute(attributes, "Id");
    const char* type = Attribute(attributes, "Type");
    const char* target = Attribute(attributes, "Target");
    if (id == nullptr || type == nullptr || target == nullptr) return;
    const char* mode = Attribute(attributes, "TargetMode");
    if (mode != nullptr && std::string_view(mode) == "External") return;
    // Transitional and Strict OOXML differ in the URI's prefix only.
    std::string_view short_type(type);
    if (const size_t slash = short_type.rfind('/'); slash != std::string_view::npos)
      short_type.remove_prefix(slash + 1);
    by_id.emplace(id, Relationship{std::string(short_type), target});
  }
  void EndElement(std::string_view) override {}
  void Text(std::string_view) override {}
};

class WorkbookHandler final : public XmlHandler {
 public:
  struct Sheet {
    std::string name;
    std::string relationship;
    bool visible;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;

  void StartElement(std::string_view name, const char** attributes) override {
    if (name == "workbookPr") {
      date1904 = IsTrue(Attribute(attributes, "date1904"));
    } else if (name == "sheet") {
      const char* sheet_name = Attribute(attributes, "name");
      const char* id = Attribute(attributes, "id");  // r:id
      const char* state = Attribute(attributes, "state");
      sheets.push_back(Sheet{sheet_name ? sheet_name : "", id ? id : "",
                             state == nullptr || std::string_view(state) == "visible"});
    }
  }
  void EndElement(std::string_view) override {}
  void Text(std::string_view) override {}
};

class StylesHandler final : public XmlHandler {
 public:
  std::unordered_map<int, NumberFormatKind> custom_formats;
  std::vector<int> cell_format_ids;  // numFmtId of each cellXfs entry

  void StartElement(std::string_view name, const char** attributes) override {
    if (name == "numFmts") {
      in_formats_ = true;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "numFmt" && in_formats_) {
      const char* code = Attribute(attributes, "formatCode");
      custom_formats[ToInt(Attribute(attributes, "numFmtId"), -1)] =
          ClassifyFormatCode(code != nullptr ? code : "");
    } else if (name == "xf" && in_cell_xfs_) {
      cell_format_ids.push_back(ToInt(Attribute(attributes, "numFmtId"), 0));
    }
  }
  void EndElement(std::string_view name) override {
    if (name == "numFmts") in_formats_ = false;
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  void Text(std::string_view) override {}

 private:
  bool in_formats_ = false;
  bool in_cell_xfs_ = false;
};

// <si> holds a <t>, or rich-text runs <r><t>...</t></r> to concatenate, and possibly
// phonetic guides <rPh><t>...</t></rPh> that are not part of the text.
class SharedStringsHandler final : public XmlHandler {
 public:
  explicit SharedStringsHandler(XlsxSharedStrings* table) : table_(table) {}

  void StartElement(std::string_view name, const char**) override {
    if (name == "si") {
      in_item_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t" && in_item_ && !in_phonetic_) {
      in_text_ = true;
      raw_.clear();
    }
  }
  void EndElement(std::string_view name) override {
    if (name == "t" && in_text_) {
      in_text_ = false;
      AppendXlsxUnescaped(raw_, &table_->text());
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "si") {
      in_item_ = false;
      table_->Push();
    }
  }
  void Text(std::string_view text) override {
    if (in_text_) raw_.append(text);
  }

 private:
  XlsxSharedStrings* table_;
  std::string raw_;  // the current <t>'s text, escapes not yet decoded
  bool in_item_ = false;
  bool in_phonetic_ = false;
  bool in_text_ = false;
};

}  // namespace

Result<XlsxWorkbook> LoadXlsxWorkbook(ZipArchive& archive) {
  std::string workbook_part = "xl/workbook.xml";
  if (archive.Contains("_rels/.rels")) {
    RelationshipsHandler package;
    FH_RETURN_IF_ERROR(ParseXmlMember(archive, "_rels/.rels", kXlsxMaxMetadataBytes, &package));
    const std::string target = package.Find("officeDocument");
    if (!target.empty()) workbook_part = ResolvePart("", target);
  }
  if (!archive.Contains(workbook_part)) {
    return InvalidArgument("{}: not an xlsx workbook: {} is missing{}", archive.display_name(),
                           workbook_part,
                           archive.Contains("[Content_Types].xml") ? "" : " (not an Office file?)");
  }
  WorkbookHandler workbook_xml;
  FH_RETURN_IF_ERROR(ParseXmlMember(archive, workbook_part, kXlsxMaxMetadataBytes, &workbook_xml));

  RelationshipsHandler rels;
  const std::string rels_part = RelationshipsOf(workbook_part);
  if (archive.Contains(rels_part)) {
    FH_RETURN_IF_ERROR(ParseXmlMember(archive, rels_part, kXlsxMaxMetadataBytes, &rels));
  }
  const std::string dir = DirOf(workbook_part);

  XlsxWorkbook workbook;
  workbook.date1904 = workbook_xml.date1904;
  for (const WorkbookHandler::Sheet& sheet : workbook_xml.sheets) {
    XlsxSheetInfo info{sheet.name, "", false, sheet.visible};
    if (auto it = rels.by_id.find(sheet.relationship); it != rels.by_id.end()) {
      info.part = ResolvePart(dir, it->second.target);
      info.worksheet = it->second.type == "worksheet";
    }
    workbook.sheets.push_back(std::move(info));
  }

  const auto located = [&](std::string_view type, std::string_view usual) {
    const std::string target = rels.Find(type);
    return ResolvePart(dir, target.empty() ? usual : std::string_view(target));
  };
  if (const std::string part = located("sharedStrings", "sharedStrings.xml");
      archive.Contains(part)) {
    SharedStringsHandler handler(&workbook.shared_strings);
    FH_RETURN_IF_ERROR(ParseXmlMember(archive, part, kXlsxMaxSharedStringsBytes, &handler));
  }
  if (const std::string part = located("styles", "styles.xml"); archive.Contains(part)) {
    StylesHandler styles;
    FH_RETURN_IF_ERROR(ParseXmlMember(archive, part, kXlsxMaxMetadataBytes, &styles));
    for (const int id : styles.cell_format_ids) {
      const auto custom = styles.custom_formats.find(id);
      workbook.cell_formats.push_back(
          custom != styles.custom_formats.end() ? custom->second : BuiltinFormatKind(id));
    }
  }
  return workbook;
}

Result<const XlsxSheetInfo*> FindXlsxSheet(const XlsxWorkbook& workbook, std::string_view name,
                                           std::string_view display_name) {
  const XlsxSheetInfo* found = nullptr;
  if (name.empty()) {
    for (const XlsxSheetInfo& sheet : workbook.sheets) {
      if (sheet.worksheet && (found == nullptr || (sheet.visible && !found->visible))) {
        found = &sheet;
        if (sheet.visible) break;
      }
    }
    if (found == nullptr) return InvalidArgument("{}: the workbook has no worksheet", display_name);
    return found;
  }
  const auto equal_ignoring_case = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  };
  for (const XlsxSheetInfo& sheet : workbook.sheets) {
    if (sheet.name == name) found = &sheet;
  }
  for (const XlsxSheetInfo& sheet : workbook.sheets) {
    if (found == nullptr && equal_ignoring_case(sheet.name, name)) found = &sheet;
  }
  if (found != nullptr && found->worksheet) return found;
  std::string names;
  for (const XlsxSheetInfo& sheet : workbook.sheets) {
    if (!names.empty()) names += ", ";
    names += fmt::format("'{}'{}", sheet.name, sheet.worksheet ? "" : " (not a worksheet)");
  }
  if (found != nullptr) {
    return InvalidArgument(
        "{}: sheet '{}' is not a worksheet (a chart or dialog sheet); the "
        "workbook has: {}",
        display_name, found->name, names);
  }
  return InvalidArgument("{}: no sheet named '{}'; the workbook has: {}", display_name, name,
                         names.empty() ? "no sheets" : names);
}

}  // namespace fh::ingest
