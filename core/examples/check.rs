//! Checks a request before anything is sent, with the rules the cloudlink
//! console and proxy apply: `check SERVICE OPERATION FILE` reads FILE (or
//! standard input for `-`) as the operation's input in JSON and prints one
//! line per broken field.
//!
//! ```text
//! cargo run -p cloudlink-core --example check -- directconnect CreateConnection req.json
//! ```
//!
//! Exit status: 0 valid, 1 invalid or unreadable, 2 usage.

use std::io::Read;
use std::process::ExitCode;

use cloudlink_core::{ApiRequest, CallError, Operation, Service, catalogue};

const USAGE: &str = "usage: check SERVICE OPERATION FILE|-
  SERVICE: directconnect, directlink, outposts, oci-core";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [service, operation, file] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Some(service) = Service::from_id(service) else {
        eprintln!("check: unknown service {service:?}\n{USAGE}");
        return ExitCode::from(2);
    };
    let Some(operation) = operation_named(service, operation) else {
        let names: Vec<&str> = catalogue::catalogue()
            .iter()
            .filter(|i| i.service == service)
            .map(|i| i.name)
            .collect();
        eprintln!(
            "check: {service} has no operation {operation:?}; it has {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let json = match read(file) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("check: cannot read {file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let checked = ApiRequest::from_input_json(service, operation, &json)
        .and_then(|request| request.validate().map_err(CallError::from));
    match checked {
        Ok(()) => {
            println!("{service} {operation}: valid");
            ExitCode::SUCCESS
        }
        Err(CallError::Invalid(errors)) => {
            for e in errors.errors() {
                println!("{}: {}", e.field, e.message());
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn operation_named(service: Service, name: &str) -> Option<Operation> {
    catalogue::catalogue()
        .iter()
        .find(|i| i.service == service && i.name == name)
        .map(|i| i.operation)
}

fn read(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}
