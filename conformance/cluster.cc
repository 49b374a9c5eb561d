#include "conformance/cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace cdc::conformance {
namespace {

constexpr size_t kPgXactSegmentBytes = 32 * 8192;    // SLRU_PAGES_PER_SEGMENT pages
constexpr uint32_t kXidsPerPgXactSegment = 1048576;  // 4 xids per byte

Error failure(const std::string& what) {
  return Error{ErrorCode::kInvalidArgument, "PostgreSQL cluster: " + what};
}

// The last `max_lines` lines of the file at `path` ("" if unreadable).
std::string file_tail(const std::string& path, size_t max_lines, std::streamoff from = 0) {
  std::ifstream in(path);
  if (!in) return "";
  in.seekg(from);
  std::vector<std::string> lines;
  std::string line;
  for (size_t guard = 0; guard < 10'000'000 && std::getline(in, line); ++guard) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const std::string& l : lines)
    out += "    " + l + "\n";
  return out;
}

// Whether process `pid` exists and is not a zombie (a postmaster whose parent
// never reaps it stays a zombie). Only async-signal-safe calls: the guardian
// uses it after fork().
bool process_alive(pid_t pid) {
  if (pid <= 0) return false;
  char path[64];
  // "/proc/<pid>/stat" built by hand (no snprintf after fork).
  const char prefix[] = "/proc/";
  size_t n = 0;
  for (const char* p = prefix; *p; ++p)
    path[n++] = *p;
  char digits[16];
  size_t d = 0;
  for (pid_t v = pid; v > 0 && d < sizeof digits; v /= 10)
    digits[d++] = static_cast<char>('0' + v % 10);
  while (d > 0)
    path[n++] = digits[--d];
  for (const char* p = "/stat"; *p; ++p)
    path[n++] = *p;
  path[n] = '\0';
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[512];
  const ssize_t got = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (got <= 0) return false;
  // "pid (comm) S ...": the state follows the last ')'.
  ssize_t close_paren = -1;
  for (ssize_t i = 0; i < got; ++i) {
    if (buf[i] == ')') close_paren = i;
  }
  if (close_paren < 0 || close_paren + 2 >= got) return true;
  const char state = buf[close_paren + 2];
  return state != 'Z' && state != 'X';
}

// The postmaster's pid from `pid_file` (first line), or -1. Async-signal-safe.
pid_t read_pid_file(const char* pid_file) {
  const int fd = open(pid_file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32];
  const ssize_t got = read(fd, buf, sizeof buf);
  close(fd);
  pid_t pid = 0;
  for (ssize_t i = 0; i < got && buf[i] >= '0' && buf[i] <= '9'; ++i)
    pid = pid * 10 + (buf[i] - '0');
  return pid > 0 ? pid : -1;
}

void sleep_ms(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// Sends SIGQUIT (immediate shutdown), then SIGKILL after ~5 s. Async-signal-safe.
void kill_postmaster(pid_t pid) {
  if (!process_alive(pid)) return;
  kill(pid, SIGQUIT);
  for (int i = 0; i < 100 && process_alive(pid); ++i)
    sleep_ms(50);
  if (process_alive(pid)) kill(pid, SIGKILL);
  for (int i = 0; i < 100 && process_alive(pid); ++i)
    sleep_ms(50);
}

// The environment for the tools: ours without PG* and locale variables.
std::vector<std::string> tool_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view v(*e);
    if (v.starts_with("PG") || v.starts_with("LC_") || v.starts_with("LANG")) continue;
    env.emplace_back(v);
  }
  env.emplace_back("LC_ALL=C");
  return env;
}

std::vector<char*> c_array(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
  // The socket lives in a private directory, so any port works; one per
  // cluster keeps the servers' System V shared memory keys apart too.
  static int counter = 0;
  port_ = 20000 + static_cast<int>(getpid() % 1000) * 16 + (counter++ % 16);
  if (options_.bin_dir.empty()) {
    const char* env = std::getenv("CDCSIM_PG_BIN");
    options_.bin_dir = env && *env ? env : "/usr/lib/postgresql/15/bin";
  }
}

Result<std::unique_ptr<Cluster>> Cluster::start(ClusterOptions options) {
  std::unique_ptr<Cluster> c(new Cluster(std::move(options)));
  if (c->options_.start_xid && *c->options_.start_xid < 3) {
    return failure("start_xid must be a normal xid (>= 3)");
  }
  if (Status s = c->create_directory(); !s.is_ok()) return s.error();
  c->start_guardian();
  if (Status s = c->initdb(); !s.is_ok()) return s.error();  // ~Cluster cleans up
  if (Status s = c->configure(); !s.is_ok()) return s.error();
  if (Status s = c->pg_ctl_start(); !s.is_ok()) return s.error();
  if (c->options_.start_xid) {
    if (Status s = c->move_near_wraparound(*c->options_.start_xid); !s.is_ok()) return s.error();
  }
  return c;
}

