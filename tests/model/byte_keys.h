// Byte-string keys shared by the tests of the ordered key structures (the
// key index, model/key_index.h; a merge table's rows, model/merge_rows.h).
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace cdc::testing {

// A key from a small alphabet with 0x00 and 0xff, 0 to 24 bytes long: keys
// past 15 bytes leave a node's record for the heap (model/key_bytes.h).
inline rc::Gen<std::string> gen_byte_key() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, 25), [](size_t n) {
    return rc::gen::container<std::string>(
        n, rc::gen::element<char>('\x00', 'a', 'b', '\x7f', '\x80', '\xff'));
  });
}

// The key of number i in a batch: eight bytes, big-endian, after a tag (tag
// 'l': thirteen times, so the 21-byte keys and the separators split from
// them are kept on the heap, and their equal prefixes compare whole keys).
inline std::string numbered_key(char tag, uint32_t i) {
  std::string k(tag == 'l' ? 13 : 1, tag);
  for (int b = 7; b >= 0; --b)
    k.push_back(static_cast<char>((uint64_t{i} >> (8 * b)) & 0xff));
  return k;
}

}  // namespace cdc::testing
