#include "harness/vm/libvirt/libvirt_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::vm::libvirt {
namespace {

using ::testing::HasSubstr;

LibvirtOptions parse(const nlohmann::json& guest) {
  std::vector<std::string> warnings;
  JsonReader reader(guest, "spec.json", "guest");
  auto options = parse_libvirt_options(reader, warnings);
  reader.reject_unknown();
  return options;
}

TEST(LibvirtOptions, DefaultsToTheSystemDaemonAndQemusDefaults) {
  const auto o = parse(nlohmann::json::object());
  EXPECT_EQ(o.uri, "qemu:///system");
  EXPECT_EQ(o.qemu.machine, "microvm");
  EXPECT_EQ(o.qemu.exit_port, 0xf4);
}

TEST(LibvirtOptions, ReadsTheQemuBlockAndTheUriAndWritesThemBack) {
  const nlohmann::json guest = {
      {"qemu", {{"machine", "pc"}, {"accel", "tcg"}, {"args", {"-d", "int"}}, {"exit_port", 244}}},
      {"libvirt", {{"uri", "qemu+ssh://build7/system"}}}};
  const auto o = parse(guest);
  EXPECT_EQ(o.qemu.machine, "pc");
  EXPECT_EQ(o.uri, "qemu+ssh://build7/system");
  EXPECT_EQ(o.to_json(), guest);
}

TEST(LibvirtOptions, RefusesWhatIsNoUriAndUnknownFields) {
  try {
    parse({{"libvirt", {{"uri", "system"}}}});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("spec.json: guest.libvirt.uri"));
    EXPECT_THAT(e.what(), HasSubstr("write e.g. qemu:///system"));
  }
  EXPECT_THROW(parse({{"libvirt", {{"url", "qemu:///system"}}}}), InputError);
}

}  // namespace
}  // namespace osh::vm::libvirt
