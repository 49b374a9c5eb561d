// A throwaway PostgreSQL 15 cluster for conformance runs (DESIGN §12).
//
// Cluster::start() creates a temporary directory under /tmp (mode 0700,
// owned by the `postgres` OS user when this process runs as root: the server
// refuses to run as root), runs initdb there as that user and starts the
// server with:
//   - its unix socket in that directory and no TCP (listen_addresses = ''),
//   - wal_level = logical, autovacuum = off, fsync = off, 1 MB WAL segments,
//     replication slots and WAL senders, no timed checkpoints.
// With ClusterOptions::start_xid it first moves the xid counter there, the
// way DESIGN §12 describes: vacuumdb --all --freeze, stop, pg_resetwal -x X
// -u X (next and oldest xid X: everything is frozen), create the pg_xact
// segment that holds X, start again.
//
// Teardown. The destructor stops the server (pg_ctl stop -m immediate, then
// SIGKILL to the postmaster if it is still alive) and removes the directory.
// A guardian process, forked when the directory is created, does the same if
// this process dies without running the destructor (a crash, an abort, a
// SIGKILL by a test driver's timeout): it waits on a pipe that only this
// process holds open. So no server and no directory survive a test.
//
// Errors: if a step fails, start() returns an Error whose message names the
// step and ends with the tail of the step's output and of the server log; the
// partial cluster is removed before start() returns. Nothing is skipped.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace cdc::conformance {

struct ClusterOptions {
  // Directory of initdb, pg_ctl, postgres, pg_resetwal, vacuumdb. Empty: the
  // environment variable CDCSIM_PG_BIN, else /usr/lib/postgresql/15/bin.
  std::string bin_dir;
  // The OS user the server runs as when this process is root.
  std::string os_user = "postgres";
  // If set, the next xid after startup (pg_resetwal -x). REQUIRES: >= 3.
  std::optional<uint32_t> start_xid;
};

class Cluster {
 public:
  static Result<std::unique_ptr<Cluster>> start(ClusterOptions options);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // libpq connection string for database `dbname` over the private socket.
  // replication: a logical replication connection (replication=database).
  std::string conninfo(std::string_view dbname, bool replication = false) const;
  const std::string& dir() const { return dir_; }
  const std::string& bin_dir() const { return options_.bin_dir; }
  // The last `max_lines` lines of the server log.
  std::string log_tail(size_t max_lines = 20) const;
  // True while the postmaster process exists.
  bool running() const;
  // Moves the next xid (forward, in the current epoch) to `xid` the way
  // start() does: freeze everything, stop, pg_resetwal, start. REQUIRES: no
  // connections; xid ahead of the current next xid.
  Status reset_xid(uint32_t xid);

 private:
  explicit Cluster(ClusterOptions options);
  Status create_directory();
  Status run_tool(const std::string& step, std::vector<std::string> argv) const;
  Status initdb();
  Status configure() const;
  Status pg_ctl_start();
  Status move_near_wraparound(uint32_t xid);
  void stop() noexcept;
  pid_t postmaster_pid() const;
  void start_guardian();
  void release_guardian() noexcept;

  ClusterOptions options_;
  std::string dir_;
  uid_t uid_ = 0;  // the server's user (when run as root)
  gid_t gid_ = 0;
  bool as_other_user_ = false;
  int port_ = 0;
  int guardian_pipe_ = -1;  // write end; closing it without a byte triggers cleanup
  pid_t guardian_pid_ = -1;
};

}  // namespace cdc::conformance
