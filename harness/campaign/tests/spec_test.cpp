#include "harness/campaign/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/base/errors.h"
#include "harness/campaign/determinism.h"
#include "harness/vm/qemu/qemu_backend.h"

namespace osh::campaign {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A run hook that owns the spec section "probe": {"level": n, "runs": r}; from level 5 on it acts
// on the guest at host times; with runs it asks for that many runs.
struct ProbeConfig final : HookConfig {
  int level = 0;
  int run_count = 0;
  nlohmann::json to_json() const override {
    nlohmann::json j = {{"level", level}};
    if (run_count > 0) j["runs"] = run_count;
    return j;
  }
  int runs() const override { return run_count; }
  std::string host_timed() const override {
    return level >= 5 ? "probe: pokes the guest at host times" : "";
  }
};

Plugins test_plugins() {
  Plugins p;
  p.backends.push_back(vm::qemu::qemu_backend());
  p.analyzers.push_back(
      {"counter", "counts", {{"count.*", "", MetricInfo::Better::Higher, ""}}, {}});
  p.run_hooks.push_back({"probe",
                         "a test hook",
                         {{"probe.level", "", MetricInfo::Better::Neither, ""}},
                         [](const nlohmann::json& section, const std::string& origin, double) {
                           JsonReader r(section, origin, "probe");
                           auto config = std::make_shared<ProbeConfig>();
                           config->level =
                               static_cast<int>(r.required(r.integer("level", 0, 9), "level"));
                           config->run_count =
                               static_cast<int>(r.integer("runs", 1, 9).value_or(0));
                           r.reject_unknown();
                           return config;
                         },
                         {}});
  return p;
}

const Plugins kPlugins = test_plugins();
const SpecContext kContext{kPlugins, "/opt/osh/bin", 1.0};

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
  EXPECT_EQ(s.guest.memory, "64M");
  EXPECT_EQ(s.guest.backend, "qemu");
  EXPECT_EQ(s.guest.backend_options->to_json()["qemu"]["machine"], "microvm");
  EXPECT_EQ(s.guest.backend_options->to_json()["qemu"]["accel"], "auto");
  EXPECT_FALSE(s.guest.deterministic);
  EXPECT_TRUE(s.warnings.empty());
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

// `osharness run x.json`: the spec's folder is the current one, not the root.
TEST(Spec, SpecdirOfASpecNamedWithoutAFolderIsTheCurrentFolder) {
  auto j = minimal();
  j["guest"]["kernel"] = "${specdir}/linux/vmlinuz";
  j["guest"]["initrd"] = "${specdir}/initrd.cpio.gz";
  const auto s = parse_spec(j, "x.json", "", kContext);
  EXPECT_EQ(s.guest.kernel, "linux/vmlinuz");
  EXPECT_EQ(s.guest.initrd, "initrd.cpio.gz");
}

TEST(Spec, OtherOperatingSystemsOptions) {
  auto j = minimal();
  j["guest"]["schema"] = "none";
  j["guest"]["marker_prefix"] = "LNXGUEST";
  j["guest"]["kernel_warnings"] = "crash";
  j["guest"]["ktap"] = true;
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(schema_key(s.guest), "none:LNXGUEST");
  EXPECT_EQ(s.guest.crash_reports, "linux");
  EXPECT_TRUE(s.guest.ktap);
  const auto again = parse_spec(to_json(s), "again", "", kContext);
  EXPECT_EQ(schema_key(again.guest), "none:LNXGUEST");
  EXPECT_EQ(again.guest.kernel_warnings, "crash");
  EXPECT_TRUE(again.guest.ktap);

  j["guest"]["marker_prefix"] = "lnx";
  EXPECT_THAT(error_of(j),
              HasSubstr("specs/t.json: guest.marker_prefix: \"lnx\" is not a marker prefix"));
  j["guest"]["marker_prefix"] = "LNX";
  j["guest"]["schema"] = "rayos";
  EXPECT_THAT(error_of(j), HasSubstr("only schema \"none\" takes a prefix"));
  j["guest"].erase("marker_prefix");
  j["guest"]["crash_reports"] = "plan9";
  EXPECT_THAT(error_of(j),
              HasSubstr("guest.crash_reports: no crash table \"plan9\" (known: linux"));
  j["guest"]["crash_reports"] = "none";
  j["guest"]["kernel_warnings"] = "maybe";
  EXPECT_THAT(error_of(j), HasSubstr("guest.kernel_warnings: expected \"fail\", \"crash\""));
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
  j["guest"]["qemu"] = {{"accel", "hvf"}};
  EXPECT_NE(error_of(j).find("guest.qemu.accel: expected \"auto\", \"tcg\" or \"kvm\""),
            std::string::npos);

  // Checked at load (exit 65), not when the first run starts its VM (an INFRA_ERROR, 69).
  for (const char* bad : {"64Q", "4M", "2000G", "0x40M"}) {
    j = minimal();
    j["guest"]["memory"] = bad;
    EXPECT_NE(error_of(j).find("specs/t.json: guest.memory: \"" + std::string(bad) + "\": "),
              std::string::npos)
        << bad;
  }
  j = minimal();
  j["guest"]["memory"] = "2000G";
  EXPECT_EQ(error_of(j), "specs/t.json: guest.memory: \"2000G\": out of range; use 8M to 1024G");

  j = minimal();
  j["guest"]["qemu"] = {{"machine", "pc,dumpdtb=/tmp/x"}};
  EXPECT_EQ(error_of(j),
            "specs/t.json: guest.qemu.machine: unknown machine \"pc,dumpdtb=/tmp/x\"; use "
            "microvm, pc or q35");

  j = minimal();
  j["guest"]["backend"] = "bhyve";
  EXPECT_EQ(error_of(j), "specs/t.json: guest.backend: unknown VM backend \"bhyve\" (known: qemu)");

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
  EXPECT_EQ(error_of(j),
            "specs/t.json: analyzers[0]: unknown analyzer \"nonesuch\" (known: counter)");

  EXPECT_EQ(error_of(nlohmann::json::array()),
            "specs/t.json: document: expected an object, got array []");
}

// Issue 18: a deadline of 1e308 s overflowed int64 nanoseconds and ended every run at once.
TEST(Spec, DurationsOutsideTheirRangeAreRefusedWithTheRange) {
  for (const char* key : {"deadline_s", "idle_s", "heartbeat_s"}) {
    auto j = minimal();
    j["timeouts"] = {{key, 1e308}};
    EXPECT_EQ(error_of(j), std::string("specs/t.json: timeouts.") + key +
                               ": must be a number of seconds above 0 and at most 10000000, got "
                               "number 1e+308");
    j["timeouts"] = {{key, 0}};
    EXPECT_EQ(error_of(j), std::string("specs/t.json: timeouts.") + key +
                               ": must be a number of seconds above 0 and at most 10000000, got "
                               "number 0");
  }
  auto j = minimal();
  j["params"] = {{"duration_sec", 3600}};
  j["scaled_params"] = {"duration_sec"};
  j["timeouts"] = {{"deadline_s", 9e6}};
  try {
    parse_spec(j, "specs/t.json", "/work/specs", {kPlugins, "/b", 100});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 67),
              "specs/t.json: timeouts.deadline_s: scaled by OSH_SCALE=100.000000 i");
  }
}

