// The URL fuzz targets' check (os/core/web/url_round_trip.h): how an input splits into a URL and
// its base, and what counts as rejected. Expected serializations are urltestdata.json's hrefs
// and the URL Standard's example of its serializer's "/.".
#include "os/core/web/url_round_trip.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "os/core/bug_knobs.h"

namespace rayos::web {
namespace {

class UrlRoundTripTest : public ::testing::Test {
 protected:
  UrlRoundTrip check(const std::string& data, uint32_t planted = 0) {
    return check_url_round_trip(StringView(data.data(), data.size()), *scratch_, planted);
  }
  std::string first() const {
    const StringView v = scratch_->first.view();
    return std::string(v.data(), v.size());
  }

 private:
  std::unique_ptr<UrlRoundTripScratch> scratch_ = std::make_unique<UrlRoundTripScratch>();
};

TEST_F(UrlRoundTripTest, TheTextAfterTheFirstNewlineIsTheBase) {
  EXPECT_EQ(check("../i\nsc:/pa/pa"), UrlRoundTrip::kStable);
  EXPECT_EQ(first(), "sc:/i");
  EXPECT_EQ(check("//server/file\nfile:///tmp/mock/path"), UrlRoundTrip::kStable);
  EXPECT_EQ(first(), "file://server/file");
}

TEST_F(UrlRoundTripTest, WithoutANewlineThereIsNoBase) {
  EXPECT_EQ(check("../i"), UrlRoundTrip::kRejected);
  EXPECT_EQ(check("http://[1:0::]"), UrlRoundTrip::kStable);
  EXPECT_EQ(first(), "http://[1::]/");
}

TEST_F(UrlRoundTripTest, ABaseThatDoesNotParseRejectsTheInput) {
  EXPECT_EQ(check("http://example.org/\n../i"), UrlRoundTrip::kRejected);
  EXPECT_EQ(check("../i\nsc:sd"), UrlRoundTrip::kRejected);  // an opaque base
}

// The standard's fix for whatwg/url#415: a null host with a path starting "//" serializes with
// "/." before it, else the reparse would read a host.
TEST_F(UrlRoundTripTest, APathThatLooksLikeAnAuthorityStaysAPath) {
  EXPECT_EQ(check("web+demo:/.//not-a-host/"), UrlRoundTrip::kStable);
  EXPECT_EQ(first(), "web+demo:/.//not-a-host/");
}

// Found by url_fuzz: each invalid byte becomes U+FFFD, three bytes in the parser's buffer and nine
// once percent-encoded. 100 + 1 + 20 of them fit the buffer as input, but the serialization's
// userinfo (900 + 1 + 180 bytes) does not when reparsed: a storage limit, not a round-trip break.
TEST_F(UrlRoundTripTest, ASerializationTooLongToReparseIsALimitNotAChange) {
  const std::string user(100, '\xff'), password(20, '\xff');
  EXPECT_EQ(check("http://" + user + ":" + password + "@h/"), UrlRoundTrip::kReparseTooLong);
  EXPECT_EQ(first().size(),
            std::string("http://").size() + 900 + 1 + 180 + std::string("@h/").size());
}

// The planted bug the guest's url target finds: the reparse reverses the numbers back.
TEST_F(UrlRoundTripTest, APlantedReversedIpv4HostChangesOnReparse) {
  EXPECT_EQ(check("http://127.0.0.1/"), UrlRoundTrip::kStable);
  EXPECT_EQ(check("http://127.0.0.1/", kBugUrlIpv4Reversed), UrlRoundTrip::kChanged);
  EXPECT_EQ(first(), "http://1.0.0.127/");
}

}  // namespace
}  // namespace rayos::web
