# Terraform export from cloudlink: what the console read, as resources with
# import blocks (Terraform >= 1.5). Run `terraform plan` to see what the import
# would change. Secrets are variables: nothing secret is written here.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    oci = {
      source = "oracle/oci"
    }
  }
}

provider "aws" {
  alias  = "default_us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias   = "prod_eu_west_1"
  profile = "prod"
  region  = "eu-west-1"
}

provider "oci" {
  alias  = "default_us_phoenix_1"
  region = "us-phoenix-1"
}

provider "oci" {
  alias               = "oci_prod_eu_frankfurt_1"
  config_file_profile = "oci-prod"
  region              = "eu-frankfurt-1"
}

variable "bgp_auth_key_dxvif_private1" {
  description = "BGP auth key of virtual interface dxvif-private1"
  type        = string
  sensitive   = true
}

variable "bgp_auth_key_dxvif_hosted22" {
  description = "BGP auth key of virtual interface dxvif-hosted22"
  type        = string
  sensitive   = true
}

variable "bgp_auth_key_dxvif_public33" {
  description = "BGP auth key of virtual interface dxvif-public33"
  type        = string
  sensitive   = true
}

variable "console_connection_public_key" {
  description = "SSH public key of the console connections (OCI does not return it)"
  type        = string
}

# Direct Connect connection "core\"'$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next" ("dxcon-aaaa1111") in "us-east-1" through the default profile
resource "aws_dx_connection" "dxcon_aaaa1111" {
  provider      = aws.default_us_east_1
  name          = "core\"'$(touch PWNED) `id` $${var.x} %%{if 1}y%%{endif}\n\\next"
  bandwidth     = "10Gbps"
  location      = "EqDC2"
  provider_name = "Equinix"
  tags = {
    "team" = "core\"'$(touch PWNED) `id` $${var.x} %%{if 1}y%%{endif}\n\\next"
    "env"  = ""
  }
}

import {
  to = aws_dx_connection.dxcon_aaaa1111
  id = "dxcon-aaaa1111"
}

# Left out: connection "dxcon-gone0000" in "us-east-1": it is deleted or being deleted.

# Direct Connect connection "prod-link" ("dxcon-bbbb2222") in "eu-west-1" through profile "prod"
resource "aws_dx_connection" "dxcon_bbbb2222" {
  provider  = aws.prod_eu_west_1
  name      = "prod-link"
  bandwidth = "1Gbps"
  location  = "EqLD5"
}

import {
  to = aws_dx_connection.dxcon_bbbb2222
  id = "dxcon-bbbb2222"
}

# Left out: connection "dxcon-bbbb2222" in "eu-west-1": it was already exported (read through another profile).

# OUTSCALE DirectLink connection "osc-link" ("dxcon-cccc3333") in "eu-west-2" through profile "osc":
# DirectLink has no Terraform resource; the CLI export recreates it with osc-cli.

# Direct Connect virtual interface "core\"'$(touch PWNED) `id` ${var.x} %{if 1}y%{endif}\n\\next" ("dxvif-private1") in "us-east-1" through the default profile, private.
resource "aws_dx_private_virtual_interface" "dxvif_private1" {
  provider         = aws.default_us_east_1
  connection_id    = aws_dx_connection.dxcon_aaaa1111.id
  name             = "core\"'$(touch PWNED) `id` $${var.x} %%{if 1}y%%{endif}\n\\next"
  vlan             = 101
  address_family   = "ipv4"
  bgp_asn          = 65000
  amazon_address   = "169.254.10.1/30"
  customer_address = "169.254.10.2/30"
  bgp_auth_key     = var.bgp_auth_key_dxvif_private1
  mtu              = 9001
  sitelink_enabled = false
  vpn_gateway_id   = "vgw-1234"
  tags = {
    "core\"'$(touch PWNED) `id` $${var.x} %%{if 1}y%%{endif}\n\\next" = "v"
  }
}

import {
  to = aws_dx_private_virtual_interface.dxvif_private1
  id = "dxvif-private1"
}

# Direct Connect virtual interface "for-partner" ("dxvif-hosted22") in "us-east-1" through the default profile, private, allocated to account "999999999999".
resource "aws_dx_hosted_private_virtual_interface" "dxvif_hosted22" {
  provider         = aws.default_us_east_1
  connection_id    = aws_dx_connection.dxcon_aaaa1111.id
  name             = "for-partner"
  vlan             = 102
  address_family   = "ipv4"
  bgp_asn          = 65001
  bgp_auth_key     = var.bgp_auth_key_dxvif_hosted22
  owner_account_id = "999999999999"
  mtu              = 1500
}

