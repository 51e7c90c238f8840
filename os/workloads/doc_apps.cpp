#include "os/workloads/doc_apps.h"

#include "os/core/syscall_abi.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/ipc.h"
#include "os/kernel/sched.h"

namespace rayos::workloads {
namespace {

constexpr uint64_t kPollNs = 1'000'000;

void send(DocApps& apps, uint32_t app, document::Kind kind, uint32_t version) {
  document::Doc doc{};
  doc.version = version;
  const document::Message m = document::make(kind, app, doc);
  kernel::ipc_send(static_cast<uint32_t>(apps.in[app]), &m, sizeof m, true);
}

void handle(DocApps& apps, const DocStorage& storage, const document::Message& m) {
  switch (m.kind) {
    case document::kSave:
      if (!storage.store(storage.context, m)) return;
      apps.stored_version[m.app] = m.version;
      send(apps, m.app, document::kSaved, m.version);
      return;
    case document::kSaveFirst:
      // The planted bug ends the app at once instead of waiting for the save it announced.
      if (kernel::planted(kBugLogoutKillUnsaved)) kernel::kill_process(apps.pids[m.app], "logout");
      [[fallthrough]];
    case document::kNothingToSave:
      apps.answer[m.app] = m.kind;
      apps.answered_version[m.app] = m.version;
      return;
    default:
      ++apps.damaged;
  }
}

// Collects the apps that ended, without waiting.
bool all_ended(DocApps& apps) {
  uint32_t pid = 0;
  kernel::ExitStatus status;
  while (kernel::wait_child(0, 0, pid, status)) {
    for (uint32_t i = 0; i < apps.count; ++i) {
      if (apps.pids[i] != pid) continue;
      apps.ended[i] = true;
      apps.status[i] = status;
    }
  }
  for (uint32_t i = 0; i < apps.count; ++i)
    if (!apps.ended[i]) return false;
  return true;
}

}  // namespace

uint32_t doc_apps_start(DocApps& apps, uint32_t count, uint64_t seed, uint32_t edits,
                        uint32_t autosave) {
  apps = DocApps{};
  apps.seed = seed & 0xffffffff;
  apps.out = kernel::ipc_create(0, abi::kMaxQueueCapacity);
  uint32_t started = 0;
  for (uint32_t i = 0; i < count && i < DocApps::kMax && apps.out >= 0; ++i) {
    apps.in[i] = kernel::ipc_create(0, 4);
    if (apps.in[i] < 0) break;
    const uint64_t config =
        apps.seed << 32 | uint64_t{(autosave >> i) & 1} << 31 | (edits & 0x7fffffff);
    const int64_t pid = kernel::spawn(kernel::SpawnRequest{
        "docapp", {i, static_cast<uint64_t>(apps.in[i]), static_cast<uint64_t>(apps.out), config}});
    apps.count = i + 1;
    if (pid <= 0) {
      apps.ended[i] = true;
      continue;
    }
    apps.pids[i] = static_cast<uint32_t>(pid);
    ++started;
  }
  return started;
}

void doc_apps_ask_quit(DocApps& apps) {
  for (uint32_t i = 0; i < apps.count; ++i)
    if (!apps.ended[i]) send(apps, i, document::kQuitRequest, 0);
}

void doc_apps_serve(DocApps& apps, const DocStorage& storage, uint64_t until_ns,
                    bool until_all_ended) {
  while (kernel::uptime_ns() < until_ns) {
    document::Message m{};
    const int64_t size =
        kernel::ipc_recv(static_cast<uint32_t>(apps.out), &m, sizeof m, /*block=*/false);
    if (size >= 0) {
      if (document::intact(m, size) && m.app < apps.count) {
        handle(apps, storage, m);
      } else {
        ++apps.damaged;
      }
      continue;
    }
    if (all_ended(apps) && until_all_ended) return;
    kernel::sleep_until(kernel::uptime_ns() + kPollNs);
  }
}

uint32_t doc_apps_exited_cleanly(const DocApps& apps) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < apps.count; ++i)
    if (apps.ended[i] && apps.status[i].kind == kernel::ExitKind::kExited &&
        apps.status[i].code == 0)
      ++n;
  return n;
}

void doc_apps_close(DocApps& apps) {
  kernel::reap_children();
  if (apps.out >= 0) kernel::ipc_close(static_cast<uint32_t>(apps.out), 0);
  for (uint32_t i = 0; i < apps.count; ++i)
    if (apps.in[i] >= 0) kernel::ipc_close(static_cast<uint32_t>(apps.in[i]), 0);
  apps.out = -1;
  apps.count = 0;
}

}  // namespace rayos::workloads
