// Controls specs: what a valid one holds, and errors that name the file, line, column and
// field of what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optimize/setpoint/controls_spec.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using optimize::setpoint::ControlsSpec;
using optimize::setpoint::Objective;
using optimize::setpoint::ParseControlsSpec;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(SetpointSpecTest, ReadsEveryPart) {
  ASSERT_OK_AND_ASSIGN(const ControlsSpec s, ParseControlsSpec(R"(
model: ai4i-machine-failure@2
controls:
  - { name: rotational_speed_rpm, min: 1200, max: 2400, step: 10, current: 1500 }
  - { name: torque_Nm, min: 20, max: 70, limits: { lower: 25, upper: 60 } }
  - { name: product_variant, min: 0, max: 2, integer: true }
context:
  equipment: acme/line-2/mill-01
  values: { tool_wear_min: 30 }
objective: { minimize: risk, weight: 2 }
terms:
  - { name: energy_kW, minimize: "torque_Nm * rotational_speed_rpm / 9549", weight: 0.01 }
constraints:
  - { name: power_floor, expr: "torque_Nm * rotational_speed_rpm * 2 * pi / 60", min: 6000 }
search: { method: derivative-free, evaluations: 800, seed: 7 }
)",
                                                               "c.yaml"));
  EXPECT_EQ(s.model, "ai4i-machine-failure@2");
  ASSERT_EQ(s.controls.size(), 3u);
  EXPECT_EQ(*s.controls[0].step, 10);
  EXPECT_EQ(*s.controls[0].current, 1500);
  EXPECT_EQ(s.controls[1].lower(), 25);
  EXPECT_EQ(s.controls[1].upper(), 60);
  EXPECT_TRUE(s.controls[2].integer);
  EXPECT_EQ(*s.controls[2].step, 1);
  EXPECT_EQ(s.equipment, "acme/line-2/mill-01");
  EXPECT_EQ(s.context.at("tool_wear_min"), 30);
  EXPECT_EQ(s.objective.goal, Objective::Goal::kMinimize);
  EXPECT_EQ(s.objective.weight, 2);
  ASSERT_EQ(s.terms.size(), 1u);
  EXPECT_FALSE(s.terms[0].maximize);
  ASSERT_EQ(s.constraints.size(), 1u);
  EXPECT_EQ(*s.constraints[0].min, 6000);
  EXPECT_FALSE(s.constraints[0].max);
  EXPECT_EQ(s.search.evaluations, 800);
  EXPECT_EQ(s.search.seed, 7u);
}

TEST(SetpointSpecTest, JsonIsASpecToo) {
  ASSERT_OK_AND_ASSIGN(
      const ControlsSpec s,
      ParseControlsSpec(R"({"model": "m", "controls": [{"name": "a", "min": 0, "max": 1}],
                                             "objective": {"target": 4.5}})",
                        "request body"));
  EXPECT_EQ(s.objective.goal, Objective::Goal::kTarget);
  EXPECT_EQ(s.objective.target, 4.5);
}

struct BadSpec {
  const char* text;
  const char* error;  // the message starts with it
};

TEST(SetpointSpecTest, ErrorsSayFileLineAndField) {
  const BadSpec cases[] = {
      {"controls:\n  - { name: a, min: 5, max: 1 }\n",
       "c.yaml:2:21: controls[0] (a): min 5 is above max 1"},
      {"controls:\n  - { name: a, min: 0 }\n",
       "c.yaml:2:5: controls[0] (a): missing 'min' or 'max'"},
      {"model: m\n", "c.yaml:1:1: missing 'controls'"},
      {"controls:\n  - { name: a, min: 0, max: 1, stepp: 2 }\n",
       "c.yaml:2:32: controls[0]: unknown key 'stepp'"},
      {"controls:\n  - { name: a, min: 0, max: one }\n",
       "c.yaml:2:29: controls[0] (a): max: expected a number"},
      {"controls:\n  - { name: a, min: 0, max: 1 }\n  - { name: a, min: 0, max: 1 }\n",
       "c.yaml:3:13: controls[1]: 'a' is listed twice"},
      {"controls: [{ name: a, min: 0, max: 1 }]\nconstraints:\n  - { name: p, expr: \"a * \", min: "
       "1 }\n",
       "c.yaml:3:22: constraints[0] (p): expr: expression 'a * ': column 5"},
      {"controls: [{ name: a, min: 0, max: 1 }]\nconstraints:\n  - { name: p, expr: a }\n",
       "c.yaml:3:5: constraints[0] (p): give min, max or both"},
      {"controls: [{ name: a, min: 0, max: 1 }]\nobjective: { minimize: cost }\n",
       "c.yaml:2:24: objective: minimize: 'cost'"},
      {"controls: [{ name: a, min: 0, max: 1 }]\ncontext: { values: { a: 3 } }\n",
       "c.yaml:2:22: context: values: 'a' is a control"},
      {"controls: [{ name: a, min: 0, max: 1, limits: [2, 3] }]\n",
       "c.yaml:1:47: controls[0] (a): limits leave nothing of [0, 1] to search"},
      {"controls: [{ name: a, min: 0, max: 1 }]\nsearch: { method: newton }\n",
       "c.yaml:2:19: search: method: unknown 'newton'"},
      {"controls: [{ name: a, min: 0, max: 1 }\n", "c.yaml:2:1:"},
  };
  for (const BadSpec& c : cases) {
    SCOPED_TRACE(c.text);
    Result<ControlsSpec> r = ParseControlsSpec(c.text, "c.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), StartsWith(c.error));
  }
}

}  // namespace
}  // namespace fh::testing
