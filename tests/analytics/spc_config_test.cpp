// spc.yaml: characteristics as the CLI, API and demo read them, and errors that say where.
#include "analytics/spc/spc_config.h"

#include "testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fh::analytics::spc {
namespace {

using ::testing::HasSubstr;

TEST(SpcConfigTest, ReadsTagAndInspectionCharacteristics) {
  Result<SpcConfig> c = SpcConfig::Parse(R"(
characteristics:
  - {name: ring, tag: line-3.ring_diameter, subgroup: 5, baseline: 25, lsl: 73.95, usl: 74.05,
     target: 74, revise: true, rules: we, chart: xbar-s}
  - {name: bore, inspection: bore_diameter, equipment: "*/cnc-01"}
  - {name: some, tag: t, rules: [nelson-1, nelson-2, nelson-5]}
)",
                                         "spc.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->characteristics.size(), 3u);
  EXPECT_EQ(c->Find("some")->study.rules, RuleSet::kNelson);
  EXPECT_EQ(c->Find("some")->study.enabled_rules, (std::vector<int>{1, 2, 5}));
  const Characteristic* ring = c->Find("ring");
  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(ring->study.tag, "line-3.ring_diameter");
  EXPECT_EQ(ring->study.subgroup_size, 5);
  EXPECT_EQ(ring->study.baseline, 25u);
  EXPECT_EQ(ring->study.spec.lower, 73.95);
  EXPECT_EQ(ring->study.spec.target, 74);
  EXPECT_TRUE(ring->study.revise);
  EXPECT_EQ(ring->study.rules, RuleSet::kWesternElectric);
  EXPECT_TRUE(ring->study.enabled_rules.empty());
  EXPECT_EQ(ring->study.chart, ChartKind::kXbarS);
  const Characteristic* bore = c->Find("bore");
  ASSERT_NE(bore, nullptr);
  EXPECT_EQ(bore->study.inspection, "bore_diameter");
  EXPECT_EQ(bore->study.equipment, "*/cnc-01");
  EXPECT_EQ(c->Find("nothing"), nullptr);
}

// `ewma:` and `cusum:` turn the charts on with the textbook defaults, or with the
// parameters given; the rest keep theirs.
TEST(SpcConfigTest, ReadsEwmaAndCusum) {
  ASSERT_OK_AND_ASSIGN(SpcConfig c, SpcConfig::Parse("characteristics:\n"
                                                     "  - {name: a, tag: t, ewma: true}\n"
                                                     "  - {name: b, tag: t, cusum: {h: 4}}\n"
                                                     "  - {name: c, tag: t, ewma: false}\n",
                                                     "spc.yaml"));
  ASSERT_EQ(c.characteristics.size(), 3u);
  ASSERT_TRUE(c.characteristics[0].ewma);
  EXPECT_EQ(c.characteristics[0].ewma->lambda, 0.2);
  EXPECT_EQ(c.characteristics[0].ewma->width, 3);
  EXPECT_FALSE(c.characteristics[0].cusum);
  ASSERT_TRUE(c.characteristics[1].cusum);
  EXPECT_EQ(c.characteristics[1].cusum->k, 0.5);
  EXPECT_EQ(c.characteristics[1].cusum->h, 4);
  EXPECT_FALSE(c.characteristics[2].ewma);
  ASSERT_OK_AND_ASSIGN(SpcConfig a,
                       SpcConfig::Parse("characteristics:\n"
                                        "  - {name: seals, inspection: seal_check, chart: u}\n",
                                        "spc.yaml"));
  EXPECT_EQ(a.characteristics[0].attribute, AttributeChart::kU);
}

TEST(SpcConfigTest, ErrorsSayFileLineAndWhat) {
  struct Case {
    const char* yaml;
    const char* says;
  };
  for (const Case& k : {
           Case{"characteristics:\n  - {name: a}\n", "spc.yaml:2: characteristic 'a' needs a tag"},
           Case{"characteristics:\n  - {name: a, tag: t, inspection: i}\n",
                "needs a tag or an inspection (one)"},
           Case{"characteristics:\n  - {name: a, tag: t, subgroup: 0}\n",
                "spc.yaml:2: subgroup must be 1 to 1000"},
           Case{"characteristics:\n  - {name: a, tag: t, chart: pie}\n", "chart: 'pie' is not"},
           Case{"characteristics:\n  - {name: a, tag: t, lsl: 5, usl: 1}\n",
                "lsl must be below usl"},
           Case{"characteristics:\n  - {name: a, tag: t}\n  - {name: a, tag: u}\n",
                "spc.yaml:3: characteristic 'a' is defined twice"},
           Case{"characteristics:\n  - {name: a, tag: t, colour: red}\n",
                "unknown key 'characteristics[0].colour'"},
           Case{"characteristics:\n  - {name: a, inspection: i, subgroup: 5}\n",
                "subgroup goes with tag"},
           Case{"charts: []\n", "spc.yaml:1: unknown key 'charts'"},
           Case{"characteristics:\n  - {name: a, tag: t, rules: [nelson-9]}\n",
                "rules: 'nelson-9' is not a rule (nelson-1 to nelson-8)"},
           Case{"characteristics:\n  - {name: a, tag: t, rules: [nelson-1, we-2]}\n",
                "rules: one set at a time"},
           Case{"characteristics:\n  - {name: a, tag: t, rules: []}\n", "an empty list"},
           Case{"characteristics:\n  - name: a\n    tag: t\n    ewma: {lambda: 1.5}\n",
                "spc.yaml:4: ewma.lambda: 1.5 must be in (0, 1]"},
           Case{"characteristics:\n  - {name: a, tag: t, cusum: {k: 0.5, hh: 4}}\n",
                "unknown key 'cusum.hh'"},
           Case{"characteristics:\n  - {name: a, tag: t, cusum: {h: 0}}\n",
                "cusum.h: 0 must be positive"},
           Case{"characteristics:\n  - {name: a, tag: t, ewma: maybe}\n",
                "ewma: 'maybe' is not true, false or a mapping"},
           Case{"characteristics:\n  - {name: a, tag: t, chart: p}\n",
                "chart: p charts inspections' failed rows, not a tag"},
           Case{"characteristics:\n  - {name: a, inspection: i, chart: np, rules: we}\n",
                "rules does not go with an attribute chart (np)"},
       }) {
    Result<SpcConfig> c = SpcConfig::Parse(k.yaml, "spc.yaml");
    ASSERT_FALSE(c.ok()) << k.yaml;
    EXPECT_THAT(c.status().message(), HasSubstr(k.says)) << k.yaml;
  }
}

}  // namespace
}  // namespace fh::analytics::spc
