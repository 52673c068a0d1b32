//! What an operator scrapes from `GET /metrics`, in Prometheus text format.
//!
//! Counted where things happen (the accept loop, the forwarding path, the
//! refusals at the edge) and read only by the scrape; no label carries a value
//! a caller chose beyond the catalogue's operation names and the status code,
//! so the number of series stays bounded.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    service: &'static str,
    operation: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabels {
    service: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

type HistogramFamily = Family<ServiceLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 5 ms to ~20 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

/// The proxy's counters, gauges and histograms.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    upstream_latency: HistogramFamily,
    retries: Family<ServiceLabels, Counter>,
    upstream_bytes: Family<ServiceLabels, Counter>,
    refusals: Family<ReasonLabels, Counter>,
    in_flight: Gauge,
    connections: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("cloudlink");
        let calls = Family::<CallLabels, Counter>::default();
        registry.register(
            "calls",
            "API calls answered, by service, operation and status",
            calls.clone(),
        );
        let upstream_latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "upstream_latency_seconds",
            "Time from sending a call upstream to having its whole answer, per attempt",
            upstream_latency.clone(),
        );
        let retries = Family::<ServiceLabels, Counter>::default();
        registry.register(
            "retries",
            "Upstream attempts beyond the first (backoff, throttling, clock skew)",
            retries.clone(),
        );
        let upstream_bytes = Family::<ServiceLabels, Counter>::default();
        registry.register(
            "upstream_answer_bytes",
            "Bytes of upstream answers read",
            upstream_bytes.clone(),
        );
        let refusals = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "refusals",
            "Requests the proxy refused itself, by reason",
            refusals.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "in_flight_calls",
            "API calls being handled now",
            in_flight.clone(),
        );
        let connections = Gauge::default();
        registry.register(
            "open_connections",
            "Client connections open now",
            connections.clone(),
        );
        Metrics {
            registry,
            calls,
            upstream_latency,
            retries,
            upstream_bytes,
            refusals,
            in_flight,
            connections,
        }
    }

    /// One answered API call.
    pub fn call(&self, service: &'static str, operation: &'static str, status: u16) {
        self.calls
            .get_or_create(&CallLabels {
                service,
                operation,
                status,
            })
            .inc();
    }

    /// One upstream attempt's latency and answer size.
    pub fn upstream(&self, service: &'static str, seconds: f64, bytes: usize) {
        let labels = ServiceLabels { service };
        self.upstream_latency
            .get_or_create(&labels)
            .observe(seconds);
        self.upstream_bytes
            .get_or_create(&labels)
            .inc_by(u64::try_from(bytes).unwrap_or(u64::MAX));
    }

    pub fn retried(&self, service: &'static str) {
        self.retries.get_or_create(&ServiceLabels { service }).inc();
    }

    /// A refusal by the proxy itself: `auth`, `validation`, `forbidden`,
    /// `limits`, `not_configured`, `accept_error`...
    pub fn refused(&self, reason: &'static str) {
        self.refusals.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// Counts a call in flight until the guard drops.
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    pub fn connection_opened(&self) {
        self.connections.inc();
    }

    pub fn connection_closed(&self) {
        self.connections.dec();
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Decrements the in-flight gauge when dropped.
#[derive(Debug)]
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_was_counted() {
        let m = Metrics::new();
        m.call("directconnect", "DescribeConnections", 200);
        m.call("directconnect", "DescribeConnections", 200);
        m.refused("auth");
        m.upstream("oci-core", 0.02, 1234);
        let guard = m.in_flight();
        let text = m.render();
        assert!(text.contains(
            r#"cloudlink_calls_total{service="directconnect",operation="DescribeConnections",status="200"} 2"#
        ), "{text}");
        assert!(text.contains(r#"cloudlink_refusals_total{reason="auth"} 1"#));
        assert!(text.contains(r#"cloudlink_upstream_answer_bytes_total{service="oci-core"} 1234"#));
        assert!(text.contains("cloudlink_in_flight_calls 1"));
        drop(guard);
        assert!(m.render().contains("cloudlink_in_flight_calls 0"));
        assert!(text.ends_with("# EOF\n"));
    }
}
