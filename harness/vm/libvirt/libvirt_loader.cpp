// libvirt's functions, loaded the first time the backend calls one (harness/base/lazy_library.h):
// linking libvirt.so pulled about 55 shared libraries (glib, GnuTLS, ICU, curl, Kerberos...)
// into every osharness process. Each function here has the name and the signature
// <libvirt/libvirt.h> declares, so the backend calls libvirt as before.
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "harness/base/lazy_library.h"

namespace {

constexpr const char* kRemedy = "the libvirt backend needs it: scripts/setup, or --backend qemu";

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
OSH_LAZY_LIBRARY(api, "libvirt.so.0", kRemedy, OSH_LIBVIRT_FUNCTIONS)

#define OSH_LIBVIRT_QEMU_FUNCTIONS(X)           \
  X(virConnectDomainQemuMonitorEventDeregister) \
  X(virConnectDomainQemuMonitorEventRegister)   \
  X(virDomainQemuMonitorCommand)
OSH_LAZY_LIBRARY(qemu_api, "libvirt-qemu.so.0", kRemedy, OSH_LIBVIRT_QEMU_FUNCTIONS)

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
  return qemu_api().virConnectDomainQemuMonitorEventDeregister(conn, callback_id);
}
int virConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                             const char* event,
                                             virConnectDomainQemuMonitorEventCallback cb,
                                             void* opaque, virFreeCallback freecb,
                                             unsigned int flags) {
  return qemu_api().virConnectDomainQemuMonitorEventRegister(conn, dom, event, cb, opaque, freecb,
                                                             flags);
}
int virDomainQemuMonitorCommand(virDomainPtr domain, const char* cmd, char** result,
                                unsigned int flags) {
  return qemu_api().virDomainQemuMonitorCommand(domain, cmd, result, flags);
}
}
