#include "harness/campaign/spec.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

const SpecContext kContext{"/opt/osh/bin", 1.0};

nlohmann::json minimal() {
  return {{"name", "hello"}, {"guest", {{"kernel", "${bindir}/rayos.elf"}}}, {"scenario", "hello"}};
}

std::string error_of(const nlohmann::json& j, const SpecContext& context = kContext) {
  try {
    parse_spec(j, "specs/t.json", "/work/specs", context);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Spec, MinimalSpecGetsDocumentedDefaults) {
  const auto s = parse_spec(minimal(), "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(s.guest.kernel, "/opt/osh/bin/rayos.elf");
  EXPECT_EQ(s.guest.machine, "microvm");
  EXPECT_EQ(s.guest.memory, "64M");
  EXPECT_EQ(s.guest.accel, "auto");
  EXPECT_EQ(s.guest.schema, "rayos");
  EXPECT_EQ(s.repeat, 1);
  EXPECT_FALSE(s.seed.has_value());
  EXPECT_EQ(s.expect_exit_code, 0);
  EXPECT_EQ(s.timeouts.idle_s, 10);
}

TEST(Spec, RelativePathsAreRelativeToTheSpecFile) {
  auto j = minimal();
  j["guest"]["kernel"] = "../build/bin/rayos.elf";
  j["guest"]["schema"] = "schemas/my.json";
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(s.guest.kernel, "/work/build/bin/rayos.elf");
  EXPECT_EQ(s.guest.schema, "/work/specs/schemas/my.json");
}

TEST(Spec, ParamsBecomeTheKernelCommandLine) {
  auto j = minimal();
  j["params"] = {{"count", 1000}, {"mode", "fast"}, {"on", true}};
  j["seed"] = 42;
  j["guest"]["append"] = "console=ttyS0";
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  // nlohmann orders object keys; the command line follows that order.
  EXPECT_EQ(kernel_command_line(s, 42),
            "osh.scenario=hello osh.seed=42 count=1000 mode=fast on=1 console=ttyS0");
}

TEST(Spec, ErrorsNameFileFieldAndProblem) {
  auto j = minimal();
  j["timeouts"] = {{"idle_s", "ten"}};
  EXPECT_EQ(error_of(j), "specs/t.json: timeouts.idle_s: expected a number, got string \"ten\"");

  j = minimal();
  j["timeouts"] = {{"idel_s", 3}};
  EXPECT_NE(error_of(j).find("specs/t.json: timeouts.idel_s: unknown field (known fields here: "),
            std::string::npos);

  j = minimal();
  j.erase("scenario");
  EXPECT_EQ(error_of(j), "specs/t.json: scenario: required field is missing");

  j = minimal();
  j["guest"]["cpus"] = 0;
  EXPECT_EQ(error_of(j), "specs/t.json: guest.cpus: must be between 1 and 64, got 0");

  j = minimal();
  j["guest"]["accel"] = "hvf";
  EXPECT_NE(error_of(j).find("guest.accel: expected \"auto\", \"tcg\" or \"kvm\""),
            std::string::npos);

  j = minimal();
  j["params"] = {{"msg", "two words"}};
  EXPECT_NE(error_of(j).find("params.msg: value \"two words\" would break the kernel command line"),
            std::string::npos);

  j = minimal();
  j["seed"] = -3;
  EXPECT_NE(error_of(j).find("seed: expected a non-negative integer or \"random\""),
            std::string::npos);

  j = minimal();
  j["criteria"] = {"fps.min >= 58"};
  EXPECT_NE(error_of(j).find("criteria[0]: no run measures \"fps.min\""), std::string::npos);

  j = minimal();
  j["analyzers"] = {"nonesuch"};
  EXPECT_NE(error_of(j).find("analyzers[0]: unknown analyzer \"nonesuch\""), std::string::npos);

  EXPECT_EQ(error_of(nlohmann::json::array()),
            "specs/t.json: document: expected an object, got array []");
}

TEST(Spec, ScaledParamsAndDeadlineFollowTheScale) {
  auto j = minimal();
  j["params"] = {{"duration_sec", 3600}, {"clients", 16}};
  j["scaled_params"] = {"duration_sec"};
  j["timeouts"] = {{"deadline_s", 4000}};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", {"/b", 0.01});
  EXPECT_EQ(kernel_command_line(s, 1), "osh.scenario=hello osh.seed=1 clients=16 duration_sec=36");
  EXPECT_EQ(s.timeouts.deadline_s, 40);

  // Scaled down to nothing, a duration still lasts at least 1 and a deadline 30 s.
  const auto tiny = parse_spec(j, "specs/t.json", "/work/specs", {"/b", 1e-9});
  EXPECT_EQ(kernel_command_line(tiny, 1),
            "osh.scenario=hello osh.seed=1 clients=16 duration_sec=1");
  EXPECT_EQ(tiny.timeouts.deadline_s, 30);

  j["scaled_params"] = {"durration_sec"};
  EXPECT_NE(error_of(j).find("scaled_params[0]: \"durration_sec\" is not one of the params"),
            std::string::npos);
}

TEST(Spec, JsonRoundTripGivesTheSameSpec) {
  auto j = minimal();
  j["params"] = {{"count", 7}};
  j["seed"] = 9;
  j["criteria"] = {"boot_ms <= 200", "markers.lost == 0"};
  j["timeouts"] = {{"deadline_s", 12.5}};
  const auto a = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  const auto b = parse_spec(to_json(a), "bundle", "", kContext);
  EXPECT_EQ(to_json(a), to_json(b));
  EXPECT_EQ(b.guest.kernel, "/opt/osh/bin/rayos.elf");
  EXPECT_EQ(kernel_command_line(a, 9), kernel_command_line(b, 9));
}

TEST(Spec, DiskGivesTheGuestAnImageOfThatSize) {
  EXPECT_EQ(parse_spec(minimal(), "specs/t.json", "/work/specs", kContext).guest.disk_mib, 0u);
  auto j = minimal();
  j["guest"]["disk"] = {{"size_mib", 16}};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(s.guest.disk_mib, 16u);
  EXPECT_EQ(to_json(s)["guest"]["disk"]["size_mib"], 16);
  EXPECT_EQ(parse_spec(to_json(s), "bundle", "", kContext).guest.disk_mib, 16u);
  EXPECT_FALSE(to_json(parse_spec(minimal(), "t", "", kContext))["guest"].contains("disk"));

  j["guest"]["disk"] = {{"size_mib", 0}};
  EXPECT_EQ(error_of(j), "specs/t.json: guest.disk.size_mib: must be between 1 and 65536, got 0");
  j["guest"]["disk"] = nlohmann::json::object();
  EXPECT_EQ(error_of(j), "specs/t.json: guest.disk.size_mib: required field is missing");
  j["guest"]["disk"] = {{"size_mib", 8}, {"format", "qcow2"}};
  EXPECT_NE(error_of(j).find("guest.disk.format: unknown field"), std::string::npos);
}

TEST(Spec, ScaleComesFromTheEnvironment) {
  ::setenv("OSH_SCALE", "0.05", 1);
  EXPECT_EQ(scale_from_environment(), 0.05);
  ::setenv("OSH_SCALE", "fast", 1);
  EXPECT_THROW(scale_from_environment(), InputError);
  ::setenv("OSH_SCALE", "-1", 1);
  EXPECT_THROW(scale_from_environment(), InputError);
  ::unsetenv("OSH_SCALE");
  EXPECT_EQ(scale_from_environment(), 1.0);
}

}  // namespace
}  // namespace osh::campaign
