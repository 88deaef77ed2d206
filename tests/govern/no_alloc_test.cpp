// The per-record paths (unit conversion, expression evaluation, timestamp parsing) must
// not allocate: counted by replacing the global operator new for this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "govern/expression.h"
#include "govern/timestamp_format.h"
#include "govern/units.h"
#include "testing/status_matchers.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Not inlined: GCC would then see free() of a pointer from operator new at the call site
// and warn (-Wmismatched-new-delete), though the pair matches.
[[gnu::noinline]] void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace fh::govern {
namespace {

// Allocations made while running fn.
template <typename Fn>
long AllocationsIn(Fn fn) {
  const long before = g_allocations.load();
  fn();
  return g_allocations.load() - before;
}

TEST(NoAllocTest, CounterWorks) {
  EXPECT_GE(AllocationsIn([] { std::vector<int> v(100); }), 1);
}

TEST(NoAllocTest, UnitConversion) {
  Result<UnitConversion> c = MakeConversion("°F", "°C");
  ASSERT_OK(c);
  double sum = 0;
  EXPECT_EQ(AllocationsIn([&] {
              for (int i = 0; i < 1000; ++i)
                sum += c->Apply(i);
            }),
            0);
  EXPECT_NE(sum, 0);
}

TEST(NoAllocTest, ExpressionEvaluate) {
  Result<Expression> e = Expression::Compile(
      "if(status == 3 && !(a < 0), round((torque * rpm) * 2 * pi / 60, 3), "
      "coalesce(b, min(a, 2, torque), max(1, 2)) % 7) + sqrt(abs(a)) - ln(1 + abs(b))");
  ASSERT_OK(e);
  ASSERT_EQ(e->variables().size(), 5u);
  std::vector<std::optional<double>> values = {3, 1.5, 1200, 2.0, std::nullopt};
  double sum = 0;
  EXPECT_EQ(AllocationsIn([&] {
              for (int i = 0; i < 1000; ++i) {
                values[0] = i % 4;
                values[4] = i % 3 == 0 ? std::nullopt : std::optional<double>(i);
                sum += e->Evaluate(values).value_or(0);
              }
            }),
            0);
  EXPECT_NE(sum, 0);
}

TEST(NoAllocTest, TimestampParse) {
  struct Case {
    TimestampSpec spec;
    std::vector<std::string> texts;
  };
  const Case cases[] = {
      {{"auto", {}, "Europe/Berlin"},
       {"2024-03-05T08:00:00.123Z", "2024-03-05 08:00:00", "05.03.2024 08:00", "3/5/2024 8:00 PM",
        "20240305", "1709625600123", "2024-10-27 02:30"}},
      {{"%d/%m/%Y %H:%M:%S.%f", {}, "Asia/Shanghai"},
       {"05/03/2024 08:00:00.5", "05/03/2024 08:00:00"}},
      // The first formats fail on most texts: failing must not allocate either.
      {{"%Y-%m-%dT%H:%M:%S%z", {"rfc3339", "excel", "epoch_ms", "%d.%m.%y"}, "UTC"},
       {"2024-03-05T08:00:00+08:00", "1709625600123", "45356.5", "05.03.24"}},
  };
  for (const Case& c : cases) {
    Result<TimestampParser> parser = TimestampParser::Make(c.spec);
    ASSERT_OK(parser);
    for (const std::string& text : c.texts)
      ASSERT_TRUE(parser->Parse(text).ok()) << text;
    uint64_t sum = 0;  // wraps
    EXPECT_EQ(AllocationsIn([&] {
                for (int i = 0; i < 100; ++i) {
                  for (const std::string& text : c.texts)
                    sum += static_cast<uint64_t>(*parser->Parse(text));
                }
              }),
              0)
        << c.spec.format;
    EXPECT_NE(sum, 0);
  }
}

}  // namespace
}  // namespace fh::govern
