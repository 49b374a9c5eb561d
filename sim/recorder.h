// Records a run into a history: source commits (with the before and after
// state of every key they touched), and everything the capture does.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/capture.h"
#include "model/materialization.h"
#include "properties/history.h"
#include "sim/costs.h"
#include "sim/source_state.h"

namespace cdc::sim {

// A destination row as the history records it: key `key`, the rest of `r`,
// and `fields` (r's own, copied or moved by the caller).
history::DestinationRow history_row(const history::DocKey& key, const DestValue& r,
                                    SharedRow fields);

class Recorder : public CaptureObserver, public MaterializationObserver {
 public:
  explicit Recorder(const Database* db) : db_(db) {}
  // The cost meter numbers keys in the source state's dictionary: a copy
  // would point into the original's.
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void set_tick(uint64_t tick) { tick_ = tick; }
  void set_bindings(const std::vector<CaptureBinding>& bindings);
  void event(history::Event::Kind kind, std::string what,
             history::Event::Type type = history::Event::Type::kOther);
  // Database commit observer.
  void on_source_commit(const CommittedTxn& txn);
  // Database rewrite observer: rows of a table got new ctids.
  void on_rewrite(TableId t, Database::Rewrite why,
                  const std::vector<std::pair<Ctid, Ctid>>& moves);
  // Where each binding's ctid scan would resume, now and after a restart
  // (none: it is not scanning by ctid), as history::RowMove records them.
  using ScanCursors = std::vector<history::RowMove::ScanCursor>;
  void set_scan_cursors(std::function<ScanCursors(uint32_t binding)> f) {
    scan_cursor_ = std::move(f);
  }
  Lsn last_commit_lsn() const { return last_commit_lsn_; }

  history::History& history() { return h_; }

  // CaptureObserver
  void on_start(Lsn cursor) override;
  void on_instance(uint32_t binding, const std::string& state_key, CaptureMode mode,
                   Lsn stream_start) override;
  void on_decoded(const DecodedTxn& txn) override;
  void on_chunk(const ChunkTrace& chunk) override;
  void on_resume(uint32_t binding, const std::string& state_key,
                 const BindingState& state) override;
  void on_commit(uint64_t seq, const std::vector<std::pair<uint32_t, CollectionDoc>>& docs,
                 const std::vector<uint64_t>& chunk_ids, const std::vector<std::string>& completed,
                 Lsn cursor) override;
  void on_error(const Error& error) override;
  void on_ignored(IgnoredRecord what, const std::string& words) override;

  // MaterializationObserver
  void on_destination_commit(const DestinationCommit& c) override;
  void on_materialization_error(const std::string& message) override;

  void set_materializations(const std::vector<MaterializationBindingSpec>& specs,
                            const std::vector<CaptureBinding>& capture_bindings);
  void on_expired(const std::map<std::string, std::vector<CompactKey>>& keys);
  void on_backfill_op(history::BackfillOp op);
  // Fills history().costs for a run that ended at `end_tick`. REQUIRES: the
  // final state is recorded.
  void finish_costs(uint64_t end_tick);
  // The run has ended (no source commit or destination transaction follows):
  // frees the committed source state kept for before images.
  void release_source_state() { committed_.clear(); }

 private:
  std::string row_key(TableId t, std::span<const Value> row, Ctid ctid) const;
  // Whether version k is an UPDATE's new version under the key of the
  // version it replaced (k - 1).
  bool same_key_as_previous(const CommittedTxn& txn, size_t k) const;
  // Fills keys_scratch_ with each version's key and befores_scratch_ with
  // the row committed under it before `txn` (nullptr: none), pointers into
  // h_ valid until committed_ next changes.
  void read_keys_and_befores(const CommittedTxn& txn);
  // The row committed_ holds under the key of `ch`, a change just appended
  // to the commit being recorded (nullptr: none), numbering the key there
  // (into ids_scratch_) for apply_last_commit. REQUIRES: `ch` sits where
  // the history will keep it (its commit's changes reserved, so it does not
  // move), and the commit's versions were not read ahead.
  const SharedRow* number_new_key(const history::SourceKeyChange& ch);
  // Sets the after image of `ch` to version `v`'s: its row, or none for a
  // version that removed the row.
  static void set_after(history::SourceKeyChange* ch, const CommittedRowVersion& v);
  std::string order_key(TableId t, const Key& key) const;
  void record_move(TableId t, history::RowMove::Cause cause, Ctid from, Ctid to,
                   std::string from_key, std::string to_key, Lsn lsn);
  std::vector<history::RowMove::ScanCursor> scan_cursors(TableId t) const;
  void note_updates_moving_rows(const CommittedTxn& txn);

  const Database* db_;
  uint64_t tick_ = 0;
  history::History h_;
  SourceState committed_;  // the committed source rows, in h_
  // read_keys_and_befores()'s results, by version, kept for their capacity.
  std::vector<std::string> keys_scratch_;
  std::vector<const SharedRow*> befores_scratch_;
  std::vector<uint32_t> ids_scratch_;       // on_source_commit's key ids (few versions)
  std::map<uint64_t, size_t> chunk_index_;  // chunk id -> index in h_.chunks
  Lsn last_commit_lsn_;
  std::function<ScanCursors(uint32_t binding)> scan_cursor_;
  CostMeter costs_{committed_.shared_ids()};  // destination keys beside the source's
};

}  // namespace cdc::sim
