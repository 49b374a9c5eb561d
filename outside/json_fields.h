// Typed access to the fields of one JSON record of an outside history, for
// outside/history_reader.cc. Every accessor checks presence, type and range
// and throws BadField naming the key (as a path, e.g. changes[2].after.id) on
// failure; the reader turns that into a FILE:LINE:COL error, so nothing
// escapes it. Used only inside the reader.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/schema.h"
#include "model/shared_row.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc::outside::detail {

using nlohmann::json;

struct BadField {
  std::string key;  // the last key of the path: where the column is looked up
  std::string message;
};

[[noreturn]] void bad(const std::string& key, const std::string& message);

// `r` is an object whose keys are all keys of `object` (outside/format.h).
void only_keys(const json& r, const std::string& path, const std::string& object);

const json& required(const json& r, const char* key, const std::string& path);
std::string text_of(const json& r, const char* key, const std::string& path);
uint64_t uint_of(const json& r, const char* key, const std::string& path, uint64_t max);
bool bool_of(const json& r, const char* key, const std::string& path, bool absent);
// "X/Y" (hex, as PostgreSQL prints an LSN).
Lsn lsn_of(const json& r, const char* key, const std::string& path);
std::optional<Lsn> optional_lsn(const json& r, const char* key, const std::string& path);
const json& array_of(const json& r, const char* key, const std::string& path, size_t max);

// A row of `s` from an object of column values. Columns the object lacks
// take `base`'s value when given, else NULL, and are absent from the mask.
struct RowFields {
  Row row;
  uint64_t present_mask = 0;
};
RowFields row_of(const TableSchema& s, const json& obj, const std::string& path,
                 const SharedRow* base);
// The key values of `row` are all given and not NULL.
void require_key(const TableSchema& s, const RowFields& f, const std::string& path);

}  // namespace cdc::outside::detail