Cluster::~Cluster() {
  stop();
  release_guardian();
}

Status Cluster::create_directory() {
  if (geteuid() == 0) {
    const passwd* pw = getpwnam(options_.os_user.c_str());
    if (!pw) {
      return failure("running as root, but there is no OS user \"" + options_.os_user +
                     "\" to run the server as");
    }
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
    as_other_user_ = true;
  }
  for (const char* tool : {"initdb", "pg_ctl", "postgres", "pg_resetwal", "vacuumdb"}) {
    const std::string path = options_.bin_dir + "/" + tool;
    if (access(path.c_str(), X_OK) != 0) {
      return failure("no executable " + path +
                     " (set CDCSIM_PG_BIN to the server's bin directory)");
    }
  }
  std::string pattern = "/tmp/cdcsim-pg-XXXXXX";
  if (!mkdtemp(pattern.data())) return failure("mkdtemp: " + std::string(std::strerror(errno)));
  dir_ = pattern;
  if (as_other_user_ && chown(dir_.c_str(), uid_, gid_) != 0) {
    return failure("chown " + dir_ + ": " + std::strerror(errno));
  }
  return Status::ok();
}

// Runs argv (argv[0] a path) as the server's user, in dir_, with stdout and
// stderr appended to dir_/tools.log. On failure the Error carries the output.
Status Cluster::run_tool(const std::string& step, std::vector<std::string> argv) const {
  CDC_ASSERT(!argv.empty() && !dir_.empty(), "run_tool needs a command and a directory");
  const std::string log = dir_ + "/tools.log";
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return failure(step + ": cannot open " + log);
  const off_t log_start = lseek(log_fd, 0, SEEK_END);
  std::vector<std::string> env = tool_environment();
  std::vector<char*> c_argv = c_array(argv);
  std::vector<char*> c_env = c_array(env);
  const pid_t child = fork();
  if (child < 0) {
    close(log_fd);
    return failure(step + ": fork: " + std::strerror(errno));
  }
  if (child == 0) {
    // Only async-signal-safe calls until execve.
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    if (as_other_user_) {
      if (setgroups(1, &gid_) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0) _exit(126);
    }
    if (chdir(dir_.c_str()) != 0) _exit(126);
    execve(c_argv[0], c_argv.data(), c_env.data());
    _exit(127);
  }
  close(log_fd);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::ok();
  std::string how = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status));
  return failure(step + " failed (" + how + "): " + argv[0] + "\n  output:\n" +
                 file_tail(log, 15, log_start) + "  server log:\n" + log_tail(15));
}

Status Cluster::initdb() {
  return run_tool("initdb", {options_.bin_dir + "/initdb", "-D", dir_ + "/data", "-U", "postgres",
                             "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
                             "--wal-segsize=1", "--no-instructions"});
}

Status Cluster::configure() const {
  const std::string conf = dir_ + "/data/postgresql.conf";
  std::ofstream out(conf, std::ios::app);
  if (!out) return failure("cannot append to " + conf);
  out << "\n# cdcsim conformance\n"
      << "listen_addresses = ''\n"
      << "unix_socket_directories = '" << dir_ << "'\n"
      << "port = " << port_ << "\n"
      << "wal_level = logical\n"
      << "autovacuum = off\n"
      << "fsync = off\n"
      << "full_page_writes = off\n"
      << "max_replication_slots = 16\n"
      << "max_wal_senders = 16\n"
      << "max_connections = 40\n"
      << "shared_buffers = 16MB\n"
      << "checkpoint_timeout = 1h\n"
      << "max_wal_size = 1GB\n"
      << "wal_sender_timeout = 0\n"
      << "logging_collector = off\n";
  out.close();
  if (!out) return failure("cannot write " + conf);
  return Status::ok();
}

Status Cluster::pg_ctl_start() {
  return run_tool("pg_ctl start", {options_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-l",
                                   dir_ + "/server.log", "-w", "-t", "60", "start"});
}

