//! SigV4's derived signing key, and a small cache of them.
//!
//! Deriving the key (`AWS4`+secret → date → region → service → `aws4_request`) is four HMACs,
//! more than half the work of signing a small request, and its result only changes with the
//! credential, the day, the region and the service. The proxy signs many calls a day with the
//! same few of those, so [`signing_key`] keeps the keys it derived in a bounded cache:
//! - at most [`CAPACITY`] keys; the oldest goes first;
//! - a key is dropped as soon as a key is derived for a day more than one day away from its own
//!   (a key only signs for its day; one day either side covers providers whose clock is skewed
//!   across midnight);
//! - entries are found by a SHA-256 fingerprint of the secret, never the secret itself, and
//!   keys and fingerprints are zeroed when dropped. Nothing here is `Debug` or logged.

use std::sync::{Mutex, PoisonError};

use ring::hmac;
use zeroize::Zeroizing;

use super::sha256;

/// The most derived keys kept at once.
pub(crate) const CAPACITY: usize = 16;

/// A derived signing key: a secret, zeroed when dropped.
pub(crate) type SigningKey = Zeroizing<[u8; 32]>;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data);
    let mut out = [0; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// The SigV4 signing key for `secret` on `date` (`YYYYMMDD`) in `region` for `service`.
pub(crate) fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> SigningKey {
    let mut k_secret = Zeroizing::new(Vec::with_capacity(4 + secret.len()));
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = Zeroizing::new(hmac_sha256(&k_secret, date.as_bytes()));
    let k_region = Zeroizing::new(hmac_sha256(&*k_date, region.as_bytes()));
    let k_service = Zeroizing::new(hmac_sha256(&*k_region, service.as_bytes()));
    Zeroizing::new(hmac_sha256(&*k_service, b"aws4_request"))
}

struct Entry {
    fingerprint: Zeroizing<[u8; 32]>,
    day: i64,
    region: String,
    service: String,
    key: SigningKey,
}

/// Derived keys, oldest first. Not `Debug`: it holds secrets.
pub(crate) struct KeyCache {
    entries: Vec<Entry>,
}

impl KeyCache {
    pub(crate) const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    fn get(
        &self,
        fingerprint: &[u8; 32],
        day: i64,
        region: &str,
        service: &str,
    ) -> Option<SigningKey> {
        self.entries
            .iter()
            .find(|e| {
                e.day == day
                    && e.region == region
                    && e.service == service
                    && *e.fingerprint == *fingerprint
            })
            .map(|e| e.key.clone())
    }

    fn insert(&mut self, entry: Entry) {
        let day = entry.day;
        self.entries.retain(|e| (e.day - day).abs() <= 1);
        if self.entries.len() >= CAPACITY {
            self.entries.remove(0);
        }
        self.entries.push(entry);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The signing key for these arguments: from the cache, or derived and kept.
    /// `day` is `date` (`YYYYMMDD`) as days since 1970-01-01.
    pub(crate) fn signing_key(
        this: &Mutex<Self>,
        secret: &str,
        date: &str,
        day: i64,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let fingerprint = Zeroizing::new(sha256(secret.as_bytes()));
        let lock = || this.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = lock().get(&fingerprint, day, region, service) {
            return key;
        }
        let key = derive_signing_key(secret, date, region, service);
        lock().insert(Entry {
            fingerprint,
            day,
            region: region.to_owned(),
            service: service.to_owned(),
            key: key.clone(),
        });
        key
    }
}

/// The process's cache, used by [`super::sign_sigv4`].
static KEYS: Mutex<KeyCache> = Mutex::new(KeyCache::new());

/// The SigV4 signing key, from the process's bounded cache (see the module docs).
pub(crate) fn signing_key(
    secret: &str,
    date: &str,
    day: i64,
    region: &str,
    service: &str,
) -> SigningKey {
    KeyCache::signing_key(&KEYS, secret, date, day, region, service)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn derives_aws_documented_signing_key() {
        // AWS's SigV4 documentation example: 20150830, us-east-1, iam.
        let key = derive_signing_key(SECRET, "20150830", "us-east-1", "iam");
        assert_eq!(
            hex::encode(*key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn cached_keys_are_the_derived_ones_for_each_argument() {
        let cache = Mutex::new(KeyCache::new());
        let cases = [
            (SECRET, "20260303", 20_515, "us-east-1", "directconnect"),
            (SECRET, "20260303", 20_515, "eu-west-2", "directconnect"),
            (SECRET, "20260303", 20_515, "us-east-1", "outposts"),
            (SECRET, "20260304", 20_516, "us-east-1", "directconnect"),
            (
                "another-secret",
                "20260303",
                20_515,
                "us-east-1",
                "directconnect",
            ),
        ];
        for round in 0..2 {
            for (secret, date, day, region, service) in cases {
                let key = KeyCache::signing_key(&cache, secret, date, day, region, service);
                assert_eq!(
                    *key,
                    *derive_signing_key(secret, date, region, service),
                    "round {round}: {date} {region} {service}"
                );
            }
            assert_eq!(cache.lock().unwrap().len(), cases.len());
        }
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = Mutex::new(KeyCache::new());
        for i in 0..(3 * CAPACITY) {
            let region = format!("region-{i}");
            KeyCache::signing_key(&cache, SECRET, "20260303", 20_515, &region, "directconnect");
        }
        assert_eq!(cache.lock().unwrap().len(), CAPACITY);
        // The newest stays, the oldest went.
        let cache = cache.lock().unwrap();
        let regions: Vec<&str> = cache.entries.iter().map(|e| e.region.as_str()).collect();
        assert_eq!(
            regions.last(),
            Some(&format!("region-{}", 3 * CAPACITY - 1).as_str())
        );
        assert!(!regions.contains(&"region-0"));
    }

    #[test]
    fn keys_of_days_more_than_one_day_away_are_dropped() {
        let cache = Mutex::new(KeyCache::new());
        KeyCache::signing_key(
            &cache,
            SECRET,
            "20260302",
            20_514,
            "us-east-1",
            "directconnect",
        );
        KeyCache::signing_key(
            &cache,
            SECRET,
            "20260303",
            20_515,
            "us-east-1",
            "directconnect",
        );
        assert_eq!(cache.lock().unwrap().len(), 2, "yesterday's key stays");
        KeyCache::signing_key(
            &cache,
            SECRET,
            "20260304",
            20_516,
            "us-east-1",
            "directconnect",
        );
        let days: Vec<i64> = cache
            .lock()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.day)
            .collect();
        assert_eq!(days, [20_515, 20_516], "the key of two days ago is gone");
    }
}
