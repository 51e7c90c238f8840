#include "harness/vm/qemu/qemu_vm.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/private_files.h"
#include "harness/vm/kernel_image.h"
#include "harness/vm/qemu/accel_probe.h"
#include "harness/vm/qemu/blkdebug.h"
#include "harness/vm/qemu/console_socket.h"
#include "harness/vm/qemu/deadline.h"
#include "harness/vm/qemu/qemu_argv.h"
#include "harness/vm/qemu/qemu_binary.h"
#include "harness/vm/qemu/qemu_exit.h"
#include "harness/vm/qemu/unix_socket.h"

namespace osh::vm::qemu {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// After QEMU exited, its ends of the sockets are closed; this only bounds a pathological case
// (a process QEMU forked still holding them open).
constexpr auto kDrainTimeout = 2000ms;
constexpr size_t kStderrReadLimit = 64 * 1024;
// How long one pump() keeps coalescing before it returns to its caller.
constexpr int64_t kCoalesceWindowNs = 10'000'000;

void check_kernel(const fs::path& kernel) {
  UniqueFd fd(::open(kernel.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    throw InfraError(errno_message(
        fmt::format("cannot read the kernel image {} (build it, or fix the kernel path of the "
                    "VM config)",
                    kernel.string()),
        errno));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw InfraError(fmt::format(
        "the kernel image {} is not a regular file; point the VM config at the kernel ELF",
        kernel.string()));
  }
  // QEMU would take anything else for a raw real-mode kernel and hang in it.
  require_bootable_kernel(kernel, "the kernel image");
}

UniqueFd open_log(const fs::path& dir, const char* name) {
  make_private_directory(dir);
  const fs::path path = dir / name;
  // Appending: a QEMU restarted in the same run (a kill fault) must not erase what the killed
  // one wrote.
  UniqueFd fd(open_private_file(path, O_WRONLY | O_APPEND));
  if (!fd) throw InfraError(errno_message("cannot create " + path.string(), errno));
  return fd;
}

}  // namespace

void reset_once(Monitor& monitor) {
  monitor.command("set-action", {{"reboot", "reset"}});
  try {
    monitor.command("system_reset");
  } catch (...) {
    monitor.command("set-action", {{"reboot", "shutdown"}});
    throw;
  }
  monitor.command("set-action", {{"reboot", "shutdown"}});
}

QemuVm::QemuVm(VmConfig config, QemuOptions options, QemuHost host)
    : config_(std::move(config)), options_(std::move(options)), host_(std::move(host)) {}

QemuVm::~QemuVm() {
  try {
    kill();
  } catch (...) {
    // The Subprocess destructor still kills and reaps; nothing else can be done here.
  }
}

void QemuVm::start() {
  if (process_) throw InfraError("QemuVm::start() called twice for VM " + config_.name);
  validate_config(config_, options_);
  check_kernel(config_.kernel);
  run_dir_.emplace(RunDir::create(config_.name));
  const QemuSockets sockets{run_dir_->path() / "console", run_dir_->socket_path("qmp.sock")};
  console_ = ConsoleSocket::fifos(sockets.console);
  UniqueFd qmp_listener = listen_unix(sockets.qmp);
  argv_ = build_argv(config_, options_, prepare_launch(sockets));
  const fs::path log_dir = config_.output_dir.empty() ? run_dir_->path() : config_.output_dir;
  UniqueFd log = open_log(log_dir, "qemu.stderr.log");
  stderr_path_ = log_dir / "qemu.stderr.log";
  stderr_start_ = ::lseek(log.get(), 0, SEEK_END);  // this QEMU's part of the file begins here
  // Apart from its errors: the monitor's qemu-io (fault injection) prints its results there.
  UniqueFd out = open_log(log_dir, "qemu.stdout.log");

  SpawnOptions spawn;
  spawn.stdout_to = Redirect::fd(out.get());
  spawn.stderr_to = Redirect::fd(log.get());
  spawn.environment = qemu_environment(environ);
  spawn_ns_ = monotonic_ns();
  process_.emplace(Subprocess::spawn(argv_, spawn));

  try {
    accept_qmp(qmp_listener.get());
    qmp_.emplace(qmp_socket_.get());
    qmp_->handshake(std::chrono::milliseconds(std::max(1, poll_ms_until(startup_deadline()))));
    try {
      qmp_->execute("cont", nullptr,
                    std::chrono::milliseconds(std::max(1, poll_ms_until(startup_deadline()))));
    } catch (const QmpError&) {
      throw;
    } catch (const InfraError&) {
      // A guest that exits at once can end QEMU before QEMU answers "cont": the start
      // succeeded, and pump() reports how the VM ended.
      if (!qmp_->closed()) throw;
    }
    collect_events();
  } catch (const InfraError& e) {
    fail_start(e.what());
  }
}

Launch QemuVm::prepare_launch(QemuSockets sockets) {
  Launch launch{host_.qemu.empty() ? find_qemu() : host_.qemu, Accel::Tcg, std::move(sockets), {}};
  if (options_.accel == "kvm") {
    launch.accel = Accel::Kvm;
    accelerator_ = {"kvm", "kvm, as the spec asks"};
  } else if (options_.accel == "tcg") {
    accelerator_ = {"tcg", "tcg, as the spec asks"};
  } else if (config_.deterministic) {
    accelerator_ = {"tcg", "tcg: deterministic runs count instructions, which needs TCG"};
  } else {
    const AccelProbeResult probe = measured_accel();
    launch.accel = probe.chosen;
    accelerator_ = {std::string(to_string(probe.chosen)), probe.reason};
  }
  if (error_plan_) {
    // In the output folder, not the run directory: a repro bundle points at it.
    const fs::path dir = config_.output_dir.empty() ? run_dir_->path() : config_.output_dir;
    const fs::path path = dir / "blkdebug.conf";
    std::ofstream out(path);
    out << blkdebug_config(error_plan_->windows, error_plan_->size_bytes);
    out.close();
    if (!out) throw InfraError("cannot write the blkdebug config " + path.string());
    launch.blkdebug[error_plan_->drive_id] = path;
  }
  return launch;
}

void QemuVm::plan(const std::string& drive_id, const std::vector<Op>& windows) {
  if (process_) throw InfraError("disk error windows are planned before the VM starts");
  for (size_t i = 0; i < config_.drives.size(); ++i) {
    if (vm::drive_id(config_.drives[i], i) != drive_id) continue;
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(config_.drives[i].image, ec);
    if (ec)
      throw InfraError("cannot size the disk image " + config_.drives[i].image.string() + ": " +
                       ec.message());
    if (size < 1024)
      throw InputError("disk " + drive_id + " is too small for injected errors (" +
                       std::to_string(size) + " bytes; at least 1 KiB)");
    error_plan_ = ErrorPlan{drive_id, windows, size};
    return;
  }
  throw InputError("VM " + config_.name + " has no drive \"" + drive_id + "\"");
}

void QemuVm::step() {
  if (!error_plan_) throw InfraError("no disk error windows were planned for VM " + config_.name);
  const nlohmann::json out = control(
      "human-monitor-command",
      {{"command-line", blkdebug_step_command(error_plan_->drive_id, error_plan_->size_bytes)}});
  // qemu-io prints its own results on QEMU's stdout; the monitor answers only its errors.
  if (out.is_string() && !out.get<std::string>().empty())
    throw InfraError("HMP qemu-io said " + out.get<std::string>());
}

int64_t QemuVm::startup_deadline() const {
  const int64_t timeout_ns = int64_t(host_.startup_timeout.count()) * 1'000'000;
  const int64_t starved = read_run_delay_ns(process_->pid()).value_or(0);
  return spawn_ns_ + timeout_ns + std::clamp<int64_t>(starved, 0, 2 * timeout_ns);
}

void QemuVm::accept_qmp(int qmp_listener) {
  while (!qmp_socket_) {
    std::array<pollfd, 2> fds = {pollfd{qmp_listener, POLLIN, 0},
                                 pollfd{process_->pidfd(), POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), poll_ms_until(startup_deadline()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) throw InfraError(errno_message("poll while QEMU starts", errno));
    if (rc == 0 && poll_ms_until(startup_deadline()) == 0) {
      throw InfraError(fmt::format(
          "QEMU did not connect to its QMP socket within {} ms (and {} ms more that it waited "
          "for a host CPU)",
          host_.startup_timeout.count(),
          (startup_deadline() - spawn_ns_) / 1'000'000 - host_.startup_timeout.count()));
    }
    if (fds[0].revents != 0) qmp_socket_ = accept_unix(qmp_listener);
    if (fds[1].revents != 0 && !qmp_socket_)
      throw InfraError("QEMU exited before it connected to its QMP socket");
  }
}

void QemuVm::fail_start(const std::string& what) {
  // A QEMU that is failing is usually exiting on its own: give it a moment to finish its
  // stderr message, then make sure it is gone.
  if (!process_->wait_for(500ms)) process_->kill_group();
  const std::string stderr_text = read_stderr();
  const std::string tail = tail_lines(stderr_text);
  std::string message =
      fmt::format("QEMU failed to start: {}; QEMU {}", what, process_->status()->describe());
  if (tail.empty()) {
    message += fmt::format(" (nothing on its stderr, {})", stderr_path_.string());
  } else {
    message += ". Its stderr ends with:\n" + tail;
  }
  qmp_.reset();
  exit_ = decode_exit({*process_->status(), false, shutdown_reason_, stderr_text, monotonic_ns()});
  throw InfraError(message);
}

void QemuVm::pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) {
  if (!process_) throw InfraError("QemuVm::pump() before start()");
  if (deliver_pending(listener) || exit_) return;
  const int64_t deadline = deadline_after(timeout);
  for (;;) {
    enum { kConsole, kConsoleInput, kQmp, kChild, kWake };
    std::array<pollfd, 5> fds = {console_.output_poll(), console_.input_poll(),
                                 pollfd{qmp_->closed() ? -1 : qmp_socket_.get(), POLLIN, 0},
                                 pollfd{process_->pidfd(), POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), poll_ms_until(deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) throw InfraError(errno_message("poll on the VM's descriptors", errno));
    bool delivered = false;
    if (fds[kConsole].revents & (POLLIN | POLLHUP | POLLERR)) {
      delivered |= console_.read(listener, std::min(deadline, monotonic_ns() + kCoalesceWindowNs));
    }
    if (fds[kConsoleInput].revents != 0) console_.flush();
    if (fds[kQmp].revents != 0) {
      qmp_->read_available();
      collect_events();
    }
    delivered |= deliver_pending(listener);
    if (fds[kChild].revents != 0) return finish(&listener, false);
    if (delivered || rc == 0 || fds[kWake].revents != 0 || poll_ms_until(deadline) == 0) return;
  }
}

void QemuVm::collect_events() {
  if (!qmp_) return;
  for (VmEvent& event : qmp_->take_events()) {
    if (event.name == "SHUTDOWN") {
      const auto reason = event.data.find("reason");
      shutdown_reason_ =
          reason != event.data.end() && reason->is_string() ? reason->get<std::string>() : "";
    }
    events_.push_back(std::move(event));
  }
}

bool QemuVm::deliver_pending(VmListener& listener) {
  bool delivered = console_.deliver_stash(listener);
  while (!events_.empty()) {
    const VmEvent event = std::move(events_.front());
    events_.pop_front();
    listener.on_vm_event(event);
    delivered = true;
  }
  return delivered;
}

void QemuVm::finish(VmListener* listener, bool killed) {
  if (listener != nullptr) {
    console_.drain(*listener, deadline_after(kDrainTimeout));
  } else {
    console_.stash(deadline_after(kDrainTimeout));
  }
  const int64_t deadline = deadline_after(kDrainTimeout);
  while (qmp_ && qmp_->read_available() &&
         poll_one(qmp_socket_.get(), POLLIN, poll_ms_until(deadline))) {
  }
  collect_events();
  if (listener != nullptr) deliver_pending(*listener);
  const ExitStatus status = process_->wait();
  exit_ = decode_exit({status, killed, shutdown_reason_, read_stderr(), monotonic_ns()});
}

std::string QemuVm::read_stderr() const {
  UniqueFd fd(::open(stderr_path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return "";
  struct stat st;
  if (::fstat(fd.get(), &st) == 0)
    ::lseek(fd.get(), std::max(stderr_start_, st.st_size - off_t(kStderrReadLimit)), SEEK_SET);
  std::string text(kStderrReadLimit, '\0');
  size_t used = 0;
  ssize_t n;
  while (used < text.size() && (n = ::read(fd.get(), text.data() + used, text.size() - used)) > 0) {
    used += size_t(n);
  }
  text.resize(used);
  return text;
}

void QemuVm::send_console(int port, std::string_view bytes) {
  if (port != 0) {
    throw InfraError(fmt::format("VM {} has no console port {}; QEMU VMs have port 0 (COM1)",
                                 config_.name, port));
  }
  if (!process_ || exit_)
    throw InfraError("cannot write to the console of a VM that is not running");
  console_.write(bytes);
}

nlohmann::json QemuVm::control(std::string_view command, const nlohmann::json& arguments) {
  if (!qmp_) throw InfraError(fmt::format("cannot {}: the VM was not started", command));
  if (exit_) throw InfraError(fmt::format("cannot {}: the VM has exited", command));
  try {
    nlohmann::json result = qmp_->execute(command, arguments, host_.qmp_timeout);
    collect_events();
    return result;
  } catch (...) {
    collect_events();
    throw;
  }
}

void QemuVm::pause() { control("stop"); }
void QemuVm::resume() { control("cont"); }
void QemuVm::reset() { reset_once(*this); }
nlohmann::json QemuVm::query_status() { return control("query-status"); }

void QemuVm::screendump(const fs::path& png) {
  control("screendump", {{"filename", fs::absolute(png).string()}, {"format", "png"}});
}

namespace {

const Nic& find_nic(const std::vector<Nic>& nics, const std::string& id) {
  for (const Nic& nic : nics)
    if (nic.id == id) return nic;
  throw InfraError("the VM has no network interface \"" + id + "\"");
}

}  // namespace

void QemuVm::set_link(const std::string& nic_id, bool up) {
  control("set_link", {{"name", find_nic(config_.nics, nic_id).id}, {"up", up}});
}

void QemuVm::set_partitioned(const std::string& nic_id, bool cut) {
  control("qom-set", {{"path", partition_filter_id(find_nic(config_.nics, nic_id).id)},
                      {"property", "status"},
                      {"value", cut ? "on" : "off"}});
}

void QemuVm::kill() {
  if (!process_ || exit_) return;
  process_->kill_group();
  finish(nullptr, true);
}

void QemuVm::shutdown(std::chrono::milliseconds grace) {
  if (!process_ || exit_) return;
  if (qmp_ && !qmp_->closed()) {
    try {
      qmp_->send("quit");
    } catch (const InfraError&) {
      // QMP is gone; the kill below still ends the VM.
    }
  }
  if (process_->wait_for(grace)) {
    finish(nullptr, false);
  } else {
    kill();
  }
}

CpuUsage QemuVm::cpu_usage() const {
  if (process_ && !exit_) {
    if (!cpu_reader_ || cpu_reader_->pid() != process_->pid()) cpu_reader_.emplace(process_->pid());
    if (auto usage = cpu_reader_->read()) last_cpu_ = *usage;
  }
  return last_cpu_;
}

const fs::path& QemuVm::run_dir() const {
  if (!run_dir_) throw InfraError("the run directory exists once the VM has started");
  return run_dir_->path();
}

}  // namespace osh::vm::qemu
