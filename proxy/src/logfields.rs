//! The fields of a text log line, written without `fmt`'s machinery where that is safe.
//!
//! Every API call logs a line of nine fields (`cloudlink::call`). tracing-subscriber's
//! default field formatter sends each one through `Debug` and its ANSI styling, which the
//! callgrind profile of the bench load showed as a tenth of the proxy's instructions per
//! call. [`LineFields`] writes the same text: a string that `Debug` would print unchanged
//! between quotes is copied in as `name="value"`, a number or bool as `name=42`, and every
//! other field (the message, strings with quotes, escapes or non-ASCII, errors, floats,
//! `Debug` values) is handed to the default formatter itself, so its escaping and
//! sanitising rules are the ones applied. On a terminal (ANSI styling on) everything goes
//! to the default formatter.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing_subscriber::field::{RecordFields, VisitOutput};
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};

/// The text log line's field formatter (see the module doc).
#[derive(Debug, Default, Clone, Copy)]
pub struct LineFields;

impl<'w> FormatFields<'w> for LineFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = LineVisitor {
            writer,
            empty: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct LineVisitor<'w> {
    writer: Writer<'w>,
    /// Nothing written yet: the next field needs no separating space.
    empty: bool,
    result: fmt::Result,
}

/// Whether `Debug` prints `s` as it is between its quotes: printable ASCII, no `"` or `\`.
fn prints_as_is(s: &str) -> bool {
    s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

impl LineVisitor<'_> {
    /// Whether `field` may be written here rather than by the default formatter.
    fn fast(&self, field: &Field) -> bool {
        let name = field.name();
        !self.writer.has_ansi_escapes() && name != "message" && !name.starts_with("r#")
    }

    /// Writes the separator and `name=`.
    fn start(&mut self, field: &Field) -> fmt::Result {
        if self.empty {
            self.empty = false;
        } else {
            self.writer.write_char(' ')?;
        }
        self.writer.write_str(field.name())?;
        self.writer.write_char('=')
    }

    /// Writes `name=` and the value `write` writes.
    fn write(&mut self, field: &Field, write: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_ok() {
            self.result = self.start(field).and_then(|()| write(&mut self.writer));
        }
    }

    /// Hands one field to tracing-subscriber's default formatter.
    fn default(&mut self, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        if self.result.is_err() {
            return;
        }
        let mut inner = DefaultVisitor::new(self.writer.by_ref(), self.empty);
        record(&mut inner);
        self.result = inner.finish();
        self.empty = false;
    }

    /// Records one field: left out if it is `log` metadata (already on the line); written
    /// here by `write` when `plain` and [`Self::fast`] allow it; else by the default formatter.
    fn field(
        &mut self,
        field: &Field,
        plain: bool,
        write: impl FnOnce(&mut Writer<'_>) -> fmt::Result,
        default: impl FnOnce(&mut DefaultVisitor<'_>),
    ) {
        if field.name().starts_with("log.") {
            return;
        }
        if plain && self.fast(field) {
            self.write(field, write);
        } else {
            self.default(default);
        }
    }
}

impl Visit for LineVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let write = |w: &mut Writer<'_>| {
            w.write_char('"')?;
            w.write_str(value)?;
            w.write_char('"')
        };
        self.field(field, prints_as_is(value), write, |d| {
            d.record_str(field, value);
        });
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        let write = |w: &mut Writer<'_>| w.write_str(itoa::Buffer::new().format(value));
        self.field(field, true, write, |d| d.record_u64(field, value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        let write = |w: &mut Writer<'_>| w.write_str(itoa::Buffer::new().format(value));
        self.field(field, true, write, |d| d.record_i64(field, value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        let write = |w: &mut Writer<'_>| w.write_str(if value { "true" } else { "false" });
        self.field(field, true, write, |d| d.record_bool(field, value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.field(field, false, |_| Ok(()), |d| d.record_error(field, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.field(field, false, |_| Ok(()), |d| d.record_debug(field, value));
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    #[derive(Debug)]
    struct Failure;
    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("it \"broke\"\u{1b}[31m")
        }
    }
    impl std::error::Error for Failure {}

    /// Every kind of field, plain and awkward, as the proxy's lines carry them.
    fn events() {
        tracing::info!(
            target: "cloudlink::call",
            service = "directconnect",
            operation = "DescribeConnections",
            profile = "default",
            region = "us-east-1",
            status = 200u16,
            upstream_request_id = "00000000-0000-4000-8000-000000000000",
            attempts = 1u32,
            latency_ms = 3u64,
        );
        tracing::warn!(
            offset_ms = -1500i64,
            retried = true,
            "clock \"off\"\u{1b}[2J"
        );
        tracing::info!(
            quoted = "say \"hi\"",
            backslash = r"C:\aws",
            newline = "a\nb",
            escape = "\u{1b}[31mred",
            unicode = "région",
            empty = "",
            ratio = 0.5f64,
            list = ?["a", "b"],
            r#type = "x",
            shown = %"display",
        );
        tracing::error!(
            error = &Failure as &(dyn std::error::Error + 'static),
            "failed"
        );
        tracing::info!("message only");
        tracing::info!(first = 1u64, "message after a field {}", 7);
    }

    fn render(fields: Option<LineFields>, ansi: bool) -> String {
        let buffer = Buffer::default();
        let builder = tracing_subscriber::fmt()
            .with_writer(buffer.clone())
            .with_ansi(ansi)
            .without_time()
            .with_target(true);
        match fields {
            Some(fields) => {
                let subscriber = builder.fmt_fields(fields).finish();
                tracing::subscriber::with_default(subscriber, events);
            }
            None => tracing::subscriber::with_default(builder.finish(), events),
        }
        String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn lines_are_the_default_formatters_lines() {
        let ours = render(Some(LineFields), false);
        let default = render(None, false);
        assert_eq!(ours.lines().count(), 6);
        for (ours, default) in ours.lines().zip(default.lines()) {
            assert_eq!(ours, default);
        }
        assert!(ours.contains(r#"operation="DescribeConnections" profile="default""#));
        assert!(ours.contains("status=200"));
    }

    #[test]
    fn on_a_terminal_the_default_formatter_writes_everything() {
        assert_eq!(render(Some(LineFields), true), render(None, true));
    }

    #[test]
    fn only_plain_printable_ascii_is_copied_as_is() {
        assert!(prints_as_is("us-east-1"));
        assert!(prints_as_is("a b ~"));
        assert!(!prints_as_is("a\"b"));
        assert!(!prints_as_is("a\\b"));
        assert!(!prints_as_is("a\tb"));
        assert!(!prints_as_is("é"));
        assert!(!prints_as_is("\u{7f}"));
    }
}
