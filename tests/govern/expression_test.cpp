#include "govern/expression.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace fh::govern {
namespace {

using Values = std::map<std::string, std::optional<double>>;

// Compiles text and evaluates it with the named values (names not given are null).
std::optional<double> Eval(std::string_view text, const Values& values = {}) {
  Result<Expression> e = Expression::Compile(text);
  EXPECT_OK(e) << text << ": " << e.status().ToString();
  if (!e.ok()) return std::nullopt;
  std::vector<std::optional<double>> bound;
  for (const std::string& name : e->variables()) {
    const auto it = values.find(name);
    bound.push_back(it == values.end() ? std::nullopt : it->second);
  }
  return e->Evaluate(bound);
}

std::string CompileError(std::string_view text) {
  Result<Expression> e = Expression::Compile(text);
  EXPECT_FALSE(e.ok()) << text;
  return e.ok() ? "" : e.status().message();
}

TEST(ExpressionTest, Arithmetic) {
  EXPECT_EQ(Eval("1 + 2"), 3);
  EXPECT_EQ(Eval("good_qty + scrap_qty", {{"good_qty", 95}, {"scrap_qty", 5}}), 100);
  EXPECT_EQ(Eval("7 % 3"), 1);
  EXPECT_EQ(Eval("-7 % 3"), -1);  // fmod: the sign of the left side
  EXPECT_EQ(Eval("7.5 % 2"), 1.5);
  EXPECT_EQ(Eval("1 / 4"), 0.25);
  EXPECT_EQ(Eval(".5 + 1e3 + 2.5E-1 + 1.e1"), 1010.75);
  EXPECT_NEAR(*Eval("(torque * rpm) * 2 * pi / 60", {{"torque", 10}, {"rpm", 1500}}),
              10 * 1500 * 2 * M_PI / 60, 1e-9);
  EXPECT_EQ(Eval("round(weight_g / 1000, 3)", {{"weight_g", 12345.6789}}), 12.346);
}

TEST(ExpressionTest, Precedence) {
  EXPECT_EQ(Eval("1 + 2 * 3"), 7);
  EXPECT_EQ(Eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(Eval("2 * 3 % 4"), 2);
  EXPECT_EQ(Eval("1 + 2 < 4"), 1);
  EXPECT_EQ(Eval("1 < 2 == 2 < 3"), 1);
  EXPECT_EQ(Eval("1 || 0 && 0"), 1);  // && binds tighter
  EXPECT_EQ(Eval("(1 || 0) && 0"), 0);
  EXPECT_EQ(Eval("!0 + 1"), 2);  // unary binds tightest
  EXPECT_EQ(Eval("-2 * 3"), -6);
  EXPECT_EQ(Eval("2 * -3"), -6);
  EXPECT_EQ(Eval("- - 2"), 2);
  EXPECT_EQ(Eval("+2"), 2);
  EXPECT_EQ(Eval("1 - -1"), 2);
  EXPECT_EQ(Eval("3 > 2 > 1"), 0);  // (3 > 2) > 1
  EXPECT_EQ(Eval("!a", {{"a", 5}}), 0);
  EXPECT_EQ(Eval("!(a == 5)", {{"a", 5}}), 0);
  EXPECT_EQ(Eval("1 != 2"), 1);
}

TEST(ExpressionTest, LeftAssociative) {
  EXPECT_EQ(Eval("10 - 4 - 3"), 3);
  EXPECT_EQ(Eval("a - b - c", {{"a", 10}, {"b", 4}, {"c", 3}}), 3);
  EXPECT_EQ(Eval("64 / 8 / 2"), 4);
  EXPECT_EQ(Eval("a / b / c", {{"a", 64}, {"b", 8}, {"c", 2}}), 4);
  EXPECT_EQ(Eval("20 % 7 % 4"), 2);
}

TEST(ExpressionTest, Comparisons) {
  EXPECT_EQ(Eval("1 < 2"), 1);
  EXPECT_EQ(Eval("2 <= 2"), 1);
  EXPECT_EQ(Eval("3 > 2"), 1);
  EXPECT_EQ(Eval("2 >= 3"), 0);
  EXPECT_EQ(Eval("if(status == 3, 1, 0)", {{"status", 3}}), 1);
  EXPECT_EQ(Eval("if(status == 3, 1, 0)", {{"status", 2}}), 0);
  EXPECT_EQ(Eval("a > 0 && a < 10", {{"a", 5}}), 1);
  EXPECT_EQ(Eval("a < 0 || a > 10", {{"a", 5}}), 0);
}

TEST(ExpressionTest, Functions) {
  EXPECT_EQ(Eval("abs(-2.5)"), 2.5);
  EXPECT_EQ(Eval("floor(-2.5)"), -3);
  EXPECT_EQ(Eval("ceil(2.1)"), 3);
  EXPECT_EQ(Eval("sqrt(16)"), 4);
  EXPECT_EQ(Eval("pow(2, 10)"), 1024);
  EXPECT_NEAR(*Eval("ln(e)"), 1, 1e-15);
  EXPECT_EQ(Eval("log10(1000)"), 3);
  EXPECT_EQ(Eval("exp(0)"), 1);
  EXPECT_EQ(Eval("round(2.5)"), 3);  // half away from zero
  EXPECT_EQ(Eval("round(-2.5)"), -3);
  EXPECT_EQ(Eval("round(1.23456, 2)"), 1.23);
  EXPECT_EQ(Eval("round(1234.5, -2)"), 1200);
  EXPECT_EQ(Eval("round(1.005, 2)"), 1);  // the binary value is below 1.005
  EXPECT_EQ(Eval("round(-1.25, 1)"), -1.3);
  EXPECT_EQ(Eval("round(1e300, 5)"), 1e300);
  EXPECT_EQ(Eval("round(x, 30)", {{"x", 0.1}}), 0.1);
  EXPECT_EQ(Eval("min(3, 1, 2)"), 1);
  EXPECT_EQ(Eval("max(3, 1, 2)"), 3);
  EXPECT_EQ(Eval("min(a)", {{"a", 4}}), 4);
  EXPECT_EQ(Eval("max(a, b)", {{"a", -1}, {"b", -2}}), -1);
  EXPECT_EQ(Eval("if(a, 10, 20)", {{"a", 0.5}}), 10);
  EXPECT_EQ(Eval("if(a, 10, 20)", {{"a", 0}}), 20);
  EXPECT_EQ(Eval("coalesce(a, b, 7)", {{"b", 3}}), 3);
  EXPECT_EQ(Eval("coalesce(a, b, 7)"), 7);
  EXPECT_NEAR(*Eval("pi"), M_PI, 0);
  EXPECT_NEAR(*Eval("e"), M_E, 0);
  EXPECT_EQ(Eval("round (2.4)"), 2);  // space before '('
}

TEST(ExpressionTest, NamesAndVariables) {
  Result<Expression> e = Expression::Compile(
      "machine.speed * `Air temperature [K]` + machine.speed - `a``b` + _x1 + 温度 + min + `pi`");
  ASSERT_OK(e);
  const std::vector<std::string> expected = {
      "machine.speed", "Air temperature [K]", "a`b", "_x1", "温度", "min", "pi"};
  EXPECT_EQ(e->variables(), expected);
  const std::optional<double> values[] = {2, 3, 1, 1, 1, 1, 1};
  EXPECT_EQ(e->Evaluate(values), 2 * 3 + 2 - 1 + 1 + 1 + 1 + 1);
  EXPECT_EQ(e->text(),
            "machine.speed * `Air temperature [K]` + machine.speed - `a``b` + _x1 + 温度 + min + "
            "`pi`");
}

TEST(ExpressionTest, Nulls) {
  EXPECT_EQ(Eval("a + 1"), std::nullopt);
  EXPECT_EQ(Eval("-a"), std::nullopt);
  EXPECT_EQ(Eval("!a"), std::nullopt);
  EXPECT_EQ(Eval("a < 1"), std::nullopt);
  EXPECT_EQ(Eval("a == a"), std::nullopt);
  EXPECT_EQ(Eval("abs(a)"), std::nullopt);
  EXPECT_EQ(Eval("round(a, 2)"), std::nullopt);
  EXPECT_EQ(Eval("round(1.5, a)"), std::nullopt);
  EXPECT_EQ(Eval("min(1, a, 0)"), std::nullopt);
  EXPECT_EQ(Eval("max(a, 1)"), std::nullopt);
  EXPECT_EQ(Eval("if(a, 1, 2)"), std::nullopt);
  EXPECT_EQ(Eval("if(1, 2, a)"), 2);  // the branch not taken
  EXPECT_EQ(Eval("if(0, a, 3)"), 3);
  EXPECT_EQ(Eval("if(1, a, 3)"), std::nullopt);
  EXPECT_EQ(Eval("coalesce(a, b)"), std::nullopt);
  EXPECT_EQ(Eval("0 && a"), 0);  // known regardless of a
  EXPECT_EQ(Eval("a && 0"), 0);
  EXPECT_EQ(Eval("1 && a"), std::nullopt);
  EXPECT_EQ(Eval("1 || a"), 1);
  EXPECT_EQ(Eval("a || 1"), 1);
  EXPECT_EQ(Eval("0 || a"), std::nullopt);
  // Non-finite results are null.
  EXPECT_EQ(Eval("1 / 0"), std::nullopt);
  EXPECT_EQ(Eval("a / b", {{"a", 1}, {"b", 0}}), std::nullopt);
  EXPECT_EQ(Eval("a % b", {{"a", 1}, {"b", 0}}), std::nullopt);
  EXPECT_EQ(Eval("coalesce(1 / 0, 5)"), 5);
  EXPECT_EQ(Eval("sqrt(-1)"), std::nullopt);
  EXPECT_EQ(Eval("ln(0)"), std::nullopt);
  EXPECT_EQ(Eval("log10(-1)"), std::nullopt);
  EXPECT_EQ(Eval("exp(1000)"), std::nullopt);
  EXPECT_EQ(Eval("a * a", {{"a", 1e200}}), std::nullopt);
  EXPECT_EQ(Eval("pow(0, -1)"), std::nullopt);
  EXPECT_EQ(Eval("pow(1, a)"), std::nullopt);  // IEEE 754 says 1
  EXPECT_EQ(Eval("pow(a, 0)"), std::nullopt);
  EXPECT_EQ(Eval("a + 1", {{"a", INFINITY}}), std::nullopt);
  EXPECT_EQ(Eval("coalesce(a, 2)", {{"a", NAN}}), 2);
}

TEST(ExpressionTest, EvaluateChecksTheValueCount) {
  Result<Expression> e = Expression::Compile("a + b");
  ASSERT_OK(e);
  const std::optional<double> one[] = {1};
  EXPECT_EQ(e->Evaluate(one), std::nullopt);
  EXPECT_EQ(Expression().Evaluate({}), std::nullopt);
  // Extra values are ignored.
  const std::optional<double> three[] = {1, 2, 3};
  EXPECT_EQ(e->Evaluate(three), 3);
}

TEST(ExpressionTest, ErrorsSayWhere) {
  EXPECT_EQ(CompileError("a + * b"), "expression 'a + * b': column 5: expected a value");
  EXPECT_EQ(CompileError(""), "expression '': column 1: empty expression");
  EXPECT_EQ(CompileError("  "), "expression '  ': column 1: empty expression");
  EXPECT_EQ(CompileError("a +"), "expression 'a +': column 4: expected a value, found the end");
  EXPECT_EQ(CompileError("a b"), "expression 'a b': column 3: expected an operator");
  EXPECT_EQ(CompileError("(a + b"), "expression '(a + b': column 7: expected ')', found the end");
  EXPECT_EQ(CompileError("a + b)"), "expression 'a + b)': column 6: unmatched ')'");
  EXPECT_EQ(CompileError("a = 1"),
            "expression 'a = 1': column 3: '=' is not an operator (use '==')");
  EXPECT_EQ(CompileError("a & b"),
            "expression 'a & b': column 3: '&' is not an operator (use '&&')");
  EXPECT_EQ(CompileError("a | b"),
            "expression 'a | b': column 3: '|' is not an operator (use '||')");
  EXPECT_EQ(CompileError("a ^ 2"),
            "expression 'a ^ 2': column 3: '^' is not an operator (use pow(x, y))");
  EXPECT_EQ(CompileError("foo(1)"), "expression 'foo(1)': column 1: unknown function 'foo'");
  EXPECT_EQ(CompileError("1 + round(1, 2, 3)"),
            "expression '1 + round(1, 2, 3)': column 5: function 'round' takes 1 or 2 "
            "arguments, got 3");
  EXPECT_EQ(CompileError("pow(2)"),
            "expression 'pow(2)': column 1: function 'pow' takes 2 arguments, got 1");
  EXPECT_EQ(CompileError("abs()"),
            "expression 'abs()': column 1: function 'abs' takes 1 argument, got 0");
  EXPECT_EQ(CompileError("min()"),
            "expression 'min()': column 1: function 'min' takes at least 1 argument, got 0");
  EXPECT_EQ(CompileError("max(1 2)"), "expression 'max(1 2)': column 7: expected ',' or ')'");
  EXPECT_EQ(CompileError("a + `b c"), "expression 'a + `b c': column 5: unterminated `name`");
  EXPECT_EQ(CompileError("``"), "expression '``': column 1: empty name in backquotes");
  EXPECT_EQ(CompileError("1.2.3"), "expression '1.2.3': column 4: malformed number");
  EXPECT_EQ(CompileError("2x"), "expression '2x': column 2: malformed number");
  EXPECT_EQ(CompileError("1e999"), "expression '1e999': column 1: number out of range");
  EXPECT_EQ(CompileError("a # b"), "expression 'a # b': column 3: expected an operator");
  EXPECT_EQ(CompileError("#"), "expression '#': column 1: expected a value");
  EXPECT_EQ(CompileError("()"), "expression '()': column 2: expected a value");
}

TEST(ExpressionTest, Limits) {
  std::string deep(Expression::kMaxNesting + 1, '(');
  deep += "1" + std::string(Expression::kMaxNesting + 1, ')');
  EXPECT_NE(CompileError(deep).find("nested more than 100 levels deep"), std::string::npos);
  std::string ok(Expression::kMaxNesting, '(');
  ok += "a" + std::string(Expression::kMaxNesting, ')');
  EXPECT_EQ(Eval(ok, {{"a", 1}}), 1);

  // a0 + (a1 + (a2 + ...)) keeps every left operand pending.
  std::string wide;
  for (int i = 0; i < Expression::kMaxStack; ++i)
    wide += fmt::format("a{} + (", i);
  wide += "1" + std::string(Expression::kMaxStack, ')');
  EXPECT_NE(CompileError(wide).find("needs more than 64 pending values"), std::string::npos);
  // The same sum written left to right needs two.
  std::string flat = "1";
  for (int i = 0; i < 1000; ++i)
    flat += fmt::format(" + a{}", i);
  Result<Expression> e = Expression::Compile(flat);
  ASSERT_OK(e);
  std::vector<std::optional<double>> ones(1000, 1.0);
  EXPECT_EQ(e->Evaluate(ones), 1001);
}

TEST(ExpressionTest, ConstantsAreFolded) {
  // Folding must not change results, including nulls from constant parts.
  EXPECT_EQ(Eval("2 * pi / 60 * a", {{"a", 60}}), 2 * M_PI / 60 * 60);
  EXPECT_EQ(Eval("a + 1 / 0"), std::nullopt);
  EXPECT_EQ(Eval("if(1 > 2, a, 4 * 2)"), 8);
  EXPECT_EQ(Eval("min(1, 2) + max(3, 4) + coalesce(1 / 0, 2)"), 7);
}

TEST(ExpressionTest, CopiesEvaluateAlike) {
  Result<Expression> e = Expression::Compile("a * 2 + b");
  ASSERT_OK(e);
  const Expression copy = *e;
  const Expression moved = std::move(*e);
  const std::optional<double> values[] = {3, 4};
  EXPECT_EQ(copy.Evaluate(values), 10);
  EXPECT_EQ(moved.Evaluate(values), 10);
}

// Random texts from the expression alphabet compile or fail with a message; the ones that
// compile evaluate (run under ASan, this checks the stack bound and the parser's reads).
TEST(ExpressionTest, RandomTextCompilesOrFails) {
  const std::string_view alphabet = "ab1.5e()+-*/%<>=!&|,` minroundifcoalesce_";
  std::mt19937 rng(11);
  int compiled = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    const size_t length = rng() % 24;
    for (size_t k = 0; k < length; ++k)
      text += alphabet[rng() % alphabet.size()];
    Result<Expression> e = Expression::Compile(text);
    if (!e.ok()) {
      EXPECT_EQ(e.status().message().find("expression '"), 0u);
      continue;
    }
    ++compiled;
    std::vector<std::optional<double>> values(e->variables().size(), 1.5);
    (void)e->Evaluate(values);
  }
  EXPECT_GT(compiled, 100);
}

}  // namespace
}  // namespace fh::govern
