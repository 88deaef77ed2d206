#include "cli/demo_people.h"

#include <array>
#include <string>
#include <vector>

#include "analytics/people/people_config.h"
#include "cli/demo_erp.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::cli {
namespace {

constexpr const char* kLine1 = "acme/shanghai/machining/line-1";
constexpr const char* kMill = "acme/shanghai/machining/line-2/mill-01";
constexpr int64_t kShanghaiOffsetNs = 8 * kNanosPerHour;  // no daylight saving

// Staffing minimums of the demo plant; the shifts are oee.yaml's.
constexpr const char* kPeopleYaml = R"(# Staffing minimums of the demo plant (docs/people.md).
# The shifts are oee.yaml's (early, late, night); every other qualification a line's
# equipment requires needs two qualified people per shift.
min_per_shift: 2
expiring_within_days: 90
requirements:
  - {qualification: cnc-operation, line: acme/shanghai/machining/line-1, min_per_shift: 3}
  - {qualification: spindle-maintenance, min_per_shift: 1}
  - {qualification: spc, min_per_shift: 1}
)";

struct DemoFile {
  const char* mapping_path;
  const char* mapping;
  const char* export_path;
};

constexpr DemoFile kQualificationsFile = {
    "mappings/hr-qualifications.yaml",
    R"(# The HR system's qualification catalogue (docs/people.md).
mapping: hr-qualifications
source: { system: hr, object: qualification_catalogue }
entity: qualification
fields:
  code: { from: 资质代码, case: lower }
  name: 资质名称
  description: 说明
  operations: 允许工序
)",
    "hr/qualifications.csv"};

constexpr DemoFile kPersonnelFile = {
    "mappings/hr-personnel.yaml",
    R"(# The HR system's employee master (docs/people.md): names are personal data.
mapping: hr-personnel
source: { system: hr, object: employee_master }
entity: personnel
fields:
  code: { from: 工号, case: upper }
  name: { from: 姓名, personal: true }
  site: { value: acme/shanghai }
  active: 在职
  class:
    from: 岗位
    map: { 操作工: operator, 调机员: setter, 维修技师: maintenance technician, 质检员: inspector }
  shift:
    from: 班次
    map: { 早班: early, 中班: late, 夜班: night }
  line:
    from: 产线
    map: { 一线: acme/shanghai/machining/line-1, 二线: acme/shanghai/machining/line-2 }
rules:
  - { rule: regex, field: code, pattern: 'E[0-9]{4}' }
  - { rule: unique, field: code }
)",
    "hr/personnel.csv"};

constexpr DemoFile kCertificatesFile = {
    "mappings/hr-certificates.yaml",
    R"(# The HR system's certificates: who holds which qualification, until when.
mapping: hr-certificates
source: { system: hr, object: certificates, time_zone: Asia/Shanghai }
entity: personnel_qualification
fields:
  personnel: { from: 工号, case: upper }
  qualification: { from: 资质代码, case: lower }
  certificate: { from: 证书编号, personal: true }
  valid_from: { from: 发证日期, format: "%Y/%m/%d" }
  valid_to: { from: 有效期至, format: "%Y/%m/%d" }
)",
    "hr/certificates.csv"};

constexpr DemoFile kRequirementsFile = {
    "mappings/mes-qualification-requirements.yaml",
    R"(# The MES's qualification requirements: a machine's are what whoever runs it must hold; a
# line's are what each of its shifts needs on hand (docs/people.md).
mapping: mes-qualification-requirements
source: { system: mes, object: qualification_requirements }
entity: equipment_qualification
fields:
  equipment: { from: 设备, template: "acme/shanghai/machining/{value}" }
  qualification: { from: 资质代码, case: lower }
)",
    "mes/qualification_requirements.csv"};

constexpr DemoFile kOperatorsFile = {
    "mappings/mes-work-order-operators.yaml",
    R"(# The MES's record of who ran which work order (docs/people.md).
mapping: mes-work-order-operators
source: { system: mes, object: work_order_operators }
entity: work_order_operator
fields:
  work_order: 工单号
  personnel: { from: 工号, case: upper }
  from_ts: 开始时间
  to_ts: 结束时间
)",
    "mes/work_order_operators.csv"};

