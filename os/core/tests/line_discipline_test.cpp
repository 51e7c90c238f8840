#include "os/core/line_discipline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "os/core/byte_ring.h"

namespace rayos {
namespace {

struct Out {
  std::vector<std::string> lines;
  int overflows = 0;
};

Out feed(LineDiscipline& ld, const std::string& bytes) {
  Out out;
  for (unsigned char b : bytes) {
    switch (ld.feed(b)) {
      case LineDiscipline::Event::kLine:
        out.lines.emplace_back(ld.line().data(), ld.line().size());
        break;
      case LineDiscipline::Event::kOverflow:
        ++out.overflows;
        break;
      case LineDiscipline::Event::kNone:
        break;
    }
  }
  return out;
}

TEST(RayosLineDiscipline, LfCrAndCrLfEachEndOneLine) {
  LineDiscipline ld;
  Out out = feed(ld, "run a\nrun b\rrun c\r\n\nx");
  EXPECT_EQ(out.lines, (std::vector<std::string>{"run a", "run b", "run c", ""}));
}

TEST(RayosLineDiscipline, BackspaceAndControlBytes) {
  LineDiscipline ld;
  Out out = feed(ld,
                 "rum\bn\x7f"
                 "n x\x01\x1b\ty\b\b\b\n");
  EXPECT_EQ(out.lines, (std::vector<std::string>{"run "}));
  out = feed(ld, "\b\b\bok\n");
  EXPECT_EQ(out.lines, (std::vector<std::string>{"ok"}));
}

TEST(RayosLineDiscipline, OverlongLineReportedOnceAndDiscarded) {
  LineDiscipline ld;
  std::string longline(LineDiscipline::kMaxLine + 50, 'a');
  Out out = feed(ld, longline + "\nrun hello\n");
  EXPECT_EQ(out.overflows, 1);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"run hello"}));
  std::string exact(LineDiscipline::kMaxLine, 'b');
  out = feed(ld, exact + "\n");
  EXPECT_EQ(out.overflows, 0);
  EXPECT_EQ(out.lines, (std::vector<std::string>{exact}));
}

TEST(RayosByteRing, FifoOrderWrapAndFull) {
  ByteRing<8> ring;
  uint8_t b = 0;
  EXPECT_TRUE(ring.empty());
  EXPECT_FALSE(ring.pop(b));
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(ring.push(static_cast<uint8_t>(round * 8 + i)));
    EXPECT_FALSE(ring.push(0xEE));
    for (int i = 0; i < 8; ++i) {
      ASSERT_TRUE(ring.pop(b));
      EXPECT_EQ(b, round * 8 + i);
    }
    EXPECT_TRUE(ring.empty());
  }
  EXPECT_EQ(ring.dropped(), 5u);
}

}  // namespace
}  // namespace rayos
