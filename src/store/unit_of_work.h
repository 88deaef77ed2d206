// UnitOfWork: changes to the hub's relational store that are kept together or not at all
// (an import batch with its records, quarantine and check counts). Obtained from
// CatalogSession::Begin(); destroyed without Commit(), it rolls everything back. Stores
// used inside one nest their own atomic steps in it (as savepoints).
#pragma once

#include <memory>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Transaction;
}

class UnitOfWork {
 public:
  UnitOfWork(UnitOfWork&&) noexcept;
  UnitOfWork& operator=(UnitOfWork&&) = delete;
  ~UnitOfWork();

  Status Commit();

 private:
  friend class CatalogSession;
  explicit UnitOfWork(std::unique_ptr<sqlite::Transaction> txn);
  std::unique_ptr<sqlite::Transaction> txn_;
};

}  // namespace fh
