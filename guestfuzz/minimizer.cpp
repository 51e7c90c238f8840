#include "guestfuzz/minimizer.h"

namespace osh::guestfuzz {

Minimized minimize(const std::string& input, const std::string& bucket_key, const Replay& replay,
                   int max_reruns) {
  Minimized m{input, 0};
  for (size_t chunk = m.input.size() / 2; chunk >= 1 && m.reruns < max_reruns; chunk /= 2) {
    for (size_t at = 0; at < m.input.size() && m.reruns < max_reruns;) {
      std::string candidate = m.input;
      candidate.erase(at, chunk);
      ++m.reruns;
      if (replay(candidate) == bucket_key) {
        m.input = std::move(candidate);  // the same place now holds the next chunk
      } else {
        at += chunk;
      }
    }
  }
  return m;
}

}  // namespace osh::guestfuzz
