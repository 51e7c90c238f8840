#include "net/network_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/marker/marker_stream.h"
#include "net/tests/pcap_writer.h"

namespace osh::net {
namespace {

using ::testing::HasSubstr;

std::string parse_error(const nlohmann::json& section) {
  try {
    parse_network_config(section, "specs/n.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(NetworkConfig, DefaultsAndRoundTrip) {
  const NetworkConfig user = parse_network_config(nlohmann::json::object(), "x");
  EXPECT_EQ(user.mode, NetworkConfig::Mode::User);
  EXPECT_TRUE(user.capture);
  EXPECT_TRUE(user.check_dhcp);
  const NetworkConfig pair = parse_network_config(
      {{"mode", "pair"},
       {"exact", false},
       {"peer", {{"scenario", "udpecho"}, {"params", {{"role", "server"}, {"addr", 3}}}}}},
      "x");
  EXPECT_EQ(pair.mode, NetworkConfig::Mode::Pair);
  EXPECT_FALSE(pair.exact);
  EXPECT_EQ(pair.peer_params,
            (std::vector<std::pair<std::string, std::string>>{{"addr", "3"}, {"role", "server"}}));
  EXPECT_EQ(parse_network_config(pair.to_json(), "x").to_json(), pair.to_json());
  EXPECT_EQ(parse_network_config(user.to_json(), "x").to_json(), user.to_json());
}

TEST(NetworkConfig, ErrorsNameTheFieldAndWhatToWrite) {
  EXPECT_THAT(parse_error({{"mode", "bridge"}}),
              HasSubstr("specs/n.json: network.mode: expected \"user\""));
  EXPECT_THAT(parse_error({{"mode", "user"}, {"exact", true}}),
              HasSubstr("network.exact: belongs to \"mode\": \"pair\""));
  EXPECT_THAT(parse_error({{"capture", false}, {"check_dhcp", true}}),
              HasSubstr("network.check_dhcp: checks the capture"));
  EXPECT_THAT(parse_error({{"mode", "pair"}, {"peer", {{"params", {{"x", "a b"}}}}}}),
              HasSubstr("network.peer.params"));
  EXPECT_THAT(parse_error({{"captrue", true}}), HasSubstr("captrue"));
  EXPECT_THAT(parse_error(nlohmann::json::array()), HasSubstr("network: expected an object"));
}

TEST(NetworkHook, UserModeGivesTheVmOneCapturedNic) {
  vm::VmConfig config;
  config.name = "000-dhcp-s1";
  campaign::HookSetup setup;
  setup.run_folder = "/out/runs/000-dhcp-s1";
  NetworkConfig c;
  c.link_status = false;
  NetworkHook hook(c, setup);
  hook.configure(config);
  ASSERT_EQ(config.nics.size(), 1u);
  EXPECT_EQ(config.nics[0].id, "net0");
  EXPECT_EQ(config.nics[0].link, vm::Nic::Link::User);
  EXPECT_EQ(config.nics[0].capture, "/out/runs/000-dhcp-s1/net0.pcap");
  EXPECT_FALSE(config.nics[0].link_status);
}

TEST(NetworkHook, PairModeNeedsAHostThatCanRunASecondVm) {
  vm::VmConfig config;
  campaign::HookSetup setup;
  NetworkConfig c;
  c.mode = NetworkConfig::Mode::Pair;
  NetworkHook hook(c, setup);
  EXPECT_THROW(hook.configure(config), InfraError);
}

// A DHCP exchange of 300 ms in the capture, on a host where QEMU waited 200 ms for a CPU in the
// 300 ms before the guest's NET:LEASE (and 300 more after it, which is not the exchange's): the
// corrected figure takes off the 200, the raw one stays beside it.
TEST(NetworkHook, TheDhcpExchangeLessTheTimeQemuWaitedForAHostCpu) {
  constexpr int64_t kMs = 1'000'000;
  const test_support::TempDir dir;
  campaign::StarvationRecord starvation;
  starvation.record(0, 0);
  starvation.record(700 * kMs, 0);
  starvation.record(900 * kMs, 120 * kMs);
  starvation.record(1000 * kMs, 200 * kMs);
  starvation.record(1100 * kMs, 500 * kMs);
  campaign::HookSetup setup;
  setup.run_folder = dir.path();
  setup.starvation = &starvation;
  NetworkHook hook(parse_network_config(nlohmann::json::object(), "x"), setup);
  vm::VmConfig config;
  hook.configure(config);
  ASSERT_EQ(config.nics.size(), 1u);
  std::vector<testing::TimedFrame> frames;
  int64_t at_us = 5'000'000;  // the capture's own clock: QEMU's, not the host's
  for (const auto& message : testing::good_exchange()) {
    frames.push_back({at_us, testing::dhcp_frame(message)});
    at_us += 100'000;
  }
  testing::write_capture(config.nics[0].capture, frames);
  const auto schema = marker::Schema::parse(R"({"prefix": "RAYOS", "markers": [
    {"marker": "NET:LEASE", "fields": [{"name": "address", "type": "word"},
      {"name": "server", "type": "word"}, {"name": "lease_s", "type": "u64"},
      {"name": "elapsed_us", "type": "u64"}]}]})",
                                            "test schema");
  marker::MarkerStream stream(schema);
  stream.add_observer(&hook);
  stream.feed("RAYOS_NET:LEASE:10.0.2.15:10.0.2.2:86400:290000\n", 1000 * kMs);
  stream.finish(1200 * kMs);
  campaign::RunResult r;
  hook.finish(r);
  EXPECT_DOUBLE_EQ(r.metrics.at("net.dhcp.capture_exchange_ms"), 300);
  EXPECT_DOUBLE_EQ(r.metrics.at("net.dhcp.capture_exchange_ms_less_starvation"), 100);
  EXPECT_DOUBLE_EQ(r.metrics.at("net.lease_ms"), 290);
}

}  // namespace
}  // namespace osh::net
