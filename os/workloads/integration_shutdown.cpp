// shutdown_recovery (docs/e2e.md): emergency shutdown recovery across a reboot. First boot:
// `apps` ring-3 docapps edit their documents until rayos's power supervisor reports a power
// failure after `power_fail_ms`; each is asked to save and quit, the storage service writes
// every save to its sector of the virtio-blk disk, then a commit record naming each app's saved
// version, and the guest asks the harness for a power cycle (INTEGRATION:REBOOT). Next boot:
// the scenario finds the commit record, reads every document back and checks it against the
// content computed again from the seed at the committed version.
//
// Disk (512-byte sectors): 0 the journal record (working while the apps run, committed once
// every save is on disk), 1 + i app i's last save (a document::Message).
#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/crc32c.h"
#include "os/core/virtqueue.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/integration.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/virtio_blk.h"
#include "os/workloads/doc_apps.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {
    {"apps", 1, DocApps::kMax, 4}, {"power_fail_ms", 1, 60000, 200}, {"flush_ms", 1, 60000, 1000}};
enum Param : size_t { kApps, kPowerFailMs, kFlushMs };

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kJournalMagic = 0x4c4e524a534f5952;  // "RAYOSJRNL"-ish, little endian

struct Journal {
  uint64_t magic;
  uint64_t seed;
  uint32_t state;
  uint32_t apps;
  uint32_t versions[DocApps::kMax];
  uint32_t crc;  // of everything before it
};
enum State : uint32_t { kWorking = 1, kCommitted = 2 };

// One sector at a time through a buffer frame; the time each request waits for QEMU is off the
// scenario's clock.
struct Disk {
  kernel::Integration& it;
  uint64_t phys = 0;
  uint32_t skip_app = UINT32_MAX;  // the planted bug's

  template <typename T>
  T* buffer() const {
    return arch::phys_to_virt<T>(phys);
  }
  bool transfer(bool write, uint64_t sector) {
    const uint64_t wait = kernel::begin_host_wait();
    const kernel::BlkStatus status = write ? kernel::virtio_blk_write(sector, phys, 1)
                                           : kernel::virtio_blk_read(sector, phys, 1);
    kernel::end_host_wait(wait);
    return status == kernel::BlkStatus::kOk;
  }
  bool write(uint64_t sector) { return transfer(true, sector); }
  bool read(uint64_t sector) { return transfer(false, sector); }
  bool write_journal(const Journal& j) {
    Journal* out = buffer<Journal>();
    *out = j;
    out->crc = crc32c(out, offsetof(Journal, crc));
    return write(0);
  }
  // The journal this seed's first boot left, if the disk holds one.
  bool read_journal(uint64_t seed, Journal& j) {
    if (!read(0)) return false;
    j = *buffer<Journal>();
    return j.magic == kJournalMagic && j.seed == seed && j.apps <= DocApps::kMax &&
           j.crc == crc32c(&j, offsetof(Journal, crc));
  }
};

// The storage service: each save to the app's sector, read back before it is acknowledged.
bool store_on_disk(void* context, const document::Message& save) {
  Disk& disk = *static_cast<Disk*>(context);
  if (save.app == disk.skip_app) return true;
  *disk.buffer<document::Message>() = save;
  if (!disk.write(1 + save.app) || !disk.read(1 + save.app)) return false;
  return document::intact(*disk.buffer<document::Message>(), sizeof save);
}

