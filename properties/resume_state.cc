// resume_state: after a restart the capture resumes every binding whose state
// the committed checkpoint holds with exactly that state. The checkpoint
// commits with the collection transaction that holds the chunk rows, so the
// rest of the history says what a resume recorded after collection txn seq S
// (history::Resume::last_seq) must carry:
// - mode: the mode its backfill instance started with (h.backfills, by state
//   key); a restart never resolves a saved state's mode again;
// - cursor: where the last chunk of that state key committed in a txn with
//   seq <= S left the scan: for a keyed scan its last row's order_key (or,
//   for a chunk without rows, the cursor it started after); for a ctid-range
//   scan the block after its last one (Chunk::blocks), offset 0; none when no
//   chunk of it has committed;
// - done: true exactly when a txn with seq <= S lists the state key in
//   completed_backfills, or the instance is Only Changes (done from the start).
//
// Verdicts. kViolated: the first resume, in history order, that differs in
// one of these (checked in the order mode, cursor, done), with what it resumed
// with, what the history says, and the instance, chunk and transaction that
// say so. A resume whose state key no instance started is a violation too.
// No subject: the witness is an instance's state, not one key. kUnknown when
// the history holds no resume (no restart found a saved state).
//
// The comparison is built as data (Mismatch) and rendered separately.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/assert.h"
#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "resume_state";

// Where a scan stands: a keyed cursor, a ctid-range cursor, or the start.
struct Cursor {
  std::optional<history::DbOrderKey> key;
  std::optional<Ctid> ctid;
  bool operator==(const Cursor&) const = default;
};

std::string render(const Cursor& c) {
  if (c.ctid) return "ctid " + to_string(*c.ctid);
  return c.key ? detail::render_key(*c.key) : std::string("<start>");
}

// The history's facts about one state key, gathered in one pass.
struct StateFacts {
  const history::BackfillInstance* instance = nullptr;
  std::vector<const history::Chunk*> committed;       // in run order
  const history::CollectionTxn* completed = nullptr;  // first txn completing it
};

std::map<std::string, StateFacts> gather(const history::History& h) {
  std::map<std::string, StateFacts> out;
  for (const history::BackfillInstance& i : h.backfills)
    out[i.state_key].instance = &i;
  for (const history::Chunk& c : h.chunks) {
    if (c.committed_in && !c.failed) out[c.state_key].committed.push_back(&c);
  }
  for (const history::CollectionTxn& t : h.collection_txns) {
    for (const std::string& key : t.completed_backfills) {
      StateFacts& f = out[key];
      if (f.completed == nullptr || t.seq < f.completed->seq) f.completed = &t;
    }
  }
  return out;
}

// The chunk of `f` committed last in a txn with seq <= `seq`, or nullptr.
const history::Chunk* last_committed(const StateFacts& f, uint64_t seq) {
  const history::Chunk* last = nullptr;
  for (const history::Chunk* c : f.committed) {
    CDC_ASSERT(c->committed_in.has_value(), "gather keeps committed chunks only");
    if (*c->committed_in > seq) continue;
    if (last == nullptr || *c->committed_in >= *last->committed_in) last = c;
  }
  return last;
}

// Where `c` left its scan.
Cursor cursor_after(const history::Chunk& c) {
  Cursor out;
  if (c.blocks) {
    out.ctid = Ctid{c.blocks->second + 1, 0};
  } else {
    out.key = c.rows.empty() ? c.after : std::optional(c.order_key(c.rows.size() - 1));
  }
  return out;
}

// One resume that differs from what the history says, as data.
struct Mismatch {
  enum class Field : unsigned char { kInstance, kMode, kCursor, kDone };
  Field field = Field::kMode;
  const history::Resume* resume = nullptr;
  const StateFacts* facts = nullptr;
  const history::Chunk* chunk = nullptr;  // kCursor: the last committed chunk, if any
  std::string resumed;                    // what it resumed with
  std::string expected;                   // what the history says
};

std::optional<Mismatch> compare(const history::Resume& r, const StateFacts& f) {
  Mismatch m{Mismatch::Field::kInstance, &r, &f, nullptr, "", ""};
  if (f.instance == nullptr || f.instance->binding != r.binding) return m;
  const history::ResolvedMode mode = f.instance->mode;
  if (r.mode != mode) {
    m.field = Mismatch::Field::kMode;
    m.resumed = history::to_string(r.mode);
    m.expected = history::to_string(mode);
    return m;
  }
  m.chunk = last_committed(f, r.last_seq);
  const Cursor want = m.chunk != nullptr ? cursor_after(*m.chunk) : Cursor{};
  const Cursor got{r.cursor, r.cursor_ctid};
  if (got != want) {
    m.field = Mismatch::Field::kCursor;
    m.resumed = render(got);
    m.expected = render(want);
    return m;
  }
  const bool done = mode == history::ResolvedMode::kOnlyChanges ||
                    (f.completed != nullptr && f.completed->seq <= r.last_seq);
  if (r.backfilled != done) {
    m.field = Mismatch::Field::kDone;
    m.resumed = r.backfilled ? "done" : "still backfilling";
    m.expected = done ? "done" : "still backfilling";
    return m;
  }
  return std::nullopt;
}

