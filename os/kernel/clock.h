#pragma once
// The kernel's time: PIT ticks at ~1000 Hz, the TSC calibrated against them in the background
// after boot (no busy-wait before BOOT:READY), and the heartbeat printed from the tick while a
// scenario runs.
//
// Uptime counts ticks until the TSC is calibrated, then follows the TSC from that point. Ticks
// alone fall behind when QEMU is busy: PIT edges that come while the previous IRQ is still
// pending merge (measured: 53 heartbeats during a 61 s flood of 1,000,000 markers).
#include <stdint.h>

#include "os/core/clock_math.h"

namespace rayos::kernel {

// Tick lengths measured to calibrate the TSC (the median is used), from the first tick after
// clock_init().
inline constexpr uint64_t kCalibrationTicks = 100;

// Programs the PIT and registers the tick handler (interrupts still off).
void clock_init();
uint64_t ticks();
uint64_t uptime_ns();
uint64_t uptime_ms();
// Waits (hlt) for the next tick; returns its number.
uint64_t wait_for_tick();

// From now on, SYS:HEARTBEAT every 1000 ms of uptime.
void start_heartbeats();

// Called at the end of every timer interrupt (the scheduler's tick), interrupts off.
void set_tick_hook(void (*hook)());

// Invalid until kCalibrationTicks ticks have passed; wait_for_tsc_calibration() waits for it.
TscScale tsc_scale();
TscScale wait_for_tsc_calibration();

}  // namespace rayos::kernel