Status Cluster::move_near_wraparound(uint32_t xid) {
  // Freeze everything first: otherwise every catalogue row would lie "in the
  // future" after the jump and the databases would look empty.
  if (Status s = run_tool("vacuumdb --all --freeze",
                          {options_.bin_dir + "/vacuumdb", "-h", dir_, "-p", std::to_string(port_),
                           "-U", "postgres", "--all", "--freeze", "-q"});
      !s.is_ok()) {
    return s;
  }
  if (Status s = run_tool("pg_ctl stop", {options_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-m",
                                          "fast", "-w", "-t", "60", "stop"});
      !s.is_ok()) {
    return s;
  }
  // -u: the oldest xid is the new next xid (everything is frozen). Left to
  // its default (X - 2,000,000,000), PostgreSQL 15.18 logical decoding fails
  // after a VACUUM FULL or TRUNCATE once X > 2^31 ("could not open relation
  // with OID ..."): an artifact of the reset, not what a cluster that got
  // there by itself (and vacuumed on the way) does.
  if (Status s = run_tool("pg_resetwal -x -u",
                          {options_.bin_dir + "/pg_resetwal", "-x", std::to_string(xid), "-u",
                           std::to_string(xid), "-D", dir_ + "/data"});
      !s.is_ok()) {
    return s;
  }
  // pg_resetwal does not create the commit-log segment that holds the new
  // next xid; the server needs it (PostgreSQL documentation of pg_resetwal -x).
  char name[16];
  std::snprintf(name, sizeof name, "%04X", xid / kXidsPerPgXactSegment);
  const std::string segment = dir_ + "/data/pg_xact/" + name;
  if (!std::filesystem::exists(segment)) {
    std::ofstream seg(segment, std::ios::binary);
    const std::string zeros(kPgXactSegmentBytes, '\0');
    seg.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    seg.close();
    if (!seg) return failure("cannot create " + segment);
    if (as_other_user_ && chown(segment.c_str(), uid_, gid_) != 0) {
      return failure("chown " + segment + ": " + std::strerror(errno));
    }
    chmod(segment.c_str(), 0600);
  }
  return pg_ctl_start();
}

std::string Cluster::conninfo(std::string_view dbname, bool replication) const {
  std::string s = "host=" + dir_ + " port=" + std::to_string(port_) +
                  " user=postgres dbname=" + std::string(dbname) + " connect_timeout=10";
  if (replication) s += " replication=database";
  return s;
}

std::string Cluster::log_tail(size_t max_lines) const {
  return file_tail(dir_ + "/server.log", max_lines);
}

pid_t Cluster::postmaster_pid() const {
  if (dir_.empty()) return -1;
  const std::string pid_file = dir_ + "/data/postmaster.pid";
  return read_pid_file(pid_file.c_str());
}

Status Cluster::reset_xid(uint32_t xid) {
  return move_near_wraparound(xid);
}

bool Cluster::running() const {
  return process_alive(postmaster_pid());
}

void Cluster::stop() noexcept {
  if (dir_.empty()) return;
  const pid_t pid = postmaster_pid();
  if (process_alive(pid)) {
    (void)run_tool("pg_ctl stop", {options_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-m",
                                   "immediate", "-w", "-t", "30", "stop"});
    kill_postmaster(pid);  // if pg_ctl could not
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

void Cluster::start_guardian() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;  // no guardian: the destructor still cleans up
  // Everything the child needs is prepared before fork(): it may only make
  // async-signal-safe calls.
  std::string pid_file = dir_ + "/data/postmaster.pid";
  std::vector<std::string> rm = {"/bin/rm", "-rf", dir_};
  std::vector<char*> rm_argv = c_array(rm);
  char* no_env[] = {nullptr};
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (child == 0) {
    setsid();  // out of the test's process group: a signal to the group spares it
    close(fds[1]);
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, 0);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
    }
    char byte = 0;
    ssize_t n = 0;
    do {
      n = read(fds[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1) _exit(0);  // released: the owner cleaned up itself
    kill_postmaster(read_pid_file(pid_file.c_str()));
    execve(rm_argv[0], rm_argv.data(), no_env);
    _exit(1);
  }
  close(fds[0]);
  guardian_pipe_ = fds[1];
  guardian_pid_ = child;
}

void Cluster::release_guardian() noexcept {
  if (guardian_pipe_ < 0) return;
  const char byte = 1;
  (void)!write(guardian_pipe_, &byte, 1);
  close(guardian_pipe_);
  guardian_pipe_ = -1;
  int status = 0;
  while (waitpid(guardian_pid_, &status, 0) < 0 && errno == EINTR) {
  }
  guardian_pid_ = -1;
}

}  // namespace cdc::conformance
