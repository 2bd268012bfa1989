#pragma once
// One line of the query shell split into words as a POSIX shell would: blanks separate words, single
// quotes keep everything literally, double quotes keep blanks, a backslash escapes the next character.
#include <string>
#include <vector>

namespace npufi::cli {

// Throws QueryError(2, ...) for an unclosed quote.
std::vector<std::string> command_words(const std::string& line);

}  // namespace npufi::cli
