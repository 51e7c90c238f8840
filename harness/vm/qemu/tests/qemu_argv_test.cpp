#include "harness/vm/qemu/qemu_argv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::vm::qemu {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Argv = std::vector<std::string>;

const QemuSockets kSockets{"/run/user/0/osh-t-abc123/console", "/run/user/0/osh-t-abc123/qmp.sock"};

Launch launch(std::filesystem::path qemu = "qemu", Accel accel = Accel::Tcg,
              QemuSockets sockets = kSockets) {
  return {std::move(qemu), accel, std::move(sockets), {}};
}

VmConfig basic_config() {
  VmConfig config;
  config.name = "t1";
  config.kernel = "/k/rayos.elf";
  config.append = "osh.scenario=hello osh.seed=42";
  return config;
}

// Everything after `-M`'s value that every VM gets, for the base cases.
Argv tail_for(const VmConfig& c, Accel accel) {
  Argv argv = {"-accel", std::string(to_string(accel)), "-m",      c.memory,
               "-smp",   std::to_string(c.cpus),        "-kernel", c.kernel.string()};
  if (!c.append.empty()) argv.insert(argv.end(), {"-append", c.append});
  argv.insert(argv.end(),
              {"-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-chardev",
               "pipe,id=con0,path=/run/user/0/osh-t-abc123/console", "-serial", "chardev:con0",
               "-chardev", "socket,id=qmp,path=/run/user/0/osh-t-abc123/qmp.sock,server=off",
               "-mon", "chardev=qmp,mode=control"});
  return argv;
}

Argv slice_from(const Argv& argv, const std::string& first) {
  const auto it = std::find(argv.begin(), argv.end(), first);
  return Argv(it, argv.end());
}