uint32_t first_boot(kernel::Integration& it, const kernel::ScenarioContext& context, Disk& disk,
                    const selftest::MemorySnapshot& before) {
  const uint32_t n = static_cast<uint32_t>(context.params[kApps]);
  Journal journal{kJournalMagic, context.seed, kWorking, n, {}, 0};
  TextBuffer detail;
  // The planted bug acknowledges the last app's save without writing it.
  if (kernel::planted(kBugShutdownSkipFlush)) disk.skip_app = n - 1;
  if (!it.verify("journal_opened", disk.write_journal(journal), "working")) return it.complete();
  DocApps apps;
  const uint32_t started = doc_apps_start(apps, n, context.seed, 0, 0);
  it.verify("apps_started", started == n, count_of(detail, started, n));
  it.milestone("apps_working");
  const DocStorage storage{store_on_disk, &disk};
  // Until the power fails the apps only edit: nothing reaches the disk.
  doc_apps_serve(apps, storage, kernel::uptime_ns() + context.params[kPowerFailMs] * kMs, false);
  it.milestone("power_fail");
  doc_apps_ask_quit(apps);
  doc_apps_serve(apps, storage, kernel::uptime_ns() + context.params[kFlushMs] * kMs, true);
  uint32_t saved = 0, min_version = UINT32_MAX;
  for (uint32_t i = 0; i < apps.count; ++i) {
    const bool ok = apps.answer[i] == document::kSaveFirst &&
                    apps.stored_version[i] == apps.answered_version[i] && apps.ended[i];
    saved += ok ? 1 : 0;
    if (apps.stored_version[i] < min_version) min_version = apps.stored_version[i];
    journal.versions[i] = apps.stored_version[i];
  }
  const uint32_t clean = doc_apps_exited_cleanly(apps);
  count_of(detail, saved, n);
  detail.add("_saved_").add(uint64_t{clean}).add("_exited_0_min_version_");
  detail.add(uint64_t{min_version});
  it.verify("apps_flushed", saved == n && clean == n && min_version > 0, detail.view());
  it.milestone("all_saved");
  doc_apps_close(apps);

  journal.state = kCommitted;
  const bool committed = disk.write_journal(journal);
  Journal back{};
  const bool read_back =
      committed && disk.read_journal(context.seed, back) && back.state == kCommitted;
  it.verify("journal_committed", read_back, read_back ? "committed" : "write_or_read_back_failed");
  it.milestone("journal_committed");
  verify_nothing_leaked(it, before);
  it.reboot("power_cycle");
  it.verify("power_cycled", false, "no_reset_within_30_s");
  return it.complete();
}

// What a save on disk shows against the committed version; empty when it is that version.
void check_save(const document::Message& m, uint32_t app, uint32_t version, uint64_t seed,
                TextBuffer& problem) {
  problem.clear();
  problem.add("app_").add(uint64_t{app}).add("_");
  if (m.kind == 0 && m.crc == 0) {
    problem.add("never_written_want_version_").add(uint64_t{version});
  } else if (!document::intact(m, sizeof m) || m.kind != document::kSave || m.app != app) {
    problem.add("damaged");
  } else if (m.version != version) {
    problem.add("version_").add(uint64_t{m.version}).add("_want_").add(uint64_t{version});
  } else if (!document::holds(m, document::at_version(seed & 0xffffffff, app, version))) {
    problem.add("content_differs_at_version_").add(uint64_t{version});
  } else {
    problem.clear();
  }
}

uint32_t next_boot(kernel::Integration& it, const kernel::ScenarioContext& context, Disk& disk,
                   const Journal& journal) {
  it.milestone("journal_read");
  TextBuffer detail;
  const bool committed = journal.state == kCommitted;
  detail.add(committed ? "committed_" : "left_working_").add(uint64_t{journal.apps}).add("_apps");
  it.verify("clean_shutdown", committed, detail.view());
  uint32_t intact = 0;
  TextBuffer problem, first_problem;
  for (uint32_t i = 0; i < journal.apps; ++i) {
    if (!disk.read(1 + i)) {
      problem.clear();
      problem.add("app_").add(uint64_t{i}).add("_unreadable");
    } else {
      check_save(*disk.buffer<document::Message>(), i, journal.versions[i], context.seed, problem);
    }
    if (problem.view().empty()) {
      ++intact;
    } else if (first_problem.view().empty()) {
      first_problem.add(problem.view());
    }
  }
  count_of(detail, intact, journal.apps);
  if (!first_problem.view().empty()) detail.add("_").add(first_problem.view());
  it.verify("documents_recovered", intact == journal.apps && journal.apps > 0, detail.view());
  it.milestone("state_verified");
  return it.complete();
}

uint32_t run(const kernel::ScenarioContext& context) {
  kernel::process_init();
  kernel::Integration it("shutdown_recovery");
  TextBuffer error;
  Disk disk{it};
  bool ready = kernel::virtio_blk_init(error);
  if (ready) {
    arch::InterruptGuard guard;
    ready = kernel::frames().allocate(disk.phys);
  }
  if (!it.verify("disk_ready", ready, ready ? StringView("virtio_blk") : error.view()))
    return it.complete();
  // After the driver's and the buffer's memory: what the apps and queues take must come back.
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  Journal journal{};
  const uint32_t code = disk.read_journal(context.seed, journal)
                            ? next_boot(it, context, disk, journal)
                            : first_boot(it, context, disk, before);
  kernel::free_frame(disk.phys);
  return code;
}

}  // namespace

const kernel::Scenario kShutdownRecovery = kernel::make_scenario("shutdown_recovery", kParams, run);

}  // namespace rayos::workloads
