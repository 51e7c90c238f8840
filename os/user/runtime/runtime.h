#pragma once
// What every ring-3 program gets besides the system calls: its entry point's signature and
// small logging helpers (PROC:LOG:<pid>:<text>).
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/user/runtime/syscall.h"

// Each program defines this; its return value is the exit code.
extern "C" uint64_t rayos_main(uint64_t arg0, uint64_t arg1, uint64_t arg2, uint64_t arg3);

namespace rayos::user {

void log_text(StringView text);
// Logs "<name>=<value>".
void log_value(StringView name, uint64_t value);

}  // namespace rayos::user
