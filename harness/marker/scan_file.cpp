#include "harness/marker/scan_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>
#include <vector>

#include "harness/base/errors.h"
#include "harness/base/gzip.h"

namespace osh::marker {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Feeds at most `limit` bytes that `read` gives (0 at the end); true when it stopped there
// before the end. The bytes after the last line feed within the limit are left out: a line cut
// by the limit is not the log's.
bool feed_up_to(MarkerStream& stream, const std::function<size_t(char*, size_t)>& read,
                uint64_t limit) {
  std::vector<char> buffer(1 << 16);
  std::string held;  // read, after the last line feed so far
  uint64_t total = 0;
  for (;;) {
    const size_t want = size_t(std::min<uint64_t>(buffer.size(), limit - total + 1));
    const size_t n = read(buffer.data(), want);
    if (n == 0) {
      stream.feed(held, 0);
      return false;
    }
    total += uint64_t(n);
    std::string_view chunk(buffer.data(), n);
    if (total > limit) {  // one byte past the limit was read only to tell "more follows"
      chunk.remove_suffix(1);
      const auto lf = chunk.rfind('\n');
      if (lf != std::string_view::npos) {
        stream.feed(held, 0);
        stream.feed(chunk.substr(0, lf + 1), 0);
      } else if (const auto held_lf = held.rfind('\n'); held_lf != std::string::npos) {
        stream.feed(std::string_view(held).substr(0, held_lf + 1), 0);
      }
      return true;
    }
    // Keep the unterminated tail back until the next line feed: the limit may cut it.
    const auto lf = chunk.rfind('\n');
    if (lf == std::string_view::npos) {
      held.append(chunk);
      // A line this long is cut by the stream anyway (max_line_bytes): memory stays bounded.
      if (held.size() > (size_t(1) << 20)) {
        stream.feed(held, 0);
        held.clear();
      }
    } else {
      stream.feed(held, 0);
      stream.feed(chunk.substr(0, lf + 1), 0);
      held.assign(chunk.substr(lf + 1));
    }
  }
}

size_t read_fd(int fd, char* buffer, size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return size_t(n);
    if (errno != EINTR) throw InputError(errno_message("cannot read the console log", errno));
  }
}

}  // namespace

ScanSummary scan_file(const std::filesystem::path& log, const Schema& schema,
                      const StreamOptions& options, std::optional<uint64_t> max_bytes,
                      const std::vector<MarkerObserver*>& observers) {
  const Fd fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw InputError(errno_message(log.string() + ": cannot open the console log", errno));
  }
  struct stat st {};
  const bool regular = ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode);
  if (!max_bytes && !regular) max_bytes = kDefaultStreamMaxBytes;
  MarkerStream stream(schema, options);
  bool stopped = false;
  for (MarkerObserver* o : observers) stream.add_observer(o);
  // Offline there is no arrival time to stamp: host_ns is 0.
  try {
    if (regular && is_gzip_file(log)) {
      // A log kept compressed (`osharness run --compress-logs`): read as it decompresses.
      MaybeGzipReader gz(log);
      stopped = feed_up_to(
          stream, [&](char* buffer, size_t size) { return gz.read(buffer, size); },
          max_bytes.value_or(UINT64_MAX - 1));
    } else if (max_bytes && !(regular && uint64_t(st.st_size) <= *max_bytes)) {
      stopped = feed_up_to(
          stream, [&](char* buffer, size_t size) { return read_fd(fd.get(), buffer, size); },
          *max_bytes);
    } else {
      stream.feed_file(fd.get(), 0);
    }
  } catch (const InputError& e) {
    const std::string what = e.what();  // the gzip reader's errors name the file already
    throw InputError(what.starts_with(log.string()) ? what : log.string() + ": " + what);
  }
  stream.finish(0);
  return {stream.counts(),    stream.problems(),        stream.gaps(),
          stream.gap_count(), stream.markers_by_kind(), stopped};
}

}  // namespace osh::marker
