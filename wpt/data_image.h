#pragma once
// Builds the WPT data image (os/core/wpt/image_format.h) that a run hands its guest: the selected
// tests' cases, nothing the guest does not need (names and IDs stay on the host).
#include <cstdint>
#include <string>
#include <vector>

#include "wpt/catalog.h"

namespace osh::wpt {

struct DataImage {
  std::string bytes;
  // Per test, in image order: the CRC-32C of its record, as the guest reports it back.
  std::vector<uint32_t> test_crcs;
};

// Throws osh::InputError when a field or record exceeds what the format can hold.
DataImage build_data_image(const std::vector<WptTest>& tests);

}  // namespace osh::wpt
