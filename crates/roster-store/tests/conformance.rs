//! The storage conformance suite: what every implementation of the core's `Store` must do, run
//! against SQLite and PostgreSQL alike.

use roster_core::credential::CredentialHash;
use roster_core::id::{CustomFieldId, DepartmentId, UserId};
use roster_core::model::{
    now, Actor, ApiKey, AuditEvent, AwsCredentials, AzureCredentials, CloudSyncLicense,
    CustomField, CustomValue, Department,
};
use roster_core::query::{Condition, PageRequest, Sort, UserFilter, UserQuery, UserSortKey};
use roster_core::store::Store;
use roster_core::values::{FieldEntity, FieldType, Scope, UserStatus};
use roster_store::{Backend, SqlStore};
use serde_json::json;

mod common;
use common::{assert_conflict_on, stores, tenant, user};

#[tokio::test]
async fn both_backends_have_the_same_migration_versions() {
    assert_eq!(
        SqlStore::migration_versions(Backend::Sqlite),
        SqlStore::migration_versions(Backend::Postgres)
    );
    let sqlite = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .expect("dir")
        .count();
    let postgres = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .expect("dir")
        .count();
    assert_eq!(sqlite, postgres, "both folders hold the same migrations");
    assert_eq!(
        sqlite,
        SqlStore::migration_versions(Backend::Sqlite).len(),
        "every file is registered"
    );
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    for (_database, store) in stores().await {
        let first = store.migrate().await.expect("migrate");
        let second = store.migrate().await.expect("migrate again");
        assert_eq!(first, second, "{}", store.backend());
    }
}

#[tokio::test]
async fn tenants_and_api_keys_round_trip() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let made = ApiKey::generate(acme.id.clone(), "ci".into(), Scope::Read, None);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_api_key(&made.key).await.expect("key");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            session.tenant_by_slug("acme").await.expect("read"),
            Some(acme.clone())
        );
        let found = session
            .api_key_by_hash(&ApiKey::hash_secret(&made.secret))
            .await
            .expect("read");
        assert_eq!(found, Some(made.key.clone()), "{}", store.backend());
        assert_eq!(session.api_key_by_hash("nope").await.expect("read"), None);

        let mut session = store.writer().await.expect("writer");
        let duplicate = tenant("Acme");
        let error = session
            .insert_tenant(&duplicate)
            .await
            .expect_err("slug is unique");
        assert_conflict_on(&error, "slug");
    }
}

#[tokio::test]
async fn a_key_bound_to_a_user_is_unbound_when_the_user_is_deleted() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let made = ApiKey::generate(
            acme.id.clone(),
            "ci".into(),
            Scope::Write,
            Some(ada.id.clone()),
        );
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&ada).await.expect("user");
        session.insert_api_key(&made.key).await.expect("key");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let found = session
            .api_key(&made.key.id)
            .await
            .expect("read")
            .expect("key");
        assert_eq!(found.user_id, Some(ada.id.clone()), "{}", store.backend());
        session
            .delete_user(&acme.id, &ada.id)
            .await
            .expect("delete");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let found = session
            .api_key(&made.key.id)
            .await
            .expect("read")
            .expect("key stays");
        assert_eq!(found.user_id, None, "{}", store.backend());
    }
}

#[tokio::test]
async fn a_write_session_dropped_without_commit_leaves_nothing() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        {
            let mut session = store.writer().await.expect("writer");
            session.insert_tenant(&acme).await.expect("tenant");
        }
        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            session.tenant(&acme.id).await.expect("read"),
            None,
            "{}",
            store.backend()
        );
    }
}

#[tokio::test]
async fn users_round_trip_with_every_field_and_version_checks() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let department = Department {
            id: DepartmentId::generate(),
            tenant_id: acme.id.clone(),
            name: "Engineering".into(),
            created_at: now(),
            updated_at: now(),
        };
        let field = CustomField {
            id: CustomFieldId::generate(),
            tenant_id: acme.id.clone(),
            name: "Location".into(),
            field_type: FieldType::Select,
            options: vec!["India".into()],
            entity: FieldEntity::User,
            created_at: now(),
            updated_at: now(),
        };
        let manager = user(&acme, "grace@example.com", "Grace Hopper");
        let mut ada = user(&acme, "Ada@Example.com", "Ada Lovelace");
        ada.department_id = Some(department.id.clone());
        ada.reporting_manager_id = Some(manager.id.clone());
        ada.archived = true;
        ada.is_ldap = true;
        ada.azure_credentials = Some(AzureCredentials {
            subscription_id: Some("sub".into()),
            tenant_id: None,
            application_id: Some("app".into()),
            application_key: Some(CredentialHash::from_secret("azure key").expect("hash")),
        });
        ada.aws_credentials = Some(AwsCredentials {
            access_key: Some("AKIA".into()),
            s3_bucket: None,
            secret_key: Some(CredentialHash::from_secret("aws key").expect("hash")),
        });
        ada.cloud_sync_license = Some(CloudSyncLicense {
            license_types: vec!["BYOL".into()],
            expiration_date: Some(1_893_456_000_000),
        });
        ada.custom_values = vec![CustomValue {
            field_id: field.id.clone(),
            value: json!("India"),
        }];

        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session
            .insert_department(&department)
            .await
            .expect("department");
        session.insert_custom_field(&field).await.expect("field");
        session.insert_user(&manager).await.expect("manager");
        session.insert_user(&ada).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .user(&acme.id, &ada.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, ada, "{}", store.backend());
        assert_eq!(
            session
                .user_id_by_email(&acme.id, "ADA@example.COM")
                .await
                .expect("read"),
            Some(ada.id.clone())
        );
        assert_eq!(
            session.manager_of(&acme.id, &ada.id).await.expect("read"),
            Some(manager.id.clone())
        );

        let mut changed = stored.clone();
        changed.status = UserStatus::Suspended;
        changed.version += 1;
        assert!(session
            .update_user(&changed, stored.version)
            .await
            .expect("update"));
        assert!(
            !session
                .update_user(&changed, stored.version)
                .await
                .expect("stale"),
            "a stale version writes nothing"
        );
        let clash = user(&acme, "ada@example.com", "Other Ada");
        let error = session
            .insert_user(&clash)
            .await
            .expect_err("email is unique per tenant");
        assert_conflict_on(&error, "email");
    }
}

