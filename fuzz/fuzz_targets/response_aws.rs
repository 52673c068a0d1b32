//! AWS answers as the console reads them: every Direct Connect and Outposts response type,
//! and AWS's error shapes. The second word of the first line names the type.
#![no_main]

use cloudlink_core::Provider;
use cloudlink_core::directconnect as dx;
use cloudlink_core::outposts;
use cloudlink_fuzz::{check_answer, http_text, status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = http_text(data) else {
        return;
    };
    let (p, s) = (Provider::Aws, status(&text));
    match text.second {
        "Connections" => check_answer::<dx::Connections>(p, s, &text),
        "Locations" => check_answer::<dx::Locations>(p, s, &text),
        "VirtualInterface" => check_answer::<dx::VirtualInterface>(p, s, &text),
        "VirtualInterfaces" => check_answer::<dx::VirtualInterfaces>(p, s, &text),
        "VirtualGateways" => check_answer::<dx::VirtualGateways>(p, s, &text),
        "ConfirmPrivateVirtualInterfaceResponse" => {
            check_answer::<dx::ConfirmPrivateVirtualInterfaceResponse>(p, s, &text)
        }
        "DeleteVirtualInterfaceResponse" => {
            check_answer::<dx::DeleteVirtualInterfaceResponse>(p, s, &text)
        }
        "DescribeTagsResponse" => check_answer::<dx::DescribeTagsResponse>(p, s, &text),
        "StartConnectionResponse" => check_answer::<outposts::StartConnectionResponse>(p, s, &text),
        "GetConnectionResponse" => check_answer::<outposts::GetConnectionResponse>(p, s, &text),
        _ => check_answer::<dx::Connection>(p, s, &text),
    }
});
