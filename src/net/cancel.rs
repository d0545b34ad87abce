//! Cancelling requests: one token shared by every request (and wait) of a load. Apart
//! from the transport so the pacing's waits can be cancelled too without an import cycle.

use futures::channel::oneshot;
use std::cell::RefCell;
use std::rc::Rc;

/// Cancels every request started with it. Cloning shares the token.
#[derive(Clone, Default)]
pub struct CancelToken(Rc<RefCell<CancelInner>>);

#[derive(Default)]
struct CancelInner {
    cancelled: bool,
    waiters: Vec<oneshot::Sender<()>>,
}

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        let waiters = {
            let mut inner = self.0.borrow_mut();
            inner.cancelled = true;
            std::mem::take(&mut inner.waiters)
        };
        for w in waiters {
            let _ = w.send(());
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.borrow().cancelled
    }

    /// Resolves when [`CancelToken::cancel`] is called.
    pub async fn cancelled(&self) {
        let rx = {
            let mut inner = self.0.borrow_mut();
            if inner.cancelled {
                return;
            }
            let (tx, rx) = oneshot::channel();
            inner.waiters.push(tx);
            rx
        };
        let _ = rx.await;
    }
}
