#include "inject/fault_injector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/marker/schema.h"
#include "harness/vm/testing/fake_vm.h"

namespace osh::inject {
namespace {

using ::testing::HasSubstr;
constexpr int64_t kMs = 1'000'000;

using vm::testing::FakeVm;

class InjectorTest : public ::testing::Test {
 protected:
  InjectorTest() : schema_(marker::Schema::permissive("RAYOS")), stream_(schema_) {}

  void make(const nlohmann::json& faults) {
    injector_.emplace(parse_fault_plan(faults, "spec.json", 1), 42, 0, DiskTarget{},
                      [this](const nlohmann::json& r) { journal_.push_back(r); });
    injector_->started(0);
    stream_.add_observer(&*injector_);
  }
  void marker(int64_t ms, const std::string& text) {
    stream_.feed("RAYOS_" + text + "\n", ms * kMs);
  }
  void tick(int64_t ms) { injector_->tick(ms * kMs, control_); }
  campaign::RunResult finish() {
    campaign::RunResult r;
    injector_->finish(r);
    return r;
  }

  std::vector<std::unique_ptr<FakeVm>> vms_ = [] {
    std::vector<std::unique_ptr<FakeVm>> v;
    v.push_back(std::make_unique<FakeVm>());
    return v;
  }();
  int restarts_ = 0;
  // The runner's side of a restart: a new VM replaces the killed one.
  class Control final : public campaign::RunControl {
   public:
    explicit Control(InjectorTest& test) : test_(test) {}
    vm::Vm& vm() override { return *test_.vms_.back(); }
    std::vector<uint64_t> restart() override {
      ++test_.restarts_;
      test_.vms_.push_back(std::make_unique<FakeVm>());
      return {};
    }

   private:
    InjectorTest& test_;
  } control_{*this};
  std::vector<nlohmann::json> journal_;
  marker::Schema schema_;
  marker::MarkerStream stream_;
  std::optional<FaultInjector> injector_;
};

TEST_F(InjectorTest, APauseHoldsTheVmAndTheGuestComesBack) {
  make({{"list", {{{"type", "pause"}, {"after_s", 1}, {"duration_s", 2}}}}});
  tick(100);
  EXPECT_EQ(vms_[0]->counts->pauses, 0) << "nothing happens before BOOT:READY";
  marker(500, "BOOT:READY");
  tick(1400);
  EXPECT_EQ(vms_[0]->counts->pauses, 0);
  tick(1500);
  EXPECT_EQ(vms_[0]->counts->pauses, 1);
  EXPECT_EQ(injector_->paused_ns(2500 * kMs), 1000 * kMs);
  tick(3499);
  EXPECT_EQ(vms_[0]->counts->resumes, 0);
  tick(3500);
  EXPECT_EQ(vms_[0]->counts->resumes, 1);
  marker(3800, "SYS:HEARTBEAT:4000");
  tick(3800);
  ASSERT_EQ(injector_->records().size(), 1u);
  const auto r = finish();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].reason;
  EXPECT_EQ(r.metrics.at("faults.effective"), 1);
  EXPECT_EQ(r.metrics.at("faults.recovered"), 1);
  EXPECT_NEAR(r.metrics.at("faults.paused_ms"), 2000, 1);
  EXPECT_NEAR(r.metrics.at("faults.pause.recovery_ms.max"), 300, 1);
  ASSERT_EQ(journal_.size(), 2u);  // the fault, then the final heal
  EXPECT_EQ(journal_[0]["record"], "fault");
  EXPECT_EQ(journal_[0]["fault"]["effect"], "query-status: paused");
  EXPECT_NEAR(journal_[0]["fault"]["start_ms"].get<double>(), 1500, 1);
  EXPECT_EQ(journal_[1]["heal"]["running"], true);
  const auto& shades = r.analysis["charts"][0]["shades"];
  ASSERT_EQ(shades.size(), 1u);
  EXPECT_NEAR(shades[0]["from"].get<double>(), 1.5, 1e-3);
}

TEST_F(InjectorTest, APauseThatDidNothingIsReported) {
  make({{"list", {{{"type", "pause"}, {"after_s", 0}, {"duration_s", 1}}}}});
  vms_[0]->ignore_pause = true;
  marker(0, "BOOT:READY");
  tick(0);
  tick(1000);
  marker(1200, "SYS:HEARTBEAT:1000");
  tick(1200);
  const auto r = finish();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].reason,
              HasSubstr("fault 1 (pause) did not take effect: after QMP stop, query-status says"));
  EXPECT_EQ(r.findings[0].signature, "FAIL inject pause not-effective");
  EXPECT_EQ(r.metrics.at("faults.effective"), 0);
}