TEST(Spec, ScaledParamsAndDeadlineFollowTheScale) {
  auto j = minimal();
  j["params"] = {{"duration_sec", 3600}, {"clients", 16}};
  j["scaled_params"] = {"duration_sec"};
  j["timeouts"] = {{"deadline_s", 4000}};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", {kPlugins, "/b", 0.01});
  EXPECT_EQ(kernel_command_line(s, 1), "osh.scenario=hello osh.seed=1 clients=16 duration_sec=36");
  EXPECT_EQ(s.timeouts.deadline_s, 40);

  // Scaled down to nothing, a duration still lasts at least 1 and a deadline 30 s.
  const auto tiny = parse_spec(j, "specs/t.json", "/work/specs", {kPlugins, "/b", 1e-9});
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
  j["tags"] = {"slow", "net"};
  const auto a = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  const auto b = parse_spec(to_json(a), "bundle", "", kContext);
  EXPECT_EQ(to_json(a), to_json(b));
  EXPECT_THAT(b.tags, ElementsAre("slow", "net"));
  EXPECT_EQ(b.guest.kernel, "/opt/osh/bin/rayos.elf");
  EXPECT_EQ(kernel_command_line(a, 9), kernel_command_line(b, 9));
}

TEST(Spec, TagsAreWordsNamedByTheirIndexWhenNot) {
  auto j = minimal();
  j["tags"] = {"slow", "two words"};
  EXPECT_THAT(error_of(j), HasSubstr("specs/t.json: tags[1]: use 1-64 letters"));
  j["tags"] = "slow";
  EXPECT_THAT(error_of(j), HasSubstr("specs/t.json: tags"));
}

