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

// A wait whose length only the host decides (the harness taking a screenshot, QEMU completing a
// disk request) must leave no trace in the guest, or a deterministic run would not repeat: while
// it lasts no other task runs and the scheduler's tick is skipped; at its end it resumes on the
// next timer tick and the whole wait is taken off uptime, so every clock and the timer's phase
// against the guest's work are as if it had not happened. The waiting task must not yield or
// sleep meanwhile (wait_for_tick() and halting are fine). begin_host_wait() needs a calibrated
// TSC; its result goes to end_host_wait(). Uptime read during the wait runs on and is undone.
uint64_t begin_host_wait();
void end_host_wait(uint64_t begun);
bool in_host_wait();

// From now on, SYS:HEARTBEAT every 1000 ms of uptime.
void start_heartbeats();

// Called at the end of every timer interrupt (the scheduler's tick), interrupts off.
void set_tick_hook(void (*hook)());

// Invalid until kCalibrationTicks ticks have passed; wait_for_tsc_calibration() waits for it.
TscScale tsc_scale();
TscScale wait_for_tsc_calibration();

}  // namespace rayos::kernel
