// logout_unsaved (docs/e2e.md): logout with unsaved work. A session of `apps` ring-3 docapps,
// each with a window on the compositor that belongs to its process; every app makes `edits`
// edits, and the odd ones save theirs (autosave) while the even ones keep them unsaved. At
// logout the session manager asks every app to quit: an app with unsaved work answers "save
// first", saves and exits, the others exit at once; the session ends only when all have. Checked:
// each app's answer, every document saved with the content it had (computed again from the
// seed), every process gone from the process table with exit 0, and the windows gone with their
// processes (the compositor's tables and the framebuffer). Screenshotted before and after.
#include "os/core/theme.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/process.h"
#include "os/workloads/doc_apps.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"apps", 2, 6, 6}, {"edits", 1, 10000, 40}};
enum Param : size_t { kApps, kEdits };

constexpr uint64_t kMs = 1'000'000;
constexpr uint32_t kAutosaveOdd = 0xaaaaaaaa;
// Each edit takes the app a sleep of at least 1 ms: edits x 4 ms leaves room for the saves too.
constexpr uint64_t kMsPerEdit = 4;
constexpr uint64_t kLogoutNs = 2000 * kMs;

struct Saves {
  document::Message latest[DocApps::kMax];
  bool any[DocApps::kMax];
};

bool store_in_memory(void* context, const document::Message& save) {
  Saves& saves = *static_cast<Saves*>(context);
  saves.latest[save.app] = save;
  saves.any[save.app] = true;
  return true;
}

// Whether every app answered the logout as its work was: detail "3_save_first_3_nothing_to_save"
// or the first that did not.
bool answers_as_expected(const DocApps& apps, uint32_t edits, TextBuffer& detail) {
  uint32_t first = 0, nothing = 0;
  for (uint32_t i = 0; i < apps.count; ++i) {
    const bool unsaved = ((kAutosaveOdd >> i) & 1) == 0;
    const uint32_t want = unsaved ? document::kSaveFirst : document::kNothingToSave;
    if (apps.answer[i] != want || apps.answered_version[i] != edits) {
      detail.clear();
      detail.add("app_").add(uint64_t{i}).add("_answered_").add(uint64_t{apps.answer[i]});
      detail.add("_at_version_").add(uint64_t{apps.answered_version[i]});
      detail.add("_want_").add(uint64_t{want}).add("_at_").add(uint64_t{edits});
      return false;
    }
    (unsaved ? first : nothing) += 1;
  }
  detail.clear();
  detail.add(uint64_t{first}).add("_save_first_").add(uint64_t{nothing}).add("_nothing_to_save");
  return true;
}

// Whether every app's last save holds its document after `edits` edits.
bool work_saved(const DocApps& apps, const Saves& saves, uint32_t edits, TextBuffer& detail) {
  uint32_t saved = 0;
  TextBuffer first_lost;
  for (uint32_t i = 0; i < apps.count; ++i) {
    const document::Doc want = document::at_version(apps.seed, i, edits);
    if (saves.any[i] && document::holds(saves.latest[i], want)) {
      ++saved;
    } else if (first_lost.view().empty()) {
      first_lost.add("_app_").add(uint64_t{i}).add("_lost_work_saved_version_");
      first_lost.add(uint64_t{saves.any[i] ? saves.latest[i].version : 0});
      first_lost.add("_want_").add(uint64_t{edits});
    }
  }
  count_of(detail, saved, apps.count);
  detail.add(first_lost.view());
  return saved == apps.count;
}

// Whether the screen shows the bare desktop where each window was.
bool windows_gone(const Window* windows, uint32_t n, TextBuffer& detail) {
  const uint32_t desktop = screen_pixel(0, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const compositor::Rect& r = windows[i].rect;
    const uint32_t got = screen_pixel(r.x + r.w / 2, r.y + r.h / 2);
    if (got != desktop) {
      detail.clear();
      detail.add("window_").add(uint64_t{i}).add("_still_drawn_").add(Hex{got});
      return false;
    }
  }
  count_of(detail, n, n);
  return true;
}

uint32_t run(const kernel::ScenarioContext& context) {
  const uint32_t n = static_cast<uint32_t>(context.params[kApps]);
  const uint32_t edits = static_cast<uint32_t>(context.params[kEdits]);
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("logout_unsaved");
  if (!start_desktop(it, context.seed)) return it.complete();
  DocApps apps;
  TextBuffer detail;
  const uint32_t started = doc_apps_start(apps, n, context.seed, edits, kAutosaveOdd);
  if (!it.verify("apps_started", started == n, count_of(detail, started, n))) {
    doc_apps_close(apps);
    finish_desktop(it, before);
    return it.complete();
  }
  Window windows[6];
  const compositor::Rect places[6] = {{20, 20, 180, 140},   {230, 20, 180, 140},
                                      {440, 20, 180, 140},  {20, 250, 180, 140},
                                      {230, 250, 180, 140}, {440, 250, 180, 140}};
  const uint32_t accents[6] = {0xff2080ff, 0xffe04040, 0xff40c040,
                               0xffe0c020, 0xffa040e0, 0xff20c0c0};
  open_windows(it, windows, places, accents, n, kLightTheme, apps.pids);
  it.milestone("session_started");
  Saves saves{};
  const DocStorage storage{store_in_memory, &saves};
  doc_apps_serve(apps, storage, kernel::uptime_ns() + edits * kMsPerEdit * kMs, false);
  uint32_t autosaved = 0;
  for (uint32_t i = 1; i < n; i += 2) autosaved += apps.stored_version[i] == edits ? 1 : 0;
  it.verify("autosaved", autosaved == n / 2, count_of(detail, autosaved, n / 2));
  compose_now();
  it.screenshot("session");

  it.milestone("logout_requested");
  doc_apps_ask_quit(apps);
  doc_apps_serve(apps, storage, kernel::uptime_ns() + kLogoutNs, true);
  it.milestone("all_exited");
  // Each check fills `detail` before its VERIFY reads it.
  const bool answered = answers_as_expected(apps, edits, detail);
  it.verify("answers", answered, detail.view());
  const bool saved = work_saved(apps, saves, edits, detail);
  it.verify("work_saved", saved, detail.view());
  const uint32_t clean = doc_apps_exited_cleanly(apps);
  const size_t left = kernel::live_user_processes();
  count_of(detail, clean, n);
  detail.add("_exited_0_processes_left_").add(uint64_t{left});
  it.verify("apps_exited", clean == n && left == 0, detail.view());
  // The apps' windows went with their processes: nothing of them is left to close.
  const compositor::Stats tables = kernel::compositor_tables();
  detail.clear();
  detail.add("clients_").add(uint64_t{tables.clients}).add("_surfaces_");
  detail.add(uint64_t{tables.surfaces});
  it.verify("windows_released", tables.clients == 0 && tables.surfaces == 0, detail.view());
  compose_now();
  const bool gone = windows_gone(windows, n, detail);
  it.verify("windows_gone", gone, detail.view());
  it.screenshot("logged_out");
  doc_apps_close(apps);
  it.milestone("session_ended");
  finish_desktop(it, before);
  return it.complete();
}

}  // namespace

const kernel::Scenario kLogoutUnsaved = kernel::make_scenario("logout_unsaved", kParams, run);

}  // namespace rayos::workloads