// Issue 17: a spec names its JSON Schema for editors and validators; the loader took "$schema"
// for a misspelt field.
TEST(Spec, ASpecMayNameItsSchema) {
  auto j = minimal();
  j["$schema"] = "../schemas/spec.schema.json";
  EXPECT_EQ(error_of(j), "no error");
  EXPECT_EQ(parse_spec(j, "specs/t.json", "/work/specs", kContext).name, "hello");
  j["$schema"] = 1;
  EXPECT_THAT(error_of(j), HasSubstr("specs/t.json: $schema: expected a string, got number 1"));
}

TEST(Spec, TheBackendReadsItsOwnBlockAndOlderFieldsWarn) {
  auto j = minimal();
  j["guest"]["qemu"] = {{"machine", "pc"}, {"args", {"-d", "int"}}};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(to_json(s)["guest"]["qemu"]["machine"], "pc");
  EXPECT_EQ(to_json(parse_spec(to_json(s), "bundle", "", kContext)), to_json(s));

  j = minimal();
  j["guest"]["machine"] = "pc";
  j["guest"]["icount"] = true;
  const auto old = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_TRUE(old.guest.deterministic);
  EXPECT_EQ(to_json(old)["guest"]["qemu"]["machine"], "pc");
  EXPECT_THAT(old.warnings,
              ElementsAre("specs/t.json: guest.icount is deprecated: write guest.deterministic "
                          "instead",
                          "specs/t.json: guest.machine is deprecated: write guest.qemu.machine "
                          "instead"));
}

TEST(Spec, DeterministicModeRefusesSeveralVcpusAtLoad) {
  auto j = minimal();
  j["guest"]["deterministic"] = true;
  j["guest"]["cpus"] = 2;
  EXPECT_EQ(error_of(j),
            "specs/t.json: guest.cpus: deterministic mode counts instructions on one vCPU (QEMU's "
            "icount runs TCG on one thread); set cpus to 1 or deterministic to false");
  j["guest"]["deterministic"] = false;
  EXPECT_EQ(error_of(j), "no error");
}

TEST(Spec, ADiskMakesADeterministicSpecsRunsNonDeterministic) {
  auto j = minimal();
  j["guest"]["deterministic"] = true;
  j["guest"]["disk"] = {{"size_mib", 8}};
  const auto d = determinism_of(parse_spec(j, "specs/t.json", "/work/specs", kContext));
  EXPECT_FALSE(d.deterministic);
  EXPECT_THAT(d.reason, HasSubstr("guest.disk"));
}

