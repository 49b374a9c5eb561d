// Compact byte encoding of rows: what the WAL carries for old rows and keys
// and for an UPDATE that leaves a TOAST datum out, and what sizes every
// record.
//
// Per value: one tag byte (0 NULL, 1 int64, 2 text), then 8 little-endian
// bytes for an int64, or a LEB128 length and the bytes for text. The encoding
// is self-delimiting; decode_row() reads exactly what encode_row() wrote.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model/value.h"

namespace cdc {

void encode_row(std::span<const Value> row, std::string* out);
std::string encode_row(std::span<const Value> row);
// encode_row(row).size(), without writing the bytes: what a WAL record that
// carries the row itself weighs.
size_t encoded_size(std::span<const Value> row);
// REQUIRES: bytes is exactly one encode_row() output.
Row decode_row(std::string_view bytes);

}  // namespace cdc
