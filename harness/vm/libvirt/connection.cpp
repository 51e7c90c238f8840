#include "harness/vm/libvirt/connection.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "harness/base/clock.h"
#include "harness/base/errors.h"

namespace osh::vm::libvirt {

std::string last_error() {
  const char* message = virGetLastErrorMessage();
  return message ? message : "no error";
}

void ensure_event_loop() {
  static std::once_flag once;
  std::call_once(once, [] {
    virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
    if (virEventRegisterDefaultImpl() != 0)
      throw InfraError("cannot set up libvirt's event loop: " + last_error());
    // Runs as long as the process: libvirt has no way to stop its default loop.
    std::thread([] {
      for (;;) virEventRunDefaultImpl();
    }).detach();
  });
}

bool is_local_uri(std::string_view uri) {
  const auto scheme_end = uri.find("://");
  return scheme_end != std::string_view::npos && uri.substr(scheme_end + 3).starts_with('/') &&
         uri.substr(0, scheme_end).find('+') == std::string_view::npos;
}

std::shared_ptr<Connection> Connection::shared(const std::string& uri) {
  ensure_event_loop();
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<Connection>> open;
  std::lock_guard lock(mutex);
  if (auto existing = open[uri].lock()) return existing;
  virConnectPtr conn = virConnectOpen(uri.c_str());
  if (!conn) {
    throw InfraError("cannot connect to libvirt at " + uri + ": " + last_error() +
                     (uri.starts_with("qemu:///system")
                          ? " (is libvirtd running? scripts/setup starts it)"
                          : " (check the URI, --connect or guest.libvirt.uri)"));
  }
  // A remote libvirtd that vanished is noticed within 30 s instead of at the next call.
  if (!is_local_uri(uri)) virConnectSetKeepAlive(conn, 5, 5);
  std::shared_ptr<Connection> c(new Connection(conn, uri, is_local_uri(uri)));
  open[uri] = c;
  return c;
}

Connection::~Connection() { virConnectClose(conn_); }

std::string_view stopped_detail_name(int detail) {
  switch (detail) {
    case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN:
      return "shutdown";
    case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
      return "destroyed";
    case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
      return "crashed";
    case VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
      return "migrated";
    case VIR_DOMAIN_EVENT_STOPPED_SAVED:
      return "saved";
    case VIR_DOMAIN_EVENT_STOPPED_FAILED:
      return "failed";
    case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT:
      return "from-snapshot";
    default:
      return "unknown";
  }
}

struct DomainEvents::State {
  std::mutex mutex;
  std::deque<VmEvent> events;
  std::optional<int> stopped;
  UniqueFd wake{::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};

  void notify() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake.get(), &one, sizeof one);
  }
};

namespace {

using StateRef = std::shared_ptr<DomainEvents::State>;

// libvirt owns a copy of the reference until it calls this, which may be after deregistration
// returned: a callback can never see a destroyed State.
void free_state(void* opaque) { delete static_cast<StateRef*>(opaque); }

int on_lifecycle(virConnectPtr, virDomainPtr, int event, int detail, void* opaque) {
  if (event != VIR_DOMAIN_EVENT_STOPPED) return 0;
  auto& state = **static_cast<StateRef*>(opaque);
  std::lock_guard lock(state.mutex);
  state.stopped = detail;
  state.notify();
  return 0;
}

void on_qemu_event(virConnectPtr, virDomainPtr, const char* event, long long, unsigned int,
                   const char* details, void* opaque) {
  auto& state = **static_cast<StateRef*>(opaque);
  VmEvent e{monotonic_ns(), event ? event : "", nlohmann::json::object()};
  if (details) e.data = nlohmann::json::parse(details, nullptr, false);
  if (e.data.is_discarded()) e.data = {{"unparsed", details}};
  std::lock_guard lock(state.mutex);
  state.events.push_back(std::move(e));
  state.notify();
}

}  // namespace

DomainEvents::DomainEvents(std::shared_ptr<Connection> connection, virDomainPtr domain,
                           bool qemu_events)
    : connection_(std::move(connection)), state_(std::make_shared<State>()) {
  if (!state_->wake) throw InfraError(errno_message("eventfd for libvirt's events", errno));
  lifecycle_id_ = virConnectDomainEventRegisterAny(
      connection_->get(), domain, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
      VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), new StateRef(state_), free_state);
  if (lifecycle_id_ < 0)
    throw InfraError("cannot register for the domain's lifecycle events: " + last_error());
  if (qemu_events) {
    qemu_id_ = virConnectDomainQemuMonitorEventRegister(
        connection_->get(), domain, nullptr, on_qemu_event, new StateRef(state_), free_state, 0);
    if (qemu_id_ < 0) {
      const std::string error = last_error();
      virConnectDomainEventDeregisterAny(connection_->get(), lifecycle_id_);
      throw InfraError("cannot register for the domain's QEMU monitor events: " + error);
    }
  }
}

DomainEvents::~DomainEvents() {
  if (qemu_id_ >= 0) virConnectDomainQemuMonitorEventDeregister(connection_->get(), qemu_id_);
  virConnectDomainEventDeregisterAny(connection_->get(), lifecycle_id_);
}

int DomainEvents::wake_fd() const { return state_->wake.get(); }

std::deque<VmEvent> DomainEvents::take_events() {
  uint64_t count;
  [[maybe_unused]] const ssize_t n = ::read(state_->wake.get(), &count, sizeof count);
  std::lock_guard lock(state_->mutex);
  return std::exchange(state_->events, {});
}

std::optional<int> DomainEvents::stopped() const {
  std::lock_guard lock(state_->mutex);
  return state_->stopped;
}

}  // namespace osh::vm::libvirt
