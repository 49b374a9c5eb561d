// Decoded changes in one canonical text form, from either side:
//   - the model's DecodedChange (canon_change), and
//   - the lines test_decoding produces (parse_test_decoding), e.g.
//       BEGIN 745
//       table public.accounts: UPDATE: old-key: id[bigint]:2 new-tuple:
//         id[bigint]:4 balance[bigint]:8 note[text]:unchanged-toast-datum
//       table public.events: DELETE: (no-tuple-data)
//       table public.events, public.tags: TRUNCATE: (no-flags)
//       COMMIT 745
//
// The canonical form names the operation, the table, the old tuple's columns
// (the key under REPLICA IDENTITY DEFAULT, the whole row under FULL, none for
// a keyless DEFAULT table) and the new tuple's columns, each in column order,
// with an unchanged TOASTed column shown as <unchanged-toast>:
//   UPDATE accounts old(id=2) new(id=4 balance=8 note=<unchanged-toast>)
//   DELETE events (no old tuple)
//   TRUNCATE events
// LSNs are not part of it (the model's WAL record sizes are synthetic).
#pragma once

#include <string>
#include <vector>

#include "conformance/side.h"
#include "model/decoding.h"
#include "model/schema.h"

namespace cdc::conformance {

// REQUIRES: every table the change names is schemas[table id].
std::string canon_change(const std::vector<TableSchema>& schemas, const DecodedChange& c);

// Parses test_decoding output (include-xids on) into transactions. Lines
// outside BEGIN ... COMMIT, unknown tables and malformed tuples are errors.
Result<std::vector<CanonTxn>> parse_test_decoding(const std::vector<std::string>& lines,
                                                  const std::vector<TableSchema>& schemas);

}  // namespace cdc::conformance
