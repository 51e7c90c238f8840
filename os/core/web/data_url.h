#pragma once
// data: URLs (Fetch Standard, "data: URL processor") and the forgiving-base64 decoder (Infra)
// they use.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/web/mime_type.h"
#include "os/core/web/text.h"
#include "os/core/web/url.h"

namespace rayos::web {

enum class DataUrlStatus : uint8_t { kOk, kFailure, kTooLong };

// Forgiving-base64 decode of `data` (bytes; ASCII whitespace is ignored) into `out`.
DataUrlStatus forgiving_base64_decode(StringView data, TextSink& out);

// Processes a parsed URL whose scheme is "data": its MIME type (text/plain;charset=US-ASCII when
// the one given does not parse) and its body bytes.
DataUrlStatus process_data_url(const Url& url, MimeType& mime, TextSink& body);

}  // namespace rayos::web
