// libvirt's functions, loaded the first time the backend calls one (harness/base/lazy_library.h):
// linking libvirt.so pulled about 55 shared libraries (glib, GnuTLS, ICU, curl, Kerberos...)
// into every osharness process. Each function here has the name and the signature
// <libvirt/libvirt.h> declares, so the backend calls libvirt as before.
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <string>

#include "harness/base/lazy_library.h"

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

const Api& api() {
  static const Api loaded = [] {
    const std::string remedy = "the libvirt backend needs it: scripts/setup, or --backend qemu";
    Api a;
    void* const libvirt = osh::open_library("libvirt.so.0", remedy);
    void* const qemu = osh::open_library("libvirt-qemu.so.0", remedy);
#define OSH_LOAD(name) \
  a.name =             \
      reinterpret_cast<decltype(a.name)>(osh::library_function(libvirt, "libvirt.so.0", #name));
    OSH_LIBVIRT_FUNCTIONS(OSH_LOAD)
#undef OSH_LOAD
#define OSH_LOAD(name) \
  a.name =             \
      reinterpret_cast<decltype(a.name)>(osh::library_function(qemu, "libvirt-qemu.so.0", #name));
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
