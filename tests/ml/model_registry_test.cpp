// Models survive the registry: saved, loaded and exported bytes predict the same; SHAP and
// linear contributions add up to the margin; versions, production and lookups.
#include "ml/model_registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/alarms.h"
#include "ml/column_data.h"
#include "ml/linear_model.h"
#include "ml/split.h"
#include "ml/xgboost_model.h"
#include "store/hub.h"
#include "store/sqlite/migrations.h"
#include "testing/hub_test.h"

namespace fh::ml {
namespace {

Dataset Data() {
  Dataset d;
  d.features = {"a", "b"};
  SplitMix64 rng(2);
  for (int i = 0; i < 400; ++i) {
    const float a = static_cast<float>(rng.Below(1000)) / 100;
    const float b = static_cast<float>(rng.Below(1000)) / 100;
    d.x.push_back(a);
    d.x.push_back(i % 17 == 0 ? NAN : b);
    d.y.push_back(a + (i % 7 == 0 ? 3 : 0) > 6 ? 1 : 0);
  }
  return d;
}

double Logit(double p) {
  return std::log(p / (1 - p));
}

void ExpectRoundTripAndAdditiveContributions(Model& m) {
  const Dataset d = Data();
  ASSERT_TRUE(m.Fit(d).ok());
  Result<std::vector<double>> p = m.Predict(d);
  ASSERT_OK(p);
  Result<std::string> bytes = m.Save();
  ASSERT_OK(bytes);
  Result<std::unique_ptr<Model>> loaded = LoadModel(m.kind(), Task::kBinary, *bytes);
  ASSERT_OK(loaded);
  Result<std::vector<double>> q = (*loaded)->Predict(d);
  ASSERT_OK(q);
  EXPECT_EQ(*p, *q) << m.kind();
  Result<std::vector<double>> c = (*loaded)->Contributions(d);
  ASSERT_OK(c);
  ASSERT_EQ(c->size(), d.rows() * 3);
  for (size_t i = 0; i < d.rows(); ++i) {
    const double margin = (*c)[i * 3] + (*c)[i * 3 + 1] + (*c)[i * 3 + 2];
    EXPECT_NEAR(margin, Logit((*p)[i]), 1e-3) << m.kind() << " row " << i;
  }
  EXPECT_FALSE(LoadModel(m.kind(), Task::kBinary, "not a model").ok());
}

TEST(ModelPersistenceTest, XgboostRoundTripsAndItsShapValuesSumToTheMargin) {
  XgboostModel m(Task::kBinary, {.rounds = 20});
  ExpectRoundTripAndAdditiveContributions(m);
}

TEST(ModelPersistenceTest, LinearRoundTripsAndItsContributionsSumToTheMargin) {
  LinearModel m(Task::kBinary, {});
  ExpectRoundTripAndAdditiveContributions(m);
}

TEST(ModelRefTest, ParsesNameAndVersion) {
  Result<ModelRef> a = ParseModelRef("m");
  ASSERT_OK(a);
  EXPECT_EQ(a->name, "m");
  EXPECT_FALSE(a->version);
  Result<ModelRef> b = ParseModelRef("m@12");
  ASSERT_OK(b);
  EXPECT_EQ(b->version, 12);
  EXPECT_FALSE(ParseModelRef("m@0").ok());
  EXPECT_FALSE(ParseModelRef("m@x").ok());
  EXPECT_FALSE(ParseModelRef("@3").ok());
}

class ModelRegistryTest : public testing::HubTest {
 protected:
  RegisteredModel Linear() {
    LinearModel m(Task::kBinary, {});
    EXPECT_TRUE(m.Fit(Data()).ok());
    RegisteredModel r;
    r.name = "quality";
    r.kind = "logistic";
    r.spec = "name: quality\n";
    r.features = {{FeatureSpec::Kind::kColumn, "a", "a"},
                  {FeatureSpec::Kind::kWindow, "b_mean3", "b", "", 3, "mean"}};
    r.threshold = 0.4;
    r.report = "{}";
    r.training_rows = 400;
    r.training_batches = {3, 5};
    r.data = *m.Save();
    return r;
  }
};

TEST_F(ModelRegistryTest, VersionsProductionAndExport) {
  CatalogSession session = hub_->OpenCatalog();
  ModelRegistry reg(session.models());
  Result<RegisteredModel> v1 = reg.Register(Linear());
  Result<RegisteredModel> v2 = reg.Register(Linear());
  ASSERT_TRUE(v1.ok() && v2.ok());
  EXPECT_EQ(v1->label(), "quality@1");
  EXPECT_EQ(v2->label(), "quality@2");
  EXPECT_EQ(reg.Get({"quality", std::nullopt})->version, 2);  // no production: the newest
  ASSERT_TRUE(reg.Promote({"quality", 1}).ok());
  EXPECT_EQ(reg.Get({"quality", std::nullopt})->version, 1);
  ASSERT_TRUE(reg.Promote({"quality", 2}).ok());
  Result<std::vector<RegisteredModel>> list = reg.List();
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].stage, "production");
  EXPECT_EQ((*list)[1].stage, "archived");
  EXPECT_TRUE((*list)[0].data.empty());  // listings leave the bytes out
  EXPECT_EQ(reg.Get({"quality", 9}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg.Get({"other", std::nullopt}).status().code(), StatusCode::kNotFound);

  Result<RegisteredModel> got = reg.Get({"quality", 1});
  ASSERT_OK(got);
  EXPECT_EQ(got->features.size(), 2u);
  EXPECT_EQ(got->features[1].stat, "mean");
  EXPECT_EQ(got->training_batches, (std::vector<int64_t>{3, 5}));
  Result<RegisteredModel> back = ImportModel(ExportModel(*got), "model.json");
  ASSERT_OK(back);
  EXPECT_EQ(back->data, got->data);  // base64 both ways, every byte value
  EXPECT_EQ(back->threshold, 0.4);
  EXPECT_EQ(back->features[1].window, 3);
  EXPECT_FALSE(ImportModel("{}", "x.json").ok());
}

TEST_F(ModelRegistryTest, MulticlassModelsKeepTheirClassesThroughExport) {
  RegisteredModel r = Linear();
  r.task = Task::kMulticlass;
  r.threshold.reset();
  r.classes = {"hot", "worn", "ok"};
  r.normal_class = "ok";
  CatalogSession session = hub_->OpenCatalog();
  ModelRegistry reg(session.models());
  ASSERT_TRUE(reg.Register(r).ok());
  Result<RegisteredModel> got = reg.Get({"quality", std::nullopt});
  ASSERT_OK(got);
  EXPECT_EQ(got->task, Task::kMulticlass);
  EXPECT_EQ(got->classes, r.classes);
  EXPECT_EQ(got->normal_class, "ok");
  EXPECT_FALSE(got->threshold.has_value());
  const std::string exported = ExportModel(*got);
  Result<RegisteredModel> back = ImportModel(exported, "model.json");
  ASSERT_OK(back);
  EXPECT_EQ(back->classes, r.classes);
  EXPECT_EQ(back->normal_class, "ok");
  // A multi-class model without its classes cannot score: refused at import.
  nlohmann::json j = nlohmann::json::parse(exported);
  j.erase("classes");
  Result<RegisteredModel> bare = ImportModel(j.dump(), "model.json");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().message(),
            "model.json: field classes: a multi-class model needs its classes");
}

