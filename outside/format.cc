#include "outside/format.h"

namespace cdc::outside {

const std::vector<std::string>& record_types() {
  static const std::vector<std::string> kTypes = {
      "table",           "binding",          "materialization", "rows",
      "commit",          "test_decoding",    "collection_txn",  "document",
      "destination_txn", "destination_rows", "drained"};
  return kTypes;
}

const std::map<std::string, std::vector<std::string>>& format_objects() {
  static const std::map<std::string, std::vector<std::string>> kObjects = {
      {"table", {"type", "name", "columns", "key"}},
      {"column", {"name", "type", "collation"}},
      {"binding", {"type", "table", "collection", "mode", "stream_start_lsn"}},
      {"materialization", {"type", "collection", "destination", "strategy"}},
      {"rows", {"type", "table", "rows"}},
      {"commit", {"type", "xid", "lsn", "changes"}},
      {"change", {"table", "op", "after", "key"}},
      {"test_decoding", {"type", "lsn", "xid", "data"}},
      {"collection_txn", {"type", "docs", "checkpoint_lsn"}},
      {"document",
       {"type", "collection", "op", "lsn", "txid", "snapshot", "fields", "checkpoint_lsn"}},
      {"doc", {"collection", "op", "lsn", "txid", "snapshot", "fields"}},
      {"destination_txn", {"type", "destination", "upserts", "deletes", "truncated_first"}},
      {"row", {"fields", "lsn", "op", "snapshot"}},
      {"destination_rows", {"type", "destination", "rows"}},
      {"drained", {"type", "lsn"}},
  };
  return kObjects;
}

}  // namespace cdc::outside
