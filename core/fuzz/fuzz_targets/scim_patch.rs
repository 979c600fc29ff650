//! Fuzzes `orgkit::scim::patch::apply_patch`: for any JSON body applied to a fixed Group and
//! User, with every tolerance on and with none, it must never panic, and a successful outcome's
//! resource is again a JSON object that the same body can be applied to.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgkit::scim::patch::{apply_patch, PatchTolerance};
use orgkit::Limits;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let limits = Limits::default();
    let resources = [
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1",
               "displayName": "Tour Guides", "members": [{"value": "u1"}, {"value": "u2"}]}),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "bjensen",
               "active": true, "emails": [{"value": "b@example.com", "type": "work", "primary": true}]}),
    ];
    for resource in &resources {
        for tolerance in [PatchTolerance::default(), PatchTolerance::strict()] {
            if let Ok(outcome) = apply_patch(resource, &body, &tolerance, &limits) {
                assert!(outcome.resource.is_object(), "a resource stays an object");
                // Applying the same body to its own result must not panic either.
                let _ = apply_patch(&outcome.resource, &body, &tolerance, &limits);
            }
        }
    }
});