std::string describe_resume(const history::Resume& r) {
  const Cursor c{r.cursor, r.cursor_ctid};
  return "resume of " + r.state_key + " by binding " + std::to_string(r.binding) + " at tick " +
         std::to_string(r.tick) + " after txn seq " + std::to_string(r.last_seq) + ": " +
         history::to_string(r.mode) + ", cursor " + render(c) + ", " +
         (r.backfilled ? "done" : "still backfilling");
}

// " (blocks F..L)" for a ctid-range chunk, else nothing.
std::string blocks_of(const history::Chunk& c) {
  if (!c.blocks) return "";
  return " (blocks " + std::to_string(c.blocks->first) + ".." + std::to_string(c.blocks->second) +
         ")";
}

// Why the history expects what it does, in words; adds the facts that say
// so to `witness`.
std::string reason(const Mismatch& m, std::vector<std::string>* witness) {
  const history::Resume& r = *m.resume;
  const std::string by_seq = " by txn seq " + std::to_string(r.last_seq);
  switch (m.field) {
    case Mismatch::Field::kInstance:
      return "";
    case Mismatch::Field::kMode:
      return "the mode its instance started with";
    case Mismatch::Field::kCursor:
      if (m.chunk == nullptr) {
        witness->push_back("no chunk of " + r.state_key + " committed" + by_seq);
        return "no chunk of " + r.state_key + " committed" + by_seq;
      }
      witness->push_back("last committed " + detail::describe_chunk(*m.chunk) +
                         blocks_of(*m.chunk));
      return "where the last chunk of " + r.state_key + " committed" + by_seq + ", at tick " +
             std::to_string(m.chunk->tick) + ", left the scan";
    case Mismatch::Field::kDone: {
      const history::CollectionTxn* t = m.facts->completed;
      if (m.facts->instance->mode == history::ResolvedMode::kOnlyChanges) {
        return "an Only Changes instance starts done";
      }
      if (t != nullptr && t->seq <= r.last_seq) {
        witness->push_back("txn seq " + std::to_string(t->seq) + " at tick " +
                           std::to_string(t->tick) + " completed " + r.state_key);
        return "txn seq " + std::to_string(t->seq) + " completed " + r.state_key;
      }
      witness->push_back("no txn completed " + r.state_key + by_seq);
      return "no txn completed " + r.state_key + by_seq;
    }
  }
  return "";
}

const char* field_name(Mismatch::Field f) {
  switch (f) {
    case Mismatch::Field::kInstance:
      return "state";
    case Mismatch::Field::kMode:
      return "mode";
    case Mismatch::Field::kCursor:
      return "cursor";
    case Mismatch::Field::kDone:
      return "done flag";
  }
  return "?";
}

Verdict render(const Mismatch& m) {
  const history::Resume& r = *m.resume;
  std::vector<std::string> witness = {describe_resume(r)};
  const std::string let = "Let R be the resume of state " + r.state_key + " by binding " +
                          std::to_string(r.binding) + " at tick " + std::to_string(r.tick) +
                          ", when the last committed collection txn was seq " +
                          std::to_string(r.last_seq) + ". ";
  if (m.field == Mismatch::Field::kInstance) {
    return Verdict::violation(kName,
                              let + "Then R must resume a state a backfill instance of binding " +
                                  std::to_string(r.binding) + " started, but no instance " +
                                  r.state_key + " of that binding was recorded.",
                              std::move(witness));
  }
  CDC_ASSERT(m.facts->instance != nullptr, "only a missing instance has no instance to name");
  witness.push_back(detail::describe_instance(*m.facts->instance));
  const std::string why = reason(m, &witness);
  return Verdict::violation(kName,
                            let + "Then R must resume with the " + field_name(m.field) + " " +
                                m.expected + " (" + why + "), but it resumed with " + m.resumed +
                                ".",
                            std::move(witness));
}

}  // namespace

Verdict check_resume_state(const history::History& h) {
  if (h.resumes.empty()) {
    return Verdict::unknown(kName, "no restart resumed a state from a committed checkpoint");
  }
  const std::map<std::string, StateFacts> facts = gather(h);
  const StateFacts none;
  for (const history::Resume& r : h.resumes) {
    const auto it = facts.find(r.state_key);
    if (std::optional<Mismatch> m = compare(r, it == facts.end() ? none : it->second)) {
      return render(*m);
    }
  }
  return Verdict::hold(kName, std::to_string(h.resumes.size()) +
                                  " resumes, each with its committed mode, cursor and done flag");
}

}  // namespace cdc::properties
