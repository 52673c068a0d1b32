//! The proxy's side of `--sandbox` and `--sandbox-only` (feature `sandbox`): starting the
//! fake cloud of `cloudlink-sandbox` on a loopback port, pointing every service at it, and
//! turning its fake keys into the proxy's [`CredentialStore`].
//!
//! The glue lives here, not in the sandbox crate, so the sandbox depends on nothing of the
//! proxy and a proxy built with `--no-default-features` carries none of it.

use std::net::SocketAddr;

use cloudlink_core::Service;
use tokio::net::TcpListener;

pub use cloudlink_sandbox::{FakeCredentials, Sandbox, Throttle, Timing};

use crate::config::Settings;
use crate::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};

/// The `default` profile of each provider, and AWS's second profile (another account of the
/// fake cloud), signing with the sandbox's fake keys.
pub fn credential_store(creds: &FakeCredentials) -> CredentialStore {
    let named = |name: &str, region: &str, signer: ProfileSigner| Profile {
        name: name.to_owned(),
        region: Some(region.to_owned()),
        signer,
    };
    let profile = |region: &str, signer: ProfileSigner| ProviderProfiles {
        profiles: vec![named("default", region, signer)],
        problems: Vec::new(),
    };
    let mut aws = profile(
        FakeCredentials::AWS_REGION,
        ProfileSigner::Static(creds.aws.clone()),
    );
    aws.profiles.push(named(
        FakeCredentials::LAB_PROFILE,
        FakeCredentials::AWS_REGION,
        ProfileSigner::Static(creds.aws_lab.clone()),
    ));
    CredentialStore {
        aws,
        outscale: profile(
            FakeCredentials::OUTSCALE_REGION,
            ProfileSigner::Static(creds.outscale.clone()),
        ),
        oci: profile(
            FakeCredentials::OCI_REGION,
            ProfileSigner::Oci(creds.oci.clone()),
        ),
    }
}

/// Starts the sandbox's fake cloud on a loopback port; returns its address.
pub async fn start_sandbox(sandbox: &Sandbox, listen: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let router = sandbox.router();
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!("sandbox stopped: {e}");
        }
    });
    Ok(addr)
}

/// Points every service at the sandbox listening on `addr`.
pub fn sandbox_upstreams(settings: &mut Settings, addr: SocketAddr) {
    for service in Service::ALL {
        settings
            .upstreams
            .insert(service, format!("http://{addr}/{}", service.id()));
    }
}

/// `--sandbox`: starts the fake cloud in process and points every service at it. The
/// credentials to sign with and what `GET /api/sandbox` lists; `Err` is the exit code.
pub async fn start_in_process(
    settings: &mut Settings,
) -> Result<(CredentialStore, cloudlink_core::contract::SandboxSeeds), i32> {
    let sandbox = Sandbox::new().with_clock_skew(settings.sandbox_clock_skew);
    let addr = match start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0))).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cloudlink-proxy: cannot start the sandbox: {e}");
            return Err(1);
        }
    };
    sandbox_upstreams(settings, addr);
    settings.sandbox_addr = Some(addr);
    tracing::info!(sandbox = %addr, "sandbox cloud running; no real credentials are read");
    Ok((credential_store(&sandbox.credentials()), sandbox.seeds()))
}

/// `--sandbox-only`: the fake cloud alone on `--listen`, its keys and seeds printed for
/// other tools; the value is the exit code.
pub async fn run_alone(
    settings: &Settings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> i32 {
    let sandbox = Sandbox::new().with_clock_skew(settings.sandbox_clock_skew);
    match TcpListener::bind(settings.listen).await {
        Ok(listener) => {
            let addr = listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default();
            println!("cloudlink sandbox listening on http://{addr}");
            println!(
                "{}",
                serde_json::to_string_pretty(&sandbox.describe()).unwrap_or_default()
            );
            let served = axum::serve(listener, sandbox.router())
                .with_graceful_shutdown(shutdown)
                .await;
            i32::from(served.is_err())
        }
        Err(e) => {
            eprintln!("cloudlink-proxy: cannot listen on {}: {e}", settings.listen);
            2
        }
    }
}
