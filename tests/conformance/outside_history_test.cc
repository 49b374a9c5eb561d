// The README's recipe for a history from a real pipeline works on a real
// PostgreSQL 15: the source side from a test_decoding slot and the
// collection and destination from dumps, all written by SQL as JSON lines,
// read by the outside-history reader and judged. A complete dump passes; a
// dump that misses a row is rejected.
#include <gtest/gtest.h>

#include <sstream>

#include "conformance/cluster.h"
#include "conformance/pg_session.h"
#include "outside/history_reader.h"
#include "outside/support.h"

namespace cdc::conformance {
namespace {

constexpr char kDeclarations[] =
    R"({"type":"table","name":"accounts","columns":[{"name":"id","type":"int"},)"
    R"({"name":"owner","type":"text"},{"name":"balance","type":"int"}],"key":["id"]})"
    "\n"
    R"({"type":"binding","table":"accounts","collection":"acme/accounts"})"
    "\n"
    R"({"type":"materialization","collection":"acme/accounts","destination":"accounts_copy"})"
    "\n";

// The recipe's queries (README, "Judging a real pipeline's history").
constexpr char kSlotLines[] =
    "SELECT json_build_object('type', 'test_decoding', 'lsn', lsn::text, 'xid', "
    "xid::text::bigint, 'data', data)::text "
    "FROM pg_logical_slot_peek_changes('cdcsim', NULL, NULL, 'include-xids', '1')";
constexpr char kDocumentLines[] =
    "SELECT json_build_object('type', 'document', 'collection', 'acme/accounts', 'op', 'c', "
    "'lsn', $1::text, 'snapshot', true, 'fields', to_jsonb(a))::text "
    "FROM accounts a WHERE a.id <> $2::bigint ORDER BY id";
constexpr char kDumpLines[] =
    "SELECT json_build_object('type', 'destination_rows', 'destination', 'accounts_copy', "
    "'rows', json_build_array(json_build_object('fields', to_jsonb(a))))::text "
    "FROM accounts a ORDER BY id";

void append(PgSession& s, const std::string& sql, const std::vector<PgValue>& params,
            std::string* out) {
  Result<PgRows> rows = s.query(sql, params);
  ASSERT_TRUE(rows.is_ok()) << rows.error().message;
  for (const PgRow& r : rows.value().rows)
    *out += r.at(0).value_or("null") + "\n";
}

// The history file the recipe writes, with the collection missing row
// `skip_id` (0: none).
std::string recorded_history(PgSession& s, int64_t skip_id) {
  std::string out = kDeclarations;
  append(s, kSlotLines, {}, &out);
  Result<std::string> lsn = s.scalar("SELECT pg_current_wal_lsn()::text");
  EXPECT_TRUE(lsn.is_ok());
  append(s, kDocumentLines, {lsn.value(), std::to_string(skip_id)}, &out);
  append(s, kDumpLines, {}, &out);
  out += R"({"type":"drained","lsn":")" + lsn.value() + "\"}\n";
  return out;
}

TEST(OutsideHistoryConformanceTest, ARecipeHistoryFromARealSlotIsReadAndJudged) {
  auto cluster = Cluster::start({});
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
  auto session = PgSession::connect(cluster.value()->conninfo("postgres"));
  ASSERT_TRUE(session.is_ok()) << session.error().message;
  PgSession& s = *session.value();
  for (const char* sql : {
           "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance bigint)",
           "SELECT pg_create_logical_replication_slot('cdcsim', 'test_decoding')",
           "INSERT INTO accounts VALUES (1, 'ann', 100), (2, 'o''brien', 50), (3, NULL, 7)",
           "BEGIN; UPDATE accounts SET balance = 70 WHERE id = 1; "
           "UPDATE accounts SET id = 4 WHERE id = 2; COMMIT",
           "DELETE FROM accounts WHERE id = 3",
           "INSERT INTO accounts VALUES (5, 'eve', 1)",
       }) {
    const Status st = s.exec(sql);
    ASSERT_TRUE(st.is_ok()) << sql << ": " << st.message();
  }
  // Peeked, so that the second history reads the same changes.
  std::string history = recorded_history(s, 0);
  std::istringstream in(history);
  Result<outside::OutsideHistory> h = outside::read_outside_history(in, "recipe.jsonl");
  ASSERT_TRUE(h.is_ok()) << h.error().message << "\n" << history;
  ASSERT_EQ(h.value().history.source_commits.size(), 4u) << history;
  EXPECT_EQ(h.value().history.source_commits[1].changes.size(), 3u);  // 1 updated, 2 -> 4
  for (const properties::Verdict& v : outside::judge_outside(h.value().history))
    EXPECT_FALSE(v.violated()) << v.property << ": " << v.explanation << "\n" << history;

  // The same slot, peeked again, with the collection missing key 4.
  std::istringstream lossy(recorded_history(s, 4));
  Result<outside::OutsideHistory> l = outside::read_outside_history(lossy, "lossy.jsonl");
  ASSERT_TRUE(l.is_ok()) << l.error().message;
  const std::vector<properties::Verdict> vs = outside::judge_outside(l.value().history);
  const properties::Verdict& convergence = vs.at(0);
  ASSERT_EQ(convergence.property, "convergence");
  ASSERT_TRUE(convergence.violated());
  EXPECT_NE(convergence.explanation.find("Let k = (4)"), std::string::npos)
      << convergence.explanation;
}

}  // namespace
}  // namespace cdc::conformance
