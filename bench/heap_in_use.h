// Heap bytes the program holds (allocated and not yet freed), read from the
// allocator the benchmark runs on, so memory figures mean the same whichever
// allocator the build links (CMakeLists.txt: CDCSIM_ALLOCATOR).
//
//   glibc malloc: mallinfo2's bytes in use, in the arena (uordblks) and in
//                 blocks mapped on their own (hblkhd: large vectors and
//                 strings, such as a table's row arena);
//   mimalloc:     the used blocks of the calling thread's default heap, summed
//                 per page (the benchmarks allocate on one thread).
//
// Both count whole blocks as the allocator hands them out, headers and size
// classes included, not the bytes the program asked for.
#pragma once

#include <malloc.h>

#include <cstddef>
#include <memory>
#include <string_view>

#ifdef CDCSIM_MIMALLOC
#include <mimalloc.h>
#endif

namespace cdc::bench {

// The allocator that serves operator new in this process.
inline const char* allocator_name() {
#ifdef CDCSIM_MIMALLOC
  const auto probe = std::make_unique<char[]>(64);
  if (mi_is_in_heap_region(probe.get())) return "mimalloc";
#endif
  return "glibc";
}

inline size_t heap_in_use_bytes() {
#ifdef CDCSIM_MIMALLOC
  size_t used = 0;
  if (std::string_view(allocator_name()) == "mimalloc") {
    mi_heap_visit_blocks(
        mi_heap_get_default(), /*visit_all_blocks=*/false,
        [](const mi_heap_t*, const mi_heap_area_t* area, void* block, size_t, void* arg) {
          if (block == nullptr) *static_cast<size_t*>(arg) += area->used * area->block_size;
          return true;
        },
        &used);
    return used;
  }
#endif
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// Gives the memory the allocator keeps free back to the kernel, so that a
// resident-set figure taken next starts from what the program holds.
inline void release_free_memory() {
#ifdef CDCSIM_MIMALLOC
  if (std::string_view(allocator_name()) == "mimalloc") {
    mi_collect(/*force=*/true);
    return;
  }
#endif
  malloc_trim(0);
}

}  // namespace cdc::bench
