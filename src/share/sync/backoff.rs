//! When to try the relay again after a socket closed or could not open:
//! doubling waits from one second to a minute, each a random time between
//! half and all of it ("equal jitter"), so the devices a relay or a shard
//! dropped at once (a failover, a restart) do not all come back in the same
//! instant and make the new relay loop over every document for each of them
//! together. Sans-IO: the caller gives the random number and runs the timer.

/// The first wait and the longest, in milliseconds.
pub const FIRST_MS: u32 = 1_000;
pub const MAX_MS: u32 = 60_000;

/// One connection's retries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    /// The wait's ceiling for the next retry (0: none yet since it worked).
    ceiling_ms: u32,
}

impl Backoff {
    /// The connection worked: the next retry starts from the first wait.
    pub fn reset(&mut self) {
        self.ceiling_ms = 0;
    }

    /// How long to wait before the next try, given `random` in `[0, 1)`
    /// (anything else is taken as the nearest end).
    pub fn next_wait_ms(&mut self, random: f64) -> u32 {
        self.ceiling_ms = self.ceiling_ms.saturating_mul(2).clamp(FIRST_MS, MAX_MS);
        let half = self.ceiling_ms / 2;
        let r = if random.is_nan() {
            0.0
        } else {
            random.clamp(0.0, 1.0)
        };
        half + ((f64::from(self.ceiling_ms - half) * r) as u32).min(self.ceiling_ms - half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_to_a_minute_each_between_half_and_all_of_it() {
        let mut b = Backoff::default();
        let lows: Vec<u32> = (0..9).map(|_| b.next_wait_ms(0.0)).collect();
        assert_eq!(
            lows,
            [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
        let mut b = Backoff::default();
        let highs: Vec<u32> = (0..9).map(|_| b.next_wait_ms(0.999_999)).collect();
        assert_eq!(
            highs,
            [999, 1_999, 3_999, 7_999, 15_999, 31_999, 59_999, 59_999, 59_999]
        );
        b.reset();
        assert_eq!(b.next_wait_ms(1.0), 1_000);
        assert_eq!(b.next_wait_ms(f64::NAN), 1_000);
        assert_eq!(b.next_wait_ms(-3.0), 2_000);
    }

    /// A thousand devices dropped at once come back spread over the wait,
    /// not in one instant: no 100 ms holds more than a tenth of them.
    #[test]
    fn devices_dropped_together_come_back_spread_out() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut buckets = [0u32; 10];
        for _ in 0..1_000 {
            let wait = Backoff::default().next_wait_ms(random());
            assert!((500..1_000).contains(&wait));
            buckets[((wait - 500) / 50) as usize] += 1;
        }
        // Ten buckets of 50 ms over the half second: each about 100.
        assert!(
            buckets.iter().all(|&n| (50..=150).contains(&n)),
            "{buckets:?}"
        );
    }
}