TEST_F(InjectorTest, AResetNeedsQemusEventAndANewBoot) {
  make({{"list", {{{"type", "reset"}, {"after_s", 0}}, {{"type", "reset"}, {"after_s", 1}}}}});
  marker(0, "BOOT:READY");
  tick(10);
  EXPECT_EQ(vms_[0]->counts->resets, 1);
  injector_->on_vm_event({20 * kMs, "RESET", nlohmann::json::object()});
  marker(30, "BOOT:START:0.1");
  marker(90, "BOOT:READY");
  tick(90);
  ASSERT_EQ(injector_->records().size(), 1u);
  EXPECT_TRUE(injector_->records()[0].took_effect);
  tick(1090);  // the second reset: QEMU never says RESET, the guest never reboots
  EXPECT_EQ(vms_[0]->counts->resets, 2);
  tick(6089);
  EXPECT_EQ(injector_->records().size(), 1u);
  tick(6091);  // the deadline counts from when system_reset returned, a few us after 1090
  const auto r = finish();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].reason,
            "fault 2 (reset) did not take effect: no RESET event from QEMU after system_reset");
  EXPECT_NEAR(r.metrics.at("faults.reset.recovery_ms.max"), 80, 1);
}

TEST_F(InjectorTest, AKillRestartsTheVmAndWaitsForItsBoot) {
  make({{"list", {{{"type", "kill"}, {"after_s", 1}}}}, {"recovery_deadline_s", 2}});
  marker(0, "BOOT:READY");
  tick(1000);
  EXPECT_EQ(restarts_, 1);
  EXPECT_TRUE(vms_[0]->exit());
  EXPECT_FALSE(vms_[1]->exit());
  marker(1500, "BOOT:READY");
  tick(1500);
  const auto r = finish();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].reason;
  EXPECT_NEAR(r.metrics.at("faults.kill.recovery_ms.max"), 500, 1);
}

TEST_F(InjectorTest, AGuestThatDoesNotComeBackMissesTheDeadline) {
  make({{"list", {{{"type", "kill"}, {"after_s", 0}}}}, {"recovery_deadline_s", 2}});
  marker(0, "BOOT:READY");
  tick(0);
  tick(1999);
  EXPECT_TRUE(injector_->records().empty());
  tick(2001);
  const auto r = finish();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].reason,
            "fault 1 (kill) missed the recovery deadline of 2.0 s: no BOOT:READY after the VM "
            "started again");
  EXPECT_EQ(r.findings[0].signature, "FAIL inject kill not-recovered");
}

TEST_F(InjectorTest, FaultsLeftWhenTheRunEndsAreReported) {
  make({{"types", {"pause"}}, {"count", 3}, {"interval_s", 10}, {"duration_s", 1}});
  marker(0, "BOOT:READY");
  tick(100);
  const auto r = finish();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].signature, "FAIL inject schedule-incomplete");
  EXPECT_THAT(r.findings[0].reason, HasSubstr("only 0 of 3 scheduled faults were applied"));
}

}  // namespace
}  // namespace osh::inject

