//! Hand-written SQL that PostgreSQL prepares once per connection.
//!
//! Diesel treats `sql_query` text as unsafe to cache, so diesel-async prepares it anew
//! on every call: one extra round trip (Parse/Describe) before each Bind/Execute. On the
//! survey-save hot path that doubled the round trips. Statements wrapped here have fixed
//! text (their shape never depends on data), so the connection's statement cache, keyed
//! by that text and the bind types, is safe and bounded by the number of call sites.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

/// A `sql_query` (with its binds) whose statement is kept prepared on the connection.
/// Use only for SQL text that is a constant: every distinct text is cached for the life
/// of the connection.
#[derive(Debug, Clone)]
pub struct Prepared<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    // No static id: the cache is keyed by the SQL text, which differs per call site.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

/// `.prepared()` on a constant-text `sql_query` keeps its statement prepared on the connection.
pub trait KeepPrepared: Sized {
    /// Wraps the query in [`Prepared`].
    fn prepared(self) -> Prepared<Self> {
        Prepared(self)
    }
}

impl<Q: QueryFragment<Pg>> KeepPrepared for Q {}
