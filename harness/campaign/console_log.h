#pragma once
// The raw console log of a run: the guest's bytes exactly as they arrived, buffered, flushed
// at least every `flush()` call (the run loop calls it a few times a second) and at close.
#include <filesystem>
#include <string>
#include <string_view>

namespace osh::campaign {

class ConsoleLogFile {
 public:
  // InfraError when the file cannot be created.
  explicit ConsoleLogFile(const std::filesystem::path& path);
  ~ConsoleLogFile();
  ConsoleLogFile(const ConsoleLogFile&) = delete;
  ConsoleLogFile& operator=(const ConsoleLogFile&) = delete;

  // Never throws: a write error is kept (error()) and later bytes are dropped from the file
  // only — the run still parses them.
  void write(std::string_view bytes);
  void flush();
  void close();

  // "cannot write runs/000-x/console.log: No space left on device", or "".
  const std::string& error() const { return error_; }

 private:
  void write_out(std::string_view bytes);

  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;
  std::string error_;
};

}  // namespace osh::campaign
