#pragma once
// Where two console logs part: the first differing marker (or, when every marker agrees, the
// first differing line). Built for determinism checks, where two runs of one seed must print the
// same bytes: the common prefix is found with memcmp, so a 100 MB log costs one pass over memory
// and only the part after the first difference is split into lines.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace osh::marker {

struct DiffSide {
  bool ended = false;           // this log has no further marker (or line) there
  uint64_t line_no = 0;         // 1-based; when ended: the number of lines in the log
  std::string_view text;        // the line without its EOL, raw (escape before printing)
  std::optional<uint64_t> seq;  // the marker's " #<seq>" when it has one
};

struct LogDiff {
  bool same = false;
  uint64_t offset = 0;  // first differing byte (the shorter log's size when one is a prefix)
  // Whether the logs differ in a marker; false: every marker agrees and only other lines differ.
  bool in_marker = false;
  DiffSide a, b;
};

// `key` is the marker key, "<prefix>_": a line holding it is a marker line.
LogDiff diff_logs(std::string_view a, std::string_view b, std::string_view key);

// A read-only view of a whole file (mmap), or of its decompressed bytes when it is gzip (a
// console log kept compressed: `osharness run --compress-logs`). Throws osh::InputError naming
// the file.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string decompressed_;  // data_ points here instead of at a mapping
};

}  // namespace osh::marker
