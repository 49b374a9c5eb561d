#include "properties/history.h"

#include <utility>

#include "model/assert.h"

namespace cdc::history {

const char* to_string(ResolvedMode m) {
  switch (m) {
    case ResolvedMode::kPrecise:
      return "Precise";
    case ResolvedMode::kNormal:
      return "Normal";
    case ResolvedMode::kWithoutPrimaryKey:
      return "Without Primary Key";
    case ResolvedMode::kOnlyChanges:
      return "Only Changes";
  }
  return "?";
}

const char* to_string(UpdateStrategy s) {
  return s == UpdateStrategy::kMerge ? "merge" : "delta";
}

const char* to_string(RowMove::Cause c) {
  switch (c) {
    case RowMove::Cause::kUpdate:
      return "UPDATE";
    case RowMove::Cause::kVacuumFull:
      return "VACUUM FULL";
    case RowMove::Cause::kTruncateRewrite:
      return "the rewrite of a TRUNCATE";
  }
  return "?";
}

void FinalState::add_owned(size_t m, DestinationRow r) {
  if (destinations.size() <= m) destinations.resize(m + 1);
  CDC_ASSERT(owned.size() < FinalRowRef::kOwned, "owned rows fit a 32-bit index");
  destinations[m].push_back(FinalRowRef{FinalRowRef::kOwned, static_cast<uint32_t>(owned.size())});
  owned.push_back(std::move(r));
}

History::~History() {
  for (CollectionTxn& t : collection_txns)
    release_rows(t.docs.begin(), t.docs.end(), [](Document& d) -> SharedRow& { return d.fields; });
  for (DestinationTxn& t : destination_txns)
    release_rows(t.upserts.begin(), t.upserts.end(),
                 [](DestinationRow& r) -> SharedRow& { return r.fields; });
}

}  // namespace cdc::history
