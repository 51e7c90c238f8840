#include "harness/vm/libvirt/libvirt_vm.h"

#include <fcntl.h>
#include <libvirt/libvirt-qemu.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/private_files.h"
#include "harness/vm/libvirt/domain_xml.h"
#include "harness/vm/qemu/accel_probe.h"
#include "harness/vm/qemu/deadline.h"
#include "harness/vm/qemu/qemu_argv.h"
#include "harness/vm/qemu/qemu_exit.h"
#include "harness/vm/qemu/qemu_vm.h"
#include "harness/vm/qemu/qmp_client.h"

namespace osh::vm::libvirt {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// After the domain stopped, QEMU's end of the console FIFO is closed; this bounds the wait
// for the end of the stream.
constexpr auto kDrainTimeout = 2000ms;
// From QEMU closing the console to libvirt's STOPPED event: libvirtd notices on its monitor
// connection; this bounds a libvirtd that never says.
constexpr auto kStoppedTimeout = 10'000ms;
constexpr int64_t kCoalesceWindowNs = 10'000'000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Where libvirtd keeps a domain's files when it runs here as root (qemu:///system).
bool system_uri(const std::string& uri) { return uri.starts_with("qemu:///system"); }

}  // namespace

LibvirtVm::LibvirtVm(VmConfig config, LibvirtOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

LibvirtVm::~LibvirtVm() {
  try {
    kill();
  } catch (...) {
    // AUTODESTROY still ends the domain when the connection closes.
  }
  events_.reset();
  if (domain_) virDomainFree(domain_);
}

std::string LibvirtVm::resolve_accel() {
  const std::string& accel = options_.qemu.accel;
  if (accel == "kvm" || accel == "tcg") {
    accelerator_ = {accel, accel + ", as the spec asks"};
  } else if (config_.deterministic) {
    accelerator_ = {"tcg", "tcg: deterministic runs count instructions, which needs TCG"};
  } else if (!connection_->local()) {
    accelerator_ = {"tcg", "tcg: a remote libvirt host is not measured; set guest.qemu.accel"};
  } else {
    // The probe runs the QEMU binary libvirt runs on this host.
    const qemu::AccelProbeResult probe = qemu::measured_accel();
    accelerator_ = {std::string(qemu::to_string(probe.chosen)), probe.reason};
  }
  return accelerator_.name;
}

void LibvirtVm::start() {
  if (domain_) throw InfraError("LibvirtVm::start() called twice for VM " + config_.name);
  qemu::validate_config(config_, options_.qemu);
  // Not yet translated to <interface> elements, so refused rather than booted without them.
  if (!config_.nics.empty())
    throw InputError(
        "the libvirt backend does not attach network interfaces yet (the spec's "
        "network section); run it with --backend qemu");
  // libvirt adds chardevs and disks of its own that QEMU's record/replay would have to log.
  if (config_.replay.mode != RecordReplay::Mode::Off)
    throw InputError(
        "the libvirt backend does not record or replay runs (--record, repro --replay); run "
        "them with --backend qemu");
  connection_ = Connection::shared(options_.uri);
  run_dir_.emplace(qemu::RunDir::create(config_.name));
  name_ = run_dir_->path().filename().string();
  const fs::path console = run_dir_->path() / "console";
  console_ = qemu::ConsoleSocket::fifos(console);
  const std::string xml = domain_xml(config_, options_, {name_, console, resolve_accel()});

  // The XML beside the console log, for the repro bundle: what command_line() starts again.
  const fs::path out_dir = config_.output_dir.empty() ? run_dir_->path() : config_.output_dir;
  const fs::path xml_path = out_dir / "domain.xml";
  make_private_directory(out_dir);
  std::ofstream(xml_path) << xml;
  command_line_ = {"virsh", "--connect", options_.uri, "create", xml_path.string()};

  // Paused: the event callbacks are registered before the guest runs its first instruction.
  domain_ = virDomainCreateXML(connection_->get(), xml.c_str(),
                               VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY);
  if (!domain_) {
    throw InfraError("libvirt could not start domain " + name_ + " at " + options_.uri + ": " +
                     last_error() +
                     (connection_->local() ? ""
                                           : " (QEMU opens the console FIFOs on this host: a "
                                             "remote libvirt host cannot; see "
                                             "docs/distributed.md)"));
  }
  events_.emplace(connection_, domain_, true);
  if (connection_->local() && system_uri(options_.uri)) {
    pid_ = std::atoi(read_file("/run/libvirt/qemu/" + name_ + ".pid").c_str());
    if (pid_ <= 0) pid_ = -1;
  }
  // Boot time counts from here: libvirt holds the new QEMU paused while it probes it (about 400
  // QMP commands checking the guest CPU's features: 1-2 s on a loaded host), which is no part
  // of the guest's boot and failed `boot_ms <= 200` on every run of demo/hello.json.
  spawn_ns_ = monotonic_ns();
  run_delay_base_ns_ = cpu_usage().run_delay_ns;
  if (virDomainResume(domain_) != 0) {
    const std::string error = last_error();
    kill();
    throw InfraError("libvirt could not start the CPUs of domain " + name_ + ": " + error);
  }
}

void LibvirtVm::check_running(std::string_view what) const {
  if (!domain_) throw InfraError("cannot " + std::string(what) + ": the VM was not started");
  if (exit_) throw InfraError("cannot " + std::string(what) + ": the VM has exited");
}

void LibvirtVm::collect_events() {
  for (VmEvent& event : events_->take_events()) {
    // The first SHUTDOWN says why; libvirt's SIGTERM that ends the stopped QEMU adds another.
    if (event.name == "SHUTDOWN" && shutdown_reason_.empty()) {
      const auto reason = event.data.find("reason");
      shutdown_reason_ = reason != event.data.end() && reason->is_string() ? *reason : "";
    }
    pending_.push_back(std::move(event));
  }
}

bool LibvirtVm::deliver_pending(VmListener& listener) {
  bool delivered = console_.deliver_stash(listener);
  while (!pending_.empty()) {
    const VmEvent event = std::move(pending_.front());
    pending_.pop_front();
    listener.on_vm_event(event);
    delivered = true;
  }
  return delivered;
}

void LibvirtVm::pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) {
  if (!domain_) throw InfraError("LibvirtVm::pump() before start()");
  if (deliver_pending(listener) || exit_) return;
  const int64_t deadline = qemu::deadline_after(timeout);
  for (;;) {
    enum { kConsole, kConsoleInput, kEvents, kWake };
    std::array<pollfd, 4> fds = {console_.output_poll(), console_.input_poll(),
                                 pollfd{events_->wake_fd(), POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), qemu::poll_ms_until(deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) throw InfraError(errno_message("poll on the VM's descriptors", errno));
    bool delivered = false;
    if (fds[kConsole].revents & (POLLIN | POLLHUP | POLLERR)) {
      delivered |= console_.read(listener, std::min(deadline, monotonic_ns() + kCoalesceWindowNs));
    }
    if (fds[kConsoleInput].revents != 0) console_.flush();
    if (fds[kEvents].revents != 0) collect_events();
    delivered |= deliver_pending(listener);
    // QEMU closed the console when it ended; libvirt's word on it follows once libvirtd has
    // noticed (its monitor connection closing).
    if (console_.eof()) wait_stopped(qemu::deadline_after(kStoppedTimeout));
    if (events_->stopped() || console_.eof()) return finish(&listener, false);
    if (delivered || rc == 0 || fds[kWake].revents != 0 || qemu::poll_ms_until(deadline) == 0)
      return;
  }
}

bool LibvirtVm::wait_stopped(int64_t deadline_ns) {
  while (!events_->stopped() &&
         qemu::poll_one(events_->wake_fd(), POLLIN, qemu::poll_ms_until(deadline_ns))) {
    collect_events();
  }
  return events_->stopped().has_value();
}

void LibvirtVm::finish(VmListener* listener, bool killed) {
  if (listener) {
    console_.drain(*listener, qemu::deadline_after(kDrainTimeout));
  } else {
    console_.stash(qemu::deadline_after(kDrainTimeout));
  }
  collect_events();
  if (listener) deliver_pending(*listener);
  VmExit exit;
  exit.how = killed ? VmExit::How::Killed : VmExit::How::Exited;
  exit.status_known = false;
  exit.shutdown_reason = shutdown_reason_;
  const auto stopped = events_->stopped();
  exit.stderr_tail = "libvirt: domain " + name_ + " " +
                     (stopped ? "stopped (" + std::string(stopped_detail_name(*stopped)) + ")"
                              : std::string("closed its console without a word from libvirt"));
  if (const std::string log = collect_log(); !log.empty())
    exit.stderr_tail += "; its log ends with:\n" + log;
  exit.host_ns = monotonic_ns();
  cpu_usage();  // the last sample, kept for callers after the end
  exit_ = std::move(exit);
}

std::string LibvirtVm::collect_log() {
  if (!connection_->local() || !system_uri(options_.uri)) return "";
  const fs::path log = "/var/log/libvirt/qemu/" + name_ + ".log";
  const std::string text = read_file(log);
  if (text.empty()) return "";
  // Kept with the run, and off libvirt's log folder, which would otherwise gain a file for
  // every VM the harness ever started (domain names are unique).
  const fs::path out_dir = config_.output_dir.empty() ? run_dir_->path() : config_.output_dir;
  std::ofstream(out_dir / "qemu.stderr.log", std::ios::app) << text;
  std::error_code ec;
  fs::remove(log, ec);
  // libvirt notes that QEMU runs as root with extra arguments at every start: that is the
  // setup's choice, not news about this run.
  std::string lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(" is tainted: ") == std::string::npos) lines += line + "\n";
  return qemu::tail_lines(lines, 3);
}

