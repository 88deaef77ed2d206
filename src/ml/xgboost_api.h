// XGBoost's C API, loaded with dlopen on first use rather than linked.
//
// Why: XGBoost brings libgomp, which reads how long its threads spin at a barrier
// (GOMP_SPINCOUNT, OMP_WAIT_POLICY) once, when it is loaded. Its default spins long, and on
// a machine busy with other work (the hub's own ingest and HTTP threads, a second training,
// a build) the spinning threads take the cores from the one they wait for: the C-MAPSS
// cross-validation took 67-125 s instead of 8 s. main() sets a shorter spin before XGBoost
// can be loaded (cli/main.cpp); a linked library would already be loaded by then. It also
// keeps XGBoost and libgomp out of the commands that train or score nothing.
#pragma once

#include <xgboost/c_api.h>

#include "common/status.h"

namespace fh::ml {

// The functions factoryhub calls, named as in c_api.h without the XGB prefix.
struct XgboostApi {
  decltype(&::XGBGetLastError) GetLastError;
  decltype(&::XGDMatrixCreateFromMat_omp) DMatrixCreateFromMat_omp;
  decltype(&::XGDMatrixSetFloatInfo) DMatrixSetFloatInfo;
  decltype(&::XGDMatrixFree) DMatrixFree;
  decltype(&::XGBoosterCreate) BoosterCreate;
  decltype(&::XGBoosterFree) BoosterFree;
  decltype(&::XGBoosterSetParam) BoosterSetParam;
  decltype(&::XGBoosterUpdateOneIter) BoosterUpdateOneIter;
  decltype(&::XGBoosterPredictFromDense) BoosterPredictFromDense;
  decltype(&::XGBoosterPredictFromDMatrix) BoosterPredictFromDMatrix;
  decltype(&::XGBoosterFeatureScore) BoosterFeatureScore;
  decltype(&::XGBoosterSaveModelToBuffer) BoosterSaveModelToBuffer;
  decltype(&::XGBoosterLoadModelFromBuffer) BoosterLoadModelFromBuffer;
  decltype(&::XGBoosterGetNumFeature) BoosterGetNumFeature;
};

// Loaded once (FH_XGBOOST_SONAME, the library the build found), never unloaded; an error
// that names the library if it or one of the functions is missing.
Result<const XgboostApi*> GetXgboost();

}  // namespace fh::ml
