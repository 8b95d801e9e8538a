//! Test fixtures: subsets of the RFC 7643 §8.7 User, Group and enterprise User schemas.

use serde_json::{json, Value};

use crate::schema::{ResourceSchema, Schema};

pub(crate) const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(crate) const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn schema(document: Value) -> Schema {
    serde_json::from_value(document).expect("test schema document is valid")
}

fn core_user() -> Schema {
    schema(json!({
        "id": CORE_USER, "name": "User", "description": "User Account",
        "attributes": [
            {"name": "userName", "type": "string", "required": true, "uniqueness": "server"},
            {"name": "name", "type": "complex", "subAttributes": [
                {"name": "formatted", "type": "string"},
                {"name": "familyName", "type": "string"},
                {"name": "givenName", "type": "string"}
            ]},
            {"name": "displayName", "type": "string"},
            {"name": "title", "type": "string"},
            {"name": "userType", "type": "string"},
            {"name": "active", "type": "boolean"},
            {"name": "password", "type": "string", "mutability": "writeOnly", "returned": "never"},
            {"name": "emails", "type": "complex", "multiValued": true, "subAttributes": [
                {"name": "value", "type": "string"},
                {"name": "display", "type": "string"},
                {"name": "type", "type": "string",
                 "canonicalValues": ["work", "home", "other"]},
                {"name": "primary", "type": "boolean"}
            ]},
            {"name": "ims", "type": "complex", "multiValued": true, "subAttributes": [
                {"name": "value", "type": "string"},
                {"name": "type", "type": "string"},
                {"name": "primary", "type": "boolean"}
            ]},
            {"name": "groups", "type": "complex", "multiValued": true, "mutability": "readOnly",
             "subAttributes": [
                {"name": "value", "type": "string", "mutability": "readOnly"},
                {"name": "$ref", "type": "reference", "referenceTypes": ["Group"],
                 "mutability": "readOnly"},
                {"name": "display", "type": "string", "mutability": "readOnly"}
            ]},
            {"name": "x509Certificates", "type": "complex", "multiValued": true,
             "returned": "request", "subAttributes": [
                {"name": "value", "type": "binary", "caseExact": true}
            ]},
            {"name": "nickName", "type": "string", "mutability": "immutable"},
            {"name": "loginCount", "type": "integer"},
            {"name": "score", "type": "decimal"},
            {"name": "hireDate", "type": "dateTime"}
        ]
    }))
}

fn enterprise_user() -> Schema {
    schema(json!({
        "id": ENTERPRISE, "name": "EnterpriseUser",
        "attributes": [
            {"name": "employeeNumber", "type": "string"},
            {"name": "department", "type": "string"},
            {"name": "manager", "type": "complex", "subAttributes": [
                {"name": "value", "type": "string"},
                {"name": "$ref", "type": "reference", "referenceTypes": ["User"]},
                {"name": "displayName", "type": "string", "mutability": "readOnly"}
            ]}
        ]
    }))
}

/// The User resource type: core User (plus a few typed attributes for the comparison rules)
/// with the enterprise extension.
pub(crate) fn user_schema() -> ResourceSchema {
    ResourceSchema::new(core_user(), vec![enterprise_user()])
}

/// The Group resource type.
pub(crate) fn group_schema() -> ResourceSchema {
    let core = schema(json!({
        "id": "urn:ietf:params:scim:schemas:core:2.0:Group", "name": "Group",
        "attributes": [
            {"name": "displayName", "type": "string", "required": true},
            {"name": "members", "type": "complex", "multiValued": true, "subAttributes": [
                {"name": "value", "type": "string", "mutability": "immutable"},
                {"name": "$ref", "type": "reference", "referenceTypes": ["User", "Group"],
                 "mutability": "immutable"},
                {"name": "display", "type": "string"},
                {"name": "type", "type": "string", "canonicalValues": ["User", "Group"],
                 "mutability": "immutable"}
            ]}
        ]
    }));
    ResourceSchema::new(core, Vec::new())
}

/// Barbara Jensen, after RFC 7643 §8.2, with the enterprise extension filled in.
pub(crate) fn bjensen() -> Value {
    json!({
        "schemas": [CORE_USER, ENTERPRISE],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen",
                 "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "password": "t1meMa$heen",
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "groups": [{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides"}],
        "loginCount": 12,
        "score": 4.5,
        "hireDate": "2010-01-23T04:56:22Z",
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "version": "W/\"3694e05e9dff591\"",
            "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
        },
        ENTERPRISE: {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John"}
        }
    })
}
