//! Runs a child process and measures it: wall time and peak resident memory.
//!
//! Peak memory comes from `wait4(2)`'s `ru_maxrss`, which on Linux is the
//! largest resident set of the child or of any descendant it waited for
//! (so `npx` → `node`, or a launcher script → `java`, are counted). std's
//! `Child::wait` discards the rusage, hence the `libc` calls here.
//!
//! `run_with_timeout` starts the child in a process group of its own and
//! kills the whole group when the time is up (a launcher's `java` too).
//!
//! `ru_maxrss` is one process's peak: for a build, where cargo runs several
//! rustc at once (a sharded crate's shards side by side), the memory the
//! machine needs is their sum. `run_summing_group` samples it: every
//! [`SAMPLE_EVERY`] it adds up the resident sets of every process in the
//! child's process group, read from `/proc/<pid>/stat`.

use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Debug)]
pub struct Measured {
    pub status: ExitStatus,
    pub wall: Duration,
    /// Peak resident set size, KiB.
    pub max_rss_kib: u64,
    /// CPU time in the kernel (`wait4`'s rusage, waited-for descendants
    /// included).
    pub sys: Duration,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The time limit ran out and the child's process group was killed.
    pub timed_out: bool,
    /// Peak of the summed resident sets of the child's process group, KiB,
    /// as sampled (`run_summing_group` only).
    pub group_peak_kib: Option<u64>,
}

impl Measured {
    /// Peak memory in MiB, for tables.
    pub fn max_rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }
}

/// Runs `cmd` to completion with stdout and stderr captured.
pub fn run(cmd: &mut Command) -> Result<Measured, String> {
    run_with_timeout(cmd, None)
}

/// How often `run_summing_group` samples: a rustc of a second or more is
/// seen many times at its peak plateau.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// Like `run`, and samples the summed resident memory of the child and
/// everything it starts (its process group) into `group_peak_kib`.
pub fn run_summing_group(cmd: &mut Command) -> Result<Measured, String> {
    cmd.process_group(0);
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let pgid = Arc::new(Mutex::new(None::<libc::pid_t>));
    let shared = Arc::clone(&pgid);
    let sampler = std::thread::spawn(move || {
        let mut peak = 0u64;
        loop {
            if let Some(g) = shared.lock().ok().and_then(|g| *g) {
                peak = peak.max(group_rss_kib(g));
            }
            if stopped.recv_timeout(SAMPLE_EVERY).is_ok() {
                return peak;
            }
        }
    });
    let measured = run_observed(cmd, None, &|pid| {
        if let Ok(mut g) = pgid.lock() {
            *g = Some(pid);
        }
    });
    let _ = stop.send(());
    let peak = sampler.join().unwrap_or(0);
    measured.map(|m| Measured { group_peak_kib: Some(peak.max(m.max_rss_kib)), ..m })
}

/// The summed resident sets of the processes in group `pgid`, KiB.
fn group_rss_kib(pgid: libc::pid_t) -> u64 {
    // SAFETY: sysconf takes no pointers.
    let page_kib = (unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).max(4096) as u64 / 1024;
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0 };
    let mut pages = 0u64;
    for entry in dir.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        // A process may be gone between the listing and the read.
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        if let Some((group, rss)) = stat_group_and_rss(&stat)
            && group == pgid
        {
            pages += rss;
        }
    }
    pages * page_kib
}

/// The process group (field 5) and resident pages (field 24) of a
/// `/proc/<pid>/stat` line; the command name (field 2) may hold spaces and
/// parentheses, so fields are counted after its last `)`.
fn stat_group_and_rss(stat: &str) -> Option<(libc::pid_t, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some((fields.get(2)?.parse().ok()?, fields.get(21)?.parse().ok()?))
}

/// Like `run`, but with a time limit: past it the child's process group
/// (the child and everything it started) is killed and the result says
/// `timed_out`.
pub fn run_with_timeout(cmd: &mut Command, limit: Option<Duration>) -> Result<Measured, String> {
    run_observed(cmd, limit, &|_| {})
}

