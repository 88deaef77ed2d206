// docs/model.md lists every field a mapping can target, as govern/entity_schema.cpp defines
// them: the table is checked here, so the docs cannot drift from the code. On a mismatch
// the test prints the table to paste.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "govern/entity_schema.h"
#include "testing/source_dir.h"

namespace fh::govern {
namespace {

std::string FieldsTable() {
  std::string out =
      "| entity | field | type | required | refers to | natural key |\n"
      "|---|---|---|---|---|---|\n";
  for (const EntityDef& e : Entities()) {
    for (const FieldDef& f : e.fields) {
      std::string type(ToString(f.type));
      if (f.type == FieldType::kEnum) {
        type += ":";
        for (std::string_view v : f.enum_values)
          type += " " + std::string(v);
      }
      const bool key = std::find(e.key.begin(), e.key.end(), f.name) != e.key.end();
      std::string required = f.required ? "yes" : "";
      if (!f.default_value.empty())
        required += (required.empty() ? "default " : ", default ") + std::string(f.default_value);
      out += "| " + std::string(e.name) + " | `" + std::string(f.name) + "` | " + type + " | " +
             required + " | " + std::string(f.ref_entity) + " | " + (key ? "yes" : "") + " |\n";
    }
  }
  return out;
}

TEST(ModelDocTest, ListsEveryImportableField) {
  std::ifstream in(testing::SourceDir() / "docs" / "model.md");
  ASSERT_TRUE(in);
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string table = FieldsTable();
  EXPECT_NE(doc.str().find(table), std::string::npos)
      << "docs/model.md should contain this table (section Importable fields):\n"
      << table;
}

}  // namespace
}  // namespace fh::govern
