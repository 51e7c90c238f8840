#pragma once
// gzip files with zlib (Debian zlib1g-dev): a run's console log kept compressed
// (`osharness run --compress-logs`), and read back by everything that reads console logs,
// whether the file is compressed or not.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct gzFile_s;

namespace osh {

// The file starts with the gzip magic bytes (1f 8b). False when it cannot be read.
bool is_gzip_file(const std::filesystem::path& path);

// Compresses `from` into `to` (written beside it under a temporary name, then renamed: a
// reader never sees half a file) and removes `from`. InfraError naming the file when it cannot
// be read or written; `from` then stays as it was.
void gzip_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Reads a file, decompressed when it is gzip, as it is otherwise (zlib passes such a file
// through). InputError naming the file when it cannot be opened, or a compressed one is damaged
// or cut short.
class MaybeGzipReader {
 public:
  explicit MaybeGzipReader(const std::filesystem::path& path);
  ~MaybeGzipReader();
  MaybeGzipReader(const MaybeGzipReader&) = delete;
  MaybeGzipReader& operator=(const MaybeGzipReader&) = delete;

  // Up to `size` bytes into `buffer`; 0 at the end.
  size_t read(char* buffer, size_t size);

 private:
  std::filesystem::path path_;
  gzFile_s* file_ = nullptr;
};

// The whole file, decompressed when it is gzip. At most `max_bytes` (the first ones).
std::string read_maybe_gzip(const std::filesystem::path& path, uint64_t max_bytes = UINT64_MAX);

// `path` when it is there, else `path`.gz when that is (a log kept compressed), else `path`.
std::filesystem::path existing_or_gz(const std::filesystem::path& path);

}  // namespace osh
