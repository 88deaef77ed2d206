// A password for `user add` and `user passwd`: typed twice at a terminal, echo off, or one
// line of standard input with --password-stdin (scripts; never a flag, which `ps` and the
// shell history would show).
#pragma once

#include <string>

#include "common/status.h"

namespace fh::cli {

Result<std::string> ReadNewPassword(bool from_stdin);

}  // namespace fh::cli
