#pragma once
// `osharness parse LOG --times`: each line of LOG with the host time it arrived at, from the
// console.times beside it (harness/campaign/console_times.h).
#include <filesystem>
#include <ostream>

namespace osh::cli {

// Prints "  +<s since the first line> <line, escaped>" per line of `log`, times read from
// `times`. InputError naming the file when either cannot be read, a time is not a number, or
// the two do not have the same number of lines (a log that is not the one these times are of).
void write_console_times(const std::filesystem::path& log, const std::filesystem::path& times,
                         std::ostream& out);

}  // namespace osh::cli
