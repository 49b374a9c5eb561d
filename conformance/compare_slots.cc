#include "conformance/compare_slots.h"

#include <cctype>

#include "conformance/compare_decoding.h"

namespace cdc::conformance {
namespace {

// wal_status before, after writing WAL, after a checkpoint.
Result<std::vector<std::string>> invalidate(Side& s) {
  std::vector<std::string> statuses;
  Result<std::string> before = s.slot_wal_status();
  if (!before.is_ok()) return before.error();
  statuses.push_back(before.value());
  if (Status w = s.write_past_keep_size(); !w.is_ok()) return w.error();
  Result<std::string> after = s.slot_wal_status();
  if (!after.is_ok()) return after.error();
  statuses.push_back(after.value());
  if (Status c = s.checkpoint(); !c.is_ok()) return c.error();
  Result<std::string> lost = s.slot_wal_status();
  if (!lost.is_ok()) return lost.error();
  statuses.push_back(lost.value());
  return statuses;
}

// Reads the (lost) slot; the value is the error's code (Side::describe).
Result<std::string> read_error(Side& s, std::string* message) {
  Status r = s.read_slot();
  if (r.is_ok()) return Error{ErrorCode::kInvalidArgument, "reading the lost slot succeeded"};
  auto [code, text] = s.describe(r.error());
  *message = text;
  return code;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v)
    out += (out.empty() ? "" : " -> ") + s;
  return out;
}

// PostgreSQL's "message DETAIL: Detail." in the model's form "message: detail".
std::string as_model_message(const std::string& m) {
  const size_t at = m.find(" DETAIL: ");
  if (at == std::string::npos) return m;
  std::string detail = m.substr(at + 9);
  if (!detail.empty()) detail[0] = static_cast<char>(std::tolower(detail[0]));
  if (!detail.empty() && detail.back() == '.') detail.pop_back();
  return m.substr(0, at) + ": " + detail;
}

}  // namespace

void probe_slots(Sides& sides, sim::Prng prng, RunTrace* t) {
  SlotProbe& p = t->slot;
  p.ran = true;
  p.decoded = t->decoded.model.value.size();
  p.consumed = static_cast<size_t>(prng.below(p.decoded + 1));
  PerSide<int> consumed;
  sides.both(&consumed, [&](Side& s) -> Result<int> {
    if (Status c = s.consume(p.consumed); !c.is_ok()) return c.error();
    return 0;
  });
  if (consumed.model.error || consumed.pg.error) {
    p.streamed.model.error = consumed.model.error;
    p.streamed.pg.error = consumed.pg.error;
  } else {
    sides.both(&p.streamed, [](Side& s) { return s.stream_from_below_confirmed(); });
  }
  sides.both(&p.status, [](Side& s) { return invalidate(s); });
  // Reading the lost slot: the error's code and message on each side.
  sides.both(&p.read_error_code, [&](Side& s) {
    const bool model = &s == &sides.model();
    return read_error(s,
                      model ? &p.read_error_message.model.value : &p.read_error_message.pg.value);
  });
}

Comparison compare_slots(const Workload& w, const RunTrace& t) {
  (void)w;
  Comparison c;
  c.name = "slots";
  const SlotProbe& p = t.slot;
  if (!p.ran) return c;
  auto add = [&](const std::string& what) { c.differences.push_back({c.name, t.prefix, what}); };
  const auto& sm = p.streamed.model;
  const auto& sp = p.streamed.pg;
  if (sm.error || sp.error) {
    if (sm.error != sp.error) {
      add("streaming below confirmed_flush_lsn: model " + sm.error.value_or("ok") +
          "; PostgreSQL " + sp.error.value_or("ok"));
    }
  } else {
    if (std::string d = first_stream_difference(sm.value, sp.value); !d.empty()) {
      add("streaming from below confirmed_flush_lsn after consuming " + std::to_string(p.consumed) +
          " of " + std::to_string(p.decoded) + " transactions: " + d);
    }
    const std::vector<CanonTxn>& all = t.decoded.pg.value;
    if (p.consumed <= all.size() &&
        !first_stream_difference(
             std::vector<CanonTxn>(all.begin() + static_cast<std::ptrdiff_t>(p.consumed),
                                   all.end()),
             sp.value)
             .empty()) {
      add("PostgreSQL did not start at confirmed_flush_lsn: after consuming " +
          std::to_string(p.consumed) + " transactions it streamed " +
          std::to_string(sp.value.size()) + " of " + std::to_string(all.size()));
    }
  }
  const auto& stm = p.status.model;
  const auto& stp = p.status.pg;
  if (stm.error || stp.error || stm.value != stp.value) {
    add("wal_status (before, after writing past max_slot_wal_keep_size, after CHECKPOINT): model " +
        (stm.error ? "error " + *stm.error : join(stm.value)) + "; PostgreSQL " +
        (stp.error ? "error " + *stp.error : join(stp.value)));
  }
  const auto& em = p.read_error_code.model;
  const auto& ep = p.read_error_code.pg;
  const std::string mm = p.read_error_message.model.value;
  const std::string pm = p.read_error_message.pg.value;
  if (em.error || ep.error || em.value != "slot_lost" || ep.value != "55000" ||
      mm != as_model_message(pm)) {
    add("reading the lost slot: model " + (em.error ? *em.error : em.value + " \"" + mm + "\"") +
        "; PostgreSQL " + (ep.error ? *ep.error : ep.value + " \"" + pm + "\""));
  }
  c.notes.push_back(
      "WAL volume needed to invalidate a slot is not compared (PostgreSQL: 1 MB "
      "segments; model: synthetic record sizes); PostgreSQL's \"extended\" "
      "wal_status is not modelled");
  return c;
}

}  // namespace cdc::conformance
