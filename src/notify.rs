//! Delivering reminders. Behind a trait so that `nag`'s logic is tested with a fake; the real
//! desktop path is tested against a fake notification service on a private D-Bus.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::reminder::Reminder;

/// A hung notification daemon blocks notify-rust forever; nobody waits longer than this.
pub const DESKTOP_TIMEOUT: Duration = Duration::from_secs(2);

pub trait Notifier {
    /// Delivers one reminder, or says why it could not.
    fn notify(&self, reminder: &Reminder) -> Result<(), String>;
}

/// Desktop notifications through notify-rust (org.freedesktop.Notifications on the session bus).
pub struct Desktop {
    timeout: Duration,
    /// False when there is no session bus at all: fail at once instead of trying.
    bus: bool,
}

impl Desktop {
    /// Finds the session bus. Under cron `DBUS_SESSION_BUS_ADDRESS` is unset, but the user's
    /// session bus usually still listens at `$XDG_RUNTIME_DIR/bus` or `/run/user/UID/bus`.
    /// Call before any thread is started: it may set the variable for notify-rust to read.
    pub fn connect() -> Desktop {
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
            || match session_bus_socket() {
                Some(socket) => {
                    // SAFETY: nag calls this before it starts any thread, so nothing else can be
                    // reading the environment concurrently.
                    unsafe {
                        std::env::set_var(
                            "DBUS_SESSION_BUS_ADDRESS",
                            format!("unix:path={}", socket.display()),
                        )
                    };
                    true
                }
                None => false,
            };
        Desktop {
            timeout: DESKTOP_TIMEOUT,
            bus,
        }
    }
}

fn session_bus_socket() -> Option<PathBuf> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    // The owner of /proc/self is this process's user: the uid without an unsafe libc call.
    let uid = std::fs::metadata("/proc/self").ok().map(|m| m.uid());
    let candidates = runtime
        .map(|dir| dir.join("bus"))
        .into_iter()
        .chain(uid.map(|uid| PathBuf::from(format!("/run/user/{uid}/bus"))));
    candidates
        .into_iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.file_type().is_socket()))
}

impl Notifier for Desktop {
    fn notify(&self, reminder: &Reminder) -> Result<(), String> {
        if !self.bus {
            return Err(
                "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset, no $XDG_RUNTIME_DIR/bus)"
                    .into(),
            );
        }
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("promise")
            .summary(&reminder.summary)
            .body(&reminder.body);
        if reminder.overdue {
            notification.urgency(notify_rust::Urgency::Critical);
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(notification.show().map(drop).map_err(|e| e.to_string()));
        });
        // A thread stuck in a hung daemon is abandoned; it ends with the process.
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result.map_err(|e| format!("the notification service said no: {e}")),
            Err(_) => Err(format!(
                "no answer from the notification service in {} s",
                self.timeout.as_secs()
            )),
        }
    }
}

#[cfg(test)]
pub mod fake {
    use std::cell::RefCell;

    use super::*;

    /// Records what it is asked to deliver; fails when told to.
    #[derive(Default)]
    pub struct Recorder {
        pub sent: RefCell<Vec<String>>,
        pub fail: bool,
    }

    impl Notifier for Recorder {
        fn notify(&self, reminder: &Reminder) -> Result<(), String> {
            if self.fail {
                return Err("no service".into());
            }
            self.sent.borrow_mut().push(reminder.line());
            Ok(())
        }
    }
}
