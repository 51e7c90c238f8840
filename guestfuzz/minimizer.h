#pragma once
// Shrinks a crashing input by rerunning candidates in the guest: chunks of half the input, then
// a quarter, ... down to single bytes are cut out, and a cut is kept when the candidate still
// crashes in the same bucket (a different crash does not count). Each candidate costs one VM
// boot, so the number of reruns is bounded.
#include <functional>
#include <optional>
#include <string>

namespace osh::guestfuzz {

// Runs `input` once in the guest; the bucket key of the crash it caused, nullopt when none.
using Replay = std::function<std::optional<std::string>(const std::string& input)>;

struct Minimized {
  std::string input;
  int reruns = 0;
};

Minimized minimize(const std::string& input, const std::string& bucket_key, const Replay& replay,
                   int max_reruns);

}  // namespace osh::guestfuzz
