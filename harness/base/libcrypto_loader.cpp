// libcrypto's functions, loaded the first time one is called (harness/base/lazy_library.h): only
// SHA-256 (sha256.cpp, reports/html_assets.cpp) needs it. Linked, libcrypto, libelf, libdw and
// libpng made every osharness process 4 ms slower to start (docs/performance.md, "A short
// start"). Each function here has the name and the signature <openssl/evp.h> declares, so
// callers are unchanged.
#include <openssl/evp.h>

#include "harness/base/lazy_library.h"

namespace {

#define OSH_LIBCRYPTO_FUNCTIONS(X) \
  X(EVP_Digest)                    \
  X(EVP_DigestFinal_ex)            \
  X(EVP_DigestInit_ex)             \
  X(EVP_DigestUpdate)              \
  X(EVP_EncodeBlock)               \
  X(EVP_MD_CTX_free)               \
  X(EVP_MD_CTX_new)                \
  X(EVP_sha256)
OSH_LAZY_LIBRARY(api, "libcrypto.so.3",
                 "SHA-256 digests need it: scripts/setup installs libssl-dev",
                 OSH_LIBCRYPTO_FUNCTIONS)

}  // namespace

// The definitions <openssl/evp.h> declares, each forwarding to the loaded function.
extern "C" {
int EVP_Digest(const void* data, size_t count, unsigned char* md, unsigned int* size,
               const EVP_MD* type, ENGINE* impl) {
  return api().EVP_Digest(data, count, md, size, type, impl);
}
int EVP_DigestFinal_ex(EVP_MD_CTX* ctx, unsigned char* md, unsigned int* s) {
  return api().EVP_DigestFinal_ex(ctx, md, s);
}
int EVP_DigestInit_ex(EVP_MD_CTX* ctx, const EVP_MD* type, ENGINE* impl) {
  return api().EVP_DigestInit_ex(ctx, type, impl);
}
int EVP_DigestUpdate(EVP_MD_CTX* ctx, const void* d, size_t cnt) {
  return api().EVP_DigestUpdate(ctx, d, cnt);
}
int EVP_EncodeBlock(unsigned char* t, const unsigned char* f, int n) {
  return api().EVP_EncodeBlock(t, f, n);
}
void EVP_MD_CTX_free(EVP_MD_CTX* ctx) { api().EVP_MD_CTX_free(ctx); }
EVP_MD_CTX* EVP_MD_CTX_new() { return api().EVP_MD_CTX_new(); }
const EVP_MD* EVP_sha256() { return api().EVP_sha256(); }
}