#[tokio::test]
async fn deleting_a_manager_unlinks_their_reports() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let manager = user(&acme, "grace@example.com", "Grace Hopper");
        let mut report = user(&acme, "ada@example.com", "Ada Lovelace");
        report.reporting_manager_id = Some(manager.id.clone());
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&manager).await.expect("manager");
        session.insert_user(&report).await.expect("report");
        assert!(session
            .delete_user(&acme.id, &manager.id)
            .await
            .expect("delete"));
        let stored = session
            .user(&acme.id, &report.id, false)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored.reporting_manager_id, None);
        assert_eq!(stored.version, report.version + 1, "{}", store.backend());
    }
}

#[tokio::test]
async fn listing_users_filters_sorts_pages_and_stays_in_its_tenant() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let other = tenant("Other");
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_tenant(&other).await.expect("tenant");
        let mut ids = Vec::new();
        for (index, name) in ["Carol", "alice", "Bob", "dave_x"].iter().enumerate() {
            let mut member = user(&acme, &format!("{}@example.com", name.to_lowercase()), name);
            if index % 2 == 1 {
                member.status = UserStatus::Inactive;
            }
            session.insert_user(&member).await.expect("user");
            ids.push(member.id);
        }
        session
            .insert_user(&user(&other, "alice@example.com", "Alice Elsewhere"))
            .await
            .expect("user");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let by_name = UserQuery {
            sort: vec![Sort {
                key: UserSortKey::Name,
                descending: false,
            }],
            ..UserQuery::default()
        };
        let page = session.list_users(&acme.id, &by_name).await.expect("list");
        let names: Vec<_> = page
            .items
            .iter()
            .map(|u| u.display_name.to_string())
            .collect();
        assert_eq!(
            names,
            ["alice", "Bob", "Carol", "dave_x"],
            "{}",
            store.backend()
        );
        assert_eq!(page.total, 4);

        let inactive = UserQuery {
            conditions: vec![Condition {
                filter: UserFilter::Status(vec![UserStatus::Inactive]),
                negated: false,
            }],
            ..UserQuery::default()
        };
        assert_eq!(
            session
                .list_users(&acme.id, &inactive)
                .await
                .expect("list")
                .total,
            2
        );

        let wildcard = UserQuery {
            conditions: vec![Condition {
                filter: UserFilter::Search(vec!["_".into()]),
                negated: false,
            }],
            ..UserQuery::default()
        };
        let found = session.list_users(&acme.id, &wildcard).await.expect("list");
        assert_eq!(
            found.total, 1,
            "LIKE wildcards in a search term are taken literally"
        );

        let second_page = UserQuery {
            page: PageRequest::new(2, 3),
            ..by_name
        };
        let page = session
            .list_users(&acme.id, &second_page)
            .await
            .expect("list");
        assert_eq!((page.total, page.items.len()), (4, 1));
        let none: Vec<UserId> = Vec::new();
        let empty = UserQuery {
            conditions: vec![Condition {
                filter: UserFilter::Ids(none),
                negated: false,
            }],
            ..UserQuery::default()
        };
        assert_eq!(
            session
                .list_users(&acme.id, &empty)
                .await
                .expect("list")
                .total,
            0
        );
    }
}

#[tokio::test]
async fn audit_events_are_listed_newest_first_per_tenant() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let other = tenant("Other");
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_tenant(&other).await.expect("tenant");
        let actor = Actor::command_line();
        for action in ["user.create", "user.update"] {
            let event = AuditEvent::new(
                acme.id.clone(),
                &actor,
                action,
                "x",
                roster_core::model::diff(&json!({"a": 1}), &json!({"a": 2})),
            );
            session.append_audit(&event).await.expect("append");
        }
        session
            .append_audit(&AuditEvent::new(
                other.id.clone(),
                &actor,
                "user.delete",
                "y",
                vec![],
            ))
            .await
            .expect("append");
        session.commit().await.expect("commit");
        let mut session = store.reader().await.expect("reader");
        let page = session
            .list_audit(&acme.id, PageRequest::default())
            .await
            .expect("list");
        let actions: Vec<_> = page.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["user.update", "user.create"],
            "{}",
            store.backend()
        );
        assert_eq!(page.items[0].changes[0].after, json!(2));
    }
}
