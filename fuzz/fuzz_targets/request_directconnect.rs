//! `ApiRequest::parse` for AWS Direct Connect calls, with the round trip through `to_http`.
#![no_main]

use cloudlink_core::Service;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cloudlink_fuzz::check_request(Service::DirectConnect, data));
