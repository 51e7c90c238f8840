#include "net/pcap_reader.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <fstream>

#include "harness/base/errors.h"
#include "net/tests/pcap_writer.h"

namespace osh::net {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path temp(const std::string& name) { return fs::path(::testing::TempDir()) / name; }

// Before main(): whether the process started with libpcap loaded.
const bool libpcap_at_start = ::dlopen("libpcap.so.0.8", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

// libpcap and the 10 libraries it needs cost every osharness process 9 ms to start
// (net/pcap_loader.cpp): it is loaded when first called, and only then.
TEST(PcapReader, LibpcapIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libpcap_at_start);
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  ASSERT_NE(dead, nullptr);
  EXPECT_EQ(pcap_datalink(dead), DLT_EN10MB);
  pcap_close(dead);
  EXPECT_NE(::dlopen("libpcap.so.0.8", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

std::string error_of(const fs::path& file, const std::string& filter = "") {
  try {
    read_capture(file, filter);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(PcapReader, NumbersOffsetsAndTimesSurviveTheFilter) {
  const auto dhcp = testing::dhcp_frame({});
  testing::Bytes other(60, 0);
  other[12] = 0x08;
  other[13] = 0x06;  // ARP
  const auto path =
      testing::write_capture(temp("mixed.pcap"), {{1'000'001, other}, {2'500'000, dhcp}});
  const Capture all = read_capture(path);
  ASSERT_EQ(all.total, 2u);
  ASSERT_EQ(all.packets.size(), 2u);
  EXPECT_EQ(all.packets[0].offset, 24u);
  EXPECT_EQ(all.packets[1].offset, 24u + 16 + 60);
  EXPECT_EQ(all.packets[0].time_us, 1'000'001);
  const Capture only = read_capture(path, "udp and port 67");
  EXPECT_EQ(only.total, 2u);
  ASSERT_EQ(only.packets.size(), 1u);
  EXPECT_EQ(only.packets[0].number, 2u);
  EXPECT_EQ(only.packets[0].offset, 24u + 16 + 60);
  EXPECT_EQ(only.packets[0].bytes, dhcp);
}

TEST(PcapReader, NamesTheFileAndWhatIsWrong) {
  EXPECT_THAT(error_of(temp("missing.pcap")), HasSubstr("missing.pcap: libpcap cannot read it"));
  std::ofstream(temp("text.pcap")) << "not a capture at all\n";
  EXPECT_THAT(error_of(temp("text.pcap")), HasSubstr("text.pcap: libpcap cannot read it"));
  const auto path = testing::write_capture(temp("ok.pcap"), {{0, testing::dhcp_frame({})}});
  EXPECT_THAT(error_of(path, "udp and and"),
              HasSubstr("BPF filter \"udp and and\" does not compile"));
  // Cut inside the packet record.
  fs::resize_file(path, fs::file_size(path) - 10);
  EXPECT_THAT(error_of(path), HasSubstr("packet 1 at offset 24 cannot be read"));
}

TEST(PcapReader, RefusesOtherLinkTypes) {
  pcap_t* dead = pcap_open_dead(DLT_RAW, 65535);
  const auto path = temp("raw.pcap");
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  pcap_dump_close(dumper);
  pcap_close(dead);
  EXPECT_THAT(error_of(path), HasSubstr("not an Ethernet capture (link type RAW)"));
}

}  // namespace
}  // namespace osh::net
