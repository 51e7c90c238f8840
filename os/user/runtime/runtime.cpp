#include "os/user/runtime/runtime.h"

#include "os/core/text_buffer.h"

namespace rayos::user {

void log_text(StringView text) { log(text.data(), text.size()); }

void log_value(StringView name, uint64_t value) {
  TextBuffer line;
  line.add(name).add("=").add(value);
  log_text(line.view());
}

}  // namespace rayos::user
