#pragma once
// The WPT data image: the test data of a WPT campaign as the host builds it from the pinned JSON
// files (wpt/data/) and the guest reads it (an initrd). Test data, not code: every input and
// expected value is the WPT string byte for byte (UTF-8), and the host keeps the test IDs and
// subtest names, which the guest never needs. All integers little-endian.
//
//   header   "OSHWPT01" | u32 version | u32 test count | u32 payload bytes | u32 CRC-32C of
//            the payload | u64 zero                                               (32 bytes)
//   test     u32 bytes of the rest of the test | u32 case count | cases
//   case     u8 kind | u8 field count | fields
//   field    u8 tag | u32 length | bytes
//
// A test is one WPT test (file and variant); its cases are its subtests in WPT's order, the
// first being the harness's "Loading data…" (kLoad). What a case means is its kind; its fields
// hold the inputs and the expectations.
#include <stddef.h>
#include <stdint.h>

namespace rayos::wpt {

inline constexpr char kImageMagic[8] = {'O', 'S', 'H', 'W', 'P', 'T', '0', '1'};
inline constexpr uint32_t kImageVersion = 1;
inline constexpr size_t kHeaderBytes = 32;

enum class CaseKind : uint8_t {
  kLoad = 1,           // the test's data arrived and decoded: always passes when reached
  kUrlParse = 2,       // input [base] -> failure, or the attributes expected
  kUrlSetter = 3,      // href, setter, value -> the attributes expected
  kQueryEncoding = 4,  // input, encoding -> expected hash and search of a document URL
  kMimeParse = 5,      // input -> serialized MIME type, "" when it does not parse
  kMimeHeader = 6,     // input as a Content-Type header -> rejection, or the extracted type
  kDataUrl = 7,        // input -> failure, or body [and MIME type]
};

enum class FieldTag : uint8_t {
  kInput = 1,
  kBase = 2,              // absent: parse without a base
  kHref = 3,              // the URL a setter starts from
  kSetter = 4,            // the attribute set ("protocol", ...)
  kValue = 5,             // the value set
  kExpectFailure = 6,     // empty: the operation must fail (throw)
  kExpect = 7,            // u8 name length | attribute name | expected value
  kEncoding = 8,          // the document's encoding ("windows-1252", ...)
  kExpectBody = 9,        // expected body bytes
  kExpectMime = 10,       // expected serialized MIME type ("" = no type)
  kExpectRejection = 11,  // empty: the header value must be refused
};

}  // namespace rayos::wpt
