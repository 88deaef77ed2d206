#include "cli/password_input.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "security/password.h"

namespace fh::cli {
namespace {

// One line from the terminal without echo; the terminal's mode comes back whatever happens.
Result<std::string> Prompt(const char* question) {
  std::fputs(question, stderr);
  std::fflush(stderr);
  termios before{};
  const bool tty = tcgetattr(STDIN_FILENO, &before) == 0;
  if (tty) {
    termios quiet = before;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
  std::fputs("\n", stderr);
  if (!got) return InvalidArgument("no password given");
  return line;
}

}  // namespace

Result<std::string> ReadNewPassword(bool from_stdin) {
  std::string password;
  if (from_stdin) {
    if (!std::getline(std::cin, password)) {
      return InvalidArgument("--password-stdin: standard input is empty");
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    if (!isatty(STDIN_FILENO)) {
      return InvalidArgument(
          "standard input is not a terminal: pass --password-stdin and the password on it");
    }
    FH_ASSIGN_OR_RETURN(password, Prompt("New password: "));
    FH_ASSIGN_OR_RETURN(std::string again, Prompt("Again: "));
    if (again != password) return InvalidArgument("the two passwords differ");
  }
  FH_RETURN_IF_ERROR(security::CheckPasswordRules(password));
  return password;
}

}  // namespace fh::cli
