// Generates the import benchmark's data: an ERP production-order export (the flat CSV a
// COOIS-style report writes) with 12 columns, and the master data it refers to. Seeded:
// the same arguments give the same bytes.
//
//   fh_gen_erp ROWS SEED > orders.csv           production orders
//   fh_gen_erp --materials SEED > materials.csv  the material master the orders name
//   fh_gen_erp --work-centers > work_centers.csv the plants' work centers (asset paths)
//
// About 1% of the orders are bad in one way an export really goes wrong: an impossible date,
// a status code the mapping does not know, a negative quantity, a material that is not in
// the master, or no finish date. bench/erp_mapping.yaml's rules and casts reject each kind.
#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>

namespace {

constexpr int kMaterials = 20000;
constexpr int64_t kFirstOrder = 1000000;  // order numbers: 12 digits, SAP-style zero padded
constexpr int kFirstMaterial = 100000;

constexpr const char* kPlants[] = {"1000", "1100", "2000"};
constexpr const char* kWorkCenters[] = {"ASM-01", "ASM-02", "CNC-01", "CNC-02",
                                        "CNC-03", "PNT-01", "PCK-01", "QA-01"};
constexpr int kWorkCenterCount = sizeof kWorkCenters / sizeof kWorkCenters[0];

// Status codes with their share of orders: the system status of the order header.
struct Status {
  const char* code;
  int weight;
};
constexpr Status kStatuses[] = {{"CRTD", 10}, {"REL", 35}, {"PCNF", 15}, {"CNF", 15},
                                {"TECO", 20}, {"LKD", 3},  {"DLFL", 2}};

// Units by material: most are piece goods, some are sold by weight or length.
const char* UnitOf(int material) {
  switch (material % 10) {
    case 7:
      return "KG";
    case 9:
      return "M";
    default:
      return "PC";
  }
}

void Date(char* out, size_t size, int64_t day) {
  const time_t t = static_cast<time_t>(day * 86400);
  struct tm tm;
  gmtime_r(&t, &tm);
  std::strftime(out, size, "%Y-%m-%d", &tm);
}

int Materials(uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr const char* kNouns[] = {"Housing", "Shaft",   "Flange", "Bracket", "Gear",
                                           "Cover",   "Bearing", "Valve",  "Pump",    "Cable"};
  static constexpr const char* kTraits[] = {"DN25", "DN50", "steel", "alu", "M8", "M10", "coated"};
  std::printf("code,name,kind,unit\n");
  for (int i = 0; i < kMaterials; ++i) {
    const int m = kFirstMaterial + i;
    const char* kind = i % 5 == 0 ? "product" : i % 5 == 1 ? "intermediate" : "raw";
    // One draw per statement: the order of evaluation of arguments is unspecified.
    const char* noun = kNouns[rng() % 10];
    const char* trait = kTraits[rng() % 7];
    const int size = static_cast<int>(rng() % 900 + 100);
    std::printf("M-%d,%s %s %d,%s,%s\n", m, noun, trait, size, kind, UnitOf(m));
  }
  return 0;
}

// The hub names assets by lower-case path: acme/<plant>/<work center>.
int WorkCenters() {
  std::printf("path,description\n");
  for (const char* plant : kPlants) {
    for (const char* wc : kWorkCenters) {
      char lower[16] = {};
      for (size_t i = 0; wc[i] && i + 1 < sizeof lower; ++i)
        lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(wc[i])));
      std::printf("acme/%s/%s,work center %s of plant %s\n", plant, lower, wc, plant);
    }
  }
  return 0;
}

int Orders(int64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int status_total = 0;
  for (const Status& s : kStatuses)
    status_total += s.weight;
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  std::printf(
      "order_no,order_type,material,plant,work_center,status,planned_qty,good_qty,scrap_qty,"
      "unit,start_date,finish_date\n");
  const int64_t first_day = 20454;  // 2026-01-01
  for (int64_t i = 0; i < rows; ++i) {
    const int material = kFirstMaterial + static_cast<int>(rng() % kMaterials);
    const char* plant = kPlants[rng() % 3];
    const char* wc = kWorkCenters[rng() % kWorkCenterCount];
    int pick = static_cast<int>(rng() % static_cast<uint64_t>(status_total));
    const Status* status = kStatuses;
    while (pick >= status->weight)
      pick -= (status++)->weight;
    const char* u = UnitOf(material);
    const bool piece = std::strcmp(u, "PC") == 0;
    double planned = piece ? static_cast<double>(10 * (1 + rng() % 500))
                           : std::round(unit(rng) * 50000.0) / 10.0 + 1.0;
    // Confirmed yield and scrap grow with the order's progress.
    const double done =
        std::strcmp(status->code, "CRTD") == 0 || std::strcmp(status->code, "REL") == 0 ? 0.0
        : std::strcmp(status->code, "PCNF") == 0 ? unit(rng) * 0.9
                                                 : 0.95 + unit(rng) * 0.05;
    double good = piece ? std::floor(planned * done) : std::round(planned * done * 10.0) / 10.0;
    double scrap = done == 0.0 ? 0.0 : piece ? std::floor(planned * 0.02 * unit(rng)) : 0.0;
    const int64_t start = first_day + static_cast<int64_t>(rng() % 365);
    char start_date[16];
    char finish_date[16];
    Date(start_date, sizeof start_date, start);
    Date(finish_date, sizeof finish_date, start + 1 + static_cast<int64_t>(rng() % 20));
    char material_code[16];
    std::snprintf(material_code, sizeof material_code, "M-%d", material);
    const char* status_code = status->code;

    if (rng() % 100 == 0) {
      switch (rng() % 5) {
        case 0:  // a day the month does not have
          std::snprintf(start_date, sizeof start_date, "2026-02-%02d",
                        29 + static_cast<int>(rng() % 2));
          break;
        case 1:  // a status the mapping's code table does not know
          status_code = "CLSD";
          break;
        case 2:  // a reversal booked as a negative order quantity
          planned = -planned;
          good = 0;
          scrap = 0;
          break;
        case 3:  // a material missing from the master
          std::snprintf(material_code, sizeof material_code, "M-%d",
                        kFirstMaterial + kMaterials + static_cast<int>(rng() % 1000));
          break;
        default:  // no finish date
          finish_date[0] = '\0';
          break;
      }
    }
    const char* order_type = rng() % 20 == 0 ? "PP02" : "PP01";  // rework orders are PP02
    std::printf("%012" PRId64 ",%s,%s,%s,%s,%s,%.10g,%.10g,%.10g,%s,%s,%s\n", kFirstOrder + i,
                order_type, material_code, plant, wc, status_code, planned, good, scrap, u,
                start_date, finish_date);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--materials") == 0) {
    return Materials(std::strtoull(argv[2], nullptr, 10));
  }
  if (argc == 2 && std::strcmp(argv[1], "--work-centers") == 0) return WorkCenters();
  if (argc != 3 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: %s ROWS SEED > orders.csv\n"
                 "       %s --materials SEED > materials.csv\n"
                 "       %s --work-centers > work_centers.csv\n",
                 argv[0], argv[0], argv[0]);
    return 2;
  }
  return Orders(std::strtoll(argv[1], nullptr, 10), std::strtoull(argv[2], nullptr, 10));
}