std::string validation_error(const VmConfig& config, const QemuOptions& options = {}) {
  try {
    validate_config(config, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(QemuArgv, MicrovmBaseCommandLineIsExact) {
  const VmConfig config = basic_config();
  EXPECT_EQ(build_argv(config, {}, launch("/usr/bin/qemu-system-x86_64")),
            (Argv{"/usr/bin/qemu-system-x86_64",
                  "-nodefaults",
                  "-no-user-config",
                  "-display",
                  "none",
                  "-no-reboot",
                  "-sandbox",
                  "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                  "-S",
                  "-name",
                  "t1",
                  "-M",
                  "microvm,pit=on,pic=on,rtc=on,isa-serial=on,x-option-roms=off,acpi=off",
                  "-accel",
                  "tcg",
                  "-m",
                  "64M",
                  "-smp",
                  "1",
                  "-kernel",
                  "/k/rayos.elf",
                  "-append",
                  "osh.scenario=hello osh.seed=42",
                  "-device",
                  "isa-debug-exit,iobase=0xf4,iosize=4",
                  "-chardev",
                  "pipe,id=con0,path=/run/user/0/osh-t-abc123/console",
                  "-serial",
                  "chardev:con0",
                  "-chardev",
                  "socket,id=qmp,path=/run/user/0/osh-t-abc123/qmp.sock,server=off",
                  "-mon",
                  "chardev=qmp,mode=control"}));
}

TEST(QemuArgv, QemuGetsOnlyTheEnvironmentItReads) {
  const char* const environ[] = {"PATH=/usr/bin:/bin",
                                 "GITHUB_TOKEN=ghp_secret",
                                 "TZ=UTC",
                                 "PATHOLOGICAL=1",
                                 "LANG=C.UTF-8",
                                 "TMPDIR=/t",
                                 "HOME=/root",
                                 "LC_ALL=C",
                                 nullptr};
  EXPECT_EQ(qemu_environment(environ),
            (Argv{"PATH=/usr/bin:/bin", "TZ=UTC", "LANG=C.UTF-8", "TMPDIR=/t", "LC_ALL=C"}));
  EXPECT_TRUE(qemu_environment(nullptr).empty());
}

TEST(QemuArgv, PcAndQ35ArePlainMachinesAndKvmMemoryCpusAreCopied) {
  VmConfig config = basic_config();
  QemuOptions options;
  options.machine = "q35";
  config.memory = "1G";
  config.cpus = 4;
  config.append.clear();
  const Argv argv = build_argv(config, options, launch("qemu", Accel::Kvm));
  Argv expected = {"-M", "q35"};
  const Argv tail = tail_for(config, Accel::Kvm);
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(slice_from(argv, "-M"), expected);
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "-append"), 0) << "empty command line: omitted";
  EXPECT_EQ(machine_option("pc"), "pc");
}

TEST(QemuArgv, ExitPortAndNameComeFromTheConfig) {
  VmConfig config = basic_config();
  QemuOptions options;
  options.exit_port = 0x501;
  config.name.clear();
  const Argv argv = build_argv(config, options, launch());
  EXPECT_THAT(argv, ::testing::Contains("isa-debug-exit,iobase=0x501,iosize=4"));
  EXPECT_EQ(*(std::find(argv.begin(), argv.end(), "-name") + 1), "vm");
}

TEST(QemuArgv, DeterministicIsIcountWithAFixedShiftAFixedRtcAndTheSeed) {
  VmConfig config = basic_config();
  config.deterministic = true;
  config.seed = 18446744073709551615u;
  const Argv argv = build_argv(config, {}, launch());
  EXPECT_THAT(slice_from(argv, "-icount"),
              ElementsAre("-icount", "shift=0,sleep=off", "-rtc",
                          "base=2024-01-01T00:00:00,clock=vm", "-seed", "18446744073709551615"));
  config.deterministic = false;
  for (const char* option : {"-icount", "-rtc", "-seed"})
    EXPECT_THAT(build_argv(config, {}, launch()), Not(Contains(option)));
}

TEST(QemuArgv, RecordAndReplayAddIcountsRrModeAndLogWithItsCommasDoubled) {
  VmConfig config = basic_config();
  config.deterministic = true;
  config.replay = {RecordReplay::Mode::Record, "/runs/a,b/replay.bin"};
  EXPECT_THAT(slice_from(build_argv(config, {}, launch()), "-icount"),
              ::testing::IsSupersetOf(
                  {"-icount", "shift=0,sleep=off,rr=record,rrfile=/runs/a,,b/replay.bin"}));
  config.replay.mode = RecordReplay::Mode::Replay;
  EXPECT_THAT(build_argv(config, {}, launch()),
              Contains("shift=0,sleep=off,rr=replay,rrfile=/runs/a,,b/replay.bin"));
}

TEST(QemuArgv, ARecordedDiskGoesThroughBlkreplayUnderItsOwnId) {
  VmConfig config = basic_config();
  config.deterministic = true;
  config.replay = {RecordReplay::Mode::Record, "/runs/r/replay.bin"};
  config.drives = {{"/runs/r/disk.img", "raw", "disk0"}};
  QemuOptions options;
  options.machine = "pc";
  EXPECT_THAT(
      slice_from(build_argv(config, options, launch()), "-drive"),
      ::testing::IsSupersetOf({"-drive", "if=none,id=disk0-direct,format=raw,file=/runs/r/disk.img",
                               "driver=blkreplay,if=none,image=disk0-direct,id=disk0", "-device",
                               "virtio-blk-pci,drive=disk0"}));
}

TEST(QemuArgv, AnInitrdGoesBesideTheKernel) {
  VmConfig config = basic_config();
  config.initrd = "/boot/initrd.img";
  EXPECT_THAT(slice_from(build_argv(config, {}, launch()), "-kernel"),
              ::testing::IsSupersetOf({"-initrd", "/boot/initrd.img"}));
  EXPECT_THAT(build_argv(basic_config(), {}, launch()),
              ::testing::Not(::testing::Contains("-initrd")));
}

TEST(QemuArgv, DrivesUseVirtioMmioOnMicrovmAndPciElsewhere) {
  VmConfig config = basic_config();
  config.drives.push_back(Drive{.image = "/img/a,b.raw", .format = "raw", .read_only = true});
  config.drives.push_back(Drive{.image = "/img/disk.qcow2", .format = "qcow2", .id = "data"});
  QemuOptions options;
  options.args = {"-d", "guest_errors"};
  EXPECT_THAT(slice_from(build_argv(config, options, launch()), "-drive"),
              ElementsAre("-drive", "if=none,id=drive0,format=raw,file=/img/a,,b.raw,readonly=on",
                          "-device", "virtio-blk-device,drive=drive0", "-drive",
                          "if=none,id=data,format=qcow2,file=/img/disk.qcow2", "-device",
                          "virtio-blk-device,drive=data", "-d", "guest_errors"));
  options.machine = "pc";
  EXPECT_THAT(build_argv(config, options, launch()),
              ::testing::Contains("virtio-blk-pci,drive=data"));
}

TEST(QemuArgv, MicrovmRunsWithoutAcpiSoTheKernelCommandLineNamesItsDevices) {
  VmConfig config = basic_config();
  EXPECT_THAT(slice_from(build_argv(config, {}, launch()), "-M").at(1), HasSubstr(",acpi=off"));
  config.drives.push_back(Drive{.image = "/img/d.raw", .id = "disk0"});
  EXPECT_EQ(slice_from(build_argv(config, {}, launch()), "-M").at(1), machine_option("microvm"));
  QemuOptions q35;
  q35.machine = "q35";  // PCI: the guest finds virtio-blk-pci by enumeration
  EXPECT_EQ(slice_from(build_argv(config, q35, launch()), "-M").at(1), "q35");
}

TEST(QemuArgv, BlkdebugWrapsTheImageUnderTheFormatDriver) {
  VmConfig config = basic_config();
  config.drives.push_back(Drive{.image = "/img/d.raw", .id = "d0"});
  Launch with_blkdebug = launch();
  with_blkdebug.blkdebug["d0"] = "/cfg/inject,1.conf";
  EXPECT_THAT(slice_from(build_argv(config, {}, with_blkdebug), "-drive"),
              ElementsAre("-drive",
                          "if=none,id=d0,format=raw,file.driver=blkdebug,file.config=/cfg/"
                          "inject,,1.conf,file.image.driver=file,file.image.filename=/img/d.raw",
                          "-device", "virtio-blk-device,drive=d0"));
}

TEST(QemuArgv, SocketPathsWithCommasAreEscaped) {
  const QemuSockets odd{"/tmp/a,b/console", "/tmp/a,b/qmp.sock"};
  EXPECT_THAT(build_argv(basic_config(), {}, launch("qemu", Accel::Tcg, odd)),
              ::testing::Contains("pipe,id=con0,path=/tmp/a,,b/console"));
  EXPECT_EQ(escape_option_value(",x,,"), ",,x,,,,");
}

TEST(QemuArgvValidation, AcceptsTheDefaults) { EXPECT_EQ(validation_error(basic_config()), ""); }

TEST(QemuArgvValidation, MemoryMustBeASizeInMOrG) {
  VmConfig config = basic_config();
  for (const char* good : {"8M", "64M", "1G", "1024G"}) {
    config.memory = good;
    EXPECT_EQ(validation_error(config), "") << good;
  }
  config.memory = "64";
  EXPECT_EQ(validation_error(config),
            "VM config: memory = \"64\": not a memory size; use a number with M or G, like 64M");
  for (const char* bad : {"", "M", "64K", "064M", "-1M", "1.5G", "64MB", "99999999999999999999M"}) {
    config.memory = bad;
    EXPECT_THAT(validation_error(config), HasSubstr("VM config: memory = ")) << bad;
  }
  config.memory = "4M";
  EXPECT_EQ(validation_error(config), "VM config: memory = \"4M\": out of range; use 8M to 1024G");
  config.memory = "2048G";
  EXPECT_THAT(validation_error(config), HasSubstr("out of range"));
}

TEST(QemuArgvValidation, CpusMachineNameAndKernel) {
  VmConfig config = basic_config();
  config.cpus = 0;
  EXPECT_EQ(validation_error(config), "VM config: cpus = \"0\": out of range; use 1 to 64");
  config.cpus = 65;
  EXPECT_THAT(validation_error(config), HasSubstr("cpus = \"65\""));
  config.cpus = 64;
  EXPECT_EQ(validation_error(config), "");

  QemuOptions options;
  options.machine = "virt";
  EXPECT_EQ(validation_error(config, options),
            "VM config: qemu.machine = \"virt\": unknown machine; use microvm, pc or q35");

  config.name = "has space";
  EXPECT_THAT(validation_error(config), HasSubstr("VM config: name = \"has space\": use 1 to 64"));
  config.name = "ok_name-1.2";
  EXPECT_EQ(validation_error(config), "");

  config.kernel.clear();
  EXPECT_EQ(validation_error(config),
            "VM config: kernel = \"\": the kernel image to boot is required");
}

TEST(QemuArgvValidation, DeterministicNeedsTcgAndTheExitPortMustBeAPort) {
  VmConfig config = basic_config();
  config.deterministic = true;
  QemuOptions options;
  options.accel = "kvm";
  EXPECT_EQ(validation_error(config, options),
            "VM config: deterministic = \"true\": deterministic instruction counting needs accel "
            "tcg");
  options.accel = "auto";
  EXPECT_EQ(validation_error(config, options), "") << "auto picks TCG for a deterministic VM";
  options.exit_port = 0x10000;
  EXPECT_EQ(validation_error(config, options),
            "VM config: qemu.exit_port = \"65536\": not an I/O port; use 1 to 0xffff");
}

TEST(QemuArgvValidation, DeterministicModeRefusesMoreThanOneVcpuAndRrNeedsItAndALog) {
  VmConfig config = basic_config();
  config.deterministic = true;
  config.cpus = 2;
  EXPECT_EQ(validation_error(config),
            "VM config: cpus = \"2\": deterministic mode counts instructions on one vCPU (QEMU's "
            "icount runs TCG on one thread); use cpus 1 or turn deterministic mode off");
  config.cpus = 1;
  config.replay.mode = RecordReplay::Mode::Record;
  EXPECT_EQ(validation_error(config),
            "VM config: replay.log: record/replay needs the file of its log");
  config.deterministic = false;
  config.replay.log = "/tmp/r.bin";
  EXPECT_EQ(
      validation_error(config),
      "VM config: replay: record/replay needs deterministic mode (QEMU's icount); turn it on");
}

TEST(QemuArgvValidation, DrivesNeedAnImageAValidFormatAndUniqueIds) {
  VmConfig config = basic_config();
  config.drives.push_back(Drive{.image = "/a.raw"});
  config.drives.push_back(Drive{.image = "", .id = "b"});
  EXPECT_EQ(validation_error(config),
            "VM config: drives[1].image = \"\": a drive needs an image file");
  config.drives[1].image = "/b.raw";
  config.drives[1].format = "raw,file=/etc/shadow";
  EXPECT_THAT(validation_error(config), HasSubstr("drives[1].format = \"raw,file=/etc/shadow\""));
  config.drives[1].format = "qcow2";
  config.drives[1].id = "drive0";
  EXPECT_EQ(validation_error(config),
            "VM config: drives[1].id = \"drive0\": another drive has the same id");
  config.drives[1].id = "0bad";
  EXPECT_THAT(validation_error(config), HasSubstr("starts with a letter"));
}

}  // namespace
}  // namespace osh::vm::qemu

