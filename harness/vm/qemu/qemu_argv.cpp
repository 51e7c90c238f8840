#include "harness/vm/qemu/qemu_argv.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <set>

#include "harness/base/errors.h"
#include "harness/vm/determinism.h"

namespace osh::vm::qemu {

namespace {

constexpr int kMaxCpus = 64;

[[noreturn]] void bad_field(std::string_view field, std::string_view value,
                            std::string_view problem) {
  throw InputError(fmt::format("VM config: {} = \"{}\": {}", field, value, problem));
}

}  // namespace

namespace {

// A name of 1..max_len characters: the first from `first`, the rest from `first` or `rest`.
bool is_name(const std::string& text, bool (*first)(char), const char* rest, size_t max_len) {
  if (text.empty() || text.size() > max_len || !first(text[0])) return false;
  for (const char c : text)
    if (!first(c) && !std::strchr(rest, c)) return false;
  return true;
}

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool alnum(char c) { return letter(c) || (c >= '0' && c <= '9'); }

void validate_drives(const VmConfig& config) {
  std::set<std::string> ids;
  for (size_t i = 0; i < config.drives.size(); ++i) {
    const Drive& drive = config.drives[i];
    const std::string field = fmt::format("drives[{}]", i);
    if (drive.image.empty()) bad_field(field + ".image", "", "a drive needs an image file");
    if (!is_name(drive.format, lower_or_digit, "_", 64)) {
      bad_field(field + ".format", drive.format, "not a QEMU image format; use e.g. raw or qcow2");
    }
    const std::string id = drive_id(drive, i);
    if (!is_name(id, letter, "0123456789_.-", 32)) {
      bad_field(field + ".id", id,
                "a device id starts with a letter and has at most 32 letters, digits, '_', '.' "
                "or '-'");
    }
    if (!ids.insert(id).second) bad_field(field + ".id", id, "another drive has the same id");
  }
}

bool is_microvm(const QemuOptions& options) { return options.machine == "microvm"; }

bool is_mac(const std::string& mac) {
  if (mac.size() != 17) return false;
  for (size_t i = 0; i < mac.size(); ++i) {
    const char c = mac[i];
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (i % 3 == 2 ? c != ':' : !hex) return false;
  }
  // The first octet's low bit marks a multicast address, which no NIC may have.
  return (std::stoi(mac.substr(0, 2), nullptr, 16) & 1) == 0;
}

void validate_nics(const VmConfig& config) {
  std::set<std::string> ids;
  for (size_t i = 0; i < config.nics.size(); ++i) {
    const Nic& nic = config.nics[i];
    const std::string field = fmt::format("nics[{}]", i);
    if (!is_name(nic.id, letter, "0123456789_", 24))
      bad_field(field + ".id", nic.id,
                "a NIC id starts with a letter and has at most 24 letters, digits or '_'");
    if (!ids.insert(nic.id).second) bad_field(field + ".id", nic.id, "another NIC has the same id");
    if (!is_mac(nic.mac))
      bad_field(field + ".mac", nic.mac,
                "not a unicast MAC address; write six hex octets with colons, like "
                "52:54:00:12:34:56");
    if (nic.link == Nic::Link::Datagram && (nic.local_socket.empty() || nic.remote_socket.empty()))
      bad_field(field + ".local_socket", nic.local_socket.string(),
                "a datagram link needs both its local and its remote socket path");
  }
}

// One virtio-net NIC per Nic. Every NIC gets a frame dropper that starts off (a
// filter-redirector to a null chardev, switched with qom-set): a partition cuts the NIC's
// traffic without touching its link. A capture is a filter-dump added after it, which puts it
// on the guest's side of the dropper (checked with QEMU 7.2): the frames a guest sends into a
// partition are in its capture, and the pair check counts them lost.
void add_nics(const VmConfig& config, const QemuOptions& options, std::vector<std::string>& argv) {
  const char* device = is_microvm(options) ? "virtio-net-device" : "virtio-net-pci";
  for (const Nic& nic : config.nics) {
    std::string netdev = nic.link == Nic::Link::User ? "user,id=" + nic.id : "dgram,id=" + nic.id;
    if (nic.link == Nic::Link::Datagram) {
      netdev += ",local.type=unix,local.path=" + escape_option_value(nic.local_socket.string()) +
                ",remote.type=unix,remote.path=" + escape_option_value(nic.remote_socket.string());
    }
    argv.insert(argv.end(), {"-netdev", netdev, "-device",
                             fmt::format("{},netdev={},mac={}{}", device, nic.id, nic.mac,
                                         nic.link_status ? "" : ",status=off")});
    argv.insert(argv.end(),
                {"-chardev", fmt::format("null,id={}-drop", nic.id), "-object",
                 fmt::format("filter-redirector,id={},netdev={},queue=all,outdev={}-drop,"
                             "status=off",
                             partition_filter_id(nic.id), nic.id, nic.id)});
    if (!nic.capture.empty()) {
      argv.insert(argv.end(),
                  {"-object", fmt::format("filter-dump,id={}-dump,netdev={},file={}", nic.id,
                                          nic.id, escape_option_value(nic.capture.string()))});
    }
  }
}

void add_drives(const VmConfig& config, const QemuOptions& options, const Launch& launch,
                std::vector<std::string>& argv) {
  // virtio devices sit on virtio-mmio transports on microvm (it has no PCI bus by default).
  const char* device = is_microvm(options) ? "virtio-blk-device" : "virtio-blk-pci";
  for (size_t i = 0; i < config.drives.size(); ++i) {
    const Drive& drive = config.drives[i];
    const std::string id = drive_id(drive, i);
    std::string spec = fmt::format("if=none,id={},format={}", id, drive.format);
    if (const auto blkdebug = launch.blkdebug.find(id); blkdebug == launch.blkdebug.end()) {
      spec += ",file=" + escape_option_value(drive.image.string());
    } else {
      // blkdebug sits between the format driver and the file, so injected errors look to the
      // format driver like failing disk I/O.
      spec += fmt::format(
          ",file.driver=blkdebug,file.config={},file.image.driver=file,file.image.filename={}",
          escape_option_value(blkdebug->second.string()),
          escape_option_value(drive.image.string()));
    }
    if (drive.read_only) spec += ",readonly=on";
    if (config.replay.mode != RecordReplay::Mode::Off) {
      // Record/replay logs when each request completes: blkreplay sits between the device and
      // the image, which keeps the name the device and the monitor know.
      const std::string direct = id + "-direct";
      spec.replace(spec.find("id=" + id), 3 + id.size(), "id=" + direct);
      argv.insert(argv.end(), {"-drive", spec});
      spec = fmt::format("driver=blkreplay,if=none,image={},id={}", direct, id);
    }
    argv.insert(argv.end(), {"-drive", spec, "-device", fmt::format("{},drive={}", device, id)});
  }
}

}  // namespace

std::vector<std::string> qemu_environment(const char* const* environ) {
  static constexpr std::string_view kKept[] = {"PATH=", "TMPDIR=", "TZ=", "LANG=", "LC_ALL="};
  std::vector<std::string> kept;
  for (const char* const* variable = environ; variable && *variable; ++variable)
    for (const std::string_view prefix : kKept)
      if (std::string_view(*variable).starts_with(prefix)) kept.emplace_back(*variable);
  return kept;
}

std::string partition_filter_id(std::string_view nic_id) { return std::string(nic_id) + "-cut"; }

std::string escape_option_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

std::string machine_option(std::string_view machine) {
  // x-option-roms=off: the PVH kernel is loaded through fw_cfg by microvm's qboot firmware
  // directly, so the option ROMs are never needed.
  // acpi=off: building and parsing the ACPI tables costs every boot about 11 ms (docs/vm.md), and
  // without them QEMU names each virtio-mmio device on the kernel command line
  // (`virtio_mmio.device=<size>@<base>:<irq>`), which is how rayos and Linux find them.
  if (machine == "microvm")
    return "microvm,pit=on,pic=on,rtc=on,isa-serial=on,x-option-roms=off,acpi=off";
  return std::string(machine);
}

void validate_config(const VmConfig& config, const QemuOptions& options) {
  if (!config.name.empty() && !is_name(config.name, alnum, "_.-", 64)) {
    bad_field("name", config.name,
              "use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
  }
  if (config.kernel.empty()) bad_field("kernel", "", "the kernel image to boot is required");
  if (options.machine != "microvm" && options.machine != "pc" && options.machine != "q35") {
    bad_field("qemu.machine", options.machine, "unknown machine; use microvm, pc or q35");
  }
  if (const std::string problem = memory_size_problem(config.memory); !problem.empty())
    bad_field("memory", config.memory, problem);
  if (config.cpus < 1 || config.cpus > kMaxCpus) {
    bad_field("cpus", std::to_string(config.cpus), "out of range; use 1 to 64");
  }
  if (config.deterministic && options.accel == "kvm") {
    bad_field("deterministic", "true", "deterministic instruction counting needs accel tcg");
  }
  if (options.exit_port <= 0 || options.exit_port > 0xffff) {
    bad_field("qemu.exit_port", std::to_string(options.exit_port),
              "not an I/O port; use 1 to 0xffff");
  }
  validate_determinism(config);
  validate_drives(config);
  validate_nics(config);
}

std::vector<std::string> build_argv(const VmConfig& config, const QemuOptions& options,
                                    const Launch& launch) {
  std::vector<std::string> argv = {
      launch.qemu.string(),
      "-nodefaults",
      "-no-user-config",
      "-display",
      "none",
      "-no-reboot",
      // seccomp: QEMU (and a guest that escapes into it) cannot use obsolete system calls, gain
      // privileges, start processes or change its scheduling and memory policy. Costs nothing
      // measurable per run (docs/vm.md).
      "-sandbox",
      "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
      "-S",
      "-name",
      config.name.empty() ? "vm" : config.name,
      "-M",
      // Without ACPI, microvm names each virtio-mmio device on the kernel command line
      // (`virtio_mmio.device=<size>@<base>:<irq>`, how rayos finds its disk); with ACPI it
      // describes them only in the DSDT.
      machine_option(options.machine),
      "-accel",
      std::string(to_string(launch.accel)),
      "-m",
      config.memory,
      "-smp",
      std::to_string(config.cpus),
      "-kernel",
      config.kernel.string(),
  };
  if (!config.initrd.empty()) argv.insert(argv.end(), {"-initrd", config.initrd.string()});
  if (!config.append.empty()) argv.insert(argv.end(), {"-append", config.append});
  argv.insert(
      argv.end(),
      {"-device", fmt::format("isa-debug-exit,iobase={:#x},iosize=4", options.exit_port),
       "-chardev", "pipe,id=con0,path=" + escape_option_value(launch.sockets.console.string()),
       "-serial", "chardev:con0", "-chardev",
       "socket,id=qmp,path=" + escape_option_value(launch.sockets.qmp.string()) + ",server=off",
       "-mon", "chardev=qmp,mode=control"});
  const auto deterministic = deterministic_qemu_args(config);
  argv.insert(argv.end(), deterministic.begin(), deterministic.end());
  add_drives(config, options, launch, argv);
  add_nics(config, options, argv);
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  return argv;
}

}  // namespace osh::vm::qemu
