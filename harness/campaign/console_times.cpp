#include "harness/campaign/console_times.h"

#include <charconv>

namespace osh::campaign {
namespace {

// One line of console.times, without a heap string per console line (a flood prints millions).
void write_time(ConsoleLogFile& file, int64_t host_ns) {
  char text[24];
  char* end = std::to_chars(text, text + sizeof text - 1, host_ns).ptr;
  *end++ = '\n';
  file.write(std::string_view(text, static_cast<size_t>(end - text)));
}

}  // namespace

void ConsoleTimesFile::write(std::string_view bytes, int64_t host_ns) {
  for (size_t at = 0; at < bytes.size();) {
    if (!in_line_) {
      in_line_ = true;
      line_start_ns_ = host_ns;
    }
    const size_t nl = bytes.find('\n', at);
    if (nl == std::string_view::npos) return;
    write_time(file_, line_start_ns_);
    in_line_ = false;
    at = nl + 1;
  }
}

void ConsoleTimesFile::close() {
  if (in_line_) write_time(file_, line_start_ns_);
  in_line_ = false;
  file_.close();
}

}  // namespace osh::campaign
