#include "api/stored_mapping.h"

#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::api {

Result<govern::Mapping> LastStoredMapping(Hub& hub, const std::string& name) {
  std::string text;
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(text, session.governance().MappingText(name, 0));
  }
  return govern::ParseMapping(text, name + " (as last stored)");
}

}  // namespace fh::api
