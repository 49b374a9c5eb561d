#include "outside/history_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/xid.h"
#include "outside/support.h"

namespace cdc::outside {
namespace {

const std::string kTable =
    R"({"type":"table","name":"accounts","columns":[{"name":"id","type":"int"},)"
    R"({"name":"owner","type":"text"},{"name":"balance","type":"int"}],"key":["id"]})"
    "\n"
    R"({"type":"binding","table":"accounts","collection":"acme/accounts"})"
    "\n";

Result<OutsideHistory> read(const std::string& text) {
  std::istringstream in(text);
  return read_outside_history(in, "h.jsonl");
}

std::string error_of(const std::string& text) {
  const Result<OutsideHistory> r = read(text);
  return r.is_ok() ? "(read without error)" : r.error().message;
}

Result<OutsideHistory> example(const std::string& name) {
  return read_outside_history_file(std::string(CDCSIM_SOURCE_DIR) +
                                   "/docs/history-format/examples/" + name);
}

const properties::Verdict& verdict(const std::vector<properties::Verdict>& vs,
                                   const std::string& p) {
  for (const properties::Verdict& v : vs)
    if (v.property == p) return v;
  ADD_FAILURE() << "no verdict " << p;
  return vs.front();
}

TEST(OutsideHistoryTest, AHistoryThatLosesADeleteIsRejectedWithAnExplanation) {
  const Result<OutsideHistory> h = example("loses-a-delete.jsonl");
  ASSERT_TRUE(h.is_ok()) << h.error().message;
  const std::vector<properties::Verdict> vs = judge_outside(h.value().history);
  for (const char* p : {"convergence", "no_loss", "destination_convergence"}) {
    const properties::Verdict& v = verdict(vs, p);
    ASSERT_TRUE(v.violated()) << p << ": " << v.explanation;
    EXPECT_EQ(v.explanation.rfind("Let ", 0), 0u) << v.explanation;
    EXPECT_NE(v.explanation.find(" Then "), std::string::npos) << v.explanation;
    EXPECT_NE(v.explanation.find(" but "), std::string::npos) << v.explanation;
    ASSERT_TRUE(v.subject.has_value());
    EXPECT_EQ(v.subject->key_text, "(2)");
  }
  EXPECT_NE(verdict(vs, "no_loss").explanation.find("0/16B3800"), std::string::npos);
}

TEST(OutsideHistoryTest, HistoriesThatLoseNothingPass) {
  for (const char* name : {"loses-nothing.jsonl", "from-test-decoding.jsonl"}) {
    const Result<OutsideHistory> h = example(name);
    ASSERT_TRUE(h.is_ok()) << h.error().message;
    const std::vector<properties::Verdict> vs = judge_outside(h.value().history);
    for (const properties::Verdict& v : vs)
      EXPECT_FALSE(v.violated()) << name << " " << v.property << ": " << v.explanation;
    for (const char* p : {"convergence", "no_loss", "exactly_once", "transaction_order",
                          "destination_convergence", "no_regression"})
      EXPECT_TRUE(verdict(vs, p).holds()) << name << " " << p;
  }
}

TEST(OutsideHistoryTest, DocumentsOfOneSourceTransactionSplitAcrossCollectionTxnsAreSeenHalfDone) {
  std::ifstream in(std::string(CDCSIM_SOURCE_DIR) +
                   "/docs/history-format/examples/from-test-decoding.jsonl");
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.find("\"op\":\"u\"") == std::string::npos) {
      text += line + "\n";
      continue;
    }
    // The second collection txn, one document per line.
    nlohmann::json txn = nlohmann::json::parse(line);
    for (nlohmann::json doc : txn.at("docs")) {
      doc["type"] = "document";
      text += doc.dump() + "\n";
    }
  }
  const Result<OutsideHistory> h = read(text);
  ASSERT_TRUE(h.is_ok()) << h.error().message;
  const std::vector<properties::Verdict> vs = judge_outside(h.value().history);
  const properties::Verdict& v = verdict(vs, "transaction_order");
  ASSERT_TRUE(v.violated()) << text;
  EXPECT_NE(v.explanation.find("xid 736"), std::string::npos) << v.explanation;
  EXPECT_TRUE(verdict(vs, "convergence").holds());
}

TEST(OutsideHistoryTest, CheckersWithoutInputSayUnknownAndWhy) {
  const Result<OutsideHistory> h = example("loses-nothing.jsonl");
  ASSERT_TRUE(h.is_ok());
  const std::vector<properties::Verdict> vs = judge_outside(h.value().history);
  for (const char* p : {"coverage", "liveness", "resume_state", "retention_loss", "keyless_no_loss",
                        "delta_no_loss"}) {
    const properties::Verdict& v = verdict(vs, p);
    EXPECT_EQ(v.outcome, properties::Verdict::Outcome::kUnknown) << p;
    EXPECT_FALSE(v.explanation.empty()) << p;
  }
  EXPECT_EQ(outside_gaps(h.value().history).size(), 11u);
}

