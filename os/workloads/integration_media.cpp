// media_playback and fullscreen_video (docs/e2e.md): a ring-3 decoder (os/user/programs/
// decoder.cpp) plays `frames` frames of a run-length-coded stream at `fps` into its compositor
// surface — a 320 x 240 window over the desktop's windows, or the whole 640 x 480 screen — while
// `apps` ring-3 VirtualClients draw and commit 30 times a second behind it, two pingpong
// processes exchange IPC round trips and a spinner wants the CPU for the whole playback. The kernel
// reads the frame number each composed frame shows (the stream's timecode pixel) on the
// framebuffer: a frame is on time when it is first on screen at most one display frame (1/60 s)
// after it is due (frame 0's first time plus n / fps), dropped when it never is. Checked: frame
// pacing (>= 95 % on time, none dropped), the background apps' progress during playback (commits
// counted by the compositor, the IPC round trips done), and everything released after. The last
// frame is checked pixel by pixel and screenshotted.
#include "os/arch/x86_64/interrupts.h"
#include "os/core/rle_video.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"frames", 10, 600, 60}, {"fps", 1, 60, 30}, {"apps", 1, 8, 3}};
enum Param : size_t { kFrames, kFps, kApps };

constexpr uint32_t kMaxFrames = 600;
constexpr uint64_t kDisplayFrameNs = kSecondNs / 60;
constexpr uint64_t kRoundTrips = 2000;

struct Layout {
  StringView scenario;
  int32_t x, y;
  uint32_t width, height;
  bool desktop_windows;  // the desktop's own windows under the video
};

// What the screen showed, frame by frame.
struct Watch {
  const kernel::Integration* it;
  int32_t x, y;
  uint32_t frames;
  uint64_t first_seen_us[kMaxFrames];  // 0: never
  uint32_t commits[Apps::kMax];        // by each background app
  const Apps* apps;
};

void on_frame(void* context) {
  Watch& w = *static_cast<Watch*>(context);
  const uint32_t pixel = screen_pixel(w.x, w.y);
  const uint32_t seq = video::stamp_seq(pixel);
  if (pixel == video::stamp(seq) && seq < w.frames && w.first_seen_us[seq] == 0)
    w.first_seen_us[seq] = w.it->now_us();
}

void on_commit(void* context, uint32_t pid, uint64_t, uint64_t) {
  Watch& w = *static_cast<Watch*>(context);
  for (uint32_t i = 0; i < w.apps->count; ++i)
    if (w.apps->pids[i] == pid) ++w.commits[i];
}

// VERIFY frame_pacing and frames_dropped from what the screen showed.
void verify_pacing(kernel::Integration& it, const Watch& w, uint64_t fps) {
  const uint64_t t0 = w.first_seen_us[0];
  uint32_t shown = 0, on_time = 0;
  uint64_t worst_late_us = 0;
  TextBuffer first_dropped;
  for (uint32_t seq = 0; seq < w.frames; ++seq) {
    if (w.first_seen_us[seq] == 0 || t0 == 0) {
      if (first_dropped.view().empty()) first_dropped.add("_first_").add(uint64_t{seq});
      continue;
    }
    ++shown;
    const uint64_t due = t0 + seq * kSecondNs / fps / 1000;
    const uint64_t late = w.first_seen_us[seq] > due ? w.first_seen_us[seq] - due : 0;
    if (late > worst_late_us) worst_late_us = late;
    if (late <= kDisplayFrameNs / 1000) ++on_time;
  }
  TextBuffer detail;
  count_of(detail, on_time, w.frames);
  detail.add("_on_time_worst_late_us_").add(worst_late_us);
  it.verify("frame_pacing", on_time * 100 >= 95 * uint64_t{w.frames}, detail.view());
  const uint32_t dropped = w.frames - shown;
  detail.clear();
  detail.add(uint64_t{dropped}).add("_of_").add(uint64_t{w.frames}).add(first_dropped.view());
  it.verify("no_frame_dropped", dropped == 0, detail.view());
}

// VERIFY last_frame_on_screen: every pixel of the video's place shows the stream's last frame,
// decoded again here from the same runs the decoder read.
void verify_last_frame(kernel::Integration& it, const Layout& layout, uint64_t seed,
                       uint32_t frames) {
  const size_t capacity = video::max_runs(layout.height);
  auto* runs =
      static_cast<video::Run*>(kernel::kmalloc(capacity * sizeof(video::Run), kernel::kKernelTag));
  const size_t n = runs == nullptr ? 0
                                   : video::encode_frame(seed, frames - 1, layout.width,
                                                         layout.height, runs, capacity);
  uint64_t at = 0, same = 0;
  TextBuffer first_bad;
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t k = 0; k < runs[i].length; ++k, ++at) {
      const int32_t x = layout.x + static_cast<int32_t>(at % layout.width);
      const int32_t y = layout.y + static_cast<int32_t>(at / layout.width);
      const uint32_t got = screen_pixel(x, y);
      if (got == runs[i].color) {
        ++same;
      } else if (first_bad.view().empty()) {
        first_bad.add("_pixel_").add(uint64_t(x)).add("_").add(uint64_t(y)).add("_");
        first_bad.add(Hex{got}).add("_want_").add(Hex{runs[i].color});
      }
    }
  }
  kernel::kfree(runs);
  const uint64_t total = uint64_t{layout.width} * layout.height;
  TextBuffer detail;
  count_of(detail, same, total);
  detail.add(first_bad.view());
  it.verify("last_frame_on_screen", n > 0 && same == total, detail.view());
}

