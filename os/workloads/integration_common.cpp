#include "os/workloads/integration_common.h"

#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/ipc.h"
#include "os/kernel/process.h"

namespace rayos::workloads {

StringView count_of(TextBuffer& detail, uint64_t got, uint64_t of) {
  detail.clear();
  detail.add(got).add("_of_").add(of);
  return detail.view();
}

bool start_desktop(kernel::Integration& it, uint64_t seed) {
  kernel::CompositorOptions options;
  options.seed = seed;
  const bool ok = kernel::compositor_start(options);
  it.verify("compositor_started", ok, ok ? "640x480" : "out_of_memory");
  return ok;
}

bool verify_windows(kernel::Integration& it, StringView check, const Window* windows, uint32_t n,
                    const Theme& theme) {
  TextBuffer detail;
  for (uint32_t i = 0; i < n; ++i) {
    detail.clear();
    if (!window_on_screen(windows[i], theme, detail)) {
      TextBuffer which;
      which.add("window_").add(uint64_t{i}).add("_").add(detail.view());
      return it.verify(check, false, which.view());
    }
  }
  return it.verify(check, true, count_of(detail, n, n));
}

bool open_windows(kernel::Integration& it, Window* windows, const compositor::Rect* places,
                  const uint32_t* accents, uint32_t n, const Theme& theme, const uint32_t* owners) {
  TextBuffer detail;
  uint32_t opened = 0;
  int64_t error = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t owner = owners != nullptr ? owners[i] : kDesktopPidBase + i;
    if (window_open(windows[i], owner, places[i], accents[i], theme, error)) ++opened;
  }
  if (!it.verify("windows_opened", opened == n, count_of(detail, opened, n))) return false;
  compose_now();
  return verify_windows(it, "windows_on_screen", windows, n, theme);
}

namespace {

constexpr uint64_t kPing = 0, kPong = 1;  // os/user/programs/pingpong.cpp's roles

// Collects `pid`, killed if it has not ended by `until`; whether it exited 0 by itself.
bool exited_cleanly(uint32_t pid, uint64_t until) {
  uint32_t which = 0;
  kernel::ExitStatus status;
  if (pid == 0) return false;
  if (kernel::wait_child(pid, until, which, status))
    return status.kind == kernel::ExitKind::kExited && status.code == 0;
  if (kernel::kill_process(pid, "killed_by_kernel")) kernel::wait_child(pid, 0, which, status);
  return false;
}

}  // namespace

bool background_ipc_start(kernel::Integration& it, BackgroundIpc& b, uint64_t messages) {
  b = BackgroundIpc{};
  b.queues[0] = kernel::ipc_create(0, 8);
  b.queues[1] = kernel::ipc_create(0, 8);
  if (b.queues[0] >= 0 && b.queues[1] >= 0) {
    const uint64_t a = static_cast<uint64_t>(b.queues[0]), c = static_cast<uint64_t>(b.queues[1]);
    const int64_t pong = kernel::spawn(kernel::SpawnRequest{"pingpong", {kPong, a, c, messages}});
    const int64_t ping = kernel::spawn(kernel::SpawnRequest{"pingpong", {kPing, c, a, messages}});
    b.pong = pong > 0 ? static_cast<uint32_t>(pong) : 0;
    b.ping = ping > 0 ? static_cast<uint32_t>(ping) : 0;
  }
  TextBuffer detail;
  detail.add("ping_").add(uint64_t{b.ping}).add("_pong_").add(uint64_t{b.pong});
  return it.verify("background_ipc_started", b.ping != 0 && b.pong != 0, detail.view());
}

void background_ipc_finish(kernel::Integration& it, BackgroundIpc& b) {
  const uint64_t until = kernel::uptime_ns() + 30 * kSecondNs;
  const bool ping = exited_cleanly(b.ping, until);
  const bool pong = exited_cleanly(b.pong, until);
  for (int64_t q : b.queues)
    if (q >= 0) kernel::ipc_close(static_cast<uint32_t>(q), 0);
  TextBuffer detail;
  detail.add(ping ? "ping_exited_0" : "ping_failed").add(pong ? "_pong_exited_0" : "_pong_failed");
  it.verify("background_ipc", ping && pong, detail.view());
  b = BackgroundIpc{};
}

void finish_desktop(kernel::Integration& it, const selftest::MemorySnapshot& before) {
  const compositor::Stats s = kernel::compositor_tables();
  TextBuffer detail;
  detail.add("clients_").add(uint64_t{s.clients}).add("_surfaces_").add(uint64_t{s.surfaces});
  detail.add("_buffers_").add(uint64_t{s.buffers});
  it.verify("compositor_empty", s.clients == 0 && s.surfaces == 0 && s.buffers == 0, detail.view());
  kernel::compositor_stop();
  kernel::reap_children();
  verify_nothing_leaked(it, before);
}

void verify_nothing_leaked(kernel::Integration& it, const selftest::MemorySnapshot& before) {
  const selftest::MemorySnapshot after = selftest::memory_snapshot();
  TextBuffer detail;
  detail.add("frames_").add(after.frames_used).add("_was_").add(before.frames_used);
  detail.add("_heap_blocks_").add(after.heap_live_blocks).add("_was_").add(before.heap_live_blocks);
  it.verify("nothing_leaked",
            after.frames_used == before.frames_used &&
                after.heap_live_blocks == before.heap_live_blocks &&
                after.committed_pages == before.committed_pages && after.queues == before.queues,
            detail.view());
}

}  // namespace rayos::workloads
