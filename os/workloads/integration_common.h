#pragma once
// What the integration scenarios (os/workloads/integration_*.cpp) share: the desktop's start
// and end with their checks, opening and checking a set of windows, and VERIFY details.
#include <stdint.h>

#include "os/core/text_buffer.h"
#include "os/core/theme.h"
#include "os/kernel/integration.h"
#include "os/workloads/desktop.h"
#include "os/workloads/selftest/test_support.h"

namespace rayos::workloads {

inline constexpr uint64_t kSecondNs = 1'000'000'000;

// "3_of_4" into `detail` (cleared first); returns its view.
StringView count_of(TextBuffer& detail, uint64_t got, uint64_t of);

// Starts the compositor (640 x 480) and the display when there is one; VERIFY compositor_started.
bool start_desktop(kernel::Integration& it, uint64_t seed);
// Opens `n` windows, composes a frame and checks each on screen: VERIFY windows_opened and
// windows_on_screen (the first window that is not where it should be, and what its pixels were).
// Window i belongs to owners[i] (a process whose end the compositor releases them with), or
// without owners to a kernel-side client of its own.
bool open_windows(kernel::Integration& it, Window* windows, const compositor::Rect* places,
                  const uint32_t* accents, uint32_t n, const Theme& theme,
                  const uint32_t* owners = nullptr);
// Whether every window shows `theme` where it should: VERIFY `check`.
bool verify_windows(kernel::Integration& it, StringView check, const Window* windows, uint32_t n,
                    const Theme& theme);
// Two ring-3 pingpong processes (os/user/programs/pingpong.cpp) exchanging `messages` checked
// IPC round trips through two kernel-owned queues: load on the scheduler, IPC and memory that
// does not draw. finish waits for both, kills what has not ended within 30 s, and closes the
// queues (VERIFY background_ipc: both exited 0); the scenario's other children go on.
struct BackgroundIpc {
  uint32_t ping = 0, pong = 0;
  int64_t queues[2] = {-1, -1};
};
bool background_ipc_start(kernel::Integration& it, BackgroundIpc& b, uint64_t messages);
void background_ipc_finish(kernel::Integration& it, BackgroundIpc& b);

// Checks that the memory, heap and queues are as in `before` (VERIFY nothing_leaked).
void verify_nothing_leaked(kernel::Integration& it, const selftest::MemorySnapshot& before);
// Stops the compositor after checking it holds nothing (VERIFY compositor_empty), then that the
// memory, heap and queues are as in `before` (VERIFY nothing_leaked).
void finish_desktop(kernel::Integration& it, const selftest::MemorySnapshot& before);

}  // namespace rayos::workloads
