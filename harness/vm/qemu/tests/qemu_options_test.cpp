#include "harness/vm/qemu/qemu_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::vm::qemu {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

QemuOptions parse(const nlohmann::json& guest, std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> ignored;
  JsonReader reader(guest, "spec.json", "guest");
  auto options = parse_qemu_options(reader, warnings ? *warnings : ignored);
  reader.reject_unknown();
  return options;
}

std::string error_of(const nlohmann::json& guest) {
  try {
    parse(guest);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(QemuOptions, DefaultsWithoutABlock) {
  const auto o = parse(nlohmann::json::object());
  EXPECT_EQ(o.machine, "microvm");
  EXPECT_EQ(o.accel, "auto");
  EXPECT_TRUE(o.args.empty());
  EXPECT_EQ(o.exit_port, 0xf4);
}

TEST(QemuOptions, TheQemuBlockRoundTrips) {
  const nlohmann::json guest = {
      {"qemu",
       {{"machine", "pc"}, {"accel", "tcg"}, {"args", {"-d", "int"}}, {"exit_port", 0x501}}}};
  const auto o = parse(guest);
  EXPECT_EQ(o.machine, "pc");
  EXPECT_EQ(o.accel, "tcg");
  EXPECT_THAT(o.args, ElementsAre("-d", "int"));
  EXPECT_EQ(o.exit_port, 0x501);
  EXPECT_EQ(o.to_json(), guest);
}

TEST(QemuOptions, OlderFieldsAreReadWithADeprecationWarning) {
  std::vector<std::string> warnings;
  const auto o = parse({{"machine", "q35"}, {"accel", "kvm"}, {"qemu_args", {"-s"}}}, &warnings);
  EXPECT_EQ(o.machine, "q35");
  EXPECT_EQ(o.accel, "kvm");
  EXPECT_THAT(o.args, ElementsAre("-s"));
  EXPECT_THAT(warnings,
              ElementsAre("guest.machine is deprecated: write guest.qemu.machine instead",
                          "guest.accel is deprecated: write guest.qemu.accel instead",
                          "guest.qemu_args is deprecated: write guest.qemu.args instead"));
}

TEST(QemuOptions, BadFieldsAreNamed) {
  EXPECT_THAT(error_of({{"qemu", {{"accel", "hvf"}}}}),
              HasSubstr("guest.qemu.accel: expected \"auto\", \"tcg\" or \"kvm\", got \"hvf\""));
  EXPECT_THAT(error_of({{"accel", "hvf"}}), HasSubstr("guest.accel: expected"));
  EXPECT_THAT(error_of({{"qemu", {{"exit_port", 0}}}}), HasSubstr("guest.qemu.exit_port"));
  EXPECT_THAT(error_of({{"qemu", {{"machin", "pc"}}}}), HasSubstr("guest.qemu.machin"));
}

}  // namespace
}  // namespace osh::vm::qemu