// A hub from before migration 0007 keeps its models and alarms, which read as before.
TEST(ModelRegistryUpgradeTest, ModelsAndAlarmsOfMigration0006Survive) {
  testing::TempDir dir;
  auto db = sqlite::Db::Open(dir.path() / "hub.db", {.create = true});
  ASSERT_OK(db);
  const auto all = sqlite::HubMigrations();
  ASSERT_TRUE(sqlite::Migrate(**db, all.first(6)).ok());
  ASSERT_TRUE(
      (*db)
          ->Exec("INSERT INTO model(name, version, kind, task, spec, features, threshold, "
                 "report, training_rows, training_batches, data, created_at) VALUES('q', 1, "
                 "'logistic', 'binary', 'name: q', '[]', 0.25, '{}', 10, '[1]', x'00', 5);"
                 "INSERT INTO alarm(model, model_name, equipment, ts, probability, "
                 "threshold, reasons, created_at) VALUES('q@1', 'q', 'mill', 7, 0.9, 0.25, "
                 "'[]', 8);")
          .ok());
  ASSERT_TRUE(sqlite::Migrate(**db, all).ok());
  ModelStore model_store(**db);
  Result<std::vector<RegisteredModel>> models = ModelRegistry(model_store).List();
  ASSERT_OK(models);
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].threshold, 0.25);
  EXPECT_TRUE((*models)[0].classes.empty());
  AlarmStore alarm_store(**db);
  Result<std::vector<Alarm>> alarms = ListAlarms(alarm_store, 10);
  ASSERT_OK(alarms);
  ASSERT_EQ(alarms->size(), 1u);
  EXPECT_EQ((*alarms)[0].threshold, 0.25);
  EXPECT_EQ((*alarms)[0].predicted_class, "");
  // The widened CHECK takes the new task, and still refuses others.
  EXPECT_TRUE((*db)->Exec("UPDATE model SET task = 'multiclass'").ok());
  EXPECT_FALSE((*db)->Exec("UPDATE model SET task = 'ranking'").ok());
}

TEST(ColumnDataTest, FilesGiveUnitsTimesAndClearErrors) {
  testing::TempDir tmp;
  const std::string path = (tmp.path() / "rows.csv").string();
  std::ofstream(path) << "unit,time,a,b\n"
                         "e2,2026-01-01T00:01:00Z,3,\n"
                         "e1,2026-01-01T00:00:00Z,1,10\n"
                         "e2,2026-01-01T00:00:00Z,2,20\n";
  Result<ColumnData> d = ReadColumnsFromFile(path);
  ASSERT_OK(d);
  EXPECT_EQ(d->columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(d->units.size(), 2u);
  EXPECT_EQ(d->units[1].unit, "e2");
  EXPECT_EQ(d->units[1].columns.at("a"), (std::vector<double>{2, 3}));  // by time
  EXPECT_TRUE(std::isnan(d->units[1].columns.at("b")[1]));
  // NA, NaN, N/A, NULL as pandas writes them: missing, not errors.
  std::ofstream(path) << "a,b\nNA,1\n NaN ,N/A\nNULL, 2 \n";
  Result<ColumnData> na = ReadColumnsFromFile(path);
  ASSERT_OK(na);
  const std::vector<double>& a = na->units[0].columns.at("a");
  EXPECT_TRUE(std::isnan(a[0]) && std::isnan(a[1]) && std::isnan(a[2]));
  const std::vector<double>& b = na->units[0].columns.at("b");
  EXPECT_EQ(b[0], 1);
  EXPECT_TRUE(std::isnan(b[1]));
  EXPECT_EQ(b[2], 2);
  std::ofstream(path) << "a\n1\nx2\n";
  EXPECT_EQ(ReadColumnsFromFile(path).status().message(),
            path + ":3: column 'a': not a number: 'x2'");
}

}  // namespace
}  // namespace fh::ml
