//! The fake Outposts server connections: StartConnection hands out a
//! connection id and the underlay address, GetConnection then describes the
//! WireGuard tunnel (ConnectionDetails). Only seeded asset ids are known.

use cloudlink_core::outposts::{
    ConnectionDetails, GetConnectionResponse, OutpostsRequest, StartConnectionResponse,
};

use super::ids;
use super::reply::{Answer, Failure};
use super::seed;

#[derive(Debug, Clone)]
struct ServerConnection {
    id: String,
    region: String,
    details: ConnectionDetails,
}

#[derive(Debug, Default)]
pub struct OutpostsWorld {
    connections: Vec<ServerConnection>,
}

fn not_found(what: &str) -> Failure {
    Failure::new(404, "NotFoundException", what)
}

impl OutpostsWorld {
    pub fn call(&mut self, region: &str, request: &OutpostsRequest) -> Result<Answer, Failure> {
        match request {
            OutpostsRequest::StartConnection(r) => {
                let asset = r.asset_id.clone().unwrap_or_default();
                if !seed::OUTPOST_ASSETS.contains(&asset.as_str()) {
                    return Err(not_found(&format!("Asset {asset} not found.")));
                }
                let id = ids::random_base64ish(32).replace('/', "A");
                let third = ids::random_u8();
                let underlay = format!("10.0.{third}.{}", ids::random_u8() | 1);
                let tunnel = ids::random_u8() & 0xfc;
                let details = ConnectionDetails {
                    client_public_key: r.client_public_key.clone(),
                    server_public_key: Some(ids::wireguard_key()),
                    server_endpoint: Some(format!("203.0.113.{}:51820", ids::random_u8() | 1)),
                    client_tunnel_address: Some(format!("169.254.{third}.{}/30", tunnel + 2)),
                    server_tunnel_address: Some(format!("169.254.{third}.{}/30", tunnel + 1)),
                    allowed_ips: Some(vec![format!("169.254.{third}.{}/32", tunnel + 1)]),
                };
                self.connections.push(ServerConnection {
                    id: id.clone(),
                    region: region.to_owned(),
                    details,
                });
                let body = StartConnectionResponse {
                    connection_id: Some(id),
                    underlay_ip_address: Some(underlay),
                };
                Ok(Answer::ok(serde_json::to_value(body).unwrap_or_default()))
            }
            OutpostsRequest::GetConnection(r) => {
                let c = self
                    .connections
                    .iter()
                    .find(|c| c.id == r.connection_id && c.region == region)
                    .ok_or_else(|| {
                        not_found(&format!("Connection {} not found.", r.connection_id))
                    })?;
                let body = GetConnectionResponse {
                    connection_id: Some(c.id.clone()),
                    connection_details: Some(c.details.clone()),
                };
                Ok(Answer::ok(serde_json::to_value(body).unwrap_or_default()))
            }
        }
    }
}