import {
  to = aws_dx_hosted_private_virtual_interface.dxvif_hosted22
  id = "dxvif-hosted22"
}

# Direct Connect virtual interface "public" ("dxvif-public33") in "us-east-1" through the default profile, public.
resource "aws_dx_public_virtual_interface" "dxvif_public33" {
  provider              = aws.default_us_east_1
  connection_id         = aws_dx_connection.dxcon_aaaa1111.id
  name                  = "public"
  vlan                  = 103
  address_family        = "ipv4"
  bgp_asn               = 65002
  amazon_address        = "203.0.113.1/30"
  customer_address      = "203.0.113.2/30"
  bgp_auth_key          = var.bgp_auth_key_dxvif_public33
  route_filter_prefixes = ["203.0.113.0/24", "198.51.100.0/24"]
}

import {
  to = aws_dx_public_virtual_interface.dxvif_public33
  id = "dxvif-public33"
}

# Left out: virtual interface "dxvif-deleted" in "us-east-1": it is deleted or being deleted.

# Direct Connect virtual interface "to-tgw" ("dxvif-transit4") in "eu-west-1" through profile "prod", transit.
resource "aws_dx_transit_virtual_interface" "dxvif_transit4" {
  provider         = aws.prod_eu_west_1
  connection_id    = aws_dx_connection.dxcon_bbbb2222.id
  name             = "to-tgw"
  vlan             = 200
  address_family   = "ipv6"
  bgp_asn_long     = "4200000000"
  mtu              = 8500
  sitelink_enabled = true
  dx_gateway_id    = "5f2a-dxgw"
}

import {
  to = aws_dx_transit_virtual_interface.dxvif_transit4
  id = "dxvif-transit4"
}

# Direct Connect virtual interface "from-partner" ("dxvif-accept55") in "eu-west-1" through profile "prod", private, accepted from the connection's owner.
resource "aws_dx_hosted_private_virtual_interface_accepter" "dxvif_accept55" {
  provider             = aws.prod_eu_west_1
  virtual_interface_id = "dxvif-accept55"
  dx_gateway_id        = "5f2a-dxgw"
  tags = {
    "side" = "accepter"
  }
}

import {
  to = aws_dx_hosted_private_virtual_interface_accepter.dxvif_accept55
  id = "dxvif-accept55"
}

# Left out: virtual interface "odd" ("dxvif-strange6") in "eu-west-1" through profile "prod": type "mystery" is not exported.

# OUTSCALE DirectLink virtual interface "osc-vif" ("dxvif-osc00007") in "eu-west-2" through profile "osc":
# DirectLink has no Terraform resource; the CLI export recreates it with osc-cli.

# OCI console connection "ocid1.instanceconsoleconnection.oc1.phx.aaaa1" in "us-phoenix-1" through the default profile
# to instance "ocid1.instance.oc1.phx.bbbb1"
resource "oci_core_instance_console_connection" "console_aaaa1" {
  provider    = oci.default_us_phoenix_1
  instance_id = "ocid1.instance.oc1.phx.bbbb1"
  public_key  = var.console_connection_public_key
  defined_tags = {
    "Operations.CostCenter" = "42"
  }
  freeform_tags = {
    "owner" = "core\"'$(touch PWNED) `id` $${var.x} %%{if 1}y%%{endif}\n\\next"
  }
}

import {
  to = oci_core_instance_console_connection.console_aaaa1
  id = "ocid1.instanceconsoleconnection.oc1.phx.aaaa1"
}

# OCI console connection "ocid1.instanceconsoleconnection.oc1.eu-frankfurt-1.cccc2" in "eu-frankfurt-1" through profile "oci-prod"
# to instance "ocid1.instance.oc1.eu-frankfurt-1.dddd2"
resource "oci_core_instance_console_connection" "console_cccc2" {
  provider    = oci.oci_prod_eu_frankfurt_1
  instance_id = "ocid1.instance.oc1.eu-frankfurt-1.dddd2"
  public_key  = var.console_connection_public_key
}

import {
  to = oci_core_instance_console_connection.console_cccc2
  id = "ocid1.instanceconsoleconnection.oc1.eu-frankfurt-1.cccc2"
}

# Left out: console connection "ocid1.instanceconsoleconnection.oc1.phx.eeee3" in "us-phoenix-1": it is deleted or being deleted.
