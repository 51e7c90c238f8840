#include "os/kernel/clock.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/arch/x86_64/pic_pit.h"
#include "os/kernel/console.h"

namespace rayos::kernel {
namespace {

constexpr uint64_t kHeartbeatMs = 1000;

// Written by the tick handler only; read with atomic loads by everyone else.
constinit uint64_t tick_count = 0;
constinit bool heartbeats = false;
constinit uint64_t next_heartbeat_ms = kHeartbeatMs;
constinit uint64_t previous_tick_tsc = 0;
constinit uint64_t tick_cycles[kCalibrationTicks]{};
constinit TscScale scale{};
// Uptime at the end of calibration, and the TSC then: the origin of TSC-based uptime.
constinit uint64_t anchor_ns = 0;
constinit uint64_t anchor_tsc = 0;
// TSC cycles spent in host waits: not part of uptime.
constinit uint64_t host_waited_tsc = 0;
constinit bool host_waiting = false;
using TickHook = void (*)();
constinit TickHook tick_hook = nullptr;

// Call with interrupts disabled (the tick handler writes these).
uint64_t uptime_ns_locked(uint64_t tsc) {
  if (scale.valid()) return anchor_ns + scale.to_ns(tsc - anchor_tsc - host_waited_tsc);
  return pit_ticks_to_ns(tick_count);
}

void on_tick() {
  uint64_t tsc = arch::rdtsc();
  uint64_t now = tick_count + 1;
  __atomic_store_n(&tick_count, now, __ATOMIC_RELEASE);
  if (now > 1 && now <= 1 + kCalibrationTicks) {
    tick_cycles[now - 2] = tsc - previous_tick_tsc;
    if (now == 1 + kCalibrationTicks) {
      anchor_ns = pit_ticks_to_ns(now);
      anchor_tsc = tsc;
      scale = TscScale::from_window(median_in_place(tick_cycles, kCalibrationTicks),
                                    pit_ticks_to_ns(1));
    }
  }
  previous_tick_tsc = tsc;
  if (host_waiting) return;
  if (__atomic_load_n(&heartbeats, __ATOMIC_ACQUIRE)) {
    uint64_t ms = uptime_ns_locked(tsc) / 1000000;
    if (ms >= next_heartbeat_ms) {
      emit<markers::kSysHeartbeat>(ms);
      next_heartbeat_ms = (ms / kHeartbeatMs + 1) * kHeartbeatMs;
    }
  }
  if (tick_hook != nullptr) tick_hook();
}

}  // namespace

void clock_init() {
  arch::set_irq_handler(arch::kTimerIrq, on_tick);
  arch::pit_init();
}

uint64_t ticks() { return __atomic_load_n(&tick_count, __ATOMIC_ACQUIRE); }

uint64_t uptime_ns() {
  arch::InterruptGuard guard;
  return uptime_ns_locked(arch::rdtsc());
}

uint64_t uptime_ms() { return uptime_ns() / 1000000; }

uint64_t wait_for_tick() {
  uint64_t start = ticks();
  for (;;) {
    arch::cli();
    uint64_t now = ticks();
    if (now != start) {
      arch::sti();
      return now;
    }
    arch::sti_hlt();
  }
}

uint64_t begin_host_wait() {
  arch::InterruptGuard guard;
  host_waiting = true;
  return arch::rdtsc();
}

void end_host_wait(uint64_t begun) {
  wait_for_tick();
  arch::InterruptGuard guard;
  host_waited_tsc += arch::rdtsc() - begun;
  host_waiting = false;
}

bool in_host_wait() {
  arch::InterruptGuard guard;
  return host_waiting;
}

void start_heartbeats() {
  arch::InterruptGuard guard;
  next_heartbeat_ms = (uptime_ms() / kHeartbeatMs + 1) * kHeartbeatMs;
  __atomic_store_n(&heartbeats, true, __ATOMIC_RELEASE);
}

void set_tick_hook(void (*hook)()) {
  arch::InterruptGuard guard;
  tick_hook = hook;
}

TscScale tsc_scale() {
  arch::InterruptGuard guard;
  return scale;
}

TscScale wait_for_tsc_calibration() {
  while (!tsc_scale().valid()) wait_for_tick();
  return tsc_scale();
}

}  // namespace rayos::kernel
