//! Runs a child process and measures it: wall time and peak resident memory.
//!
//! Peak memory comes from `wait4(2)`'s `ru_maxrss`, which on Linux is the
//! largest resident set of the child or of any descendant it waited for
//! (so `npx` → `node`, or a launcher script → `java`, are counted). std's
//! `Child::wait` discards the rusage, hence the one `libc` call here.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Debug)]
pub struct Measured {
    pub status: ExitStatus,
    pub wall: Duration,
    /// Peak resident set size, KiB.
    pub max_rss_kib: u64,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Measured {
    /// Peak memory in MiB, for tables.
    pub fn max_rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }
}

/// Runs `cmd` to completion with stdout and stderr captured.
pub fn run(cmd: &mut Command) -> Result<Measured, String> {
    let shown = format!("{cmd:?}");
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
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
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
        let m = run(Command::new("python3").args(["-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print(len(b))"]))
            .unwrap();
        assert!(m.status.success());
        assert_eq!(String::from_utf8_lossy(&m.stdout).trim(), (200 * 1024 * 1024).to_string());
        assert!(m.max_rss_kib > 190 * 1024, "peak {} KiB", m.max_rss_kib);
    }

    #[test]
    fn reports_failure_and_stderr() {
        let m = run(Command::new("sh").args(["-c", "echo oops >&2; exit 3"])).unwrap();
        assert_eq!(m.status.code(), Some(3));
        assert_eq!(m.stderr, b"oops\n");
    }

    #[test]
    fn median_picks_the_middle() {
        let ms = |v: &[u64]| v.iter().map(|&x| Duration::from_millis(x)).collect::<Vec<_>>();
        assert_eq!(median(ms(&[5, 1, 3])), Some(Duration::from_millis(3)));
        assert_eq!(median(ms(&[4, 1, 3, 2])), Some(Duration::from_millis(2)));
        assert_eq!(median(vec![]), None);
    }
}
