#include "os/core/marker_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "os/core/crc32c.h"
#include "os/core/marker_catalog.h"

namespace rayos {
namespace {

std::string str(StringView v) { return std::string(v.data(), v.size()); }

// A marker line taken apart by hand, independently of the writer.
struct Parsed {
  std::string body;
  std::vector<std::string> parts;  // category, event, fields...
  uint64_t seq = 0;
  std::string crc_hex;
};

Parsed parse(const std::string& line) {
  Parsed p;
  EXPECT_EQ(line.back(), '\n');
  size_t hash = line.rfind(" #");
  EXPECT_NE(hash, std::string::npos);
  p.body = line.substr(0, hash);
  size_t star = line.find('*', hash);
  EXPECT_NE(star, std::string::npos);
  p.seq = std::stoull(line.substr(hash + 2, star - hash - 2));
  p.crc_hex = line.substr(star + 1, line.size() - star - 2);
  EXPECT_EQ(p.body.rfind("RAYOS_", 0), 0u);
  std::string rest = p.body.substr(6);
  size_t start = 0;
  for (size_t colon; (colon = rest.find(':', start)) != std::string::npos; start = colon + 1)
    p.parts.push_back(rest.substr(start, colon - start));
  p.parts.push_back(rest.substr(start));
  return p;
}

std::string crc_of(const std::string& body) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc32c(body.data(), body.size()));
  return hex;
}

TEST(RayosMarkerWriter, FormatsFieldsSeqAndCrc) {
  std::string line = str(MarkerWriter(markers::kSysHeartbeat).field(uint64_t{1000}).finish(7));
  Parsed p = parse(line);
  EXPECT_EQ(p.body, "RAYOS_SYS:HEARTBEAT:1000");
  EXPECT_EQ(p.parts, (std::vector<std::string>{"SYS", "HEARTBEAT", "1000"}));
  EXPECT_EQ(p.seq, 7u);
  EXPECT_EQ(p.crc_hex, crc_of(p.body));
  EXPECT_EQ(p.crc_hex.size(), 8u);
}

TEST(RayosMarkerWriter, NoFieldsAndSeqZero) {
  std::string line = str(MarkerWriter(markers::kBootReady).finish(0));
  Parsed p = parse(line);
  EXPECT_EQ(p.body, "RAYOS_BOOT:READY");
  EXPECT_EQ(p.seq, 0u);
  EXPECT_EQ(p.crc_hex, crc_of("RAYOS_BOOT:READY"));
  EXPECT_EQ(line, "RAYOS_BOOT:READY #0*" + crc_of("RAYOS_BOOT:READY") + "\n");
}

TEST(RayosMarkerWriter, TextHexAndEmptyFields) {
  MarkerWriter w(markers::kSysFrame);
  w.field(uint64_t{0}).field(Hex{0xffffffff80101234ull});
  Parsed p = parse(str(w.finish(18446744073709551615ull)));
  EXPECT_EQ(p.parts, (std::vector<std::string>{"SYS", "FRAME", "0", "0xffffffff80101234"}));
  EXPECT_EQ(p.seq, 18446744073709551615ull);
  EXPECT_EQ(w.field_count(), 2u);

  Parsed empty = parse(str(MarkerWriter(markers::kShellError).field("").finish(1)));
  EXPECT_EQ(empty.parts, (std::vector<std::string>{"SHELL", "ERROR", ""}));
}

TEST(RayosMarkerWriter, SanitisesEveryForbiddenFieldByte) {
  std::string nasty = "a:b#c d\te\nf\rg";
  nasty.push_back('\0');
  nasty += "\x1b[31m\x7f\xff\xc3\xa9~!";
  std::string line = str(MarkerWriter(markers::kScenarioError)
                             .field(StringView(nasty.data(), nasty.size()))
                             .finish(3));
  Parsed p = parse(line);
  ASSERT_EQ(p.parts.size(), 3u);
  EXPECT_EQ(p.parts[2], "a_b_c_d_e_f_g__[31m____~!");
  // Every byte of the body is printable ASCII and the line has exactly one LF, at the end.
  for (char c : p.body) EXPECT_TRUE(c >= 0x21 && c <= 0x7e) << int(c);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(p.crc_hex, crc_of(p.body));
}

TEST(RayosMarkerWriter, SanitisesNames) {
  Parsed p = parse(str(MarkerWriter("MY cat", "EV:T#").finish(0)));
  EXPECT_EQ(p.body, "RAYOS_MY____:EV_T_");
}

TEST(RayosMarkerWriter, CutsOverlongFieldsButKeepsTheTrailer) {
  std::string big(500, 'x');
  MarkerWriter w(markers::kScenarioError);
  w.field(StringView(big.data(), big.size())).field(uint64_t{5});
  EXPECT_TRUE(w.truncated());
  std::string line = str(w.finish(12));
  EXPECT_LE(line.size(), MarkerWriter::kCapacity);
  Parsed p = parse(line);
  EXPECT_EQ(p.seq, 12u);
  EXPECT_EQ(p.crc_hex, crc_of(p.body));
  EXPECT_EQ(p.parts[0], "SCENARIO");
}

TEST(RayosMarkerWriter, FieldCharRules) {
  EXPECT_FALSE(is_field_char(' '));
  EXPECT_FALSE(is_field_char(':'));
  EXPECT_FALSE(is_field_char('#'));
  EXPECT_FALSE(is_field_char('\x7f'));
  EXPECT_FALSE(is_field_char('\0'));
  EXPECT_TRUE(is_field_char('!'));
  EXPECT_TRUE(is_field_char('~'));
  EXPECT_TRUE(is_name_char('_'));
  EXPECT_FALSE(is_name_char('a'));
}

}  // namespace
}  // namespace rayos
