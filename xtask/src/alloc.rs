//! The process allocator: mimalloc, with its arenas committed eagerly and
//! never returned to the OS while xtask runs.
//!
//! Why (measured on GitHub's spec, `cargo xtask inspect`, this 2-core VM):
//! the Rust back end builds and drops syntax trees of tens of millions of
//! nodes. Under glibc's malloc, 30% of its CPU was malloc and free (a
//! non-main arena grows by `mprotect`, and `malloc_consolidate` walks the
//! freed trees): 5.5 s user. mimalloc takes it to 4.0 s user. Its defaults
//! then give part of the gain back to the kernel: they commit lazily and
//! purge freed memory, so pages fault in again within one run (2.2 to 2.7
//! s of system time in four runs). Eager commit and no purging fault each
//! page once; what is left is the first touch, which on this VM is slow
//! when the host has reclaimed the memory (0.1 s back to back, 1.8 s after
//! 20 s idle). xtask is a short-lived command, so holding its peak until
//! exit costs nothing.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` and `mi_option_purge_delay`, by their
/// place in mimalloc.h's `mi_option_e` (v3, the version the sys crate
/// builds by default): the sys crate names only some options.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's options; call first thing in `main`, before the
/// allocations they are for. `MIMALLOC_*` variables in the environment are
/// read before this and are overridden by it.
pub fn configure() {
    // SAFETY: `mi_option_set` writes one option slot in mimalloc's table;
    // it takes no pointers and is safe to call at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 1);
        // -1: never purge freed memory back to the OS.
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}
