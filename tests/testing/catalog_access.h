// White-box access for tests that check the SQLite back end itself (a pragma of the hub's
// connection, a row the stores do not expose): the connection a CatalogSession holds.
#pragma once

#include "store/catalog_session.h"
#include "store/sqlite/db.h"

namespace fh {

struct CatalogSessionTestAccess {
  static sqlite::Db& Connection(CatalogSession& session) { return *session.db_; }
};

}  // namespace fh
