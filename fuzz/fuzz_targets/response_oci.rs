//! OCI answers as the console reads them: a console connection, a list of them, an empty
//! answer (DELETE's 204), and OCI's error shape. The second word of the first line names
//! the type.
#![no_main]

use cloudlink_core::Provider;
use cloudlink_core::oci;
use cloudlink_fuzz::{check_answer, http_text, status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = http_text(data) else {
        return;
    };
    let (p, s) = (Provider::Oci, status(&text));
    match text.second {
        "List" => check_answer::<oci::ListInstanceConsoleConnectionsResponse>(p, s, &text),
        "Empty" => check_answer::<Option<oci::InstanceConsoleConnection>>(p, s, &text),
        _ => check_answer::<oci::InstanceConsoleConnection>(p, s, &text),
    }
});
