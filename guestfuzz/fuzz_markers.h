#pragma once
// The guest fuzzer's FUZZ markers (os/rayos.schema.json) as values, inputs decoded from base64.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/marker/marker_event.h"

namespace osh::guestfuzz {

struct FuzzMarker {
  enum class Kind : unsigned char { New, Stats, Crash, Coverage, Done, Error, Other };
  Kind kind = Kind::Other;
  uint64_t elapsed_ms = 0;
  uint64_t execs = 0;
  uint64_t execs_per_s = 0;
  uint64_t edges = 0;
  uint64_t offset = 0, count = 0;  // Coverage: a block's granule in .text and its runs
  std::string input;               // New, Crash: the input's bytes; Error: the reason
};

// Base64 text to bytes; nullopt when it is not base64.
std::optional<std::string> decode_base64(std::string_view text);

// A FUZZ marker's values; nullopt when its input field is not base64 (a guest bug: the host
// reports it rather than store a wrong input). Markers of other categories are Kind::Other.
std::optional<FuzzMarker> decode_fuzz_marker(const marker::MarkerEvent& event);

}  // namespace osh::guestfuzz