namespace osh::vm::qemu {
namespace {

TEST(QemuArgv, NicsGetANetdevAVirtioNicACaptureAndAPartitionSwitch) {
  VmConfig config = basic_config();
  config.nics.push_back(Nic{.id = "net0", .mac = "52:54:00:12:34:56", .capture = "/r/a,b.pcap"});
  config.nics.push_back(Nic{.id = "link0",
                            .mac = "52:54:00:00:00:02",
                            .link = Nic::Link::Datagram,
                            .local_socket = "/s/b.sock",
                            .remote_socket = "/s/a.sock",
                            .link_status = false});
  EXPECT_EQ(
      slice_from(build_argv(config, {}, launch()), "-netdev"),
      (Argv{"-netdev", "user,id=net0", "-device",
            "virtio-net-device,netdev=net0,mac=52:54:00:12:34:56", "-chardev", "null,id=net0-drop",
            "-object",
            "filter-redirector,id=net0-cut,netdev=net0,queue=all,outdev=net0-drop,status=off",
            "-object", "filter-dump,id=net0-dump,netdev=net0,file=/r/a,,b.pcap", "-netdev",
            "dgram,id=link0,local.type=unix,local.path=/s/b.sock,remote.type=unix,remote.path=/s/"
            "a.sock",
            "-device", "virtio-net-device,netdev=link0,mac=52:54:00:00:00:02,status=off",
            "-chardev", "null,id=link0-drop", "-object",
            "filter-redirector,id=link0-cut,netdev=link0,queue=all,outdev=link0-drop,status=off"}));
  QemuOptions pc;
  pc.machine = "pc";
  EXPECT_THAT(build_argv(config, pc, launch()),
              ::testing::Contains("virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56"));
  EXPECT_EQ(partition_filter_id("net0"), "net0-cut");
}

TEST(QemuArgvValidation, NicsNeedAnIdAUnicastMacAndBothSocketsOfADatagramLink) {
  VmConfig config = basic_config();
  config.nics.push_back(Nic{.id = "net0", .mac = "52:54:00:12:34:56"});
  EXPECT_EQ(validation_error(config), "");
  config.nics[0].mac = "53:54:00:12:34:56";
  EXPECT_THAT(validation_error(config), HasSubstr("nics[0].mac = \"53:54:00:12:34:56\": not a "
                                                  "unicast MAC address"));
  config.nics[0].mac = "52:54:00:12:34";
  EXPECT_THAT(validation_error(config), HasSubstr("nics[0].mac"));
  config.nics[0].mac = "52:54:00:12:34:56";
  config.nics[0].id = "net0,script=/x";
  EXPECT_THAT(validation_error(config), HasSubstr("nics[0].id = \"net0,script=/x\""));
  config.nics[0].id = "net0";
  config.nics.push_back(Nic{.id = "net0", .mac = "52:54:00:12:34:57"});
  EXPECT_THAT(validation_error(config), HasSubstr("another NIC has the same id"));
  config.nics[1].id = "net1";
  config.nics[1].link = Nic::Link::Datagram;
  config.nics[1].local_socket = "/s/a.sock";
  EXPECT_THAT(validation_error(config), HasSubstr("needs both its local and its remote socket"));
}

}  // namespace
}  // namespace osh::vm::qemu
