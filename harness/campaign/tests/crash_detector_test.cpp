#include "harness/campaign/crash_detector.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"
#include "harness/campaign/symbolizer.h"
#include "harness/marker/marker_stream.h"

extern "C" __attribute__((noinline, used)) int osh_test_faulting_function(volatile int* p) {
  return *p + 1;
}

namespace osh::campaign {
namespace {

constexpr const char* kSchema = R"({"prefix": "RAYOS", "markers": [
  {"marker": "SYS:PANIC", "fields": [{"name": "kind", "type": "word"}, {"name": "detail", "type": "word"}]},
  {"marker": "SYS:FRAME", "fields": [{"name": "n", "type": "u32"}, {"name": "addr", "type": "word"}]},
  {"marker": "SYS:EXIT", "fields": [{"name": "code", "type": "u32"}]}]})";

// The address of osh_test_faulting_function as the ELF's symbol table has it (the test binary
// is position-independent, so subtract where it was loaded).
uint64_t link_address_of_test_function() {
  Dl_info info;
  const auto fn = reinterpret_cast<uintptr_t>(&osh_test_faulting_function);
  EXPECT_NE(::dladdr(reinterpret_cast<void*>(fn), &info), 0);
  return fn - reinterpret_cast<uintptr_t>(info.dli_fbase);
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Before main(): whether the process started with libelf loaded.
const bool libelf_at_start = ::dlopen("libelf.so.1", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

// Linked, libelf slowed every osharness process's start (harness/campaign/libelf_loader.cpp): it is
// loaded when an ELF is first read, and only then.
TEST(Symbolizer, LibelfIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libelf_at_start);
  const Symbolizer s(std::filesystem::read_symlink("/proc/self/exe"));
  EXPECT_EQ(s.symbolize(link_address_of_test_function()), "osh_test_faulting_function+0x0");
  EXPECT_NE(::dlopen("libelf.so.1", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

TEST(Symbolizer, NamesTheFunctionAndOffsetFromTheElf) {
  const Symbolizer s(std::filesystem::read_symlink("/proc/self/exe"));
  const uint64_t fn = link_address_of_test_function();
  EXPECT_EQ(s.symbolize(fn), "osh_test_faulting_function+0x0");
  EXPECT_EQ(s.symbolize(fn + 3), "osh_test_faulting_function+0x3");
  // A return address just past a function belongs to the call before it.
  EXPECT_EQ(s.symbolize(0), "");
}

TEST(Symbolizer, RejectsAFileThatIsNotAnElf) {
  EXPECT_THROW(Symbolizer("/proc/self/status"), InputError);
  EXPECT_THROW(Symbolizer("/nonexistent/rayos.elf"), InputError);
}

class CrashDetectorTest : public ::testing::Test {
 protected:
  void feed(const std::string& lines) {
    stream_.add_observer(&detector_);
    stream_.feed(lines, 1);
    stream_.finish(2);
  }
  marker::Schema schema_ = marker::Schema::parse(kSchema, "test schema");
  marker::MarkerStream stream_{schema_};
  Symbolizer symbolizer_{std::filesystem::read_symlink("/proc/self/exe")};
  CrashDetector detector_{&symbolizer_, 0};
};

TEST_F(CrashDetectorTest, APanicIsACrashNamingTheSymbolizedFunction) {
  const auto fn = link_address_of_test_function();
  feed("RAYOS_SYS:PANIC:PAGE_FAULT:rip=" + hex(fn + 4) + ",cr2=0x0\n" +
       "RAYOS_SYS:FRAME:0:" + hex(fn + 4) + "\nRAYOS_SYS:FRAME:1:0x10\n");
  vm::VmExit exit;
  exit.guest_exit_code = 125;
  exit.status = 251;
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u) << "the panic's exit code is not a second finding";
  EXPECT_EQ(r.findings[0].verdict, Verdict::Crash);
  EXPECT_EQ(r.findings[0].signature, "CRASH PAGE_FAULT osh_test_faulting_function");
  EXPECT_NE(r.findings[0].reason.find("guest panic PAGE_FAULT in osh_test_faulting_function+0x4"),
            std::string::npos)
      << r.findings[0].reason;
  ASSERT_TRUE(r.crash);
  ASSERT_EQ(r.crash->frames.size(), 2u);
  EXPECT_EQ(r.crash->frames[1].symbol, "");
}

TEST_F(CrashDetectorTest, ATripleFaultIsAGuestResetWithoutAnExitCode) {
  feed("");
  vm::VmExit exit;
  exit.shutdown_reason = "guest-reset";
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].signature, "CRASH TRIPLE_FAULT");
}

TEST_F(CrashDetectorTest, QemuKilledByASignalIsACrashButOurOwnKillIsNot) {
  feed("");
  vm::VmExit exit;
  exit.how = vm::VmExit::How::Signaled;
  exit.signal = 11;
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].signature, "CRASH QEMU signal 11");
  EXPECT_NE(r.findings[0].reason.find("QEMU was killed by SIGSEGV"), std::string::npos);

  exit.how = vm::VmExit::How::Killed;
  RunResult ours;
  detector_.finish(&exit, ours);
  EXPECT_TRUE(ours.findings.empty());
}

