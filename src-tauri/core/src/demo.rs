//! The demo workspace: the alliance's real partner institutions with made-up contacts.

use rusqlite::Connection;

use crate::clock::Clock;
use crate::error::Result;

pub fn load(_conn: &mut Connection, _clock: &dyn Clock) -> Result<()> {
    Ok(())
}
