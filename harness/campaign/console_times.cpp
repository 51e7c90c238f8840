#include "harness/campaign/console_times.h"

#include <string>

namespace osh::campaign {

void ConsoleTimesFile::write(std::string_view bytes, int64_t host_ns) {
  for (size_t at = 0; at < bytes.size();) {
    if (!in_line_) {
      in_line_ = true;
      line_start_ns_ = host_ns;
    }
    const size_t nl = bytes.find('\n', at);
    if (nl == std::string_view::npos) return;
    file_.write(std::to_string(line_start_ns_) + "\n");
    in_line_ = false;
    at = nl + 1;
  }
}

void ConsoleTimesFile::close() {
  if (in_line_) file_.write(std::to_string(line_start_ns_) + "\n");
  in_line_ = false;
  file_.close();
}

}  // namespace osh::campaign
