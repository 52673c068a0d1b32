//! Where log lines go: stdout, written by a thread of its own.
//!
//! The proxy logs one line per API call. Written straight to stdout, every call pays a
//! `write` system call under stdout's lock on the request path (the profile of
//! `cargo xtask bench --only proxy` showed it). Here a line is appended to a shared buffer
//! and the writer thread sends what gathered over [`GATHER`] in one `write`, so under load
//! many lines share one system call and one wake-up of the thread, and none is written on a
//! request's time. An idle proxy's writer thread sleeps without a timer.
//!
//! Nothing is dropped: when the writer falls more than [`MAX_PENDING`] bytes behind, the
//! thread logging waits for it. [`flush`] (called when the server stops) returns once every
//! line logged before it is written.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

/// Bytes waiting to be written beyond which logging waits for the writer.
pub const MAX_PENDING: usize = 1024 * 1024;

/// How long the writer thread lets lines gather once the first one arrived: under load one
/// `write` (and one wake-up of the thread) carries this long's worth of lines.
pub const GATHER: Duration = Duration::from_millis(10);

#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    /// Lines taken by the writer thread and not yet written.
    writing: bool,
    /// Someone waits in [`Shared::flush`]: write now, do not gather.
    flush: bool,
}

/// The buffer shared by every logging thread and the writer thread.
#[derive(Debug, Default)]
struct Shared {
    pending: Mutex<Pending>,
    /// Signalled when the first line lands in an empty buffer, when a flush is asked for,
    /// and when the writer took or wrote lines.
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, pending: MutexGuard<'a, Pending>) -> MutexGuard<'a, Pending> {
        self.changed
            .wait(pending)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends a line; only the first line into an empty buffer wakes the writer thread.
    fn append(&self, line: &[u8]) {
        let mut pending = self.lock();
        while pending.bytes.len() >= MAX_PENDING {
            pending = self.wait(pending);
        }
        let was_empty = pending.bytes.is_empty();
        pending.bytes.extend_from_slice(line);
        drop(pending);
        if was_empty {
            self.changed.notify_all();
        }
    }

    /// The next lines to write, once some have gathered for [`GATHER`] (or a flush or a
    /// full buffer asks for them at once). Sleeps without a timer while there are none.
    fn take(&self, batch: &mut Vec<u8>) {
        let mut pending = self.lock();
        while pending.bytes.is_empty() && !pending.flush {
            pending = self.wait(pending);
        }
        if !pending.flush {
            let (gathered, _) = self
                .changed
                .wait_timeout_while(pending, GATHER, |p| {
                    !p.flush && p.bytes.len() < MAX_PENDING / 2
                })
                .unwrap_or_else(PoisonError::into_inner);
            pending = gathered;
        }
        pending.flush = false;
        pending.writing = true;
        batch.clear();
        std::mem::swap(batch, &mut pending.bytes);
    }

    /// The writer thread: takes what gathered, writes it in one go, again and again.
    fn run(&self, out: &mut dyn Write) {
        let mut batch = Vec::new();
        loop {
            self.take(&mut batch);
            // Room again for anyone waiting on a full buffer.
            self.changed.notify_all();
            if !batch.is_empty() {
                // A log that cannot be written (a closed stdout) must not stop the proxy.
                let _ = out.write_all(&batch);
                let _ = out.flush();
            }
            // Keep the buffer from holding a burst's worth of memory forever.
            if batch.capacity() > MAX_PENDING {
                batch = Vec::new();
            }
            self.lock().writing = false;
            self.changed.notify_all();
        }
    }

    /// Waits until every line appended before the call is written.
    fn flush(&self) {
        let mut pending = self.lock();
        while !pending.bytes.is_empty() || pending.writing {
            pending.flush = true;
            self.changed.notify_all();
            pending = self.wait(pending);
        }
    }
}

/// A `MakeWriter` for `tracing_subscriber::fmt`: each event's formatted line goes to the
/// writer thread.
#[derive(Debug, Clone)]
pub struct LogWriter {
    shared: Arc<Shared>,
}

impl LogWriter {
    /// A writer whose lines a new thread writes to `out`.
    pub fn spawn(out: impl Write + Send + 'static) -> LogWriter {
        let shared = Arc::new(Shared::default());
        let writer = shared.clone();
        let mut out = out;
        std::thread::Builder::new()
            .name("log-writer".to_owned())
            .spawn(move || writer.run(&mut out))
            .expect("the log writer thread starts");
        LogWriter { shared }
    }

    /// Returns once every line logged before the call is written.
    pub fn flush(&self) {
        self.shared.flush();
    }
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.shared.append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> LogWriter {
        self.clone()
    }
}

/// The process's log writer, once [`stdout`] made it.
static STDOUT: OnceLock<LogWriter> = OnceLock::new();

/// The writer of the process's log lines to stdout (its thread starts at the first call).
pub fn stdout() -> LogWriter {
    STDOUT
        .get_or_init(|| LogWriter::spawn(std::io::stdout()))
        .clone()
}

/// Waits until every line logged so far is on stdout (nothing to do when nothing logged).
pub fn flush() {
    if let Some(writer) = STDOUT.get() {
        writer.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Write` into a shared vector, slow enough that lines pile up behind it.
    #[derive(Clone, Default)]
    struct Sink {
        bytes: Arc<Mutex<Vec<u8>>>,
        writes: Arc<Mutex<usize>>,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_millis(1));
            self.bytes.lock().unwrap().extend_from_slice(buf);
            *self.writes.lock().unwrap() += 1;
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_in_order_once_flushed() {
        let sink = Sink::default();
        let writer = LogWriter::spawn(sink.clone());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let mut w = writer.clone();
                std::thread::spawn(move || {
                    for i in 0..500 {
                        w.write_all(format!("t{t} line {i}\n").as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        writer.flush();
        let text = String::from_utf8(sink.bytes.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 2000);
        for t in 0..4 {
            let mine: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with(&format!("t{t} ")))
                .collect();
            let expected: Vec<String> = (0..500).map(|i| format!("t{t} line {i}")).collect();
            assert_eq!(mine, expected, "thread {t}'s lines, in its order");
        }
        let writes = *sink.writes.lock().unwrap();
        assert!(writes < 2000, "lines share writes: {writes} writes");
    }

    #[test]
    fn a_full_buffer_makes_the_logger_wait_not_drop() {
        let sink = Sink::default();
        let writer = LogWriter::spawn(sink.clone());
        let mut w = writer.clone();
        let line = vec![b'x'; 64 * 1024];
        for _ in 0..40 {
            w.write_all(&line).unwrap();
        }
        writer.flush();
        assert_eq!(sink.bytes.lock().unwrap().len(), 40 * 64 * 1024);
    }

    #[test]
    fn flush_with_nothing_logged_returns() {
        let writer = LogWriter::spawn(Sink::default());
        writer.flush();
        flush();
    }
}
