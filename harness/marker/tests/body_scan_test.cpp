// The bit-mask classification of marker bodies against the byte-by-byte one.
#include "harness/marker/body_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace osh::marker {
namespace {

TEST(BodyScan, MasksAgreeWithByteLoopsOnRandomBodies) {
  const std::string alphabet = std::string("AZ09_:#az !~\x7f\x80\xff\x1f\t") + '\0';
  std::mt19937 rng(17);
  for (int round = 0; round < 20000; ++round) {
    std::string body(rng() % 66, ' ');
    for (char& c : body) c = alphabet[rng() % alphabet.size()];
    const BodyScan fast(body), slow(body, /*vectorised=*/false);
    for (size_t from = 0; from <= body.size() + 1; ++from) {
      ASSERT_EQ(fast.name_end(from), slow.name_end(from)) << round;
      ASSERT_EQ(fast.colon(from), slow.colon(from)) << round;
      ASSERT_EQ(fast.bad_field_byte(from), slow.bad_field_byte(from)) << round;
    }
  }
}

TEST(BodyScan, Classes) {
  const BodyScan scan("SOAK_1:EV:a b:#");
  EXPECT_EQ(scan.name_end(0), 6u);
  EXPECT_EQ(scan.colon(0), 6u);
  EXPECT_EQ(scan.colon(7), 9u);
  EXPECT_EQ(scan.bad_field_byte(9), 11u);   // the space
  EXPECT_EQ(scan.bad_field_byte(12), 14u);  // '#'
  EXPECT_EQ(scan.colon(14), 15u);           // none: size()
}

}  // namespace
}  // namespace osh::marker
