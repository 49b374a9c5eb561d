// Benchmarks of the source model.
//
//   BM_SingleRowTransactions: committed single-row INSERT transactions per
//     second through the heap, the WAL and logical decoding (a slot is read
//     and acknowledged every 1,000 transactions, so WAL is recycled).
//   BM_MemoryPerRow: heap bytes per stored row of a 1,000,000-row table,
//     measured with the allocator's own statistics (heap_in_use.h) around the load,
//     so index nodes, tuple headers, the row arena and allocator overhead all
//     count.
//
// Run: build/default/bench/source_bench
#include <benchmark/benchmark.h>

#include "bench/heap_in_use.h"
#include "model/database.h"

namespace cdc {
namespace {

TableSchema bench_schema() {
  TableSchema s;
  s.name = "items";
  s.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
               {"v", ColumnType::kInt64, Collation::kC, false, true},
               {"note", ColumnType::kText, Collation::kC, true, true}};
  s.primary_key = {0};
  return s;
}

Row bench_row(int64_t i) {
  return {Value::int64(i), Value::int64(i * 7), Value::text("note")};
}

void BM_SingleRowTransactions(benchmark::State& state) {
  Database db;
  const TableId t = db.create_table(bench_schema()).value();
  if (!db.create_slot("bench").is_ok()) state.SkipWithError("slot");
  LogicalStream stream = db.start_replication("bench", Lsn(0)).value();
  int64_t i = 0;
  uint64_t decoded = 0;
  for (auto _ : state) {
    const TxnId tx = db.begin();
    benchmark::DoNotOptimize(db.insert(tx, t, bench_row(i++)));
    benchmark::DoNotOptimize(db.commit(tx));
    if (i % 1000 == 0) {
      std::vector<DecodedTxn> got = stream.poll().value();
      decoded += got.size();
      if (!got.empty()) benchmark::DoNotOptimize(db.acknowledge("bench", got.back().commit_lsn));
    }
  }
  decoded += stream.poll().value().size();
  if (decoded != static_cast<uint64_t>(i)) state.SkipWithError("decoded count differs");
  state.SetItemsProcessed(i);
  state.SetLabel(bench::allocator_name());
  state.counters["txn_per_s"] =
      benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SingleRowTransactions)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_MemoryPerRow(benchmark::State& state) {
  const int64_t rows = state.range(0);
  for (auto _ : state) {
    const size_t before = bench::heap_in_use_bytes();
    auto db = std::make_unique<Database>();
    const TableId t = db->create_table(bench_schema()).value();
    for (int64_t i = 0; i < rows;) {
      const TxnId tx = db->begin();
      for (int k = 0; k < 1000 && i < rows; ++k)
        benchmark::DoNotOptimize(db->insert(tx, t, bench_row(i++)));
      benchmark::DoNotOptimize(db->commit(tx));
    }
    db->checkpoint();  // no slot: all WAL is recycled, only the table remains
    const size_t after = bench::heap_in_use_bytes();
    state.SetLabel(bench::allocator_name());
    state.counters["bytes_per_row"] =
        static_cast<double>(after - before) / static_cast<double>(rows);
    state.counters["model_estimate_bytes_per_row"] =
        static_cast<double>(db->heap(t).memory_bytes()) / static_cast<double>(rows);
  }
}
BENCHMARK(BM_MemoryPerRow)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cdc

BENCHMARK_MAIN();
