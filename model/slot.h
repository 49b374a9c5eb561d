// A logical replication slot, as pg_replication_slots shows it.
#pragma once

#include <cstdint>
#include <string>

#include "model/types.h"

namespace cdc {

// reserved: the slot's WAL is within max_slot_wal_keep_size;
// unreserved: it is not, and the next checkpoint will invalidate the slot;
// lost: invalidated; the slot can never be read again.
enum class SlotWalStatus : uint8_t { kReserved, kUnreserved, kLost };

const char* to_string(SlotWalStatus s);

struct SlotInfo {
  std::string name;
  Lsn restart_lsn;          // oldest WAL the slot still needs
  Lsn confirmed_flush_lsn;  // the consumer has everything committed before this
  SlotWalStatus wal_status = SlotWalStatus::kReserved;
  uint64_t generation = 0;  // distinguishes a recreated slot of the same name
};

}  // namespace cdc
