//! Which console page an address shows. The console has five fixed pages, so
//! a plain match on the path replaces a router library (leptos_router cost
//! 48,647 bytes of gzipped wasm, measured 2026-11-28, for what this match and
//! `ui::nav` do).

/// A page of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    DirectConnect,
    DirectLink,
    Outposts,
    Oci,
    /// Any other path: "No such page."
    Unknown,
}

impl Page {
    /// The pages with a link in the navigation bar, in its order.
    pub const NAV: [Page; 4] = [
        Page::DirectConnect,
        Page::DirectLink,
        Page::Outposts,
        Page::Oci,
    ];

    /// The page's path under the base path.
    pub fn path(self) -> &'static str {
        match self {
            Page::Home | Page::Unknown => "/",
            Page::DirectConnect => "/directconnect",
            Page::DirectLink => "/directlink",
            Page::Outposts => "/outposts",
            Page::Oci => "/oci",
        }
    }

    /// The page at `pathname` (the browser's `location.pathname`) under
    /// `base` (`""` or `/prefix`). A trailing slash is ignored; a path outside
    /// the base is [`Page::Unknown`].
    pub fn at(base: &str, pathname: &str) -> Page {
        let Some(rest) = pathname.strip_prefix(base) else {
            return Page::Unknown;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Page::Unknown;
        }
        match rest.trim_end_matches('/') {
            "" => Page::Home,
            "/directconnect" => Page::DirectConnect,
            "/directlink" => Page::DirectLink,
            "/outposts" => Page::Outposts,
            "/oci" => Page::Oci,
            _ => Page::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn paths_map_to_their_pages_at_the_root() {
        assert_eq!(Page::at("", "/"), Page::Home);
        assert_eq!(Page::at("", ""), Page::Home);
        assert_eq!(Page::at("", "/directconnect"), Page::DirectConnect);
        assert_eq!(Page::at("", "/directconnect/"), Page::DirectConnect);
        assert_eq!(Page::at("", "/directlink"), Page::DirectLink);
        assert_eq!(Page::at("", "/outposts"), Page::Outposts);
        assert_eq!(Page::at("", "/oci"), Page::Oci);
        assert_eq!(Page::at("", "/ocix"), Page::Unknown);
        assert_eq!(Page::at("", "/oci/extra"), Page::Unknown);
    }

    #[test]
    fn paths_are_read_under_the_base_path() {
        assert_eq!(Page::at("/cl", "/cl/"), Page::Home);
        assert_eq!(Page::at("/cl", "/cl"), Page::Home);
        assert_eq!(Page::at("/cl", "/cl/oci"), Page::Oci);
        assert_eq!(Page::at("/cl", "/clx/oci"), Page::Unknown);
        assert_eq!(Page::at("/cl", "/oci"), Page::Unknown);
    }

    #[test]
    fn every_page_path_leads_back_to_its_page() {
        for page in Page::NAV {
            assert_eq!(Page::at("/p", &format!("/p{}", page.path())), page);
        }
        assert_eq!(Page::at("", Page::Home.path()), Page::Home);
    }
}