void LibvirtVm::send_console(int port, std::string_view bytes) {
  if (port != 0)
    throw InfraError("VM " + config_.name + " has no console port " + std::to_string(port) +
                     "; libvirt VMs have port 0 (COM1)");
  check_running("write to the console");
  console_.write(bytes);
}

nlohmann::json LibvirtVm::command(std::string_view name, const nlohmann::json& arguments) {
  check_running(name);
  nlohmann::json request = {{"execute", name}};
  if (!arguments.is_null()) request["arguments"] = arguments;
  char* reply = nullptr;
  if (virDomainQemuMonitorCommand(domain_, request.dump().c_str(), &reply, 0) != 0)
    throw InfraError("libvirt could not pass " + std::string(name) + " to QEMU: " + last_error());
  const nlohmann::json answer = nlohmann::json::parse(reply, nullptr, false);
  std::free(reply);
  collect_events();
  if (answer.is_object() && answer.contains("error")) {
    const auto& error = answer["error"];
    throw qemu::QmpError(std::string(name), error.value("class", ""), error.value("desc", ""));
  }
  if (!answer.is_object() || !answer.contains("return"))
    throw InfraError("QEMU's answer to " + std::string(name) + " through libvirt is not QMP");
  return answer["return"];
}

void LibvirtVm::pause() {
  check_running("pause");
  if (virDomainSuspend(domain_) != 0)
    throw InfraError("libvirt could not suspend domain " + name_ + ": " + last_error());
}

