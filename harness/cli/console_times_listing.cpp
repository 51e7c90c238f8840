#include "harness/cli/console_times_listing.h"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/gzip.h"
#include "reports/report_format.h"

namespace osh::cli {
namespace {

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path.string() +
                     ": cannot read it (console.times is written beside "
                     "console.log by `osharness run`)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Lines split at '\n', a last line without one counted too: as console.times counts them.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at < text.size();) {
    const size_t nl = text.find('\n', at);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

void write_console_times(const std::filesystem::path& log, const std::filesystem::path& times,
                         std::ostream& out) {
  const std::string log_text = read_maybe_gzip(log), times_text = read_whole(times);
  const auto lines = lines_of(log_text);
  const auto stamps = lines_of(times_text);
  if (lines.size() != stamps.size())
    throw InputError(times.string() + ": " + std::to_string(stamps.size()) + " times for the " +
                     std::to_string(lines.size()) + " lines of " + log.string() +
                     ": not the times of this log");
  out << "\nconsole lines with their host times (s after the first line):\n";
  int64_t first = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    int64_t ns = 0;
    const auto s = stamps[i];
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), ns);
    if (ec != std::errc() || end != s.data() + s.size())
      throw InputError(times.string() + ":" + std::to_string(i + 1) + ": \"" + escape_text(s) +
                       "\" is not a time in ns");
    if (i == 0) first = ns;
    out << "  +" << reports::fixed(static_cast<double>(ns - first) / 1e9, 6) << "  "
        << escape_text(lines[i]) << "\n";
  }
}

}  // namespace osh::cli
