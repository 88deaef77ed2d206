// The API's OpenAPI 3.1 description (api/openapi.yaml, embedded): parameters, bodies and
// answers per endpoint, completed from the route table with each operation's summary, who may
// call it (x-permission, x-by-scope) and its security, so that both are written once. Served
// at /api/v1/openapi.json; tests/api/api_openapi_test.cpp holds it to the table.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace fh::api {

extern const std::string_view kOpenApiYaml;

// The document, built once. InvalidArgument when the embedded YAML does not parse (a build
// that would fail its tests).
const Result<nlohmann::ordered_json>& OpenApiDocument();

}  // namespace fh::api