TEST(Spec, AHookActingAtHostTimesMakesADeterministicSpecsRunsNonDeterministicWithAWarning) {
  auto j = minimal();
  j["guest"]["deterministic"] = true;
  j["probe"] = {{"level", 1}};
  auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_TRUE(determinism_of(s).deterministic);
  EXPECT_THAT(s.warnings, ElementsAre());

  j["probe"] = {{"level", 5}};
  s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  const auto d = determinism_of(s);
  EXPECT_FALSE(d.deterministic);
  EXPECT_EQ(d.reason, "probe: pokes the guest at host times");
  EXPECT_THAT(s.warnings,
              ElementsAre("specs/t.json: guest.deterministic: its runs cannot be deterministic "
                          "(probe: pokes the guest at host times); they run under icount and are "
                          "marked non-deterministic"));

  j["guest"]["deterministic"] = false;  // nothing asked, nothing to say
  s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_FALSE(determinism_of(s).deterministic);
  EXPECT_EQ(determinism_of(s).reason, "");
  EXPECT_THAT(s.warnings, ElementsAre());
}

TEST(Spec, RecordingNeedsDeterministicModeAndNoHookActingAtHostTimes) {
  auto j = minimal();
  j["guest"]["record"] = true;
  EXPECT_EQ(error_of(j),
            "specs/t.json: guest.record: record/replay runs in deterministic mode; set "
            "deterministic to true too");
  j["guest"]["deterministic"] = true;
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_TRUE(s.guest.record);
  EXPECT_EQ(to_json(s)["guest"]["record"], true);
  EXPECT_TRUE(parse_spec(to_json(s), "bundle", "", kContext).guest.record);
  j["probe"] = {{"level", 5}};
  EXPECT_EQ(error_of(j),
            "specs/t.json: guest.record: a recorded run must be deterministic, and this one cannot "
            "be (probe: pokes the guest at host times); record without that section");
}

TEST(Spec, AnInitrdResolvesLikeTheKernel) {
  auto j = minimal();
  j["guest"]["initrd"] = "initrd.img";
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(s.guest.initrd, "/work/specs/initrd.img");
  EXPECT_EQ(parse_spec(to_json(s), "bundle", "", kContext).guest.initrd, s.guest.initrd);
  EXPECT_FALSE(to_json(parse_spec(minimal(), "t", "", kContext))["guest"].contains("initrd"));
}

TEST(Spec, ARunHookParsesItsOwnSectionAndAddsItsMetrics) {
  auto j = minimal();
  j["probe"] = {{"level", 3}};
  j["criteria"] = {"probe.level >= 1"};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  ASSERT_EQ(s.hooks.size(), 1u);
  EXPECT_EQ(s.hooks[0].first, "probe");
  EXPECT_EQ(to_json(s)["probe"], (nlohmann::json{{"level", 3}}));
  EXPECT_EQ(to_json(parse_spec(to_json(s), "bundle", "", kContext)), to_json(s));

  j["probe"] = {{"level", 12}};
  EXPECT_EQ(error_of(j), "specs/t.json: probe.level: must be between 0 and 9, got 12");
  j.erase("probe");
  EXPECT_THAT(error_of(j), HasSubstr("criteria[0]: no run measures \"probe.level\""));
}

TEST(Spec, ASectionAskingForRunsSetsRepeatAndDisagreeingWithItIsAnError) {
  auto j = minimal();
  j["probe"] = {{"level", 1}, {"runs", 3}};
  const auto s = parse_spec(j, "specs/t.json", "/work/specs", kContext);
  EXPECT_EQ(s.repeat, 3);
  EXPECT_EQ(parse_spec(to_json(s), "bundle", "", kContext).repeat, 3);
  j["repeat"] = 3;
  EXPECT_EQ(parse_spec(j, "specs/t.json", "/work/specs", kContext).repeat, 3);
  j["repeat"] = 2;
  EXPECT_EQ(
      error_of(j),
      "specs/t.json: repeat: is 2 but the probe section asks for 3 runs: give one of the two");
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