constexpr const char* kQualificationsCsv =
    "资质代码,资质名称,说明,允许工序\n"
    "CNC-OPERATION,CNC operation 数控操作,run a CNC lathe or machining centre,\"turning, boring, "
    "load-unload\"\n"
    "TOOL-SETTING,Tool setting 刀具预调,change tools and set offsets,\"tool-change, tool-offset, "
    "first-article\"\n"
    "SPC,SPC measurement 统计过程控制,measure bores and burrs and keep the control charts,"
    "\"bore-inspection, burr-check\"\n"
    "SPINDLE-MAINTENANCE,Spindle maintenance 主轴维护,service spindles and change bearings,"
    "\"spindle-service, bearing-change\"\n"
    "MILLING,Milling 铣削,run the milling machine,milling\n"
    "FORKLIFT,Forklift licence 叉车证,move pallets and steel bars,forklift\n";

// Machines' requirements (what an operator must hold) and lines' (each shift needs on hand).
constexpr const char* kRequirementsCsv =
    "设备,资质代码\n"
    "line-1/cnc-01,cnc-operation\n"
    "line-1/cnc-02,cnc-operation\n"
    "line-1/cnc-03,cnc-operation\n"
    "line-1/cnc-04,cnc-operation\n"
    "line-1,tool-setting\n"
    "line-1,spindle-maintenance\n"
    "line-1,spc\n"
    "line-2/mill-01,milling\n"
    "line-2,spindle-maintenance\n";

struct DemoPerson {
  const char* code;
  const char* name;
  const char* role;   // 岗位
  const char* shift;  // 班次
  const char* line;   // 产线
  bool active;
};

constexpr std::array<DemoPerson, 25> kPeople = {{
    {"E1001", "王强", "操作工", "早班", "一线", true},
    {"E1002", "李娜", "操作工", "早班", "一线", true},
    {"E1003", "张伟", "操作工", "早班", "一线", true},
    {"E1004", "刘洋", "调机员", "早班", "一线", true},
    {"E1005", "陈杰", "维修技师", "早班", "一线", true},
    {"E1006", "杨敏", "质检员", "早班", "一线", true},
    {"E1007", "赵磊", "操作工", "中班", "一线", true},
    {"E1008", "黄静", "操作工", "中班", "一线", true},
    {"E1009", "周涛", "操作工", "中班", "一线", true},
    {"E1010", "吴刚", "调机员", "中班", "一线", true},
    {"E1011", "徐丽", "维修技师", "中班", "一线", true},
    {"E1012", "孙超", "质检员", "中班", "一线", true},
    {"E1013", "马鹏", "操作工", "夜班", "一线", true},
    {"E1014", "朱琳", "操作工", "夜班", "一线", true},
    {"E1015", "胡斌", "操作工", "夜班", "一线", true},
    {"E1016", "郭峰", "调机员", "夜班", "一线", true},
    {"E1017", "何勇", "维修技师", "夜班", "一线", true},
    {"E1018", "高洁", "质检员", "夜班", "一线", true},
    {"E1019", "罗军", "操作工", "夜班", "一线", false},  // left the company
    {"E2001", "林峰", "操作工", "早班", "二线", true},
    {"E2002", "郑云", "维修技师", "早班", "二线", true},
    {"E2003", "谢飞", "操作工", "中班", "二线", true},
    {"E2004", "罗兰", "操作工", "中班", "二线", true},
    {"E2005", "梁宇", "操作工", "夜班", "二线", true},
    {"E2006", "宋佳", "操作工", "夜班", "二线", true},
}};

// A certificate: issued `from_days` and ending `to_days` from today (0: no expiry).
struct DemoCertificate {
  const char* person;
  const char* qualification;
  int from_days;
  int to_days;
};

