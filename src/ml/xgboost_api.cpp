#include "ml/xgboost_api.h"

#include <dlfcn.h>

#include <mutex>

namespace fh::ml {

namespace {

#ifndef FH_XGBOOST_SONAME
#error "FH_XGBOOST_SONAME: the build names the XGBoost library to load (CMakeLists.txt)"
#endif

Result<XgboostApi> Load() {
  // Never closed: XGBoost and libgomp keep threads and state for the process's life.
  void* handle = dlopen(FH_XGBOOST_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    return Unavailable("xgboost models need {} (Debian's libxgboost0): {}", FH_XGBOOST_SONAME,
                       dlerror());
  }
  XgboostApi api{};
  std::string missing;
  auto bind = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(handle, name));
    if (!fn) missing += missing.empty() ? name : fmt::format(", {}", name);
  };
  bind(api.GetLastError, "XGBGetLastError");
  bind(api.DMatrixCreateFromMat_omp, "XGDMatrixCreateFromMat_omp");
  bind(api.DMatrixSetFloatInfo, "XGDMatrixSetFloatInfo");
  bind(api.DMatrixFree, "XGDMatrixFree");
  bind(api.BoosterCreate, "XGBoosterCreate");
  bind(api.BoosterFree, "XGBoosterFree");
  bind(api.BoosterSetParam, "XGBoosterSetParam");
  bind(api.BoosterUpdateOneIter, "XGBoosterUpdateOneIter");
  bind(api.BoosterPredictFromDense, "XGBoosterPredictFromDense");
  bind(api.BoosterPredictFromDMatrix, "XGBoosterPredictFromDMatrix");
  bind(api.BoosterFeatureScore, "XGBoosterFeatureScore");
  bind(api.BoosterSaveModelToBuffer, "XGBoosterSaveModelToBuffer");
  bind(api.BoosterLoadModelFromBuffer, "XGBoosterLoadModelFromBuffer");
  bind(api.BoosterGetNumFeature, "XGBoosterGetNumFeature");
  if (!missing.empty()) {
    return Unavailable("{} is not the XGBoost factoryhub was built with: no {}", FH_XGBOOST_SONAME,
                       missing);
  }
  return api;
}

}  // namespace

Result<const XgboostApi*> GetXgboost() {
  static std::once_flag once;
  static Result<XgboostApi> api = Unavailable("not loaded");
  std::call_once(once, [] { api = Load(); });
  if (!api.ok()) return api.status();
  return &*api;
}

}  // namespace fh::ml
