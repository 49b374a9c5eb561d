// Order-preserving encodings of key tuples.
//
// encode_key() turns a tuple of typed key values into a byte string such that
// bytewise comparison (memcmp, then length) of two encodings has the sign of
// the lexicographic comparison of the typed tuples, where
//   - int64 compares numerically,
//   - text compares under the given per-column collation (see collation.h).
// With every collation kC this is the "C"-collation encoding the capture uses
// for Precise filtering; with the columns' own collations it is the database's
// index order.
//
// REQUIRES: values.size() == types.size() == collations.size(); no NULLs;
//           each value matches its type.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/collation.h"
#include "model/schema.h"
#include "model/value.h"

namespace cdc {

std::string encode_key(std::span<const Value> values, std::span<const ColumnType> types,
                       std::span<const Collation> collations);

// encode_key of the key of a row (the values of `columns`, in key order),
// without building the key. REQUIRES: as encode_key, for those values.
std::string encode_row_key(std::span<const Value> row, std::span<const uint32_t> columns,
                           std::span<const ColumnType> types,
                           std::span<const Collation> collations);

// The first eight bytes of an encoding as a big-endian integer (zero-padded):
// of two encodings, the one with the smaller prefix sorts first; equal
// prefixes leave the order to the bytes. An int64 key is settled by its
// prefix alone.
inline uint64_t key_prefix(std::string_view bytes) {
  const char* b = bytes.data();
  const size_t n = bytes.size();
  if constexpr (std::endian::native != std::endian::little) {  // byte by byte
    uint64_t p = 0;
    for (size_t i = 0; i < 8; ++i)
      p = (p << 8) | (i < n ? static_cast<uint8_t>(b[i]) : 0u);
    return p;
  }
  // w: the first eight bytes little-endian (byte i at bit 8i), zero-padded.
  uint64_t w = 0;
  if (n >= 8) {
    std::memcpy(&w, b, sizeof w);
  } else if (n >= 4) {  // two four-byte loads, overlapping in place
    uint32_t lo = 0;
    uint32_t hi = 0;
    std::memcpy(&lo, b, sizeof lo);
    std::memcpy(&hi, b + n - 4, sizeof hi);
    w = lo | (uint64_t{hi} << (8 * (n - 4)));
  } else if (n > 0) {  // bytes 0, n / 2 and n - 1 cover one to three
    w = uint64_t{static_cast<uint8_t>(b[0])} |
        (uint64_t{static_cast<uint8_t>(b[n / 2])} << (8 * (n / 2))) |
        (uint64_t{static_cast<uint8_t>(b[n - 1])} << (8 * (n - 1)));
  }
  return __builtin_bswap64(w);
}

// Bytewise a < b, their prefixes compared first: keys mostly differ in
// their first eight bytes, and then no byte comparison is called.
inline bool key_less(std::string_view a, std::string_view b) {
  const uint64_t pa = key_prefix(a);
  const uint64_t pb = key_prefix(b);
  return pa != pb ? pa < pb : a < b;
}

// The capture's key encoding (Precise filtering, document keys): encode_key
// with every collation kC. REQUIRES: as encode_key, without collations.
std::string encode_capture_key(std::span<const Value> values, std::span<const ColumnType> types);

// encode_capture_key of the key of a row (the values of `columns`, in key
// order, of the types `defs` gives them), without building the key or its
// types. REQUIRES: as encode_capture_key, for those values.
std::string encode_capture_row_key(std::span<const Value> row, std::span<const uint32_t> columns,
                                   std::span<const ColumnDef> defs);

// The inverse of encode_capture_key: the typed values `bytes` encodes under
// `types`, or nullopt when it is not such an encoding (wrong length, a
// malformed text terminator, bytes left over).
std::optional<std::vector<Value>> decode_capture_key(std::string_view bytes,
                                                     std::span<const ColumnType> types);

// Lexicographic three-way comparison of typed tuples (the reference that
// encode_key must agree with). Same REQUIRES as encode_key.
int compare_keys(std::span<const Value> a, std::span<const Value> b,
                 std::span<const ColumnType> types, std::span<const Collation> collations);

// compare_keys of the keys of two rows (the values of `columns`, in key
// order), without building the keys. REQUIRES: one type and one collation per
// key column; the rows' key values are not NULL and match their types.
int compare_row_keys(std::span<const Value> a, std::span<const Value> b,
                     std::span<const uint32_t> columns, std::span<const ColumnType> types,
                     std::span<const Collation> collations);

}  // namespace cdc