constexpr int kLong = 700;  // a certificate renewed recently: ends in about two years
constexpr std::array<DemoCertificate, 46> kCertificates = {{
    {"E1001", "CNC-OPERATION", -400, kLong},
    {"E1001", "FORKLIFT", -900, 0},
    {"E1002", "CNC-OPERATION", -300, kLong},
    {"E1002", "SPC", -200, kLong},
    {"E1003", "CNC-OPERATION", -500, kLong},
    {"E1003", "TOOL-SETTING", -250, kLong},
    {"E1004", "CNC-OPERATION", -800, kLong},
    {"E1004", "TOOL-SETTING", -600, kLong},
    {"E1005", "SPINDLE-MAINTENANCE", -365, kLong},
    {"E1005", "CNC-OPERATION", -700, kLong},
    {"E1006", "SPC", -150, kLong},
    {"E1007", "CNC-OPERATION", -705, 25},  // expiring
    {"E1008", "CNC-OPERATION", -100, kLong},
    {"E1008", "SPC", -90, kLong},
    {"E1009", "CNC-OPERATION", -420, kLong},
    {"E1010", "CNC-OPERATION", -900, kLong},
    {"E1010", "TOOL-SETTING", -670, 60},  // expiring: the late shift's only setter
    {"E1011", "SPINDLE-MAINTENANCE", -200, kLong},
    {"E1012", "SPC", -650, 80},  // expiring
    {"E1013", "CNC-OPERATION", -330, kLong},
    {"E1013", "FORKLIFT", -500, 0},
    {"E1014", "CNC-OPERATION", -210, kLong},
    {"E1015", "CNC-OPERATION", -742, -12},  // expired, still on the rota
    {"E1016", "CNC-OPERATION", -1000, kLong},
    {"E1016", "TOOL-SETTING", -800, kLong},
    {"E1016", "SPC", -300, kLong},
    {"E1017", "CNC-OPERATION", -460, kLong},
    {"E1017", "SPINDLE-MAINTENANCE", -770, -40},  // expired: night shift has nobody
    {"E1018", "SPC", -120, kLong},
    {"E1018", "SPINDLE-MAINTENANCE", 14, 744},  // training booked: valid in two weeks
    {"E1019", "CNC-OPERATION", -600, kLong},    // inactive: counts nowhere
    {"E2001", "MILLING", -380, kLong},
    {"E2002", "SPINDLE-MAINTENANCE", -280, kLong},
    {"E2002", "MILLING", -560, kLong},
    {"E2003", "MILLING", -240, kLong},
    {"E2004", "MILLING", -685, 45},  // expiring
    {"E2005", "MILLING", -180, kLong},
    {"E2006", "MILLING", -90, kLong},
    {"E2006", "FORKLIFT", -300, 0},
    {"E1002", "FORKLIFT", -120, 0},
    {"E1009", "SPC", -60, kLong},
    {"E1014", "SPC", -500, kLong},
    {"E2001", "SPC", -100, kLong},
    {"E2005", "SPINDLE-MAINTENANCE", -30, kLong},
    {"E1005", "TOOL-SETTING", -400, kLong},
    {"E1099", "CNC-OPERATION", -50, kLong},  // a contractor HR does not know: quarantined
}};

// The local date `days` from `now` in Shanghai, as the HR export writes it: 2026/12/05.
std::string LocalDate(TimestampNs now, int days) {
  std::string d = FormatRfc3339(now + kShanghaiOffsetNs + days * kNanosPerDay).substr(0, 10);
  for (char& c : d) {
    if (c == '-') c = '/';
  }
  return d;
}

std::string PersonnelCsv() {
  std::string csv = "工号,姓名,岗位,班次,产线,在职\n";
  for (const DemoPerson& p : kPeople) {
    csv += fmt::format("{},{},{},{},{},{}\n", p.code, p.name, p.role, p.shift, p.line,
                       p.active ? "是" : "否");
  }
  return csv;
}

std::string CertificatesCsv(TimestampNs now) {
  std::string csv = "工号,资质代码,证书编号,发证日期,有效期至\n";
  int n = 0;
  for (const DemoCertificate& c : kCertificates) {
    const std::string issued = LocalDate(now, c.from_days);
    csv += fmt::format("{},{},{}-{}-{:04d},{},{}\n", c.person, c.qualification,
                       std::string_view(c.qualification).substr(0, 3), issued.substr(0, 4), ++n,
                       issued, c.to_days == 0 ? "" : LocalDate(now, c.to_days));
  }
  return csv;
}

Result<pipeline::ImportReport> ImportPeopleFile(Hub& hub, const std::filesystem::path& dir,
                                                const DemoFile& file, const std::string& text) {
  const std::filesystem::path mapping_path = dir / file.mapping_path;
  const std::filesystem::path export_path = dir / file.export_path;
  FH_RETURN_IF_ERROR(WriteDemoFile(mapping_path, file.mapping));
  FH_RETURN_IF_ERROR(WriteDemoFile(export_path, text));
  FH_ASSIGN_OR_RETURN(const govern::Mapping mapping,
                      govern::ParseMapping(file.mapping, mapping_path.string()));
  return pipeline::ImportFile(hub, mapping, export_path.string(), {});
}

