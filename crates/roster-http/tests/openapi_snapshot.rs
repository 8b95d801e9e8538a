//! The OpenAPI document is generated from the route code; this snapshot makes every change to the
//! public API visible in review. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test -p roster-http`.

use std::path::Path;

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    let mut document = roster_http::openapi();
    document.info.version = "snapshot".to_owned();
    let generated = serde_json::to_string_pretty(&document).expect("serialise") + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent"))
            .expect("create the snapshot folder");
        std::fs::write(&path, &generated).expect("write the snapshot");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "the OpenAPI document changed; review it and run `UPDATE_SNAPSHOTS=1 cargo test -p roster-http` \
         to accept it ({})",
        path.display()
    );
}
