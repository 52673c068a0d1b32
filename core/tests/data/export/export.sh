#!/usr/bin/env bash
# CLI export from cloudlink: commands that recreate what the console read, with
# aws (Direct Connect), osc-cli (OUTSCALE DirectLink) and oci (OCI). Connections
# created here get new ids, which the virtual interfaces on them use. Secrets are
# variables to set before running: nothing secret is written here.
set -euo pipefail

# To set before running:
# the BGP auth key of virtual interface "dxvif-private1"
: "${BGP_AUTH_KEY_DXVIF_PRIVATE1:?set BGP_AUTH_KEY_DXVIF_PRIVATE1}"
# the BGP auth key of virtual interface "dxvif-hosted22"
: "${BGP_AUTH_KEY_DXVIF_HOSTED22:?set BGP_AUTH_KEY_DXVIF_HOSTED22}"
# the BGP auth key of virtual interface "dxvif-public33"
: "${BGP_AUTH_KEY_DXVIF_PUBLIC33:?set BGP_AUTH_KEY_DXVIF_PUBLIC33}"
# the BGP auth key of virtual interface "dxvif-osc00007"
: "${BGP_AUTH_KEY_DXVIF_OSC00007:?set BGP_AUTH_KEY_DXVIF_OSC00007}"
: "${SSH_PUBLIC_KEY_FILE:?set SSH_PUBLIC_KEY_FILE to the SSH public key file for the console connections}"

# json_field NAME: the first string value of NAME in the JSON read on stdin.
json_field() {
  local json re
  json=$(cat)
  re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\""
  if [[ $json =~ $re ]]; then
    printf '%s\n' "${BASH_REMATCH[1]}"
  else
    echo "no $1 in the answer: $json" >&2
    return 1
  fi
}

# json_string VALUE: VALUE as a JSON string (for secrets spliced into JSON).
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# Direct Connect connection "core\"'$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next" ("dxcon-aaaa1111") in "us-east-1" through the default profile
conn_dxcon_aaaa1111=$(aws directconnect create-connection \
  --region 'us-east-1' \
  --output json \
  --location 'EqDC2' \
  --bandwidth '10Gbps' \
  --connection-name 'core"'\''$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}
\next' \
  --provider-name 'Equinix' \
  --tags '[{"key":"team","value":"core\"'\''$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next"},{"key":"env"}]' \
  | json_field connectionId)

# Left out: connection "dxcon-gone0000" in "us-east-1": it is deleted or being deleted.

# Direct Connect connection "prod-link" ("dxcon-bbbb2222") in "eu-west-1" through profile "prod"
conn_dxcon_bbbb2222=$(aws directconnect create-connection \
  --region 'eu-west-1' \
  --profile 'prod' \
  --output json \
  --location 'EqLD5' \
  --bandwidth '1Gbps' \
  --connection-name 'prod-link' \
  | json_field connectionId)

# Left out: connection "dxcon-bbbb2222" in "eu-west-1": it was already exported (read through another profile).

# OUTSCALE DirectLink connection "osc-link" ("dxcon-cccc3333") in "eu-west-2" through profile "osc"
# (osc-cli takes the region from the profile)
conn_dxcon_cccc3333=$(osc-cli directlink CreateConnection \
  --profile 'osc' \
  --bandwidth '"1Gbps"' \
  --connectionName '"osc-link"' \
  --location '"PAR1"' \
  | json_field connectionId)

# Direct Connect virtual interface "core\"'$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next" ("dxvif-private1") in "us-east-1" through the default profile, private.
aws directconnect create-private-virtual-interface \
  --region 'us-east-1' \
  --connection-id "$conn_dxcon_aaaa1111" \
  --new-private-virtual-interface '{"addressFamily":"ipv4","amazonAddress":"169.254.10.1/30","asn":65000,"customerAddress":"169.254.10.2/30","enableSiteLink":false,"mtu":9001,"tags":[{"key":"core\"'\''$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next","value":"v"}],"virtualGatewayId":"vgw-1234","virtualInterfaceName":"core\"'\''$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next","vlan":101,"authKey":'"$(json_string "$BGP_AUTH_KEY_DXVIF_PRIVATE1")"'}'