// Who ran line 1's work orders that started in the 8 hours before `until`: the operators of
// the shift, one a machine (the setter on cnc-04); on the newest order of cnc-02 the
// inspector stood in during a break, without the CNC certificate.
Result<std::string> OperatorsCsv(Hub& hub, TimestampNs until) {
  static constexpr std::array<std::array<const char*, 4>, 3> kCrew = {{
      {"E1001", "E1002", "E1003", "E1004"},  // early, 06:00-14:00
      {"E1007", "E1008", "E1009", "E1010"},  // late, 14:00-22:00
      {"E1013", "E1014", "E1015", "E1016"},  // night, 22:00-06:00
  }};
  static constexpr std::array<const char*, 3> kInspector = {"E1006", "E1012", "E1018"};
  CatalogSession session = hub.OpenCatalog();
  Catalog& catalog = session.catalog();
  WorkOrderFilter filter;
  filter.range = TimeRange{until - 8 * kNanosPerHour, until + 1};
  FH_ASSIGN_OR_RETURN(const std::vector<WorkOrder> orders, catalog.ListWorkOrders(filter));
  std::string csv = "工单号,工号,开始时间,结束时间\n";
  const WorkOrder* newest_cnc02 = nullptr;
  for (const WorkOrder& wo : orders) {
    if (!wo.equipment_id || !wo.actual_start) continue;
    FH_ASSIGN_OR_RETURN(const Asset machine, catalog.GetAsset(*wo.equipment_id));
    if (machine.path.rfind(std::string(kLine1) + "/cnc-0", 0) != 0) continue;
    const int index = machine.path.back() - '1';
    if (index < 0 || index > 3) continue;
    const int hour =
        static_cast<int>(((*wo.actual_start + kShanghaiOffsetNs) / kNanosPerHour) % 24);
    const int shift = hour >= 6 && hour < 14 ? 0 : (hour >= 14 && hour < 22 ? 1 : 2);
    const std::string end = wo.actual_end ? FormatRfc3339(*wo.actual_end) : "";
    csv += fmt::format("{},{},{},{}\n", wo.number, kCrew[shift][index],
                       FormatRfc3339(*wo.actual_start), end);
    if (index == 1 && (!newest_cnc02 || *wo.actual_start > *newest_cnc02->actual_start)) {
      newest_cnc02 = &wo;
    }
  }
  if (newest_cnc02) {
    const int hour =
        static_cast<int>(((*newest_cnc02->actual_start + kShanghaiOffsetNs) / kNanosPerHour) % 24);
    const int shift = hour >= 6 && hour < 14 ? 0 : (hour >= 14 && hour < 22 ? 1 : 2);
    csv += fmt::format("{},{},{},\n", newest_cnc02->number, kInspector[shift],
                       FormatRfc3339(*newest_cnc02->actual_start + 20 * kNanosPerMinute));
  }
  return csv;
}

}  // namespace

Result<DemoPeople> ImportDemoPeople(Hub& hub, const std::filesystem::path& dir, TimestampNs now,
                                    TimestampNs until) {
  DemoPeople out;
  bool any_people = false;
  {
    CatalogSession session = hub.OpenCatalog();
    // Line 2's mill, whose requirements the MES lists, before the failure model's data names it.
    FH_RETURN_IF_ERROR(
        session.catalog().CreateAssetPath(kMill, Lineage{"demo", "plant", {}, {}, {}}).status());
    FH_ASSIGN_OR_RETURN(const std::vector<Personnel> people, session.catalog().ListPersonnel());
    any_people = !people.empty();
  }
  if (!any_people) {
    FH_RETURN_IF_ERROR(WriteDemoFile(dir / analytics::people::kPeopleConfigFile, kPeopleYaml));
    FH_RETURN_IF_ERROR(
        ImportPeopleFile(hub, dir, kQualificationsFile, kQualificationsCsv).status());
    FH_ASSIGN_OR_RETURN(const pipeline::ImportReport people,
                        ImportPeopleFile(hub, dir, kPersonnelFile, PersonnelCsv()));
    FH_ASSIGN_OR_RETURN(const pipeline::ImportReport certificates,
                        ImportPeopleFile(hub, dir, kCertificatesFile, CertificatesCsv(now)));
    FH_ASSIGN_OR_RETURN(const pipeline::ImportReport requirements,
                        ImportPeopleFile(hub, dir, kRequirementsFile, kRequirementsCsv));
    out.people = people.accepted;
    out.certificates = certificates.accepted;
    out.quarantined = people.quarantined + certificates.quarantined + requirements.quarantined;
    out.imported = true;
  }
  FH_ASSIGN_OR_RETURN(const std::string operators, OperatorsCsv(hub, until));
  FH_ASSIGN_OR_RETURN(const pipeline::ImportReport assigned,
                      ImportPeopleFile(hub, dir, kOperatorsFile, operators));
  out.assignments = assigned.accepted;
  return out;
}

}  // namespace fh::cli
