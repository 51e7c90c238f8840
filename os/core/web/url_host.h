#pragma once
// The URL Standard's host parser and serializer: domains (ASCII only: a domain that needs UTS #46
// / IDNA processing is reported as such, never guessed), IPv4 addresses in every notation the
// standard accepts, IPv6 addresses, and opaque hosts of non-special URLs.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"

namespace rayos::web {

enum class HostKind : uint8_t { kNull, kDomain, kIpv4, kIpv6, kOpaque, kEmpty };

// The outcome of a URL parse, setter or host parse.
enum class UrlStatus : uint8_t {
  kOk,
  kFailure,    // the standard says failure (the URL constructor throws)
  kNeedsIdna,  // the answer depends on UTS #46 processing, which rayos does not implement
  kTooLong,    // a component outgrew its fixed storage (Url::kComponentCapacity)
};

// Parses `input` (the host part of a URL, UTF-8) and writes the serialized host to `out`: a
// lowercased ASCII domain, "a.b.c.d", "[v6]", or the percent-encoded opaque host. `is_opaque`:
// the URL is not special. `out` is cleared first; on anything but kOk its contents are undefined.
// `planted`: bug knobs (os/core/bug_knobs.h; kBugUrlIpv4Reversed).
UrlStatus parse_host(StringView input, bool is_opaque, TextSink& out, HostKind& kind,
                     uint32_t planted = 0);

// "Ends in a number" (URL Standard, host parsing): whether the last label of `domain` looks like
// an IPv4 number, in which case the host is parsed as an IPv4 address.
bool ends_in_a_number(StringView domain);

}  // namespace rayos::web
