// Memory freed at the end of a large run, given back to the system at once.
//
// The default allocator (mimalloc 2.0; CMakeLists.txt: CDCSIM_ALLOCATOR)
// keeps a freed span of one of its segments committed for a short delay, so
// that memory freed and soon taken again costs no fresh page faults. Its
// forced collection (mi_collect) does not give such spans back: they go only
// when later frees in the same segment find their delay past. A large world
// torn down at the end of its run leaves hundreds of megabytes of them
// resident, and the checkers that run next allocate beside them, above them
// where they need blocks of another shape. At 1M rows, bulk, the process
// held 543 MiB committed for 365 MB in use once the world was gone, and the
// checkers' phase rose 20 to 40 bytes per row above the run's own peak.
//
// While a PromptRelease lives, frees give their spans back at once (the
// delay is zero); when it ends the delay is restored. Scopes may nest and
// may live on several threads at once (a campaign runs worlds side by
// side): the first to open sets the delay, the last to close restores it.
// Giving memory back at once costs a system call per span freed, so a world
// opens a scope only when it is large (World::run; small worlds free and
// take again too often for it to pay).
//
// Only memory figures depend on it: nothing the program computes or prints
// does. Under the system allocator (the sanitizer builds) it does nothing.
#pragma once

namespace cdc::sim {

class PromptRelease {
 public:
  PromptRelease();
  ~PromptRelease();
  PromptRelease(const PromptRelease&) = delete;
  PromptRelease& operator=(const PromptRelease&) = delete;

  // Scopes open now, in every thread (for tests).
  static int open_scopes();
};

}  // namespace cdc::sim
