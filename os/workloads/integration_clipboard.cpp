// clipboard_stress (docs/e2e.md): `items` copies through the clipboard service, each pasted on
// the far side of a ring-3 relay: the copying side stores a seeded payload (16 to 256 bytes) in
// the clipboard and sends the change notification (the item's serial) over an IPC queue to a
// pingpong process, which hands it on; the pasting side takes the serial from the relay's
// answer, pastes the item and compares every byte with the payload regenerated from the seed.
// Checks: every item arrived intact, the relay ended cleanly, nothing leaked.
#include "os/core/clipboard.h"
#include "os/core/crc32c.h"
#include "os/core/prng.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/integration.h"
#include "os/kernel/ipc.h"
#include "os/kernel/process.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"items", 1, 100000, 400}};
constexpr uint64_t kPong = 1;  // os/user/programs/pingpong.cpp: answers value + 1
constexpr uint32_t kTextFormat = 1;
constexpr uint32_t kCopier = 1, kLoseEvery = 16;

// pingpong's message: a sequence number, a value and a CRC-32C of both.
struct Message {
  uint64_t seq, value;
  uint32_t crc;
};

uint32_t payload(uint64_t seed, uint64_t item, uint8_t* out) {
  Prng prng(seed ^ (item * 0x9e3779b97f4a7c15ull));
  const uint32_t length = static_cast<uint32_t>(16 + prng.below(Clipboard::kMaxBytes - 15));
  for (uint32_t i = 0; i < length; ++i) out[i] = static_cast<uint8_t>(prng.next());
  return length;
}

constinit Clipboard clipboard;

uint32_t run(const kernel::ScenarioContext& context) {
  const uint64_t items = context.params[0];
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("clipboard_stress");
  clipboard = Clipboard(kernel::planted(kBugClipboardLoseItem) ? kLoseEvery : 0);
  const int64_t to_relay = kernel::ipc_create(0, 4), from_relay = kernel::ipc_create(0, 4);
  int64_t relay = -1;
  if (to_relay >= 0 && from_relay >= 0) {
    relay = kernel::spawn(kernel::SpawnRequest{
        "pingpong",
        {kPong, static_cast<uint64_t>(to_relay), static_cast<uint64_t>(from_relay), items}});
  }
  if (!it.verify("relay_started", relay > 0, relay > 0 ? "pingpong" : "spawn_failed")) {
    return it.complete();
  }
  it.milestone("clipboard_ready");

  uint8_t sent[Clipboard::kMaxBytes], got[Clipboard::kMaxBytes];
  uint64_t intact = 0, gone = 0, damaged = 0, wrong = 0, first_lost = 0;
  for (uint64_t i = 0; i < items; ++i) {
    const uint32_t length = payload(context.seed, i, sent);
    uint64_t serial = 0;
    clipboard.copy(kCopier, kTextFormat, sent, length, serial);
    if (i == 0) it.milestone("first_copy");
    Message m{i, serial, 0};
    m.crc = crc32c(&m, 16);
    if (kernel::ipc_send(static_cast<uint32_t>(to_relay), &m, sizeof m, true) < 0) break;
    Message answer{};
    if (kernel::ipc_recv(static_cast<uint32_t>(from_relay), &answer, sizeof answer, true) !=
            static_cast<int64_t>(sizeof answer) ||
        answer.crc != crc32c(&answer, 16)) {
      break;
    }
    uint32_t got_length = 0, format = 0;
    const Clipboard::Paste p =
        clipboard.paste(answer.value - 1, got, sizeof got, got_length, format);
    if (i == 0) it.milestone("first_paste");
    if (p == Clipboard::Paste::kOk && got_length == length && format == kTextFormat &&
        __builtin_memcmp(got, sent, length) == 0) {
      ++intact;
    } else {
      if (gone + damaged + wrong == 0) first_lost = i;
      (p == Clipboard::Paste::kGone ? gone : p == Clipboard::Paste::kDamaged ? damaged : wrong)++;
    }
  }
  it.milestone("all_pasted");
  TextBuffer detail;
  detail.add(intact).add("_of_").add(items).add("_intact");
  if (intact != items) {
    detail.add("_lost_").add(gone).add("_damaged_").add(damaged).add("_wrong_").add(wrong);
    detail.add("_first_item_").add(first_lost);
  }
  it.verify("items_intact", intact == items, detail.view());

  uint32_t which = 0;
  kernel::ExitStatus status;
  const bool relay_ok = kernel::wait_child(static_cast<uint32_t>(relay),
                                           kernel::uptime_ns() + 10 * kSecondNs, which, status) &&
                        status.kind == kernel::ExitKind::kExited && status.code == 0;
  it.verify("relay_exited_cleanly", relay_ok, relay_ok ? "exit_0" : "did_not_exit_0");
  kernel::reap_children();
  kernel::ipc_close(static_cast<uint32_t>(to_relay), 0);
  kernel::ipc_close(static_cast<uint32_t>(from_relay), 0);
  it.milestone("relay_closed");
  const selftest::MemorySnapshot after = selftest::memory_snapshot();
  detail.clear();
  detail.add("heap_blocks_").add(after.heap_live_blocks).add("_was_").add(before.heap_live_blocks);
  detail.add("_queues_").add(uint64_t{after.queues}).add("_was_").add(uint64_t{before.queues});
  it.verify("nothing_leaked",
            after.heap_live_blocks == before.heap_live_blocks && after.queues == before.queues &&
                after.frames_used == before.frames_used,
            detail.view());
  return it.complete();
}

}  // namespace

const kernel::Scenario kClipboardStress = kernel::make_scenario("clipboard_stress", kParams, run);

}  // namespace rayos::workloads
