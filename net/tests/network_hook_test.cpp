#include "net/network_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

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

}  // namespace
}  // namespace osh::net
