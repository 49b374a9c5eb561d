// The records of an outside history, one JSON object per line, and what each
// adds to the history (docs/history-format/README.md). Used only by
// outside/history_reader.cc, which reads the lines and locates errors.
//
// Every method throws detail::BadField on input it cannot take; what was
// added before the bad record stays, but the reader then returns the error
// and no history.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "outside/history_reader.h"
#include "outside/json_fields.h"
#include "outside/source_log.h"
#include "outside/test_decoding.h"

namespace cdc::outside::detail {

class Records {
 public:
  explicit Records(OutsideHistory* out) : out_(out), h_(out->history), source_(&out->tables, &h_) {}

  // One record, read from line `line_no` (its tick).
  void read(const json& record, uint64_t line_no);
  // After the last line: closes what the file left open.
  void finish(uint64_t line_no);

 private:
  void table(const json& r);
  void binding(const json& r);
  void materialization(const json& r);
  void rows(const json& r);
  void commit(const json& r);
  void change(const json& c, const std::string& path);
  void decoded(const json& r);
  void decoded_change(const DecodedLine& l, const std::string& path);
  void collection_txn(const json& r, bool one_document);
  history::Document document(const json& d, const std::string& path);
  void destination_txn(const json& r);
  history::DestinationRow destination_row(uint32_t m, const json& r, const std::string& path,
                                          bool dump);
  void destination_rows(const json& r);
  void drained(const json& r);

  uint32_t table_named(const json& r, const char* key, const std::string& path) const;
  uint32_t binding_of_collection(const json& r, const std::string& path) const;
  uint32_t materialization_named(const json& r, const std::string& path) const;
  // Closes the initial-rows commit when one is open.
  void close_initial_rows();
  void final_destinations();

  OutsideHistory* out_;
  history::History& h_;
  SourceLog source_;
  uint64_t tick_ = 0;
  bool initial_rows_open_ = false;
  bool saw_commit_ = false;
  uint64_t next_doc_id_ = 1;
  std::map<std::string, uint32_t> collections_;   // collection -> capture binding
  std::map<std::string, uint32_t> destinations_;  // destination -> materialization
  // (binding, key, lsn) -> seq of the latest collection txn holding such a document.
  std::map<std::tuple<uint32_t, history::DocKey, Lsn>, uint64_t> doc_seq_;
  std::map<uint32_t, std::vector<history::DestinationRow>> dumps_;
  Lsn checkpoint_;
};

}  // namespace cdc::outside::detail
