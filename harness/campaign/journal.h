#pragma once
// The campaign journal: JSON Lines, one record per line, appended and flushed to disk as each
// run ends, so a harness killed mid-campaign loses nothing that finished (docs/design.md).
// Records: {"record":"campaign",...} first (with the plan: every run's index and seed),
// {"record":"run",...} per run, {"record":"end",...}; {"record":"fault",...} as each injected host
// fault settles (docs/inject.md), before its run's; `run --resume` appends {"record":"resume",...},
// the missing runs and another end record.
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace osh::campaign {

class Journal {
 public:
  enum class Mode {
    Create,  // `path` must not exist yet
    Append,  // `path` exists; a torn last line (a killed writer's) is cut off first
  };
  // InfraError when the file cannot be created or opened.
  explicit Journal(const std::filesystem::path& path, Mode mode = Mode::Create);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Writes one line and fdatasync()s it. InfraError (e.g. "No space left on device") when
  // the record could not be made durable; the file then holds no partial line of it.
  // Thread-safe: runs going at once journal their faults as they happen.
  void append(const nlohmann::json& record);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::mutex mutex_;
};

struct JournalContents {
  std::vector<nlohmann::json> records;
  std::vector<std::string> warnings;  // "journal.jsonl:7: torn last line (the harness was killed
                                      // while writing it), ignored"
};

// Reads every record; a torn last line is a warning, any other bad line an InputError.
JournalContents read_journal(const std::filesystem::path& path);

}  // namespace osh::campaign