TEST_F(CrashDetectorTest, AnUnexpectedExitCodeFailsNamingTheCode) {
  feed("RAYOS_SYS:EXIT:7\n");
  vm::VmExit exit;
  exit.guest_exit_code = 7;
  exit.status = 15;
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].verdict, Verdict::Fail);
  EXPECT_EQ(r.findings[0].reason, "guest exited with code 7, expected 0");
}

TEST_F(CrashDetectorTest, AnExitMarkerThatDisagreesWithQemuFails) {
  feed("RAYOS_SYS:EXIT:0\n");
  vm::VmExit exit;
  exit.guest_exit_code = 3;
  exit.status = 7;
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[1].reason, "SYS:EXIT announced code 0 but QEMU reported 3");
}

// libvirt hides QEMU's exit status: the SYS:EXIT marker is the guest's exit code.
vm::VmExit status_hidden() {
  vm::VmExit exit;
  exit.status_known = false;
  exit.stderr_tail = "libvirt: domain osh-x stopped (failed)";
  return exit;
}

TEST_F(CrashDetectorTest, WithTheStatusHiddenTheExitMarkerIsTheExitCode) {
  feed("RAYOS_SYS:EXIT:0\n");
  RunResult r;
  const auto exit = status_hidden();
  detector_.finish(&exit, r);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(exit_info(exit).how, "ended");
}

TEST_F(CrashDetectorTest, WithTheStatusHiddenAnotherCodeFails) {
  feed("RAYOS_SYS:EXIT:7\n");
  RunResult r;
  const auto exit = status_hidden();
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].verdict, Verdict::Fail);
  EXPECT_EQ(r.findings[0].signature, "FAIL exit-code 7");
}

TEST_F(CrashDetectorTest, WithTheStatusHiddenAnUnannouncedEndIsACrashQuotingTheBackend) {
  feed("");
  RunResult r;
  const auto exit = status_hidden();
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].verdict, Verdict::Crash);
  EXPECT_EQ(r.findings[0].signature, "CRASH VM ended unannounced");
  EXPECT_NE(r.findings[0].reason.find("stopped (failed)"), std::string::npos);
}

TEST_F(CrashDetectorTest, WithTheStatusHiddenACleanShutdownIsCodeZero) {
  feed("");
  RunResult r;
  auto exit = status_hidden();
  exit.shutdown_reason = "guest-shutdown";
  detector_.finish(&exit, r);
  EXPECT_TRUE(r.findings.empty());
}

TEST_F(CrashDetectorTest, QemuFailingWithoutAGuestExitIsACrashQuotingItsError) {
  feed("");
  vm::VmExit exit;
  exit.status = 1;
  exit.stderr_tail = "qemu-system-x86_64: hardware error";
  RunResult r;
  detector_.finish(&exit, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].reason, "QEMU exited with status 1: qemu-system-x86_64: hardware error");
}

}  // namespace
}  // namespace osh::campaign
