//! The forwarder's stop signal, as one type.
//!
//! [`channel`] makes a [`Trigger`] (held by `run_with`) and a [`Signal`]
//! (cloned into every source, sink, server and watcher). Every task that
//! must stop selects on [`Signal::stopped`] or checks
//! [`Signal::is_stopped`]; nothing else needs to know how the stop is
//! carried, and no module reaches into another's to wait for it.
//!
//! Stopping is one-way: once triggered it stays triggered. Dropping the
//! trigger stops everything too, so a `run_with` that returns early (an
//! error during start-up) never leaves tasks running.

use tokio::sync::watch;

/// Makes a trigger and the signal it fires.
pub fn channel() -> (Trigger, Signal) {
    let (tx, rx) = watch::channel(false);
    (Trigger(tx), Signal(rx))
}

/// Fires the stop signal (on [`Trigger::stop`] or when dropped).
#[derive(Debug)]
pub struct Trigger(watch::Sender<bool>);

impl Trigger {
    /// Tells every holder of the signal to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Drop for Trigger {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Tells a task that the forwarder is stopping.
#[derive(Debug, Clone)]
pub struct Signal(watch::Receiver<bool>);

impl Signal {
    /// Whether the stop was triggered.
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once the stop is triggered (at once if it was).
    pub async fn stopped(&self) {
        let mut rx = self.0.clone();
        // `wait_for` fails only when the trigger is gone, which stops too.
        let _ = rx.wait_for(|&stop| stop).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stop_reaches_every_clone_and_stays() {
        let (trigger, signal) = channel();
        let other = signal.clone();
        assert!(!signal.is_stopped());
        let waiting = tokio::spawn(async move { other.stopped().await });
        trigger.stop();
        waiting.await.unwrap();
        assert!(signal.is_stopped());
        signal.stopped().await;
    }

    #[tokio::test]
    async fn dropping_the_trigger_stops_too() {
        let (trigger, signal) = channel();
        drop(trigger);
        signal.stopped().await;
    }
}
