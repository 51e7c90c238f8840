#include "harness/marker/scan_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "harness/base/errors.h"

namespace osh::marker {
namespace {

class MarkerTally : public MarkerObserver {
 public:
  explicit MarkerTally(const Schema& schema)
      : schema_(schema), per_spec_(schema.markers().size(), 0) {}

  bool wants_lines() const override { return false; }

  void on_marker(const MarkerEvent& event) override {
    if (event.spec != nullptr) {
      ++per_spec_[event.spec - schema_.markers().data()];
      return;
    }
    // Unknown markers of a permissive schema; "CAT:EVENT" is contiguous in the line.
    const std::string_view key(event.category.data(),
                               event.event.data() + event.event.size() - event.category.data());
    const auto it = unknown_.find(key);
    if (it != unknown_.end()) {
      ++it->second;
    } else {
      unknown_.emplace(std::string(key), 1);
    }
  }

  std::vector<std::pair<std::string, uint64_t>> sorted() const {
    std::map<std::string, uint64_t> all(unknown_.begin(), unknown_.end());
    for (size_t i = 0; i < per_spec_.size(); ++i) {
      const MarkerSpec& spec = schema_.markers()[i];
      if (per_spec_[i] != 0) all[spec.category + ":" + spec.event] += per_spec_[i];
    }
    return {all.begin(), all.end()};
  }

 private:
  const Schema& schema_;
  std::vector<uint64_t> per_spec_;
  std::map<std::string, uint64_t, std::less<>> unknown_;
};

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

}  // namespace

ScanSummary scan_file(const std::filesystem::path& log, const Schema& schema,
                      const StreamOptions& options, const std::vector<MarkerObserver*>& observers) {
  const Fd fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw InputError(errno_message(log.string() + ": cannot open the console log", errno));
  }
  MarkerStream stream(schema, options);
  MarkerTally tally(schema);
  stream.add_observer(&tally);
  for (MarkerObserver* o : observers) stream.add_observer(o);
  // Offline there is no arrival time to stamp: host_ns is 0.
  try {
    stream.feed_file(fd.get(), 0);
  } catch (const InputError& e) {
    throw InputError(log.string() + ": " + e.what());
  }
  stream.finish(0);
  return {stream.counts(), stream.problems(), stream.gaps(), stream.gap_count(), tally.sorted()};
}

}  // namespace osh::marker
