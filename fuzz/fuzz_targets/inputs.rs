//! What a person pastes or a link carries: the call-ID list, webhook and base URLs, typed
//! IDs, the explorer's URL state (which must read back what it writes), runtime config
//! (with its managed connections), the team's session file
//! and the payload viewer's own JSON parser.
#![no_main]

use hookscope::data::query::ExplorerQuery;
use hookscope_core::bulk::{check_webhook_url, parse_ids};
use hookscope_core::ids::{clean_base_url, PathId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_ids(&text);
    let _ = check_webhook_url(&text);
    let _ = clean_base_url(&text);
    let _ = PathId::typed("ID", &text);
    let _ = hookscope::platform::config::RuntimeConfig::parse(&text);
    let _ = hookscope::platform::session::Session::parse(&text);
    let _ = hookscope::components::delivery_detail::json_tree::JNode::parse(&text);
    let (q, _) = ExplorerQuery::parse(&text);
    let href = q.to_href();
    let (again, problems) = ExplorerQuery::parse(href.trim_start_matches("/explorer"));
    assert!(problems.is_empty(), "{href}: {problems:?}");
    assert_eq!(again.to_href(), href);
    // The call search (`q`, `as`) and the filter search (`search`) read back as written.
    assert_eq!(again.find, q.find, "{href}");
    assert_eq!(again.filters.q, q.filters.q, "{href}");
});