/// `run_with_timeout`, telling `started` the child's pid once it runs.
fn run_observed(cmd: &mut Command, limit: Option<Duration>, started: &dyn Fn(libc::pid_t)) -> Result<Measured, String> {
    let shown = format!("{cmd:?}");
    if limit.is_some() {
        cmd.process_group(0);
    }
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let pid = child.id() as libc::pid_t;
    started(pid);
    let watchdog = limit.map(|limit| Watchdog::start(pid, limit));
    if watchdog.is_some() {
        // Wait for the exit but leave the zombie, so the pid (and the group
        // id) cannot be reused while the watchdog may still signal it.
        wait_exited_keep_zombie(pid).map_err(|e| format!("waitid on {shown}: {e}"))?;
    }
    let timed_out = watchdog.is_some_and(Watchdog::finish);
    let mut raw_status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own un-reaped child; both pointers are valid
        // for the duration of the call.
        let r = unsafe { libc::wait4(pid, &mut raw_status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4 on {shown}: {e}"));
        }
    }
    let wall = start.elapsed();
    // The child is reaped; `child` must not be waited on again (dropping it does not wait).
    drop(child);
    use std::os::unix::process::ExitStatusExt as _;
    Ok(Measured {
        status: ExitStatus::from_raw(raw_status),
        wall,
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
        sys: timeval(usage.ru_stime),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        timed_out,
        group_peak_kib: None,
    })
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

/// Blocks until `pid` has exited, without reaping it (`WNOWAIT`).
fn wait_exited_keep_zombie(pid: libc::pid_t) -> std::io::Result<()> {
    loop {
        // SAFETY: an all-zero siginfo_t is a valid value of this plain C struct.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own un-reaped child; `info` is valid for the call.
        let r = unsafe { libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if r == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Kills a process group once its time is up, unless told first that the
/// leader has exited.
struct Watchdog {
    /// (exited, killed), under one lock so a kill never races the reaping.
    state: Arc<Mutex<(bool, bool)>>,
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Watchdog {
    fn start(pgid: libc::pid_t, limit: Duration) -> Watchdog {
        let state = Arc::new(Mutex::new((false, false)));
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let shared = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            if stopped.recv_timeout(limit).is_ok() {
                return;
            }
            let Ok(mut s) = shared.lock() else { return };
            if !s.0 {
                // SAFETY: plain syscall; the leader is at worst an unreaped
                // zombie, so the group id is still ours.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                s.1 = true;
            }
        });
        Watchdog { state, stop, thread }
    }

    /// The leader has exited (not yet reaped): stops the watchdog and says
    /// whether it had killed the group.
    fn finish(self) -> bool {
        let killed = match self.state.lock() {
            Ok(mut s) => {
                s.0 = true;
                s.1
            }
            Err(_) => false,
        };
        let _ = self.stop.send(());
        let _ = self.thread.join();
        killed
    }
}

/// Median of a non-empty list of durations (the lower middle for even lengths).
pub fn median(mut xs: Vec<Duration>) -> Option<Duration> {
    xs.sort();
    xs.get(xs.len().saturating_sub(1) / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_child_that_allocates() {
        // python allocates ~200 MiB and holds it; the peak must show it.
        let m = run(Command::new("python3").args([
            "-c",
            "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print(len(b))",
        ]))
        .unwrap();
        assert!(m.status.success());
        assert_eq!(
            String::from_utf8_lossy(&m.stdout).trim(),
            (200 * 1024 * 1024).to_string()
        );
        assert!(m.max_rss_kib > 190 * 1024, "peak {} KiB", m.max_rss_kib);
    }

    #[test]
    fn reports_failure_and_stderr() {
        let m = run(Command::new("sh").args(["-c", "echo oops >&2; exit 3"])).unwrap();
        assert_eq!(m.status.code(), Some(3));
        assert_eq!(m.stderr, b"oops\n");
    }

    #[test]
    fn a_timeout_kills_the_whole_group() {
        // The shell's own child (sleep) must die too, or the pipes would stay
        // open and the drain threads would wait for it.
        let m = run_with_timeout(
            Command::new("sh").args(["-c", "sleep 30; echo late"]),
            Some(Duration::from_millis(300)),
        )
        .unwrap();
        assert!(m.timed_out);
        assert!(!m.status.success());
        assert!(m.wall < Duration::from_secs(10), "took {:?}", m.wall);
        assert!(m.stdout.is_empty());
    }

    #[test]
    fn a_child_within_its_limit_is_not_timed_out() {
        let m = run_with_timeout(
            Command::new("sh").args(["-c", "echo hi"]),
            Some(Duration::from_secs(30)),
        )
        .unwrap();
        assert!(!m.timed_out);
        assert!(m.status.success());
        assert_eq!(m.stdout, b"hi\n");
    }

    #[test]
    fn sums_a_group_of_processes() {
        // Two children at once, each holding 64 MiB: the group's sum counts
        // both.
        let hold = "import time; b = b'x' * (64 << 20); time.sleep(1.5)";
        let script = format!("python3 -c \"{hold}\" & python3 -c \"{hold}\" & wait");
        let m = run_summing_group(Command::new("sh").args(["-c", &script])).expect("runs");
        assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
        let group = m.group_peak_kib.expect("sampled");
        // Each holds about 77 MiB (64 MiB and the interpreter): one alone
        // cannot make 130.
        assert!(m.max_rss_kib > 60 << 10, "largest process {} KiB", m.max_rss_kib);
        assert!(group > 130 << 10, "summed {group} KiB, largest {} KiB", m.max_rss_kib);
    }

    #[test]
    fn reads_group_and_rss_past_the_command_name() {
        let stat = "42 (a b) c)) S 1 7 7 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 500 1000000 321 18446744073709551615";
        assert_eq!(super::stat_group_and_rss(stat), Some((7, 321)));
        assert_eq!(super::stat_group_and_rss("garbage"), None);
    }

    #[test]
    fn median_picks_the_middle() {
        let ms = |v: &[u64]| v.iter().map(|&x| Duration::from_millis(x)).collect::<Vec<_>>();
        assert_eq!(median(ms(&[5, 1, 3])), Some(Duration::from_millis(3)));
        assert_eq!(median(ms(&[4, 1, 3, 2])), Some(Duration::from_millis(2)));
        assert_eq!(median(vec![]), None);
    }
}
