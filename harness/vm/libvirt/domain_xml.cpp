#include "harness/vm/libvirt/domain_xml.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <sstream>

#include "harness/vm/determinism.h"
#include "harness/vm/qemu/qemu_argv.h"

namespace osh::vm::libvirt {
namespace {

void add_text(pugi::xml_node parent, const char* name, const std::string& text) {
  parent.append_child(name).text().set(text.c_str());
}

void add_qemu_args(pugi::xml_node commandline, const std::vector<std::string>& args) {
  for (const auto& arg : args)
    commandline.append_child("qemu:arg").append_attribute("value").set_value(arg.c_str());
}

void add_disks(pugi::xml_node devices, const VmConfig& config, bool microvm) {
  for (size_t i = 0; i < config.drives.size(); ++i) {
    const Drive& drive = config.drives[i];
    auto disk = devices.append_child("disk");
    disk.append_attribute("type") = "file";
    disk.append_attribute("device") = "disk";
    auto driver = disk.append_child("driver");
    driver.append_attribute("name") = "qemu";
    driver.append_attribute("type") = drive.format.c_str();
    disk.append_child("source").append_attribute("file") = drive.image.c_str();
    auto target = disk.append_child("target");
    // vda, vdb, ... in the config's order: the guest sees them in that order.
    const std::string dev = "vd" + std::string(1, char('a' + i));
    target.append_attribute("dev") = dev.c_str();
    target.append_attribute("bus") = "virtio";
    if (drive.read_only) disk.append_child("readonly");
    // libvirt takes only aliases with this prefix from the user: the QEMU device id is then
    // "ua-<drive id>".
    disk.append_child("alias").append_attribute("name") = ("ua-" + drive_id(drive, i)).c_str();
    // microvm has no PCI bus, and libvirt puts virtio disks on one unless told ("No PCI buses
    // available"); the QEMU backend's virtio-blk-device is this virtio-mmio transport.
    if (microvm) disk.append_child("address").append_attribute("type") = "virtio-mmio";
  }
}

}  // namespace

std::string domain_xml(const VmConfig& config, const LibvirtOptions& options,
                       const DomainLaunch& launch) {
  pugi::xml_document doc;
  auto domain = doc.append_child("domain");
  domain.append_attribute("type") = launch.accel == "kvm" ? "kvm" : "qemu";
  domain.append_attribute("xmlns:qemu") = "http://libvirt.org/schemas/domain/qemu/1.0";
  add_text(domain, "name", launch.name);
  auto memory = domain.append_child("memory");
  memory.append_attribute("unit") = "MiB";
  memory.text().set(std::to_string(memory_mib(config.memory).value_or(0)).c_str());
  add_text(domain, "vcpu", std::to_string(config.cpus));

  auto os = domain.append_child("os");
  auto type = os.append_child("type");
  type.append_attribute("arch") = "x86_64";
  type.append_attribute("machine") = options.qemu.machine.c_str();
  type.text().set("hvm");
  add_text(os, "kernel", config.kernel.string());
  if (!config.initrd.empty()) add_text(os, "initrd", config.initrd.string());
  if (!config.append.empty()) add_text(os, "cmdline", config.append);

  // A guest that powers off or crashes ends the domain. Its resets end it too, but through
  // QEMU's -no-reboot (below), as with the QEMU backend: a triple fault is a SHUTDOWN
  // "guest-reset" and then ends the domain like a power-off. on_reboot=destroy would do it
  // itself, but libvirt then also destroys the domain on the host's own reset (reset()).
  add_text(domain, "on_poweroff", "destroy");
  add_text(domain, "on_reboot", "restart");
  add_text(domain, "on_crash", "destroy");

  auto devices = domain.append_child("devices");
  auto serial = devices.append_child("serial");
  serial.append_attribute("type") = "pipe";
  serial.append_child("source").append_attribute("path") = launch.console.c_str();
  serial.append_child("target").append_attribute("port") = "0";
  add_disks(devices, config, options.qemu.machine == "microvm");
  // Nothing the guest did not ask for: libvirt adds a USB controller and a balloon otherwise.
  auto usb = devices.append_child("controller");
  usb.append_attribute("type") = "usb";
  usb.append_attribute("model") = "none";
  devices.append_child("memballoon").append_attribute("model") = "none";

  auto commandline = domain.append_child("qemu:commandline");
  add_qemu_args(commandline, {"-no-reboot"});
  if (options.qemu.machine == "microvm") {
    // microvm's PIT, PIC and RTC as the QEMU backend sets them (qemu_argv.h); its own ISA serial
    // port off, because libvirt adds COM1 as a device of its own.
    add_qemu_args(commandline,
                  {"-machine", "pit=on,pic=on,rtc=on,isa-serial=off,x-option-roms=off,acpi=off"});
  }
  add_qemu_args(commandline, {"-device", fmt::format("isa-debug-exit,iobase={:#x},iosize=4",
                                                     options.qemu.exit_port)});
  add_qemu_args(commandline, deterministic_qemu_args(config));
  for (const auto& arg : options.qemu.args) add_qemu_args(commandline, {arg});

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
  return out.str();
}

}  // namespace osh::vm::libvirt
