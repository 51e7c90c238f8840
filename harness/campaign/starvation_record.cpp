#include "harness/campaign/starvation_record.h"

#include <algorithm>

namespace osh::campaign {

void StarvationRecord::record(int64_t host_ns, int64_t starved_ns) {
  if (read_ && host_ns < last_read_ns_) return;
  read_ = true;
  last_read_ns_ = host_ns;
  if (steps_.empty() ? starved_ns != 0 : starved_ns > steps_.back().starved_ns)
    steps_.push_back({host_ns, starved_ns});
}

int64_t StarvationRecord::at(int64_t host_ns) const {
  const auto after = std::upper_bound(steps_.begin(), steps_.end(), host_ns,
                                      [](int64_t t, const Step& s) { return t < s.host_ns; });
  return after == steps_.begin() ? 0 : std::prev(after)->starved_ns;
}

int64_t StarvationRecord::starved_ns_between(int64_t from_ns, int64_t to_ns) const {
  if (to_ns <= from_ns) return 0;
  return at(to_ns) - at(from_ns);
}

}  // namespace osh::campaign
