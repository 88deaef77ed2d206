// Masking personal data (a name, an e-mail address, a phone number) where the hub shows a
// value outside its record: quarantine reasons, warnings, lists and exports. The mask keeps
// enough to recognise the value by someone who knows it, and no more:
//   zhang.wei@example.com -> z***@example.com   (the domain tells which partner)
//   13812345678           -> 138****5678        (the usual form for a Chinese mobile number)
//   张伟                  -> 张*                 (the first character, then one * per character)
//   Müller                -> M*****
// A one-character text becomes "*".
#pragma once

#include <string>
#include <string_view>

namespace fh {

std::string MaskPersonal(std::string_view text);

// Replaces every occurrence of `value` in `text` with its mask (a message quoting a value).
std::string MaskInText(std::string_view text, std::string_view value);

}  // namespace fh
