#include "os/core/document.h"

#include <gtest/gtest.h>

namespace rayos::document {
namespace {

TEST(Document, AnyVersionIsComputedAgainFromTheSeedAlone) {
  Doc doc = initial(7, 2);
  EXPECT_EQ(doc.version, 0u);
  for (int i = 0; i < 37; ++i) edit(doc);
  const Doc again = at_version(7, 2, 37);
  EXPECT_EQ(again.version, 37u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(again.words[i], doc.words[i]) << i;
}

TEST(Document, AppsSeedsAndVersionsGiveDifferentContent) {
  const Doc a = at_version(7, 0, 5), b = at_version(7, 1, 5), c = at_version(8, 0, 5),
            d = at_version(7, 0, 6);
  const Message m = make(kSave, 0, a);
  EXPECT_TRUE(holds(m, a));
  EXPECT_FALSE(holds(m, b));
  EXPECT_FALSE(holds(m, c));
  EXPECT_FALSE(holds(m, d));
}

TEST(Document, AnEditLostInTheMiddleChangesTheEnd) {
  Doc skipped = at_version(3, 0, 10);
  skipped.version = 11;  // version counted, content not edited
  for (int i = 0; i < 5; ++i) edit(skipped);
  const Message m = make(kSave, 0, skipped);
  EXPECT_FALSE(holds(m, at_version(3, 0, 16)));
}

TEST(Document, MessagesAreCheckedByLengthAndCrc) {
  Message m = make(kSaveFirst, 3, at_version(1, 3, 4));
  EXPECT_EQ(m.kind, kSaveFirst);
  EXPECT_EQ(m.app, 3u);
  EXPECT_EQ(m.version, 4u);
  EXPECT_TRUE(intact(m, sizeof m));
  EXPECT_FALSE(intact(m, sizeof m - 1));
  m.words[2] ^= 1;
  EXPECT_FALSE(intact(m, sizeof m));
}

}  // namespace
}  // namespace rayos::document
