#include "harness/marker/log_diff.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/base/errors.h"
#include "harness/base/gzip.h"

namespace osh::marker {
namespace {

size_t first_mismatch(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  constexpr size_t kChunk = 64 * 1024;
  size_t i = 0;
  while (i < n) {
    const size_t len = std::min(kChunk, n - i);
    if (std::memcmp(a.data() + i, b.data() + i, len) != 0) break;
    i += len;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

uint64_t count_lf(std::string_view text) {
  return static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

std::optional<uint64_t> marker_seq(std::string_view line) {
  const size_t hash = line.rfind(" #");
  if (hash == std::string_view::npos) return std::nullopt;
  uint64_t seq = 0;
  size_t i = hash + 2;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && i < hash + 22; ++i)
    seq = seq * 10 + static_cast<uint64_t>(line[i] - '0');
  if (i == hash + 2) return std::nullopt;
  return seq;
}

// Walks one log a line at a time from a line start.
class Cursor {
 public:
  Cursor(std::string_view log, size_t pos, uint64_t line_no)
      : log_(log), pos_(pos), line_no_(line_no) {}

  // The next line holding `key` (or, with an empty key, the next line at all).
  DiffSide next(std::string_view key) {
    DiffSide side;
    const size_t hit =
        key.empty() ? (pos_ < log_.size() ? pos_ : std::string_view::npos) : log_.find(key, pos_);
    if (hit == std::string_view::npos) {
      const auto rest = log_.substr(pos_);
      side.ended = true;
      side.line_no = line_no_ - 1 + count_lf(rest) + (rest.empty() || rest.back() == '\n' ? 0 : 1);
      pos_ = log_.size();
      return side;
    }
    // `key` holds no LF, so the line starts after the last LF before `hit`.
    const size_t nl_before = hit == pos_ ? std::string_view::npos : log_.rfind('\n', hit - 1);
    const size_t start =
        nl_before == std::string_view::npos || nl_before < pos_ ? pos_ : nl_before + 1;
    line_no_ += count_lf(log_.substr(pos_, start - pos_));
    const size_t nl = log_.find('\n', hit);
    const size_t end = nl == std::string_view::npos ? log_.size() : nl;
    side.line_no = line_no_;
    side.text = log_.substr(start, end - start);
    if (!key.empty()) side.seq = marker_seq(side.text);
    pos_ = nl == std::string_view::npos ? log_.size() : nl + 1;
    ++line_no_;
    return side;
  }

 private:
  std::string_view log_;
  size_t pos_;
  uint64_t line_no_;
};

}  // namespace

LogDiff diff_logs(std::string_view a, std::string_view b, std::string_view key) {
  LogDiff diff;
  diff.offset = first_mismatch(a, b);
  if (diff.offset == a.size() && a.size() == b.size()) {
    diff.same = true;
    return diff;
  }
  // Everything before the line holding the first differing byte is the same in both logs.
  const size_t nl = diff.offset == 0 ? std::string_view::npos : a.rfind('\n', diff.offset - 1);
  const size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
  const uint64_t line_no = count_lf(a.substr(0, line_start)) + 1;
  Cursor ca(a, line_start, line_no), cb(b, line_start, line_no);
  for (;;) {
    diff.a = ca.next(key);
    diff.b = cb.next(key);
    if (diff.a.ended && diff.b.ended) break;
    if (diff.a.ended != diff.b.ended || diff.a.text != diff.b.text) {
      diff.in_marker = true;
      return diff;
    }
  }
  // Every marker agrees: the first differing line is the one holding the first differing byte.
  diff.a = Cursor(a, line_start, line_no).next("");
  diff.b = Cursor(b, line_start, line_no).next("");
  return diff;
}

MappedFile::MappedFile(const std::filesystem::path& path) {
  if (is_gzip_file(path)) {
    decompressed_ = read_maybe_gzip(path);
    data_ = decompressed_.data();
    size_ = decompressed_.size();
    return;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(errno_message(path.string() + ": cannot open", errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int err = errno;
    ::close(fd);
    throw InputError(S_ISREG(st.st_mode) ? errno_message(path.string() + ": cannot stat", err)
                                         : path.string() + ": not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      throw InputError(errno_message(path.string() + ": cannot map", err));
    }
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr && data_ != decompressed_.data()) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace osh::marker
