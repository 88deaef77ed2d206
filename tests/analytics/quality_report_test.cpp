// The quality report: scores as people read them, and a source's state as its latest import
// and the batches since (a small replay must not stand for the import it follows).
#include "analytics/quality_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/hub.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::analytics {
namespace {

TEST(QualityReportTest, ScoresNeverRoundToAllOrNothing) {
  EXPECT_EQ(FormatScore(std::nullopt), "n/a");
  EXPECT_EQ(FormatScore(1.0), "100%");
  EXPECT_EQ(FormatScore(0.0), "0%");
  EXPECT_EQ(FormatScore(0.9876), "98.8%");
  EXPECT_EQ(FormatScore(0.99994), "99.99%");  // not 100.0%
  EXPECT_EQ(FormatScore(0.999996), "99.9996%");
  EXPECT_EQ(FormatScore(0.9996), "99.96%");
  EXPECT_EQ(FormatScore(0.00004), "0.004%");  // not 0.0%
  EXPECT_EQ(FormatScore(0.5), "50.0%");
}

TEST(QualityReportTest, ASourceIsItsLatestImportWithTheReplaysSince) {
  testing::TempDir tmp;
  ASSERT_TRUE(Hub::Init(tmp.path() / "hub", HubConfig{}).ok());
  std::unique_ptr<Hub> hub = std::move(Hub::Open(tmp.path() / "hub")).value();
  const std::string mapping_text =
      "mapping: customers\nsource: { system: crm }\nentity: customer\n"
      "fields: { code: code, name: name, country: country }\n"
      "rules: [{ rule: in_set, field: country, values: [DE, FR] }]\n";
  const govern::Mapping strict = govern::ParseMapping(mapping_text, "customers.yaml").value();
  std::string csv = "code,name,country\n";
  for (int i = 0; i < 1000; ++i)
    csv += "C-" + std::to_string(i) + ",Customer " + std::to_string(i) + ",DE\n";
  csv += "C-X,Exotic,CH\n";
  const auto file = tmp.path() / "customers.csv";
  std::ofstream(file) << csv;
  ASSERT_TRUE(pipeline::ImportFile(*hub, strict, file.string(), {}).ok());
  // The fix: CH is allowed, and the quarantined record replayed as a batch of one.
  std::string loose_text = mapping_text;
  loose_text.replace(loose_text.find("[DE, FR]"), 8, "[DE, FR, CH]");
  const govern::Mapping loose = govern::ParseMapping(loose_text, "customers.yaml").value();
  Result<pipeline::ImportReport> replay = pipeline::ReplayQuarantine(*hub, loose, {});
  ASSERT_OK(replay);
  EXPECT_EQ(replay->accepted, 1);

  CatalogSession session = hub->OpenCatalog();
  Result<QualityReport> report = BuildQualityReport(session.governance(), "plant");
  ASSERT_OK(report);
  ASSERT_EQ(report->sources.size(), 1u);
  const SourceQuality& s = report->sources[0];
  ASSERT_EQ(s.batches.size(), 2u);
  EXPECT_TRUE(s.batches[1].replay_of);
  EXPECT_EQ(s.current_from, 0u);
  EXPECT_EQ(s.current_batches, 2u);
  EXPECT_EQ(s.current.id, s.batches[0].id);
  EXPECT_EQ(s.current.read, 1002);  // 1,001 imported, then the one replayed
  EXPECT_EQ(s.current.accepted, 1001);
  // The in_set check over both: 1 failure in 1,001 plus 0 in 1 (not the replay's 100%
  // alone), and the overall validity below 100% for it.
  const auto in_set =
      std::find_if(s.current.checks.begin(), s.current.checks.end(),
                   [](const govern::CheckTally& t) { return t.rule == "in_set:country"; });
  ASSERT_NE(in_set, s.current.checks.end());
  EXPECT_EQ(in_set->checked, 1002);
  EXPECT_EQ(in_set->failed, 1);
  ASSERT_TRUE(report->overall.score[1]);  // validity
  EXPECT_LT(*report->overall.score[1], 1.0);
  EXPECT_NE(FormatScore(report->overall.score[1]), "100%");
}

}  // namespace
}  // namespace fh::analytics
