#pragma once
// A WPT message as one marker field (docs/schema.md: printable ASCII except ':', '#' and space):
// every other byte, and '%', becomes %XX. The host decodes it back to the message's bytes.
#include <stddef.h>

#include "os/core/string_view.h"
#include "os/core/web/text.h"

namespace rayos::wpt {

// Appends `message` escaped to `out`, cut before an escape would not fit `max_bytes`.
void escape_message(StringView message, web::TextSink& out, size_t max_bytes);

}  // namespace rayos::wpt
