// A live source that serve runs: started, stopped, and asked how it is doing.
#pragma once

#include "model/connector_status.h"

namespace fh::connect {

class Connector {
 public:
  virtual ~Connector() = default;
  virtual void Start() = 0;  // works in the background from now on
  virtual void Stop() = 0;   // finishes what it stores, then returns
  virtual ConnectorStatus status() const = 0;
};

}  // namespace fh::connect
