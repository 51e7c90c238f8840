#include "harness/campaign/console_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "harness/base/errors.h"
#include "harness/base/private_files.h"

namespace osh::campaign {
namespace {
constexpr size_t kBufferBytes = 256 * 1024;
}

ConsoleLogFile::ConsoleLogFile(const std::filesystem::path& path) : path_(path) {
  fd_ = open_private_file(path, O_WRONLY | O_TRUNC);
  if (fd_ < 0) throw InfraError(errno_message("cannot create " + path.string(), errno));
  buffer_.reserve(kBufferBytes);
}

ConsoleLogFile::~ConsoleLogFile() { close(); }

void ConsoleLogFile::write(std::string_view bytes) {
  if (buffer_.size() + bytes.size() > kBufferBytes) flush();
  if (bytes.size() >= kBufferBytes) {
    write_out(bytes);
  } else {
    buffer_.append(bytes);
  }
}

void ConsoleLogFile::flush() {
  write_out(buffer_);
  buffer_.clear();
}

void ConsoleLogFile::write_out(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0 && error_.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = errno_message("cannot write " + path_.string(), n < 0 ? errno : ENOSPC);
      return;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void ConsoleLogFile::close() {
  if (fd_ < 0) return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace osh::campaign
