#include "conformance/cluster.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "conformance/pg_session.h"

namespace cdc::conformance {
namespace {

// The postmaster's pid, from the data directory.
pid_t postmaster_pid(const std::string& dir) {
  std::ifstream in(dir + "/data/postmaster.pid");
  long pid = -1;
  in >> pid;
  return static_cast<pid_t>(pid);
}

bool alive(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ||
         (line[paren + 2] != 'Z' && line[paren + 2] != 'X');
}

void sleep_ms(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, nullptr);
}

std::string setting(PgSession& s, const std::string& name) {
  Result<std::string> v = s.scalar("SELECT current_setting($1)", {name});
  return v.is_ok() ? v.value() : "error: " + v.error().message;
}

TEST(ClusterTest, ServerRunsWithTheConformanceSettings) {
  auto cluster = Cluster::start({});
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
  auto session = PgSession::connect(cluster.value()->conninfo("postgres"));
  ASSERT_TRUE(session.is_ok()) << session.error().message;
  PgSession& s = *session.value();
  EXPECT_EQ(setting(s, "server_version_num").substr(0, 2), "15");
  EXPECT_EQ(setting(s, "wal_level"), "logical");
  EXPECT_EQ(setting(s, "autovacuum"), "off");
  EXPECT_EQ(setting(s, "fsync"), "off");
  EXPECT_EQ(setting(s, "listen_addresses"), "");
  EXPECT_EQ(setting(s, "unix_socket_directories"), cluster.value()->dir());
  // The ICU collation and the output plugin the comparisons use.
  Result<std::string> icu =
      s.scalar("SELECT count(*)::text FROM pg_collation WHERE collname = 'und-x-icu'");
  ASSERT_TRUE(icu.is_ok()) << icu.error().message;
  EXPECT_EQ(icu.value(), "1");
  EXPECT_TRUE(
      s.exec("SELECT pg_create_logical_replication_slot('probe', 'test_decoding')").is_ok());
  EXPECT_TRUE(s.exec("SELECT pg_drop_replication_slot('probe')").is_ok());
}

TEST(ClusterTest, ErrorsCarryTheirSqlstate) {
  auto cluster = Cluster::start({});
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
  auto session = PgSession::connect(cluster.value()->conninfo("postgres"));
  ASSERT_TRUE(session.is_ok()) << session.error().message;
  PgSession& s = *session.value();
  ASSERT_TRUE(s.exec("CREATE TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1)").is_ok());
  Status dup = s.exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(dup.is_ok());
  EXPECT_EQ(sqlstate(dup.error()), "23505");
  EXPECT_EQ(dup.code(), ErrorCode::kUniqueViolation);
  EXPECT_NE(dup.message().find("duplicate key value"), std::string::npos) << dup.message();
  Result<PgRows> rows = s.query("UPDATE t SET k = $1::int WHERE k = 1", {"2"});
  ASSERT_TRUE(rows.is_ok()) << rows.error().message;
  EXPECT_EQ(rows.value().affected, 1u);
}

TEST(ClusterTest, TeardownStopsTheServerAndRemovesItsDirectory) {
  std::string dir;
  pid_t pid = -1;
  {
    auto cluster = Cluster::start({});
    ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
    dir = cluster.value()->dir();
    pid = postmaster_pid(dir);
    ASSERT_TRUE(alive(pid));
    EXPECT_TRUE(cluster.value()->running());
  }
  EXPECT_FALSE(alive(pid));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// A test process that dies without unwinding (a crash, a SIGKILL from a
// timeout) leaves the cleanup to the guardian.
TEST(ClusterTest, GuardianCleansUpWhenTheOwnerDies) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto cluster = Cluster::start({});
    std::string msg = cluster.is_ok() ? cluster.value()->dir() : "";
    (void)!write(fds[1], msg.data(), msg.size());
    close(fds[1]);
    _exit(cluster.is_ok() ? 0 : 1);  // no destructors: as if killed
  }
  close(fds[1]);
  std::string dir;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    dir.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child could not start a cluster";
  ASSERT_FALSE(dir.empty());
  for (int i = 0; i < 300 && std::filesystem::exists(dir); ++i)
    sleep_ms(50);
  EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
}

TEST(ClusterTest, StartFailureSaysWhy) {
  ClusterOptions o;
  o.bin_dir = "/nonexistent/postgresql/bin";
  auto cluster = Cluster::start(o);
  ASSERT_FALSE(cluster.is_ok());
  EXPECT_NE(cluster.error().message.find("/nonexistent/postgresql/bin/initdb"), std::string::npos)
      << cluster.error().message;
}

TEST(ClusterTest, StartsNearWraparoundAndCrossesIt) {
  ClusterOptions o;
  o.start_xid = 0xffffffffu - 50;
  auto cluster = Cluster::start(o);
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
  auto session = PgSession::connect(cluster.value()->conninfo("postgres"));
  ASSERT_TRUE(session.is_ok()) << session.error().message;
  PgSession& s = *session.value();
  Result<std::string> first = s.scalar("SELECT txid_current()::text");
  ASSERT_TRUE(first.is_ok()) << first.error().message;
  EXPECT_EQ(std::strtoull(first.value().c_str(), nullptr, 10), o.start_xid.value());
  ASSERT_TRUE(s.exec("CREATE TABLE w (k int)").is_ok());
  for (int i = 0; i < 60; ++i)
    ASSERT_TRUE(s.exec("INSERT INTO w VALUES (" + std::to_string(i) + ")").is_ok());
  // Rows on both sides of the wrap stay visible; the epoch advanced.
  Result<std::string> rows = s.scalar("SELECT count(*)::text FROM w");
  ASSERT_TRUE(rows.is_ok()) << rows.error().message;
  EXPECT_EQ(rows.value(), "60");
  Result<std::string> wrapped = s.scalar("SELECT min(xmin::text::bigint)::text FROM w");
  ASSERT_TRUE(wrapped.is_ok());
  EXPECT_LT(std::strtoull(wrapped.value().c_str(), nullptr, 10), 100u);
  Result<std::string> epoch = s.scalar("SELECT (txid_current() >> 32)::text");
  ASSERT_TRUE(epoch.is_ok());
  EXPECT_EQ(epoch.value(), "1");
}

}  // namespace
}  // namespace cdc::conformance
