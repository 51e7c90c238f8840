#pragma once
// The URL API (URL Standard, "API"): the URL object's getters (href, origin, protocol, ...,
// searchParams) and setters, as the WPT url/ suites exercise them.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"
#include "os/core/web/url.h"

namespace rayos::web {

enum class UrlAttribute : uint8_t {
  kHref,
  kOrigin,
  kProtocol,
  kUsername,
  kPassword,
  kHost,
  kHostname,
  kPort,
  kPathname,
  kSearch,
  kHash,
  kSearchParams,  // url.searchParams.toString()
};

// "href" -> kHref, ...; false for a name that is none of them.
bool url_attribute_from_name(StringView name, UrlAttribute& out);
StringView url_attribute_name(UrlAttribute attribute);

// The getter's value. Only origin can fail: a blob: URL's origin parses its path as a URL.
UrlStatus get_url_attribute(const Url& url, UrlAttribute attribute, TextSink& out);

// The setter. kFailure only where the API throws (href with an unparsable value, and the
// read-only origin and searchParams); a value the standard ignores leaves `url` as it was and
// is kOk, as in a browser.
UrlStatus set_url_attribute(Url& url, UrlAttribute attribute, StringView value);

// application/x-www-form-urlencoded: parses `input` into name/value pairs and serializes them
// again (what URLSearchParams' toString() gives for a URL's query).
void reserialize_form_urlencoded(StringView input, TextSink& out);

}  // namespace rayos::web
