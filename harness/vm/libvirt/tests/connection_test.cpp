// The connection, events and domain XML against libvirt's test:///default driver, which runs
// inside this process (no daemon): lifecycle and events as libvirt delivers them.
#include "harness/vm/libvirt/connection.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include "harness/base/errors.h"
#include "harness/vm/libvirt/domain_xml.h"
#include "harness/vm/qemu/console_socket.h"

namespace osh::vm::libvirt {
namespace {

using ::testing::HasSubstr;

constexpr const char* kTest = "test:///default";

// Before main(): whether the process started with libvirt loaded.
const bool libvirt_at_start = ::dlopen("libvirt.so.0", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

// libvirt and its 55 libraries cost every osharness process 20 ms to start
// (docs/performance.md): the backend loads it when it is first used, and only then.
TEST(LibvirtConnection, LibvirtIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libvirt_at_start);
  ensure_event_loop();
  EXPECT_NE(::dlopen("libvirt.so.0", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

std::string test_domain_xml(const std::string& name) {
  VmConfig config;
  config.name = name;
  config.kernel = "/k/rayos.elf";
  config.append = "osh.scenario=hello";
  LibvirtOptions options;
  options.qemu.machine = "pc";
  return domain_xml(config, options, {name, "/run/osh/console", "tcg"});
}

struct Domain {
  explicit Domain(virDomainPtr d) : ptr(d) {}
  ~Domain() {
    if (ptr) virDomainFree(ptr);
  }
  virDomainPtr ptr;
};

TEST(LibvirtConnection, OneConnectionPerUriWhileItIsUsed) {
  const auto a = Connection::shared(kTest);
  const auto b = Connection::shared(kTest);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_TRUE(a->local());
  EXPECT_EQ(a->uri(), kTest);
}

TEST(LibvirtConnection, AnUnreachableUriNamesItselfAndWhatToCheck) {
  try {
    Connection::shared("qemu+unix:///system?socket=/nonexistent/osh.sock");
    FAIL() << "connected";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot connect to libvirt at qemu+unix:///system"));
    EXPECT_THAT(e.what(), HasSubstr("check the URI, --connect or guest.libvirt.uri"));
  }
}

TEST(LibvirtConnection, LocalUrisHaveNoHost) {
  EXPECT_TRUE(is_local_uri("qemu:///system"));
  EXPECT_TRUE(is_local_uri("qemu:///session"));
  EXPECT_FALSE(is_local_uri("qemu+ssh://build7/system"));
  EXPECT_FALSE(is_local_uri("qemu://build7/system"));
  EXPECT_FALSE(is_local_uri("system"));
}

TEST(LibvirtConnection, TheDriverAcceptsTheDomainXml) {
  const auto c = Connection::shared(kTest);
  Domain d(virDomainCreateXML(c->get(), test_domain_xml("osh-xml").c_str(), 0));
  ASSERT_NE(d.ptr, nullptr) << last_error();
  char* xml = virDomainGetXMLDesc(d.ptr, 0);
  ASSERT_NE(xml, nullptr);
  const std::string back = xml;
  free(xml);
  EXPECT_THAT(back, HasSubstr("<kernel>/k/rayos.elf</kernel>"));
  EXPECT_THAT(back, HasSubstr("<cmdline>osh.scenario=hello</cmdline>"));
  EXPECT_THAT(back, HasSubstr("<on_poweroff>destroy</on_poweroff>"));
  EXPECT_THAT(back, HasSubstr("path='/run/osh/console'"));
  virDomainDestroy(d.ptr);
}

TEST(LibvirtConnection, EventsTellTheDomainStoppedAndWhy) {
  const auto c = Connection::shared(kTest);
  Domain d(virDomainCreateXML(c->get(), test_domain_xml("osh-events").c_str(), 0));
  ASSERT_NE(d.ptr, nullptr) << last_error();
  DomainEvents events(c, d.ptr, false);
  EXPECT_FALSE(events.stopped());
  ASSERT_EQ(virDomainDestroy(d.ptr), 0) << last_error();
  // Delivered by the event loop thread.
  ASSERT_TRUE(qemu::poll_one(events.wake_fd(), POLLIN, 5000));
  ASSERT_TRUE(events.stopped());
  EXPECT_EQ(*events.stopped(), VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
  EXPECT_EQ(stopped_detail_name(*events.stopped()), "destroyed");
  events.take_events();
  EXPECT_FALSE(qemu::poll_one(events.wake_fd(), POLLIN, 0));
}

TEST(LibvirtConnection, EventsOfOtherDomainsAreNotDelivered) {
  const auto c = Connection::shared(kTest);
  Domain mine(virDomainCreateXML(c->get(), test_domain_xml("osh-mine").c_str(), 0));
  Domain other(virDomainCreateXML(c->get(), test_domain_xml("osh-other").c_str(), 0));
  ASSERT_TRUE(mine.ptr && other.ptr) << last_error();
  DomainEvents events(c, mine.ptr, false);
  ASSERT_EQ(virDomainDestroy(other.ptr), 0);
  EXPECT_FALSE(qemu::poll_one(events.wake_fd(), POLLIN, 300));
  EXPECT_FALSE(events.stopped());
  virDomainDestroy(mine.ptr);
}

TEST(LibvirtConnection, TheTestDriverHasNoQemuMonitorEventsAndSaysSo) {
  const auto c = Connection::shared(kTest);
  Domain d(virDomainCreateXML(c->get(), test_domain_xml("osh-qmp").c_str(), 0));
  ASSERT_NE(d.ptr, nullptr);
  try {
    DomainEvents events(c, d.ptr, true);
    FAIL() << "registered";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot register for the domain's QEMU monitor events"));
  }
  virDomainDestroy(d.ptr);
}

}  // namespace
}  // namespace osh::vm::libvirt
