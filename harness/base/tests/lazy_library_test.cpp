#include "harness/base/lazy_library.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"
#include "harness/base/sha256.h"

// Declared, never defined: a function no library has.
extern "C" int osh_test_function_no_library_has(int);

namespace osh {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Before main(): whether the process started with libcrypto loaded.
const bool libcrypto_at_start = ::dlopen("libcrypto.so.3", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

struct AbsentFunction {
#define OSH_TEST_ABSENT(X) X(osh_test_function_no_library_has)
  OSH_LAZY_FUNCTIONS(OSH_TEST_ABSENT)
};

std::string load_error(const char* soname) {
  try {
    lazy_functions<AbsentFunction>(soname, "what to do about it");
  } catch (const InfraError& e) {
    return e.what();
  }
  return "";
}

TEST(LazyLibrary, AMissingLibraryIsAnErrorNamingItAndTheRemedy) {
  EXPECT_THAT(load_error("libosh-no-such-library.so.0"),
              AllOf(HasSubstr("cannot load libosh-no-such-library.so.0"),
                    HasSubstr("(what to do about it)")));
}

TEST(LazyLibrary, AMissingFunctionIsAnErrorNamingItAndTheLibrary) {
  EXPECT_THAT(load_error("libc.so.6"),
              HasSubstr("libc.so.6 has no function osh_test_function_no_library_has"));
}

// libcrypto cost every osharness process about 1 ms to start (harness/base/libcrypto_loader.cpp):
// it is loaded when SHA-256 is first asked for, and only then.
TEST(LazyLibrary, LibcryptoIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libcrypto_at_start);
  // FIPS 180-2, appendix B.1: SHA-256("abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(::dlopen("libcrypto.so.3", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

}  // namespace
}  // namespace osh
