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

/// Heap bytes a generation touches per byte of spec. Peaks over spec sizes
/// (`xtask gen`, no prefault): with Rust, 56 for GitHub (JSON, all three
/// languages: 695 MiB for 13 MB), 98 to 203 for Asana, Box, Plaid, OpenAI,
/// Oxide and Stripe; TypeScript or Python alone, 20 (GitHub). The Rust
/// figure is set a little over GitHub's: the pages used spread over more
/// of the arena than the peak, and GitHub in three languages, cold, took
/// 3.43 to 3.47 s with 50 (three runs) and 3.14 to 3.26 s with 60.
const BYTES_PER_SPEC_BYTE: usize = 60;
const BYTES_PER_SPEC_BYTE_WITHOUT_RUST: usize = 18;

/// How much of the heap [`prefault`] should fault in for a spec of
/// `spec_bytes`: about what the run touches on the leanest spec measured,
/// less on the others (their Rust output is larger for their size).
fn prefault_budget(spec_bytes: u64, rust: bool) -> usize {
    let per = if rust { BYTES_PER_SPEC_BYTE } else { BYTES_PER_SPEC_BYTE_WITHOUT_RUST };
    usize::try_from(spec_bytes).unwrap_or(usize::MAX).saturating_mul(per)
}

/// [`prefault`] for generating the spec at `path` (with Rust or not); nothing
/// when its size cannot be read (the read that follows reports why).
pub fn prefault_for_spec(path: &std::path::Path, rust: bool) {
    if let Ok(meta) = std::fs::metadata(path) {
        prefault(prefault_budget(meta.len(), rust));
    }
}

/// Faults in up to `bytes` of the heap ahead of its use, on a thread of
/// its own, so the generator's threads find them mapped.
///
/// Why: on a VM whose host has reclaimed the guest's free memory, the first
/// touch of each page is slow; GitHub's spec in three languages spends
/// 1.8 s of system time faulting 800 MiB in (1.6 s to fault in 743 MiB on
/// one thread; 0.1 s when the pages are warm), on the generator's threads.
/// Four runs after 22 s idle, alternating without and with this thread:
/// 4.31/3.34, 4.19/3.28, 4.50/3.44, 3.99/3.85 s; the peak grows by 20 to
/// 80 MiB (pages faulted in that the run's spread left unused).
///
/// How: mimalloc hands out its first arena from the start, so the pages
/// from a fresh allocation onward are the ones the run will touch. The
/// thread asks the kernel to map them writable (`MADV_POPULATE_WRITE`,
/// Linux 5.14), which never changes their contents: safe while other
/// threads already use them. It stops at the end of the arena's mapping,
/// or at the first refusal (an older kernel: then it does nothing).
/// Elsewhere than Linux, nothing.
fn prefault(bytes: usize) {
    #[cfg(target_os = "linux")]
    if let Some((start, end)) = heap_range() {
        let end = end.min(start.saturating_add(bytes));
        let _ = std::thread::Builder::new().name("prefault".into()).spawn(move || populate(start, end));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

/// `MADV_POPULATE_WRITE` from linux/mman.h; the libc crate does not name it
/// on every target.
#[cfg(target_os = "linux")]
const MADV_POPULATE_WRITE: libc::c_int = 23;

/// Huge-page steps: mimalloc's arenas get transparent huge pages.
#[cfg(target_os = "linux")]
const STEP: usize = 2 << 20;

/// From a fresh allocation (rounded down to a [`STEP`], within its
/// mapping) to the end of the anonymous mapping that holds it.
#[cfg(target_os = "linux")]
fn heap_range() -> Option<(usize, usize)> {
    let probe = Box::new(0u64);
    let at = std::ptr::from_ref::<u64>(&probe) as usize;
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let (start, end) = mapping_of(&maps, at)?;
    Some(((at & !(STEP - 1)).max(start), end))
}

/// The anonymous, writable mapping of `maps` (`/proc/self/maps` text) that
/// holds `at`.
#[cfg(target_os = "linux")]
fn mapping_of(maps: &str, at: usize) -> Option<(usize, usize)> {
    maps.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let (start, end) = (usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?);
        let writable = fields.next()?.starts_with("rw");
        // offset, device, inode; a path would mean a file or a named region.
        let anonymous = fields.nth(3).is_none();
        (start <= at && at < end && writable && anonymous).then_some((start, end))
    })
}

#[cfg(target_os = "linux")]
fn populate(start: usize, end: usize) {
    let mut at = start;
    while at < end {
        let len = STEP.min(end - at);
        // SAFETY: the range lies inside one mapping of this process (read
        // from /proc/self/maps, which mimalloc never unmaps: its arenas live
        // until exit); POPULATE_WRITE only maps pages, never writes them.
        if unsafe { libc::madvise(at as *mut libc::c_void, len, MADV_POPULATE_WRITE) } != 0 {
            return;
        }
        at += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_mapping_is_the_anonymous_writable_one_holding_the_address() {
        let maps = "\
55d0c0000000-55d0c0100000 r-xp 00000000 fd:01 1234    /usr/bin/xtask
7f0000000000-7f0040000000 rw-p 00000000 00:00 0 
7f0040000000-7f0040200000 rw-p 00000000 00:00 0       [stack]
7f0050000000-7f0050100000 rw-p 00001000 fd:01 99      /lib/libc.so.6
";
        assert_eq!(mapping_of(maps, 0x7f0000001000), Some((0x7f0000000000, 0x7f0040000000)));
        assert_eq!(mapping_of(maps, 0x7f0040000000), None, "a named region");
        assert_eq!(mapping_of(maps, 0x55d0c0000010), None, "not writable");
        assert_eq!(mapping_of(maps, 0x7f0050000010), None, "a file");
        assert_eq!(mapping_of(maps, 0x10), None);
    }

    #[test]
    fn the_budget_follows_the_spec_and_the_languages() {
        assert_eq!(prefault_budget(13_000_000, true), 780_000_000);
        assert_eq!(prefault_budget(13_000_000, false), 234_000_000);
        assert_eq!(prefault_budget(u64::MAX, true), usize::MAX);
    }

    /// Resident pages of this process, from /proc/self/statm.
    #[cfg(target_os = "linux")]
    fn resident_bytes() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").expect("statm");
        statm.split(' ').nth(1).and_then(|v| v.parse::<usize>().ok()).expect("resident") * 4096
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn populating_maps_the_pages_and_keeps_their_contents() {
        const LEN: usize = 64 << 20;
        // SAFETY: a fresh private anonymous mapping, unmapped below.
        let p = unsafe { libc::mmap(std::ptr::null_mut(), LEN, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
        assert_ne!(p, libc::MAP_FAILED);
        let start = p as usize;
        // SAFETY: inside the mapping.
        unsafe { (p as *mut u8).add(STEP + 7).write(42) };
        let before = resident_bytes();
        populate(start, start + LEN);
        let after = resident_bytes();
        // SAFETY: inside the mapping.
        let kept = unsafe { (p as *const u8).add(STEP + 7).read() };
        // SAFETY: the mapping made above.
        unsafe { libc::munmap(p, LEN) };
        assert_eq!(kept, 42, "populating never writes");
        assert!(after >= before + LEN / 2, "64 MiB mapped: {before} → {after} bytes resident");
    }
}
