//! OCI answers a list one page at a time and names the next page in `opc-next-page`. A console
//! that showed only the first page would hide console connections without saying so, so the
//! console follows the pages, up to a cap that keeps a huge compartment from stalling the page,
//! and says when it stopped early.

use cloudlink_core::oci::ListInstanceConsoleConnectionsRequest;
use cloudlink_core::wire::header;

/// The header naming the next page of an OCI list.
pub const NEXT_PAGE_HEADER: &str = "opc-next-page";
/// Items asked for per call (core accepts 1–1000).
pub const PAGE_SIZE: i64 = 100;
/// Pages read before the console stops and says the list is cut short.
pub const MAX_PAGES: usize = 10;

/// What to do after a page arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// Ask for this request next.
    Fetch(ListInstanceConsoleConnectionsRequest),
    /// That was the last page.
    Done,
    /// There are more pages than [`MAX_PAGES`]: stop, and say so.
    Truncated,
}

/// Walks the pages of one listing.
#[derive(Debug, Clone)]
pub struct Pager {
    base: ListInstanceConsoleConnectionsRequest,
    pages_read: usize,
}

impl Pager {
    /// Pages through `base` (its filters are kept; a missing limit becomes [`PAGE_SIZE`]).
    pub fn new(mut base: ListInstanceConsoleConnectionsRequest) -> Self {
        base.limit.get_or_insert(PAGE_SIZE);
        base.page = None;
        Self {
            base,
            pages_read: 0,
        }
    }

    /// The first call.
    pub fn first(&self) -> ListInstanceConsoleConnectionsRequest {
        self.base.clone()
    }

    /// Reads the headers of the page that just arrived.
    pub fn after(&mut self, headers: &[(String, String)]) -> NextPage {
        self.pages_read += 1;
        let Some(token) = header(headers, NEXT_PAGE_HEADER).filter(|t| !t.is_empty()) else {
            return NextPage::Done;
        };
        if self.pages_read >= MAX_PAGES {
            return NextPage::Truncated;
        }
        NextPage::Fetch(ListInstanceConsoleConnectionsRequest {
            page: Some(token.to_owned()),
            ..self.base.clone()
        })
    }
}

/// Every page of a list, and whether the console stopped before the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ListInstanceConsoleConnectionsRequest {
        ListInstanceConsoleConnectionsRequest {
            compartment_id: Some("ocid1.compartment.oc1..aaaa".to_owned()),
            instance_id: Some("ocid1.instance.oc1.phx.bbbb".to_owned()),
            limit: None,
            page: Some("stale".to_owned()),
        }
    }

    fn next(token: &str) -> Vec<(String, String)> {
        vec![("Opc-Next-Page".to_owned(), token.to_owned())]
    }

    #[test]
    fn the_first_call_keeps_the_filters_and_asks_for_a_page_size() {
        let first = Pager::new(base()).first();
        assert_eq!(first.compartment_id, base().compartment_id);
        assert_eq!(first.instance_id, base().instance_id);
        assert_eq!(first.limit, Some(PAGE_SIZE));
        assert_eq!(first.page, None);
    }

    #[test]
    fn a_limit_the_caller_chose_is_kept() {
        let mut b = base();
        b.limit = Some(7);
        assert_eq!(Pager::new(b).first().limit, Some(7));
    }

    #[test]
    fn a_next_page_header_asks_for_that_page_with_the_same_filters() {
        let mut pager = Pager::new(base());
        let NextPage::Fetch(second) = pager.after(&next("tok-2")) else {
            panic!("a next page was named");
        };
        assert_eq!(second.page.as_deref(), Some("tok-2"));
        assert_eq!(second.instance_id, base().instance_id);
        assert_eq!(second.limit, Some(PAGE_SIZE));
        let NextPage::Fetch(third) = pager.after(&next("tok-3")) else {
            panic!("a next page was named");
        };
        assert_eq!(third.page.as_deref(), Some("tok-3"));
    }

    #[test]
    fn no_header_or_an_empty_one_ends_the_listing() {
        assert_eq!(Pager::new(base()).after(&[]), NextPage::Done);
        assert_eq!(Pager::new(base()).after(&next("")), NextPage::Done);
    }

    #[test]
    fn the_pager_stops_at_the_cap_and_says_so() {
        let mut pager = Pager::new(base());
        for page in 1..MAX_PAGES {
            assert!(
                matches!(pager.after(&next("more")), NextPage::Fetch(_)),
                "page {page} leads to another"
            );
        }
        assert_eq!(pager.after(&next("more")), NextPage::Truncated);
    }

    #[test]
    fn the_last_allowed_page_without_a_next_is_not_truncated() {
        let mut pager = Pager::new(base());
        for _ in 1..MAX_PAGES {
            pager.after(&next("more"));
        }
        assert_eq!(pager.after(&[]), NextPage::Done);
    }
}