bool ended_cleanly(uint32_t pid) {
  const kernel::Process* p = kernel::find_process(pid);
  return p != nullptr && p->released && p->status.kind == kernel::ExitKind::kExited &&
         p->status.code == 0;
}

uint32_t play(const Layout& layout, const kernel::ScenarioContext& context) {
  const uint32_t frames = static_cast<uint32_t>(context.params[kFrames]);
  const uint64_t fps = context.params[kFps];
  const uint32_t n_apps = static_cast<uint32_t>(context.params[kApps]);
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it(layout.scenario);
  if (!start_desktop(it, context.seed)) return it.complete();
  TextBuffer detail;
  Window windows[2];
  const compositor::Rect places[2] = {{20, 20, 260, 180}, {360, 280, 260, 180}};
  const uint32_t accents[2] = {0xff2080ff, 0xffe04040};
  const uint32_t n_windows = layout.desktop_windows ? 2 : 0;
  if (n_windows > 0) open_windows(it, windows, places, accents, n_windows, kLightTheme);
  Apps apps;
  const uint32_t started = apps_start(apps, n_apps, context.seed);
  const uint32_t mapped = apps_wait_mapped(apps, 2 * kSecondNs);
  count_of(detail, mapped, n_apps);
  it.verify("apps_mapped", started == n_apps && mapped == n_apps, detail.view());
  BackgroundIpc background;
  background_ipc_start(it, background, kRoundTrips);
  // A background job that wants the CPU for the whole playback: the decoder competes for it.
  const uint64_t playback_ns = frames * kSecondNs / fps;
  const int64_t job = kernel::spawn(kernel::SpawnRequest{"spinner", {playback_ns / 1'000'000}});

  static Watch watch;  // too big for the scenario task's stack
  watch = Watch{&it, layout.x, layout.y, frames, {}, {}, &apps};
  const kernel::CompositorObserver observer{&watch, nullptr, on_commit, nullptr, nullptr, 0};
  kernel::compositor_observe(&observer);
  const uint64_t flags = kernel::planted(kBugDropFrames) ? 1 : 0;
  kernel::SpawnRequest decoder{
      "decoder",
      {uint64_t{layout.width} << 16 | layout.height, context.seed, uint64_t{frames} << 16 | fps,
       uint64_t{static_cast<uint16_t>(layout.x)} << 48 |
           uint64_t{static_cast<uint16_t>(layout.y)} << 32 | flags}};
  decoder.quota.max_pages = 2048;
  const int64_t pid = kernel::spawn_client_process(decoder);
  it.verify("decoder_started", pid > 0, pid > 0 ? StringView("decoder") : StringView("refused"));
  it.milestone("playback_started");
  // The whole stream, and a few display frames for the last one to reach the screen.
  kernel::compositor_run_until(kernel::uptime_ns() + playback_ns + 8 * kDisplayFrameNs, on_frame,
                               &watch);
  kernel::compositor_observe(nullptr);
  it.milestone("playback_done");
  verify_pacing(it, watch, fps);
  // The apps drew all along: each committed at least half its 30 a second during playback.
  uint32_t least = UINT32_MAX;
  for (uint32_t i = 0; i < apps.count; ++i)
    if (watch.commits[i] < least) least = watch.commits[i];
  const uint64_t want = frames * 15 / fps;
  const bool ipc_done = ended_cleanly(background.ping) && ended_cleanly(background.pong);
  const bool job_done = job > 0 && ended_cleanly(static_cast<uint32_t>(job));
  detail.clear();
  detail.add("least_commits_").add(uint64_t{least}).add("_want_").add(want);
  detail.add(ipc_done ? "_ipc_round_trips_done" : "_ipc_unfinished");
  detail.add(job_done ? "_cpu_job_done" : "_cpu_job_unfinished");
  it.verify("background_progress", apps.count == n_apps && least >= want && ipc_done && job_done,
            detail.view());
  compose_now();
  verify_last_frame(it, layout, context.seed, frames);
  it.screenshot("last_frame");

  uint32_t which = 0;
  kernel::ExitStatus status;
  const bool asked = pid > 0 && kernel::compositor_request_quit(static_cast<uint32_t>(pid));
  const bool exited = asked &&
                      kernel::wait_child(static_cast<uint32_t>(pid),
                                         kernel::uptime_ns() + 2 * kSecondNs, which, status) &&
                      status.kind == kernel::ExitKind::kExited && status.code == 0;
  it.verify("decoder_exited", exited, exited ? "exit_0" : "failed");
  background_ipc_finish(it, background);
  // Last: it collects (and would kill) every child left, the spinner among them.
  const uint32_t quit = apps_quit(apps, 2 * kSecondNs);
  it.verify("apps_quit", quit == n_apps, count_of(detail, quit, n_apps));
  it.milestone("playback_closed");
  for (uint32_t i = 0; i < n_windows; ++i) window_close(windows[i]);
  finish_desktop(it, before);
  return it.complete();
}

uint32_t media_playback(const kernel::ScenarioContext& context) {
  return play(Layout{"media_playback", 160, 120, 320, 240, true}, context);
}

uint32_t fullscreen_video(const kernel::ScenarioContext& context) {
  return play(Layout{"fullscreen_video", 0, 0, 640, 480, false}, context);
}

}  // namespace

const kernel::Scenario kMediaPlayback =
    kernel::make_scenario("media_playback", kParams, media_playback);
const kernel::Scenario kFullscreenVideo =
    kernel::make_scenario("fullscreen_video", kParams, fullscreen_video);

}  // namespace rayos::workloads
