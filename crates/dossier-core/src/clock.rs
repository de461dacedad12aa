//! CPU time of the calling thread, for benchmarks and evaluations that must hold on a machine
//! shared with other work (wall time counts the other work's turns; this does not).

/// CPU seconds the calling thread has run (0 where the platform has no per-thread clock).
#[cfg(unix)]
pub fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// CPU seconds the calling thread has run (0 where the platform has no per-thread clock).
#[cfg(not(unix))]
pub fn thread_cpu_seconds() -> f64 {
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_cpu_time_moves_with_work_not_with_sleep() {
        let t0 = thread_cpu_seconds();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let slept = thread_cpu_seconds() - t0;
        let mut x = 0u64;
        let t1 = thread_cpu_seconds();
        while thread_cpu_seconds() - t1 < 0.02 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let worked = thread_cpu_seconds() - t1;
        assert!(slept < 0.04, "a 50 ms sleep cost {slept} s of CPU");
        assert!(worked >= 0.02);
    }
}
