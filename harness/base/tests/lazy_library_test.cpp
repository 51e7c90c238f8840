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

#define OSH_TEST_ABSENT(X) X(osh_test_function_no_library_has)
OSH_LAZY_LIBRARY(missing_library, "libosh-no-such-library.so.0", "what to do about it",
                 OSH_TEST_ABSENT)
OSH_LAZY_LIBRARY(libc_without_it, "libc.so.6", "what to do about it", OSH_TEST_ABSENT)

template <typename Load>
std::string load_error(Load load) {
  try {
    load();
  } catch (const InfraError& e) {
    return e.what();
  }
  return "";
}

TEST(LazyLibrary, AMissingLibraryIsAnErrorNamingItAndTheRemedy) {
  EXPECT_THAT(load_error(missing_library),
              AllOf(HasSubstr("cannot load libosh-no-such-library.so.0"),
                    HasSubstr("(what to do about it)")));
}

TEST(LazyLibrary, AMissingFunctionIsAnErrorNamingItAndTheLibrary) {
  EXPECT_THAT(load_error(libc_without_it),
              HasSubstr("libc.so.6 has no function osh_test_function_no_library_has"));
}

// Linked, libcrypto slowed every osharness process's start (harness/base/libcrypto_loader.cpp):
// it is loaded when SHA-256 is first asked for, and only then.
TEST(LazyLibrary, LibcryptoIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libcrypto_at_start);
  // FIPS 180-2, appendix B.1: SHA-256("abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(::dlopen("libcrypto.so.3", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

}  // namespace
}  // namespace osh
