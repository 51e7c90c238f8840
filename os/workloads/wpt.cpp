// wpt: runs the WPT data image the host passed as the initrd (os/core/wpt/image_format.h) on
// rayos's own URL, MIME type and data: URL code, one WPT:SUBTEST marker per subtest. The host
// knows which test and subtest each index is, and judges the results against its expectations:
// the guest only reports, so it exits 0 whenever every test ran.
#include "os/arch/x86_64/memory.h"
#include "os/core/format.h"
#include "os/core/wpt/case_runner.h"
#include "os/core/wpt/image_reader.h"
#include "os/core/wpt/message_escape.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

// Room a message has in a WPT:SUBTEST line (MarkerWriter::kCapacity less the rest of the line).
constexpr size_t kMessageField = 120;

// Several URL records: too big for a kernel stack, and only this scenario uses them.
constinit wpt::CaseRunner runner;

struct Counts {
  uint64_t passed = 0, failed = 0, precondition_failed = 0;
};

StringView status_name(wpt::SubtestStatus status) {
  switch (status) {
    case wpt::SubtestStatus::kPass:
      return "PASS";
    case wpt::SubtestStatus::kFail:
      return "FAIL";
    case wpt::SubtestStatus::kPreconditionFailed:
      return "PRECONDITION_FAILED";
  }
  return "FAIL";
}

uint32_t fail(StringView reason) {
  kernel::emit<markers::kWptError>(reason);
  return 1;
}

// Runs one test's cases; false (and `error`) when its record does not decode.
bool run_test(uint32_t index, const wpt::TestBlock& test, Counts& counts, StringView& error) {
  wpt::CaseCursor cases(test);
  wpt::Case c;
  web::FixedText<512> message;
  web::FixedText<kMessageField> field;
  for (uint32_t i = 0; cases.next(c, error); ++i) {
    const wpt::SubtestStatus status = runner.run(c, message);
    (status == wpt::SubtestStatus::kPass   ? counts.passed
     : status == wpt::SubtestStatus::kFail ? counts.failed
                                           : counts.precondition_failed)++;
    field.clear();
    wpt::escape_message(message.view(), field, kMessageField);
    kernel::emit<markers::kWptSubtest>(uint64_t{index}, uint64_t{i}, status_name(status),
                                       field.view());
  }
  return error.empty();
}

uint32_t run(const kernel::ScenarioContext&) {
  const kernel::BootInfo& info = kernel::boot_info();
  if (info.module_count == 0)
    return fail("no_data_image:_boot_with_the_WPT_data_image_as_initrd_(guest.initrd)");
  const kernel::BootModule& module = info.modules[0];
  const StringView bytes(arch::phys_to_virt<const char>(module.base), module.size);
  wpt::Image image;
  StringView error;
  if (!wpt::open_image(bytes, image, error)) return fail(error);

  uint64_t cases = 0;
  wpt::TestCursor counter(image);
  wpt::TestBlock test;
  while (counter.next(test, error)) cases += test.case_count;
  if (!error.empty()) return fail(error);
  kernel::emit<markers::kWptStart>(uint64_t{image.test_count}, cases, uint64_t{bytes.size()});

  Counts counts;
  wpt::TestCursor tests(image);
  uint32_t index = 0;
  for (; tests.next(test, error); ++index) {
    char crc[8];
    format_hex_fixed(test.crc, 8, crc);
    kernel::emit<markers::kWptTest>(uint64_t{index}, uint64_t{test.case_count}, StringView(crc, 8));
    const uint64_t start_ns = kernel::uptime_ns();
    StringView test_error;
    const bool ok = run_test(index, test, counts, test_error);
    web::FixedText<kMessageField> field;
    wpt::escape_message(test_error, field, kMessageField);
    kernel::emit<markers::kWptTestEnd>(uint64_t{index}, ok ? StringView("OK") : StringView("ERROR"),
                                       (kernel::uptime_ns() - start_ns) / 1000, field.view());
  }
  if (!error.empty()) return fail(error);
  kernel::emit<markers::kWptDone>(uint64_t{index}, counts.passed, counts.failed,
                                  counts.precondition_failed);
  return 0;
}

}  // namespace

const kernel::Scenario kWpt = kernel::make_scenario("wpt", run);

}  // namespace rayos::workloads
