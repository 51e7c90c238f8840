#pragma once
// console.times, beside console.log: for each console line, the host time (CLOCK_MONOTONIC, ns)
// at which its first byte arrived, one decimal number a line, so that a line can be set against
// what the host did then (a fault injected, a stall). Line k of console.times is line k of
// console.log, lines split at '\n'; a last line without one gets its time at close.
// `osharness parse LOG --times` shows them.
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "harness/campaign/console_log.h"

namespace osh::campaign {

class ConsoleTimesFile {
 public:
  // InfraError when the file cannot be created.
  explicit ConsoleTimesFile(const std::filesystem::path& path) : file_(path) {}

  // `bytes` arrived at `host_ns`. Never throws (see ConsoleLogFile::write).
  void write(std::string_view bytes, int64_t host_ns);
  void flush() { file_.flush(); }
  void close();
  const std::string& error() const { return file_.error(); }

 private:
  ConsoleLogFile file_;
  bool in_line_ = false;  // bytes of a line not yet ended have arrived
  int64_t line_start_ns_ = 0;
};

}  // namespace osh::campaign