void LibvirtVm::resume() {
  check_running("resume");
  if (virDomainResume(domain_) != 0)
    throw InfraError("libvirt could not resume domain " + name_ + ": " + last_error());
}

void LibvirtVm::reset() { qemu::reset_once(*this); }

nlohmann::json LibvirtVm::query_status() { return command("query-status", nullptr); }

void LibvirtVm::kill() {
  if (!domain_ || exit_) return;
  // Fails only when the domain is already gone, which is what was asked.
  virDomainDestroy(domain_);
  finish(nullptr, true);
}

void LibvirtVm::shutdown(std::chrono::milliseconds grace) {
  if (!domain_ || exit_) return;
  try {
    command("quit", nullptr);
  } catch (const InfraError&) {
    // QEMU may end before it answers; the wait below tells.
  }
  if (wait_stopped(qemu::deadline_after(grace))) {
    finish(nullptr, false);
  } else {
    kill();
  }
}

CpuUsage LibvirtVm::cpu_usage() const {
  if (!domain_ || exit_) return last_cpu_;
  if (pid_ > 0) {
    if (!cpu_reader_ || cpu_reader_->pid() != pid_) cpu_reader_.emplace(pid_);
    if (auto usage = cpu_reader_->read()) {
      last_cpu_ = *usage;
      last_cpu_.run_delay_ns = std::max<int64_t>(0, usage->run_delay_ns - run_delay_base_ns_);
    }
  } else if (virDomainInfo info; virDomainGetInfo(domain_, &info) == 0) {
    // Remote: libvirt's CPU time; how long QEMU waited for a host CPU is not told.
    last_cpu_.cpu_ns = int64_t(info.cpuTime);
  }
  return last_cpu_;
}

}  // namespace osh::vm::libvirt
