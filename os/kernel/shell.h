#pragma once
// The serial shell, run when the command line names no scenario: reads lines from COM1 and runs
// `run <scenario> [key=value]...` and `metrics` (SYS:METRICS); anything else prints SHELL:ERROR
// and the shell keeps reading.
#include <stdint.h>

namespace rayos::kernel {

// Registers the UART receive interrupt (bytes go to a ring until the shell reads them).
void shell_input_init();

[[noreturn]] void run_shell(uint64_t default_seed);

}  // namespace rayos::kernel