namespace osh::inject {
namespace {

TEST_F(InjectorTest, ALinkFaultIsJudgedByTheGuestsLinkMarkers) {
  make({{"list", {{{"type", "link"}, {"after_s", 0}, {"duration_s", 0.3}}}}});
  vms_[0]->nics = {vm::Nic{.id = "net0", .mac = "52:54:00:12:34:56"}};
  marker(0, "BOOT:READY");
  tick(100);
  EXPECT_EQ(vms_[0]->network_calls, std::vector<std::string>{"net0 link down"});
  marker(112, "NET:LINK:down:112000");
  tick(400);
  EXPECT_EQ(vms_[0]->network_calls.back(), "net0 link up");
  marker(409, "NET:LINK:up:409000");
  tick(409);
  const auto r = finish();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].reason;
  EXPECT_EQ(r.metrics.at("faults.effective"), 1);
  EXPECT_NEAR(r.metrics.at("faults.link.detect_ms.max"), 12, 1);
  EXPECT_NEAR(r.metrics.at("faults.link.recovery_ms.max"), 9, 1);
  EXPECT_EQ(journal_.back()["heal"]["network"], "links up, partitions healed");
}

TEST_F(InjectorTest, ALinkFaultTheGuestDidNotSeeIsANoOpNotAPass) {
  make({{"list", {{{"type", "link"}, {"after_s", 0}, {"duration_s", 0.3}}}}});
  vms_[0]->nics = {vm::Nic{.id = "net0", .mac = "52:54:00:12:34:56"}};
  marker(0, "BOOT:READY");
  tick(100);
  tick(400);
  EXPECT_EQ(vms_[0]->network_calls.size(), 1u) << "held until the guest sees it or the deadline";
  tick(5400);
  EXPECT_EQ(vms_[0]->network_calls.back(), "net0 link up");
  tick(10500);
  const auto r = finish();
  ASSERT_GE(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].reason,
              HasSubstr("fault 1 (link) did not take effect (a no-op): the guest reported no "
                        "NET:LINK:down"));
  EXPECT_EQ(r.findings[0].signature, "FAIL inject link not-effective");
}

TEST_F(InjectorTest, ANicWithoutLinkStateIsRefusedAsANoOp) {
  make({{"list", {{{"type", "link"}, {"after_s", 0}, {"duration_s", 0.3}}}}});
  vms_[0]->nics = {vm::Nic{.id = "net0", .mac = "52:54:00:12:34:56", .link_status = false}};
  marker(0, "BOOT:READY");
  tick(100);
  tick(400);
  tick(6000);  // past the recovery deadline: the fault settles, the final heal runs
  EXPECT_EQ(vms_[0]->network_calls, (std::vector<std::string>{"net0 link up", "net0 joined"}))
      << "only the final heal touches the NIC";
  const auto r = finish();
  ASSERT_GE(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].reason,
              HasSubstr("did not take effect (a no-op): NIC net0 does not report link state"));
}

TEST_F(InjectorTest, APartitionIsDetectedByTheGuestAndHealed) {
  make({{"list", {{{"type", "partition"}, {"after_s", 0}, {"duration_s", 5}}}}});
  vms_[0]->nics = {vm::Nic{.id = "net0", .mac = "52:54:00:0a:00:01"}};
  marker(0, "BOOT:READY");
  tick(100);
  EXPECT_EQ(vms_[0]->network_calls, std::vector<std::string>{"net0 cut"});
  marker(700, "NET:PEER:lost:600");
  tick(5100);
  EXPECT_EQ(vms_[0]->network_calls.back(), "net0 joined");
  marker(5150, "NET:PEER:back:5100");
  tick(5150);
  const auto r = finish();
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].reason;
  EXPECT_NEAR(r.metrics.at("faults.partition.detect_ms.max"), 600, 1);
  EXPECT_NEAR(r.metrics.at("faults.partition.recovery_ms.max"), 50, 1);
}

TEST_F(InjectorTest, NetworkFaultsNeedNics) {
  make({{"list", {{{"type", "partition"}, {"after_s", 0}, {"duration_s", 1}}}}});
  marker(0, "BOOT:READY");
  tick(100);
  tick(1100);
  tick(9000);
  const auto r = finish();
  ASSERT_GE(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].reason, HasSubstr("the fake backend cannot take network links down"));
}

}  // namespace
}  // namespace osh::inject
