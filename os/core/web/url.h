#pragma once
// The WHATWG URL Standard (https://url.spec.whatwg.org/): the URL record, the basic URL parser
// with its state overrides, the serializer, and the URL API's getters and setters. Freestanding
// and allocation-free: a Url holds its components in fixed storage, and everything a call needs
// is passed in, so the same code runs in the guest, in host tests and under libFuzzer.
//
// Bytes in, result out: parse_url(input, base, url) reads `input` as UTF-8 (invalid sequences
// become U+FFFD, as a WebIDL USVString would) and answers with a UrlStatus. What rayos cannot
// answer (a domain that needs UTS #46 / IDNA) is reported as kNeedsIdna, never guessed.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"
#include "os/core/web/url_host.h"

namespace rayos::web {

class Url {
 public:
  // Bytes per component once percent-encoded; a URL with a longer one is kTooLong.
  static constexpr size_t kComponentCapacity = 1024;

  constexpr Url() = default;
  Url(const Url&) = delete;
  Url& operator=(const Url&) = delete;
  void copy_from(const Url& other);
  void reset();

  bool is_special() const;
  bool includes_credentials() const { return !username.empty() || !password.empty(); }
  // URL Standard: host null or empty, or the scheme is "file".
  bool cannot_have_username_password_port() const;
  // Segments of a non-opaque path ("/a/b" holds two).
  size_t path_size() const;

  // The record's fields. `path` is the opaque path when `opaque_path`, else its segments each
  // preceded by '/' (segments never hold a '/': the parser ends a segment there); `port` is -1
  // for null; `query` and `fragment` are null unless has_query / has_fragment.
  FixedText<kComponentCapacity> scheme;
  FixedText<kComponentCapacity> username;
  FixedText<kComponentCapacity> password;
  FixedText<kComponentCapacity> host;  // serialized
  FixedText<kComponentCapacity> path;
  FixedText<kComponentCapacity> query;
  FixedText<kComponentCapacity> fragment;
  HostKind host_kind = HostKind::kNull;
  int32_t port = -1;
  bool opaque_path = false;
  bool has_query = false;
  bool has_fragment = false;
};

// Where the basic URL parser starts; kNone runs it as the URL constructor does.
enum class UrlState : uint8_t {
  kNone,
  kSchemeStart,
  kScheme,
  kNoScheme,
  kSpecialRelativeOrAuthority,
  kPathOrAuthority,
  kRelative,
  kRelativeSlash,
  kSpecialAuthoritySlashes,
  kSpecialAuthorityIgnoreSlashes,
  kAuthority,
  kHost,
  kHostname,
  kPort,
  kFile,
  kFileSlash,
  kFileHost,
  kPathStart,
  kPath,
  kOpaquePath,
  kQuery,
  kFragment,
};

// The URL constructor: parses `input` against `base` (null: none) into `url`. `planted`: bug
// knobs (os/core/bug_knobs.h), for the fuzz campaigns' planted bug.
UrlStatus parse_url(StringView input, const Url* base, Url& url, uint32_t planted = 0);
// The basic URL parser with a state override, acting on an existing `url` (the setters).
UrlStatus parse_url_with_override(StringView input, Url& url, UrlState state_override);

// The URL serializer (href).
void serialize_url(const Url& url, TextSink& out, bool exclude_fragment = false);
// The scheme's default port, -1 when it has none.
int32_t default_port(StringView scheme);
bool is_special_scheme(StringView scheme);

}  // namespace rayos::web
