//! A request whose client goes away is dropped wherever it is waiting, opening a write session
//! included. That must never leave a pooled connection inside a transaction: SQLite has one
//! writer connection, so one such connection would fail every later write.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use roster_core::store::Store;

#[allow(dead_code)] // Of the shared helpers, this file needs only the stores.
mod common;
use common::{stores, tenant};

/// Polls `future` `polls` times, giving the database `pause` between polls to answer, then drops
/// it, however far it got.
async fn cancel_after<F: Future>(future: F, polls: usize, pause: Duration) {
    let mut future = pin!(future);
    for _ in 0..polls {
        let ready = std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx).is_ready()));
        if ready.await {
            return;
        }
        // Blocking on purpose: the answer arrives, and nobody reads it before the drop.
        std::thread::sleep(pause);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_work_after_write_sessions_are_cancelled_while_opening() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        for round in 0..200u64 {
            let pause = Duration::from_micros(50 * (round % 9));
            cancel_after(store.writer(), 1 + (round % 4) as usize, pause).await;
            // A cancelled begin may still be finishing elsewhere: let it, now and then.
            if round % 5 == 0 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        for name in ["Acme", "Globex"] {
            let mut session = store
                .writer()
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
            session.insert_tenant(&tenant(name)).await.expect("insert");
            session
                .commit()
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
    }
}
