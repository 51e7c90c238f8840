#pragma once
// Crashes the in-guest fuzzer found, grouped by signature: the exception kind and the top two
// symbolized functions of the backtrace (offsets dropped, so that a rebuild does not split a
// bucket; not deeper, so that one bug reached from two callers of its function stays one). Each
// bucket keeps its smallest input: the one a repro bundle replays.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/run_result.h"

namespace osh::guestfuzz {

struct CrashSample {
  std::string kind;                    // PAGE_FAULT, GENERAL_PROTECTION, ...
  std::vector<std::string> functions;  // the symbolized frames' functions, innermost first
  std::string signature;               // as the run's crash detector words it
  std::string reason;
  std::optional<std::string> input;  // none: the kernel crashed outside a fuzz input
  double found_s = 0;                // host time since the run's first VM started
};

// A sample from what a CrashDetector made of one VM's panic (RunResult::crash and its finding).
CrashSample crash_sample(const campaign::CrashInfo& crash, const campaign::Finding& finding);

// The exception kind and the top CrashBuckets::kTopFrames functions.
std::string bucket_key(const CrashSample& sample);

struct CrashBucket {
  std::string key;  // kind and top functions
  std::string id;   // for a folder name: kind, innermost function, hash of the key
  CrashSample smallest;
  int count = 0;
  double first_found_s = 0;
};

class CrashBuckets {
 public:
  static constexpr size_t kTopFrames = 2;

  void add(const CrashSample& sample);
  const std::vector<CrashBucket>& buckets() const { return buckets_; }

 private:
  std::vector<CrashBucket> buckets_;  // in the order first found
};

}  // namespace osh::guestfuzz
