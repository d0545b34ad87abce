//! The requests of a call search: the vendors' calls endpoints through the transport, and
//! each call's deliveries through the lookup runner (`net::lookup::run`, the same code as
//! a lookup of the form). Paced like every fan-out: per connection, at most
//! [`CONCURRENCY`] requests at once across all the search's jobs (which start at
//! different times: a card's deliveries when it is shown), and a 429 pauses every
//! request to that connection by the one policy.

use crate::net::lookup::{self, LookupResult, CONCURRENCY};
use crate::net::pacing::{OnWait, Pause};
use crate::net::transport::{send, CancelToken, Failure};
use hookscope_core::calls::{CallPage, CallQuery};
use hookscope_core::connection::Connection;
use hookscope_core::error::ErrorKind;
use hookscope_core::lookup::Lookup;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::{Poll, Waker};

/// At most `n` holders at once; the rest wait their turn.
pub struct Gate {
    free: Cell<usize>,
    waiting: RefCell<Vec<Waker>>,
}

/// A place in a [`Gate`], given back when dropped.
pub struct Permit(Rc<Gate>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.free.set(self.0.free.get().saturating_add(1));
        // Every waiter is woken: one that was dropped meanwhile must not keep the place.
        for w in self.0.waiting.take() {
            w.wake();
        }
    }
}

impl Gate {
    pub fn new(n: usize) -> Rc<Gate> {
        Rc::new(Gate {
            free: Cell::new(n.max(1)),
            waiting: RefCell::new(Vec::new()),
        })
    }

    pub async fn enter(self: &Rc<Self>) -> Permit {
        std::future::poll_fn(|cx| {
            let free = self.free.get();
            if free > 0 {
                self.free.set(free - 1);
                Poll::Ready(())
            } else {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        Permit(self.clone())
    }
}

/// One connection's pacing within one search.
pub struct Pacer {
    gate: Rc<Gate>,
    pause: Rc<Pause>,
}

impl Pacer {
    /// `on_wait` is told the seconds left of a rate-limit pause (`None` when it ends).
    pub fn new(on_wait: OnWait) -> Rc<Pacer> {
        Rc::new(Pacer {
            gate: Gate::new(CONCURRENCY),
            pause: Pause::new(on_wait),
        })
    }
}

/// Asks a calls endpoint and reads the answer (a one-call 404 is "no such call", not an
/// error: [`CallQuery::read`]).
pub async fn read_calls(
    conn: &Connection,
    query: &CallQuery,
    pacer: &Pacer,
    cancel: &CancelToken,
) -> Result<CallPage, Failure> {
    let _turn = pacer.gate.enter().await;
    let req = query.request();
    let mut waits = 0u32;
    loop {
        if !pacer.pause.wait(cancel).await {
            return Err(Failure::Cancelled);
        }
        let raw = send(conn, &req, cancel).await?;
        match query.read(&raw, chrono::Utc::now()) {
            Err(e)
                if e.kind == ErrorKind::RateLimited
                    && pacer.pause.rate_limited(e.retry_after_secs, waits) =>
            {
                waits = waits.saturating_add(1);
            }
            Err(e) => return Err(Failure::Api(e)),
            Ok(page) => return Ok(page),
        }
    }
}

/// A call's deliveries, by the lookup runner, in its turn on the connection.
pub async fn deliveries(
    conn: &Connection,
    lookup: &Lookup,
    pacer: &Pacer,
    cancel: &CancelToken,
) -> Result<LookupResult, Failure> {
    let _turn = pacer.gate.enter().await;
    if !pacer.pause.wait(cancel).await {
        return Err(Failure::Cancelled);
    }
    lookup::run(conn, lookup, cancel, Rc::new(|_| {})).await
}
