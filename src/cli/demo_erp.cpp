#include "cli/demo_erp.h"

#include <fstream>

#include "govern/mapping.h"

namespace fh::cli {
namespace {

constexpr const char* kMapping =
    R"(# The demo plant's ERP material master (docs/mappings.md): Chinese headers and units.
mapping: erp-materials
source:
  system: erp
  object: material_master
entity: material
fields:
  code: { from: 物料编码, case: upper }
  name: 物料名称
  kind:
    from: 物料类型
    map: { 原材料: raw, 半成品: intermediate, 成品: product }
  unit:
    from: 基本单位
    map: { 件: pcs, 千克: kg, 米: m }
  description: 备注
rules:
  - { rule: regex, field: code, pattern: '[A-Z]+-[0-9A-Z-]+' }
  - { rule: not_null, field: name }
  - { rule: unique, field: code }
)";

// The three last rows break a rule each: a code the ERP let someone type with a space, a
// material without a name, and a code given twice.
constexpr const char* kExport =
    "物料编码,物料名称,物料类型,基本单位,备注\n"
    "RM-42CRMO4,42CrMo4 钢棒 42CrMo4 steel bar,原材料,千克,调质钢 quenched and tempered\n"
    "P-100,传动轴 drive shaft,成品,件,line-1\n"
    "P-100-PAL,传动轴托盘 drive shafts palletised,成品,件,\n"
    "RM-COOLANT,切削液 cutting fluid,原材料,千克,\n"
    "TL-BORE-25,镗刀 boring tool 25 mm,原材料,件,刀具 tooling\n"
    "TL BORE 26,镗刀 boring tool 26 mm,原材料,件,刀具 tooling\n"
    "RM-SEAL-50,,原材料,件,名称缺失 name missing\n"
    "RM-COOLANT,切削液 cutting fluid (second entry),原材料,千克,\n";

}  // namespace

Status WriteDemoFile(const std::filesystem::path& path, std::string_view text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return IOError("cannot write {}", path.string());
  return Status::Ok();
}

Result<pipeline::ImportReport> ImportDemoErp(Hub& hub, const std::filesystem::path& dir) {
  const std::filesystem::path mapping_path = dir / kDemoErpMapping;
  const std::filesystem::path export_path = dir / kDemoErpExport;
  FH_RETURN_IF_ERROR(WriteDemoFile(mapping_path, kMapping));
  FH_RETURN_IF_ERROR(WriteDemoFile(export_path, kExport));
  FH_ASSIGN_OR_RETURN(const govern::Mapping mapping,
                      govern::ParseMapping(kMapping, mapping_path.string()));
  return pipeline::ImportFile(hub, mapping, export_path.string(), {});
}

}  // namespace fh::cli
