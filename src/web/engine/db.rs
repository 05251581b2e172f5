//! The engine's database handle: opened once and kept for the page's saves
//! (one a keystroke) and every read, and opened afresh after a failure.

use std::cell::RefCell;

use crate::web::platform::idb::{Db, StoreError};

thread_local! {
    static DB: RefCell<Option<Db>> = const { RefCell::new(None) };
}

/// The database, opened once and kept.
pub(in crate::web::engine) async fn db() -> Result<Db, StoreError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Db::open().await?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// A write failed: the next one opens the database afresh.
pub(in crate::web::engine) fn reopen_next_time() {
    DB.with(|d| d.borrow_mut().take());
}
