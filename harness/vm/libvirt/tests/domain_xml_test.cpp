#include "harness/vm/libvirt/domain_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace osh::vm::libvirt {
namespace {

using ::testing::ElementsAre;

VmConfig config() {
  VmConfig c;
  c.name = "t1";
  c.kernel = "/k/rayos.elf";
  c.append = "osh.scenario=hello osh.seed=7";
  c.memory = "64M";
  return c;
}

LibvirtOptions options(const std::string& machine = "pc") {
  LibvirtOptions o;
  o.qemu.machine = machine;
  return o;
}

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  return doc;
}

std::vector<std::string> qemu_args(const pugi::xml_document& doc) {
  std::vector<std::string> args;
  for (auto arg : doc.child("domain").child("qemu:commandline").children("qemu:arg"))
    args.push_back(arg.attribute("value").value());
  return args;
}

const DomainLaunch kLaunch{"osh-t1-abc123", "/run/osh-t1-abc123/console", "tcg"};

TEST(DomainXml, BootsTheKernelDirectlyUnderTcg) {
  const auto doc = parse(domain_xml(config(), options(), kLaunch));
  const auto domain = doc.child("domain");
  EXPECT_STREQ(domain.attribute("type").value(), "qemu");
  EXPECT_STREQ(domain.attribute("xmlns:qemu").value(),
               "http://libvirt.org/schemas/domain/qemu/1.0");
  EXPECT_STREQ(domain.child_value("name"), "osh-t1-abc123");
  EXPECT_STREQ(domain.child("memory").attribute("unit").value(), "MiB");
  EXPECT_STREQ(domain.child_value("memory"), "64");
  EXPECT_STREQ(domain.child_value("vcpu"), "1");
  const auto os = domain.child("os");
  EXPECT_STREQ(os.child("type").attribute("machine").value(), "pc");
  EXPECT_STREQ(os.child_value("type"), "hvm");
  EXPECT_STREQ(os.child_value("kernel"), "/k/rayos.elf");
  EXPECT_STREQ(os.child_value("cmdline"), "osh.scenario=hello osh.seed=7");
  EXPECT_FALSE(os.child("initrd"));
}

TEST(DomainXml, KvmAndInitrdAndGigabytes) {
  VmConfig c = config();
  c.initrd = "/k/initrd.img";
  c.memory = "2G";
  c.cpus = 4;
  DomainLaunch launch = kLaunch;
  launch.accel = "kvm";
  const auto doc = parse(domain_xml(c, options(), launch));
  EXPECT_STREQ(doc.child("domain").attribute("type").value(), "kvm");
  EXPECT_STREQ(doc.child("domain").child("os").child_value("initrd"), "/k/initrd.img");
  EXPECT_STREQ(doc.child("domain").child_value("memory"), "2048");
  EXPECT_STREQ(doc.child("domain").child_value("vcpu"), "4");
}

TEST(DomainXml, EveryEndOfTheGuestEndsTheDomainResetsThroughNoReboot) {
  const auto doc = parse(domain_xml(config(), options(), kLaunch));
  const auto domain = doc.child("domain");
  EXPECT_STREQ(domain.child_value("on_poweroff"), "destroy");
  EXPECT_STREQ(domain.child_value("on_reboot"), "restart");
  EXPECT_STREQ(domain.child_value("on_crash"), "destroy");
  EXPECT_EQ(qemu_args(doc).front(), "-no-reboot");
}

TEST(DomainXml, ComOneIsTheHarnessFifoPairAndNothingElseIsAdded) {
  const auto doc = parse(domain_xml(config(), options(), kLaunch));
  const auto devices = doc.child("domain").child("devices");
  const auto serial = devices.child("serial");
  EXPECT_STREQ(serial.attribute("type").value(), "pipe");
  EXPECT_STREQ(serial.child("source").attribute("path").value(), "/run/osh-t1-abc123/console");
  EXPECT_STREQ(serial.child("target").attribute("port").value(), "0");
  EXPECT_STREQ(devices.child("controller").attribute("model").value(), "none");
  EXPECT_STREQ(devices.child("memballoon").attribute("model").value(), "none");
  EXPECT_FALSE(devices.child("disk"));
}

TEST(DomainXml, ExitDeviceIcountAndExtraArgumentsGoThroughTheQemuNamespace) {
  VmConfig c = config();
  c.deterministic = true;
  c.seed = 7;
  LibvirtOptions o = options();
  o.qemu.exit_port = 0x501;
  o.qemu.args = {"-d", "int"};
  EXPECT_THAT(qemu_args(parse(domain_xml(c, o, kLaunch))),
              ElementsAre("-no-reboot", "-device", "isa-debug-exit,iobase=0x501,iosize=4",
                          "-icount", "shift=0,sleep=off", "-rtc",
                          "base=2024-01-01T00:00:00,clock=vm", "-seed", "7", "-d", "int"));
}

TEST(DomainXml, MicrovmGetsTheLegacyDevicesOfTheQemuBackendButNotItsSerialPort) {
  EXPECT_THAT(qemu_args(parse(domain_xml(config(), options("microvm"), kLaunch))),
              ElementsAre("-no-reboot", "-machine",
                          "pit=on,pic=on,rtc=on,isa-serial=off,x-option-roms=off,acpi=off",
                          "-device", "isa-debug-exit,iobase=0xf4,iosize=4"));
}

TEST(DomainXml, DrivesAreVirtioDisksWithTheirIdsAsUserAliases) {
  VmConfig c = config();
  c.drives = {Drive{"/d/a.img", "raw", "disk0", false}, Drive{"/d/b.qcow2", "qcow2", "", true}};
  const auto doc = parse(domain_xml(c, options(), kLaunch));
  std::vector<std::string> seen;
  for (auto disk : doc.child("domain").child("devices").children("disk")) {
    seen.push_back(std::string(disk.child("source").attribute("file").value()) + " " +
                   disk.child("driver").attribute("type").value() + " " +
                   disk.child("target").attribute("dev").value() + " " +
                   disk.child("target").attribute("bus").value() + " " +
                   disk.child("alias").attribute("name").value() +
                   (disk.child("readonly") ? " ro" : ""));
  }
  EXPECT_THAT(seen, ElementsAre("/d/a.img raw vda virtio ua-disk0",
                                "/d/b.qcow2 qcow2 vdb virtio ua-drive1 ro"));
}

// microvm has no PCI bus: libvirt refused demo/stress.json's disk ("No PCI buses available")
// until it was put on virtio-mmio, the transport the QEMU backend's virtio-blk-device uses.
TEST(DomainXml, MicrovmDisksAreOnVirtioMmioAndPcDisksWhereLibvirtPutsThem) {
  VmConfig c = config();
  c.drives = {Drive{"/d/a.img", "raw", "disk0", false}};
  const auto microvm = parse(domain_xml(c, options("microvm"), kLaunch));
  EXPECT_STREQ(microvm.child("domain")
                   .child("devices")
                   .child("disk")
                   .child("address")
                   .attribute("type")
                   .value(),
               "virtio-mmio");
  const auto pc = parse(domain_xml(c, options("pc"), kLaunch));
  EXPECT_FALSE(pc.child("domain").child("devices").child("disk").child("address"));
}

TEST(DomainXml, MarkupInPathsAndTheCommandLineIsEscaped) {
  VmConfig c = config();
  c.append = "a<b & c='d'";
  const auto doc = parse(domain_xml(c, options(), kLaunch));
  EXPECT_STREQ(doc.child("domain").child("os").child_value("cmdline"), "a<b & c='d'");
}

}  // namespace
}  // namespace osh::vm::libvirt