TEST(OutsideHistoryTest, BeforeImagesComeFromEarlierCommits) {
  const Result<OutsideHistory> h = read(
      kTable +
      R"({"type":"rows","table":"accounts","rows":[{"id":1,"owner":"ann","balance":5}]})"
      "\n"
      R"({"type":"commit","xid":9,"lsn":"0/20","changes":[{"table":"accounts","op":"update","after":{"id":1,"balance":6}},)"
      R"({"table":"accounts","op":"update","key":{"id":1},"after":{"id":3}},)"
      R"({"table":"accounts","op":"insert","after":{"id":7,"owner":"x","balance":0}},)"
      R"({"table":"accounts","op":"delete","key":{"id":7}}]})"
      "\n");
  ASSERT_TRUE(h.is_ok()) << h.error().message;
  const history::History& hist = h.value().history;
  ASSERT_EQ(hist.source_commits.size(), 2u);  // the initial rows, then xid 9
  EXPECT_EQ(hist.source_commits[0].commit_lsn, Lsn{1});
  EXPECT_EQ(hist.source_commits[0].xid, kFrozenXid);
  const history::SourceCommit& c = hist.source_commits[1];
  EXPECT_EQ(c.xid, Xid{9});
  ASSERT_EQ(c.changes.size(), 2u);  // key 1 gone, key 3 new; key 7 came and went
  const Row ann{Value::int64(1), Value::text("ann"), Value::int64(5)};
  EXPECT_EQ(c.changes[0].before, ann);
  EXPECT_FALSE(c.changes[0].after.has_value());
  EXPECT_FALSE(c.changes[1].before.has_value());
  EXPECT_EQ(c.changes[1].after, (Row{Value::int64(3), Value::text("ann"), Value::int64(6)}));
  EXPECT_EQ(c.changes[1].after_xmin, Xid{9});
}

TEST(OutsideHistoryTest, UnchangedToastInTestDecodingKeepsTheValue) {
  const Result<OutsideHistory> h = read(
      kTable +
      R"({"type":"test_decoding","lsn":"0/10","data":"BEGIN 5"})"
      "\n"
      R"({"type":"test_decoding","lsn":"0/10","data":"table public.accounts: INSERT: id[bigint]:1 owner[text]:'ann' balance[bigint]:1"})"
      "\n"
      R"({"type":"test_decoding","lsn":"0/18","data":"table public.accounts: UPDATE: id[bigint]:1 owner[text]:unchanged-toast-datum balance[bigint]:2"})"
      "\n"
      R"({"type":"test_decoding","lsn":"0/20","data":"COMMIT 5"})"
      "\n");
  ASSERT_TRUE(h.is_ok()) << h.error().message;
  const history::SourceCommit& c = h.value().history.source_commits.at(0);
  EXPECT_EQ(c.commit_lsn, Lsn{0x20});
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].after, (Row{Value::int64(1), Value::text("ann"), Value::int64(2)}));
}

TEST(OutsideHistoryTest, BadLinesAreErrorsWithLineAndColumn) {
  struct Case {
    std::string text;
    std::string says;
  };
  const std::string rows = R"({"type":"rows","table":"accounts","rows":[{"id":1}]})"
                           "\n";
  for (
      const Case& c : std::vector<Case>{
          {kTable + "{\"type\":\"commit\",\n", "h.jsonl:3:"},
          {kTable + R"({"type":"binding","table":"accounts","collection":"c","colour":1})",
           "h.jsonl:3:56: unknown key colour"},
          {kTable + R"({"type":"snapshot"})", "h.jsonl:3:3: unknown record type \"snapshot\""},
          {kTable +
               R"({"type":"commit","xid":1,"lsn":"0/5","changes":[{"table":"accounts","op":"update","after":{"id":1}}]})",
           "h.jsonl:3:1: changes[0]: update of key (1) that table accounts does not hold"},
          {kTable + rows + R"({"type":"commit","xid":1,"lsn":"0/1","changes":[]})",
           "h.jsonl:4:27: commit LSN 0/1 does not follow the previous commit's 0/1"},
          {kTable + R"({"type":"test_decoding","lsn":"0/5","data":"BEGIN 4"})",
           "h.jsonl:3:1: the file ends inside"},
          {kTable + R"({"type":"rows","table":"accounts","rows":[{"id":"one"}]})",
           "h.jsonl:3:45: rows[0].id is an integer column"},
          {kTable + R"({"type":"rows","table":"ghosts","rows":[]})",
           "h.jsonl:3:17: table ghosts is not declared"},
          {kTable + R"({"type":"drained","lsn":"zz"})", "h.jsonl:3:20: lsn must be an LSN"},
          {kTable +
               R"({"type":"document","collection":"acme/accounts","op":"c","lsn":"0/1","fields":{"owner":"a"}})",
           "lacks key column id"},
          {kTable +
               R"({"type":"test_decoding","lsn":"0/5","data":"table accounts: INSERT: id[bigint]:1"})",
           "outside BEGIN ... COMMIT"},
          {R"({"type":"table","name":"t","columns":[{"name":"a","type":"int"}],"key":[]})",
           "h.jsonl:1:67: key must name the primary-key columns"},
          {"[1,2]", "h.jsonl:1:1: a record must be a JSON object"},
          {kTable +
               R"({"type":"commit","xid":1,"lsn":"0/5","changes":[{"table":"accounts","op":"update","key":{"id":4},"after":{"balance":1}}]})",
           "changes[0]: update of key (4) that table accounts does not hold"},
          {kTable + R"({"type":"rows","table":"accounts","rows":[{"id":1,"owner":"a\u0000b"}]})",
           "rows[0].owner holds a NUL character"},
      }) {
    const std::string e = error_of(c.text);
    EXPECT_NE(e.find(c.says), std::string::npos) << "want: " << c.says << "\n got: " << e;
  }
}

}  // namespace
}  // namespace cdc::outside
