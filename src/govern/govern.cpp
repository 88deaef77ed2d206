#include "common/status.h"
namespace fh::govern {}
