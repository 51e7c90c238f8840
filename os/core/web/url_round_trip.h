#pragma once
// One input of the URL fuzz targets (the guest's `url` target, os/workloads/fuzz_targets.cpp, and
// the host's fuzz/url_fuzz.cpp): an input string and an optional base, parsed as the URL
// constructor does, serialized, and the serialization parsed again without a base. The URL
// Standard's goal of idempotence ("a non-failure result of a parse-then-serialize operation will
// not change with any further parse-then-serialize operations applied to it") makes a reparse
// that fails or serializes differently a bug, whatever the input was.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/url.h"

namespace rayos::web {

// The input's bytes up to the first '\n' are the URL, those after it the base (none without a
// '\n'). A '\n' inside a URL is one the parser strips anyway; '\t' and '\r' still reach that step.
inline constexpr char kUrlBaseSeparator = '\n';

enum class UrlRoundTrip : uint8_t {
  kRejected,  // the base or the input did not parse (failure, IDNA needed, too long)
  kStable,    // parsed, and the serialization reparses to itself
  // The serialization outgrew rayos's fixed storage when reparsed (percent-encoding makes it
  // longer than the input: a userinfo of 120 bytes can serialize to over 1024): a limit rayos
  // documents, not a break of the standard.
  kReparseTooLong,
  kReparseFailed,
  kChanged,  // the serialization reparses to a different one
};

// Everything one check needs, about 32 KiB: static storage in the guest, whose stack is small.
struct UrlRoundTripScratch {
  static constexpr size_t kSerializedCapacity = 8 * Url::kComponentCapacity;
  Url base;
  Url url;
  Url reparsed;
  FixedText<kSerializedCapacity> first;
  FixedText<kSerializedCapacity> second;
};

// `planted`: bug knobs for every parse (os/core/bug_knobs.h).
UrlRoundTrip check_url_round_trip(StringView data, UrlRoundTripScratch& scratch,
                                  uint32_t planted = 0);

}  // namespace rayos::web