# Direct Connect virtual interface "for-partner" ("dxvif-hosted22") in "us-east-1" through the default profile, private, allocated to account "999999999999".
aws directconnect allocate-private-virtual-interface \
  --region 'us-east-1' \
  --connection-id "$conn_dxcon_aaaa1111" \
  --owner-account '999999999999' \
  --new-private-virtual-interface-allocation '{"addressFamily":"ipv4","asn":65001,"mtu":1500,"virtualInterfaceName":"for-partner","vlan":102,"authKey":'"$(json_string "$BGP_AUTH_KEY_DXVIF_HOSTED22")"'}'

# Direct Connect virtual interface "public" ("dxvif-public33") in "us-east-1" through the default profile, public.
aws directconnect create-public-virtual-interface \
  --region 'us-east-1' \
  --connection-id "$conn_dxcon_aaaa1111" \
  --new-public-virtual-interface '{"addressFamily":"ipv4","amazonAddress":"203.0.113.1/30","asn":65002,"customerAddress":"203.0.113.2/30","routeFilterPrefixes":[{"cidr":"203.0.113.0/24"},{"cidr":"198.51.100.0/24"}],"virtualInterfaceName":"public","vlan":103,"authKey":'"$(json_string "$BGP_AUTH_KEY_DXVIF_PUBLIC33")"'}'

# Left out: virtual interface "dxvif-deleted" in "us-east-1": it is deleted or being deleted.

# Direct Connect virtual interface "to-tgw" ("dxvif-transit4") in "eu-west-1" through profile "prod", transit.
aws directconnect create-transit-virtual-interface \
  --region 'eu-west-1' \
  --profile 'prod' \
  --connection-id "$conn_dxcon_bbbb2222" \
  --new-transit-virtual-interface '{"addressFamily":"ipv6","asnLong":4200000000,"directConnectGatewayId":"5f2a-dxgw","enableSiteLink":true,"mtu":8500,"virtualInterfaceName":"to-tgw","vlan":200}'

# Direct Connect virtual interface "from-partner" ("dxvif-accept55") in "eu-west-1" through profile "prod", private, accepted from the connection's owner.
# It is allocated by the connection's owner: once they allocate it again,
# confirm it with the new interface id in place of this one.
aws directconnect confirm-private-virtual-interface \
  --region 'eu-west-1' \
  --profile 'prod' \
  --virtual-interface-id 'dxvif-accept55' \
  --direct-connect-gateway-id '5f2a-dxgw'

# Left out: virtual interface "odd" ("dxvif-strange6") in "eu-west-1" through profile "prod": type "mystery" is not exported.

# OUTSCALE DirectLink virtual interface "osc-vif" ("dxvif-osc00007") in "eu-west-2" through profile "osc", private.
# (osc-cli takes the region from the profile)
osc-cli directlink CreatePrivateVirtualInterface \
  --profile 'osc' \
  --connectionId "\"$conn_dxcon_cccc3333\"" \
  --newPrivateVirtualInterface '{"amazonAddress":"172.16.0.1/30","asn":65200,"customerAddress":"172.16.0.2/30","virtualGatewayId":"vgw-osc1","virtualInterfaceName":"osc-vif","vlan":400,"authKey":'"$(json_string "$BGP_AUTH_KEY_DXVIF_OSC00007")"'}'

# OCI console connection "ocid1.instanceconsoleconnection.oc1.phx.aaaa1" in "us-phoenix-1" through the default profile
oci compute instance-console-connection create \
  --region 'us-phoenix-1' \
  --instance-id 'ocid1.instance.oc1.phx.bbbb1' \
  --ssh-public-key-file "$SSH_PUBLIC_KEY_FILE" \
  --freeform-tags '{"owner":"core\"'\''$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next"}' \
  --defined-tags '{"Operations":{"CostCenter":"42"}}'

# OCI console connection "ocid1.instanceconsoleconnection.oc1.eu-frankfurt-1.cccc2" in "eu-frankfurt-1" through profile "oci-prod"
oci compute instance-console-connection create \
  --region 'eu-frankfurt-1' \
  --profile 'oci-prod' \
  --instance-id 'ocid1.instance.oc1.eu-frankfurt-1.dddd2' \
  --ssh-public-key-file "$SSH_PUBLIC_KEY_FILE"

# Left out: console connection "ocid1.instanceconsoleconnection.oc1.phx.eeee3" in "us-phoenix-1": it is deleted or being deleted.
