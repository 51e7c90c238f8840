// fuzz: coverage-guided fuzzing of one target (fuzz_targets.h) inside the guest. The corpus comes
// from the initrd (os/core/fuzz/corpus.h; the host keeps it across runs), else from the target's
// seeds. Only what the host needs crosses the serial port: each input that reached new coverage
// (FUZZ:NEW), stats once per stats_ms (FUZZ:STATS), and on a crash the input that caused it
// (FUZZ:CRASH, printed by the panic path before SYS:PANIC). With replay=1 it runs each corpus
// entry once, without mutating: a repro bundle's way to crash the same way again. With
// coverage=1 it also counts how often each instrumented block ran and prints the counts at the
// end (FUZZ:COVERAGE), for the host's line coverage report.
#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/fuzz/base64.h"
#include "os/core/fuzz/corpus.h"
#include "os/core/fuzz/mutator.h"
#include "os/core/page_map.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/fuzz_coverage.h"
#include "os/kernel/memory.h"
#include "os/kernel/panic.h"
#include "os/workloads/fuzz_targets.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {
    {"target", 0, 0, 0, ParamKind::kChoice, kFuzzTargetNames, kFuzzTargetCount},
    {"duration_ms", 1, 86'400'000, 10'000},
    {"replay", 0, 1, 0},
    {"stats_ms", 100, 60'000, 1000},
    {"coverage", 0, 1, 0},
};

// Where the input is placed, in a page of its own with nothing mapped after it (the user half,
// which no process uses while the fuzzer runs): a read one byte past the input faults, as
// ASan or an electric fence would report it.
constexpr uint64_t kInputPage = uint64_t{1} << 30;
// The target's scratch pages end here, with nothing mapped after them either.
constexpr uint64_t kScratchEnd = uint64_t{2} << 30;
constexpr uint64_t kTimeCheckEvery = 64;  // execs between clock reads
// 348 KiB of heap. The url target filled 512 entries within 7 s of a 30 s run, and every input
// with new coverage after that was lost (edges went on growing, the corpus did not).
constexpr size_t kCorpusCapacity = 4096;

constinit Corpus corpus;
constinit FuzzInput current;
constinit bool running_input = false;
constinit uint64_t execs = 0;
constinit uint64_t start_ms = 0;

StringView encode(const FuzzInput& input, char (&buffer)[base64_length(kMaxFuzzInput)]) {
  return StringView(buffer, base64_encode(input.bytes, input.size, buffer));
}

// What every block that ran ran, as FUZZ:COVERAGE markers (none unless coverage=1).
void print_line_coverage() {
  kernel::line_coverage().for_each_hit(
      [](uint64_t offset, uint64_t count) { kernel::emit<markers::kFuzzCoverage>(offset, count); });
}

// The panic note: the input that was running when the kernel crashed, and the coverage so far.
void print_crash_input() {
  kernel::coverage_off();
  if (!running_input) return;
  char buffer[base64_length(kMaxFuzzInput)];
  kernel::emit<markers::kFuzzCrash>(kernel::uptime_ms() - start_ms, execs, encode(current, buffer));
  print_line_coverage();
}

// Maps the input page and the target's scratch pages in an address space of its own and
// switches to it; false when out of memory.
bool map_input_pages(uint64_t scratch_pages) {
  uint64_t root = 0;
  FrameProvider& frames = kernel::frame_provider();
  if (!PageMap::create(frames, kernel::kernel_root(), root)) return false;
  const uint64_t flags =
      page_flags::kWritable | (kernel::nx_enabled() ? page_flags::kNoExecute : 0);
  PageMap map(frames, root);
  for (uint64_t i = 0; i <= scratch_pages; ++i) {
    const uint64_t page = i == 0 ? kInputPage : kScratchEnd - i * PageMap::kPageSize;
    uint64_t frame = 0;
    if (!frames.allocate_frame(frame) || map.map(page, frame, flags) != MapResult::kOk)
      return false;
  }
  arch::write_cr3(root);
  return true;
}

// Runs the target on `current`, placed so that its last byte is the page's last.
void run_current(const FuzzTarget& target, bool coverage) {
  uint8_t* data = reinterpret_cast<uint8_t*>(kInputPage + PageMap::kPageSize - current.size);
  __builtin_memcpy(data, current.bytes, current.size);
  // No timer interrupt inside: the heartbeat's formatting runs instrumented code too.
  arch::InterruptGuard guard;
  running_input = true;
  if (coverage) kernel::coverage_on();
  target.run(data, current.size);
  kernel::coverage_off();
  running_input = false;
  ++execs;
}

uint32_t fail(StringView reason) {
  kernel::emit<markers::kFuzzError>(reason);
  return 1;
}

uint32_t run(const kernel::ScenarioContext& context) {
  const FuzzTarget& target = *kFuzzTargets[context.params[0]];
  const uint64_t duration_ms = context.params[1];
  const bool replay = context.params[2] != 0;
  const uint64_t stats_ms = context.params[3];
  const bool line_coverage = context.params[4] != 0;

  kernel::memory_init();
  void* storage = kernel::kmalloc(kCorpusCapacity * sizeof(FuzzInput), kernel::kKernelTag);
  if (storage == nullptr) return fail("out_of_memory_for_the_corpus");
  corpus.attach(static_cast<FuzzInput*>(storage), kCorpusCapacity);
  size_t skipped = 0;
  const kernel::BootInfo& info = kernel::boot_info();
  if (info.module_count > 0) {
    const kernel::BootModule& module = info.modules[0];
    StringView error;
    if (!read_corpus_image(StringView(arch::phys_to_virt<const char>(module.base), module.size),
                           corpus, skipped, error))
      return fail(error);
  }
  if (replay && corpus.size() == 0) return fail("replay_needs_a_corpus_image_as_initrd");
  if (corpus.size() == 0)
    for (size_t i = 0; i < target.seed_count; ++i)
      corpus.add(reinterpret_cast<const uint8_t*>(target.seeds[i].data()), target.seeds[i].size());
  if (target.prepare != nullptr && !target.prepare()) return fail("out_of_memory_for_the_target");
  if (!map_input_pages(target.scratch_pages)) return fail("out_of_memory_for_the_input_page");
  if (line_coverage && !kernel::line_coverage_on())
    return fail("out_of_memory_for_the_line_coverage_counters");
  kernel::set_panic_note(print_crash_input);
  kernel::emit<markers::kFuzzStart>(target.name, uint64_t{corpus.size()}, uint64_t{skipped},
                                    uint64_t{replay});
  start_ms = kernel::uptime_ms();

  // The corpus first, as it is: its coverage is known, not new.
  const size_t initial = corpus.size();
  for (size_t i = 0; i < initial; ++i) {
    current = corpus[i];
    run_current(target, !replay || line_coverage);
    kernel::fuzz_edges().merge();
  }
  if (!replay) {
    Mutator mutator(context.seed, target.dictionary);
    char buffer[base64_length(kMaxFuzzInput)];
    uint64_t last_ns = kernel::uptime_ns(), last_execs = execs;
    uint64_t next_stats_ms = start_ms + stats_ms;
    const uint64_t end_ms = start_ms + duration_ms;
    for (;;) {
      mutator.next(corpus, current);
      run_current(target, true);
      if (kernel::fuzz_edges().merge() && corpus.add(current.bytes, current.size))
        kernel::emit<markers::kFuzzNew>(kernel::uptime_ms() - start_ms,
                                        uint64_t{kernel::fuzz_edges().edges()},
                                        encode(current, buffer));
      if (execs % kTimeCheckEvery != 0) continue;
      const uint64_t now_ms = kernel::uptime_ms();
      if (now_ms >= next_stats_ms || now_ms >= end_ms) {
        const uint64_t now_ns = kernel::uptime_ns();
        const uint64_t rate = (execs - last_execs) * 1'000'000'000 / (now_ns - last_ns + 1);
        kernel::emit<markers::kFuzzStats>(now_ms - start_ms, execs, rate,
                                          uint64_t{kernel::fuzz_edges().edges()},
                                          uint64_t{corpus.size()});
        last_ns = now_ns;
        last_execs = execs;
        next_stats_ms = now_ms + stats_ms;
      }
      if (now_ms >= end_ms) break;
    }
  }
  kernel::set_panic_note(nullptr);
  print_line_coverage();
  kernel::emit<markers::kFuzzDone>(execs, uint64_t{kernel::fuzz_edges().edges()},
                                   uint64_t{corpus.size()});
  return 0;
}

}  // namespace

uint8_t* fuzz_scratch_end() { return reinterpret_cast<uint8_t*>(kScratchEnd); }

const kernel::Scenario kFuzz = kernel::make_scenario("fuzz", kParams, run);

}  // namespace rayos::workloads
