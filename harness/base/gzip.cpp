#include "harness/base/gzip.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "harness/base/errors.h"

namespace osh {
namespace {

struct GzClose {
  void operator()(gzFile f) const { gzclose(f); }
};
using Gz = std::unique_ptr<gzFile_s, GzClose>;

std::string gz_problem(gzFile f) {
  int code = Z_OK;
  const char* text = gzerror(f, &code);
  return code == Z_ERRNO ? std::strerror(errno) : text;
}

}  // namespace

bool is_gzip_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  return in.read(magic, 2) && magic[0] == '\x1f' && magic[1] == '\x8b';
}

void gzip_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in)
    throw InfraError(errno_message("cannot read " + from.string() + " to compress it", errno));
  auto tmp = to;
  tmp += ".tmp";
  // Level 6, zlib's default: on a flood's console log all but 2% of level 9's size in 38% of its
  // time (docs/reports.md).
  // 0600 like the console log it replaces: a guest's output may hold what others must not read.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw InfraError(errno_message("cannot create " + tmp.string(), errno));
  Gz out(gzdopen(fd, "wb6"));
  if (!out) {
    ::close(fd);
    throw InfraError("cannot compress " + from.string() + ": out of memory");
  }
  std::vector<char> buffer(1 << 16);
  const auto fail = [&](const std::string& problem) {
    out.reset();
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw InfraError("cannot compress " + from.string() + " into " + to.string() + ": " + problem);
  };
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<unsigned>(in.gcount());
    if (n > 0 && gzwrite(out.get(), buffer.data(), n) != static_cast<int>(n))
      fail(gz_problem(out.get()));
  }
  if (in.bad()) fail("read error");
  if (gzclose(out.release()) != Z_OK) fail("write error (disk full?)");
  std::error_code ec;
  std::filesystem::rename(tmp, to, ec);
  if (ec) fail(ec.message());
  std::filesystem::remove(from, ec);
}

MaybeGzipReader::MaybeGzipReader(const std::filesystem::path& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(errno_message(path.string() + ": cannot open", errno));
  file_ = gzdopen(fd, "rb");
  if (file_ == nullptr) {
    ::close(fd);
    throw InputError(path.string() + ": cannot read it (out of memory)");
  }
  gzbuffer(file_, 1 << 17);
}

MaybeGzipReader::~MaybeGzipReader() { gzclose(file_); }

size_t MaybeGzipReader::read(char* buffer, size_t size) {
  const int n = gzread(file_, buffer, static_cast<unsigned>(std::min<size_t>(size, 1u << 30)));
  int code = Z_OK;
  if (n < 0 || (n == 0 && (gzerror(file_, &code), code != Z_OK)))
    throw InputError(path_.string() + ": cannot read it: " + gz_problem(file_) +
                     (code == Z_BUF_ERROR ? " (a .gz file cut short)" : ""));
  return static_cast<size_t>(n);
}

std::string read_maybe_gzip(const std::filesystem::path& path, uint64_t max_bytes) {
  MaybeGzipReader in(path);
  std::string out;
  std::vector<char> buffer(1 << 16);
  while (out.size() < max_bytes) {
    const size_t n = in.read(buffer.data(), buffer.size());
    if (n == 0) break;
    out.append(buffer.data(), std::min<uint64_t>(n, max_bytes - out.size()));
  }
  return out;
}

std::filesystem::path existing_or_gz(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  auto gz = path;
  gz += ".gz";
  return std::filesystem::exists(gz, ec) ? gz : path;
}

}  // namespace osh
