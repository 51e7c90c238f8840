#include "harness/campaign/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/base/private_files.h"

namespace osh::campaign {

namespace {

// The length of the file up to its last line feed: what a killed writer left complete.
off_t complete_length(int fd) {
  char block[4096];
  for (off_t end = ::lseek(fd, 0, SEEK_END); end > 0;) {
    const off_t start = end > off_t(sizeof block) ? end - off_t(sizeof block) : 0;
    const ssize_t n = ::pread(fd, block, size_t(end - start), start);
    if (n <= 0) return -1;
    for (ssize_t i = n; i > 0; --i)
      if (block[i - 1] == '\n') return start + i;
    end = start;
  }
  return 0;
}

}  // namespace

Journal::Journal(const std::filesystem::path& path, Mode mode) : path_(path) {
  if (mode == Mode::Create) {
    fd_ = open_private_file(path, O_WRONLY | O_EXCL | O_APPEND);
    if (fd_ < 0) throw InfraError(errno_message("cannot create journal " + path.string(), errno));
    return;
  }
  fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw InfraError(errno_message("cannot open journal " + path.string(), errno));
  // A record appended after a torn line would make it a damaged line in the middle.
  const off_t keep = complete_length(fd_);
  if (keep < 0 || ::ftruncate(fd_, keep) != 0)
    throw InfraError(errno_message("cannot cut the torn last line of " + path.string(), errno));
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const nlohmann::json& record) {
  const std::string line =
      record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      // Never leave half a record behind: the next reader would take it for a torn write.
      if (before >= 0 && ::ftruncate(fd_, before) != 0) {
        // Then the reader's torn-last-line rule still keeps every earlier record.
      }
      throw InfraError(errno_message("cannot write journal " + path_.string(), err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0)
    throw InfraError(errno_message("cannot flush journal " + path_.string(), errno));
}

JournalContents read_journal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(errno_message("cannot read journal " + path.string(), errno));
  JournalContents contents;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    // getline() hit end of file without a newline: the line's write never completed.
    const bool unterminated = in.eof();
    try {
      contents.records.push_back(parse_json(line, path.string(), line_no));
    } catch (const InputError&) {
      // Only an unterminated final line can be torn by a kill; anything else is damage.
      if (!unterminated) throw;
      contents.warnings.push_back(
          path.string() + ":" + std::to_string(line_no) +
          ": torn last line (the harness was killed while writing it), ignored");
    }
  }
  return contents;
}

}  // namespace osh::campaign
