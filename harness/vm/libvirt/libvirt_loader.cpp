// libvirt's functions, loaded with dlopen the first time the backend calls one. Linking
// libvirt.so pulled about 55 shared libraries (glib, GnuTLS, ICU, curl, Kerberos...) into every
// osharness process: 27 ms of CPU to start one that never uses libvirt, against 2 ms for a
// plain one (perf stat -r 20, docs/performance.md). Each function here has the name and the
// signature <libvirt/libvirt.h> declares, so the backend calls libvirt as before.
#include <dlfcn.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <string>

#include "harness/base/errors.h"

namespace {

struct Api {
#define OSH_LIBVIRT_FUNCTIONS(X)        \
  X(virConnectClose)                    \
  X(virConnectDomainEventDeregisterAny) \
  X(virConnectDomainEventRegisterAny)   \
  X(virConnectOpen)                     \
  X(virConnectSetKeepAlive)             \
  X(virDomainCreateXML)                 \
  X(virDomainDestroy)                   \
  X(virDomainFree)                      \
  X(virDomainGetInfo)                   \
  X(virDomainGetXMLDesc)                \
  X(virDomainLookupByName)              \
  X(virDomainResume)                    \
  X(virDomainSuspend)                   \
  X(virEventRegisterDefaultImpl)        \
  X(virEventRunDefaultImpl)             \
  X(virGetLastErrorMessage)             \
  X(virSetErrorFunc)
#define OSH_LIBVIRT_QEMU_FUNCTIONS(X)           \
  X(virConnectDomainQemuMonitorEventDeregister) \
  X(virConnectDomainQemuMonitorEventRegister)   \
  X(virDomainQemuMonitorCommand)
#define OSH_POINTER(name) decltype(&::name) name = nullptr;
  OSH_LIBVIRT_FUNCTIONS(OSH_POINTER)
  OSH_LIBVIRT_QEMU_FUNCTIONS(OSH_POINTER)
#undef OSH_POINTER
};

void* open_library(const char* name) {
  void* handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw osh::InfraError(std::string("the libvirt backend cannot load ") + name + ": " +
                          (why ? why : "unknown error") +
                          " (install libvirt: scripts/setup, or run with --backend qemu)");
  }
  return handle;
}

template <typename Fn>
void load(void* handle, const char* library, const char* name, Fn& into) {
  into = reinterpret_cast<Fn>(::dlsym(handle, name));
  if (into == nullptr)
    throw osh::InfraError(std::string("the libvirt backend: ") + library + " has no " + name +
                          " (libvirt too old? Debian 12's libvirt 9.0 has it)");
}

const Api& api() {
  static const Api loaded = [] {
    Api a;
    void* const libvirt = open_library("libvirt.so.0");
    void* const qemu = open_library("libvirt-qemu.so.0");
#define OSH_LOAD(name) load(libvirt, "libvirt.so.0", #name, a.name);
    OSH_LIBVIRT_FUNCTIONS(OSH_LOAD)
#undef OSH_LOAD
#define OSH_LOAD(name) load(qemu, "libvirt-qemu.so.0", #name, a.name);
    OSH_LIBVIRT_QEMU_FUNCTIONS(OSH_LOAD)
#undef OSH_LOAD
    return a;
  }();
  return loaded;
}

}  // namespace

// The definitions <libvirt/libvirt.h> declares, each forwarding to the loaded function.
extern "C" {
int virConnectClose(virConnectPtr conn) { return api().virConnectClose(conn); }
int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callback_id) {
  return api().virConnectDomainEventDeregisterAny(conn, callback_id);
}
int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int event_id,
                                     virConnectDomainEventGenericCallback cb, void* opaque,
                                     virFreeCallback freecb) {
  return api().virConnectDomainEventRegisterAny(conn, dom, event_id, cb, opaque, freecb);
}
virConnectPtr virConnectOpen(const char* name) { return api().virConnectOpen(name); }
int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count) {
  return api().virConnectSetKeepAlive(conn, interval, count);
}
virDomainPtr virDomainCreateXML(virConnectPtr conn, const char* xml, unsigned int flags) {
  return api().virDomainCreateXML(conn, xml, flags);
}
int virDomainDestroy(virDomainPtr domain) { return api().virDomainDestroy(domain); }
int virDomainFree(virDomainPtr domain) { return api().virDomainFree(domain); }
int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info) {
  return api().virDomainGetInfo(domain, info);
}
char* virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags) {
  return api().virDomainGetXMLDesc(domain, flags);
}
virDomainPtr virDomainLookupByName(virConnectPtr conn, const char* name) {
  return api().virDomainLookupByName(conn, name);
}
int virDomainResume(virDomainPtr domain) { return api().virDomainResume(domain); }
int virDomainSuspend(virDomainPtr domain) { return api().virDomainSuspend(domain); }
int virEventRegisterDefaultImpl() { return api().virEventRegisterDefaultImpl(); }
int virEventRunDefaultImpl() { return api().virEventRunDefaultImpl(); }
const char* virGetLastErrorMessage() { return api().virGetLastErrorMessage(); }
void virSetErrorFunc(void* user_data, virErrorFunc handler) {
  api().virSetErrorFunc(user_data, handler);
}
int virConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callback_id) {
  return api().virConnectDomainQemuMonitorEventDeregister(conn, callback_id);
}
int virConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                             const char* event,
                                             virConnectDomainQemuMonitorEventCallback cb,
                                             void* opaque, virFreeCallback freecb,
                                             unsigned int flags) {
  return api().virConnectDomainQemuMonitorEventRegister(conn, dom, event, cb, opaque, freecb,
                                                        flags);
}
int virDomainQemuMonitorCommand(virDomainPtr domain, const char* cmd, char** result,
                                unsigned int flags) {
  return api().virDomainQemuMonitorCommand(domain, cmd, result, flags);
}
}
