//! What the calls to the providers share, so that one misbehaving upstream
//! cannot take the proxy (or the provider) down with it: a cap on calls in
//! flight per upstream host, a retry budget per service so retries cannot
//! multiply load during an outage, and the clock offset each provider's
//! answers revealed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use cloudlink_core::Service;
use cloudlink_signing::shifted;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A token bucket that pays for retries: a retry costs [`RETRY_COST`] (a
/// retry after a timeout [`TIMEOUT_RETRY_COST`]), a call that succeeds at its
/// first attempt puts [`SUCCESS_REFUND`] back. Full, it allows 20 retries in a
/// row; empty, a call gets one attempt, as in the AWS SDKs' standard mode.
#[derive(Debug)]
pub struct RetryBudget {
    tokens: Mutex<u32>,
}

pub const RETRY_BUDGET: u32 = 100;
pub const RETRY_COST: u32 = 5;
pub const TIMEOUT_RETRY_COST: u32 = 10;
pub const SUCCESS_REFUND: u32 = 1;

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            tokens: Mutex::new(RETRY_BUDGET),
        }
    }
}

impl RetryBudget {
    /// Takes `cost` tokens; false (and nothing taken) when there are too few.
    pub fn withdraw(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        if *tokens >= cost {
            *tokens -= cost;
            true
        } else {
            false
        }
    }

    pub fn refund(&self) {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        *tokens = (*tokens + SUCCESS_REFUND).min(RETRY_BUDGET);
    }

    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Shared by every forwarded call.
#[derive(Debug)]
pub struct Upstreams {
    per_host: usize,
    gates: Mutex<HashMap<String, Arc<Semaphore>>>,
    budgets: [RetryBudget; 4],
    /// Milliseconds to add to the local clock when signing for each service.
    offsets: [AtomicI64; 4],
}

fn index(service: Service) -> usize {
    Service::ALL
        .iter()
        .position(|s| *s == service)
        .unwrap_or_default()
}

impl Upstreams {
    pub fn new(per_host: usize) -> Self {
        Upstreams {
            per_host: per_host.max(1),
            gates: Mutex::new(HashMap::new()),
            budgets: Default::default(),
            offsets: Default::default(),
        }
    }

    /// Waits for one of the host's call slots.
    pub async fn slot(&self, host: &str) -> OwnedSemaphorePermit {
        let gate = {
            let mut gates = self.gates.lock().unwrap_or_else(PoisonError::into_inner);
            // The host's own key is allocated only the first time it is seen.
            match gates.get(host) {
                Some(gate) => gate.clone(),
                None => gates
                    .entry(host.to_owned())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                    .clone(),
            }
        };
        gate.acquire_owned()
            .await
            .expect("upstream gates are never closed")
    }

    pub fn budget(&self, service: Service) -> &RetryBudget {
        &self.budgets[index(service)]
    }

    /// The time to sign with for `service`: the local clock corrected by the
    /// offset its answers revealed.
    pub fn now(&self, service: Service) -> SystemTime {
        shifted(
            SystemTime::now(),
            self.offsets[index(service)].load(Ordering::Relaxed),
        )
    }

    pub fn offset_ms(&self, service: Service) -> i64 {
        self.offsets[index(service)].load(Ordering::Relaxed)
    }

    /// Remembers that `service`'s clock reads `offset_ms` ahead of ours.
    pub fn set_offset_ms(&self, service: Service, offset_ms: i64) {
        self.offsets[index(service)].store(offset_ms, Ordering::Relaxed);
    }
}

/// How far `server` is ahead of `local`, in milliseconds (negative: behind).
pub fn offset_between(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn budget_runs_dry_and_refills_slowly() {
        let b = RetryBudget::default();
        let mut retries = 0;
        while b.withdraw(RETRY_COST) {
            retries += 1;
        }
        assert_eq!(retries, RETRY_BUDGET / RETRY_COST);
        assert!(!b.withdraw(RETRY_COST));
        for _ in 0..RETRY_COST {
            b.refund();
        }
        assert!(b.withdraw(RETRY_COST), "five successes pay for one retry");
        for _ in 0..1000 {
            b.refund();
        }
        assert_eq!(b.available(), RETRY_BUDGET, "never above capacity");
    }

    #[test]
    fn offsets_shift_the_signing_clock_per_service() {
        let u = Upstreams::new(4);
        u.set_offset_ms(Service::OciCore, -600_000);
        let local = SystemTime::now();
        let oci = u.now(Service::OciCore);
        let dx = u.now(Service::DirectConnect);
        assert!(local.duration_since(oci).unwrap() >= Duration::from_secs(599));
        assert!(dx >= local);
        let later = local + Duration::from_secs(90);
        assert_eq!(offset_between(later, local), 90_000);
        assert_eq!(offset_between(local, later), -90_000);
        assert_eq!(shifted(local, 90_000), later);
    }

    #[tokio::test]
    async fn a_host_has_at_most_its_slots() {
        let u = Upstreams::new(2);
        let a = u.slot("h").await;
        let _b = u.slot("h").await;
        let third = tokio::time::timeout(Duration::from_millis(50), u.slot("h")).await;
        assert!(third.is_err(), "a third call waits");
        let _other = u.slot("other").await;
        drop(a);
        let third = tokio::time::timeout(Duration::from_millis(500), u.slot("h")).await;
        assert!(third.is_ok());
    }
}
