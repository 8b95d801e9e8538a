//! The storage conformance suite for applications, their licenses and their users, run against
//! SQLite and PostgreSQL alike.

use chrono::Duration;
use roster_core::id::{ApplicationId, CustomFieldId, LicenseId, TenantId, UserId};
use roster_core::model::{now, AppUser, Application, CustomField, CustomValue, License, Tenant};
use roster_core::money::{Amount, Currency};
use roster_core::query::{
    AppFilter, AppQuery, AppSortKey, AppUserFilter, AppUserQuery, AppUserScope, AppUserSortKey,
    Comparison, Condition, PageRequest, Sort,
};
use roster_core::store::{Session, Store};
use roster_core::values::{AppStatus, FieldEntity, FieldType, Name, UserStatus};
use roster_core::DomainError;
use serde_json::json;

mod common;
use common::{assert_conflict_on, stores, tenant, user};

fn app(tenant: &Tenant, name: &str) -> Application {
    Application::new(tenant.id.clone(), Name::parse(name).expect("name"))
}

fn license(app: &Application, name: &str, seats: Option<u64>) -> License {
    let now = now();
    License {
        id: LicenseId::generate(),
        tenant_id: app.tenant_id.clone(),
        app_id: app.id.clone(),
        name: Name::parse(name).expect("name"),
        seats,
        cost_per_seat: Amount::parse("9.99").expect("amount"),
        currency: Currency::usd(),
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

fn app_user(app: &Application, user: &UserId, licenses: &[&License]) -> AppUser {
    let mut app_user = AppUser::new(app.tenant_id.clone(), app.id.clone(), user.clone());
    app_user.licenses = licenses.iter().map(|license| license.id.clone()).collect();
    app_user.licenses.sort();
    app_user
}

fn condition<F>(filter: F) -> Condition<F> {
    Condition {
        filter,
        negated: false,
    }
}

async fn stored_app_user(
    session: &mut Box<dyn Session>,
    tenant: &TenantId,
    app_user: &AppUser,
) -> AppUser {
    session
        .app_user(tenant, &app_user.app_id, &app_user.user_id, false)
        .await
        .expect("read")
        .expect("exists")
}

#[tokio::test]
async fn applications_round_trip_with_tags_custom_values_and_version_checks() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let owner = user(&acme, "grace@example.com", "Grace Hopper");
        let field = CustomField {
            id: CustomFieldId::generate(),
            tenant_id: acme.id.clone(),
            name: "Vendor".into(),
            field_type: FieldType::Text,
            options: vec![],
            entity: FieldEntity::Application,
            created_at: now(),
            updated_at: now(),
        };
        let mut slack = app(&acme, "Slack");
        slack.owner_id = Some(owner.id.clone());
        slack.financial_owner_id = Some(owner.id.clone());
        slack.tags = vec!["Chat".into(), "internal".into()];
        slack.budget = Some(Amount::parse("1200.50").expect("amount"));
        slack.custom_values = vec![CustomValue {
            field_id: field.id.clone(),
            value: json!("Salesforce"),
        }];
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&owner).await.expect("owner");
        session.insert_custom_field(&field).await.expect("field");
        session.insert_application(&slack).await.expect("insert");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .application(&acme.id, &slack.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, slack, "{}", store.backend());
        assert_eq!(
            session
                .application_id_by_name(&acme.id, "SLACK")
                .await
                .expect("read"),
            Some(slack.id.clone())
        );

        let mut changed = stored.clone();
        changed.tags = vec!["chat".into()];
        changed.custom_values.clear();
        changed.budget = None;
        changed.version += 1;
        assert!(session
            .update_application(&changed, stored.version)
            .await
            .expect("update"));
        assert!(
            !session
                .update_application(&changed, stored.version)
                .await
                .expect("stale"),
            "a stale version writes nothing"
        );
        let stored = session
            .application(&acme.id, &slack.id, false)
            .await
            .expect("read");
        assert_eq!(stored, Some(changed));

        let error = session
            .insert_application(&app(&acme, "sLACK"))
            .await
            .expect_err("names are unique per tenant, regardless of case");
        assert_conflict_on(&error, "name");
    }
}

#[tokio::test]
async fn deleting_an_application_deletes_its_licenses_and_application_users() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let slack = app(&acme, "Slack");
        let pro = license(&slack, "Pro", Some(10));
        let member = app_user(&slack, &ada.id, &[&pro]);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&ada).await.expect("user");
        session.insert_application(&slack).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        session.insert_app_user(&member).await.expect("app user");

        let other = tenant("Other");
        session.insert_tenant(&other).await.expect("tenant");
        assert!(
            !session
                .delete_application(&other.id, &slack.id)
                .await
                .expect("delete"),
            "another tenant's application is not found"
        );
        assert!(session
            .delete_application(&acme.id, &slack.id)
            .await
            .expect("delete"));
        assert_eq!(
            session
                .license(&acme.id, &pro.id, false)
                .await
                .expect("read"),
            None,
            "{}",
            store.backend()
        );
        assert_eq!(
            session
                .app_user(&acme.id, &slack.id, &ada.id, false)
                .await
                .expect("read"),
            None
        );
        assert!(session
            .user(&acme.id, &ada.id, false)
            .await
            .expect("read")
            .is_some());
    }
}

#[tokio::test]
async fn deleting_a_user_clears_their_ownerships_and_their_uses() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let grace = user(&acme, "grace@example.com", "Grace Hopper");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let mut slack = app(&acme, "Slack");
        slack.owner_id = Some(grace.id.clone());
        slack.technical_owner_id = Some(ada.id.clone());
        slack.financial_owner_id = Some(grace.id.clone());
        let pro = license(&slack, "Pro", None);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&grace).await.expect("user");
        session.insert_user(&ada).await.expect("user");
        session.insert_application(&slack).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        session
            .insert_app_user(&app_user(&slack, &grace.id, &[&pro]))
            .await
            .expect("app user");

        assert!(session
            .delete_user(&acme.id, &grace.id)
            .await
            .expect("delete"));
        let stored = session
            .application(&acme.id, &slack.id, false)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(
            (
                stored.owner_id,
                stored.technical_owner_id,
                stored.financial_owner_id
            ),
            (None, Some(ada.id.clone()), None),
            "{}",
            store.backend()
        );
        assert_eq!(stored.version, slack.version + 1);
        let usage = session
            .license_usage(&acme.id, std::slice::from_ref(&pro.id), false)
            .await
            .expect("usage");
        assert_eq!(usage[0].seats_used, 0, "the seat went with the user");
    }
}

#[tokio::test]
async fn listing_applications_filters_sorts_and_pages() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let owner = user(&acme, "grace@example.com", "Grace Hopper");
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&owner).await.expect("owner");
        for (name, tag) in [
            ("zoom", "Video"),
            ("Asana", "tasks"),
            ("jira_cloud", "Tasks"),
        ] {
            let mut application = app(&acme, name);
            application.tags = vec![tag.into()];
            if name == "Asana" {
                application.technical_owner_id = Some(owner.id.clone());
                application.status = AppStatus::Inactive;
            }
            session.insert_application(&application).await.expect("app");
        }
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let names = |page: roster_core::query::Page<Application>| -> Vec<String> {
            page.items.iter().map(|a| a.name.to_string()).collect()
        };
        let by_name = AppQuery {
            sort: vec![Sort {
                key: AppSortKey::Name,
                descending: false,
            }],
            ..AppQuery::default()
        };
        let all = session
            .list_applications(&acme.id, &by_name)
            .await
            .expect("list");
        assert_eq!(
            names(all),
            ["Asana", "jira_cloud", "zoom"],
            "{}",
            store.backend()
        );

        let tasks = AppQuery {
            conditions: vec![condition(AppFilter::Tags(vec!["TASKS".into()]))],
            ..by_name.clone()
        };
        let found = session
            .list_applications(&acme.id, &tasks)
            .await
            .expect("list");
        assert_eq!(
            names(found),
            ["Asana", "jira_cloud"],
            "tags compare case-insensitively"
        );

        let owned = AppQuery {
            conditions: vec![condition(AppFilter::Owner(vec![owner.id.clone()]))],
            ..by_name.clone()
        };
        let found = session
            .list_applications(&acme.id, &owned)
            .await
            .expect("list");
        assert_eq!(names(found), ["Asana"]);

        let not_underscored = AppQuery {
            conditions: vec![Condition {
                filter: AppFilter::Search(vec!["_".into()]),
                negated: true,
            }],
            ..by_name.clone()
        };
        let found = session
            .list_applications(&acme.id, &not_underscored)
            .await
            .expect("list");
        assert_eq!(
            names(found),
            ["Asana", "zoom"],
            "wildcards are taken literally"
        );

        let second_page = AppQuery {
            conditions: vec![condition(AppFilter::Status(vec![AppStatus::Active]))],
            page: PageRequest::new(2, 1),
            ..by_name
        };
        let page = session
            .list_applications(&acme.id, &second_page)
            .await
            .expect("list");
        assert_eq!(page.total, 2);
        assert_eq!(names(page), ["zoom"]);
    }
}

#[tokio::test]
async fn licenses_count_their_seats_and_can_be_taken_back() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let bob = user(&acme, "bob@example.com", "Bob Kahn");
        let slack = app(&acme, "Slack");
        let pro = license(&slack, "pro", Some(10));
        let mut basic = license(&slack, "Basic", None);
        basic.cost_per_seat = Amount::parse("0.000001").expect("amount");
        let ada_member = app_user(&slack, &ada.id, &[&pro, &basic]);
        let bob_member = app_user(&slack, &bob.id, &[&pro]);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        for person in [&ada, &bob] {
            session.insert_user(person).await.expect("user");
        }
        session.insert_application(&slack).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        session.insert_license(&basic).await.expect("license");
        session
            .insert_app_user(&ada_member)
            .await
            .expect("app user");
        session
            .insert_app_user(&bob_member)
            .await
            .expect("app user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let page = session
            .licenses_of(&acme.id, &slack.id, PageRequest::default())
            .await
            .expect("list");
        let listed: Vec<_> = page
            .items
            .iter()
            .map(|usage| (usage.license.clone(), usage.seats_used))
            .collect();
        assert_eq!(
            listed,
            [(basic.clone(), 1), (pro.clone(), 2)],
            "{}",
            store.backend()
        );

        let missing = LicenseId::generate();
        let usage = session
            .license_usage(
                &acme.id,
                &[pro.id.clone(), missing.clone(), basic.id.clone()],
                true,
            )
            .await
            .expect("usage");
        let mut expected = vec![(basic.id.clone(), 1), (pro.id.clone(), 2)];
        expected.sort();
        let found: Vec<_> = usage
            .iter()
            .map(|usage| (usage.license.id.clone(), usage.seats_used))
            .collect();
        assert_eq!(found, expected, "in id order, unknown ids left out");
        assert_eq!(
            session
                .licenses(&acme.id, &[missing, pro.id.clone()])
                .await
                .expect("licenses"),
            std::slice::from_ref(&pro)
        );

        let mut changed = pro.clone();
        changed.seats = Some(20);
        changed.version += 1;
        assert!(session
            .update_license(&changed, pro.version)
            .await
            .expect("update"));
        assert!(!session
            .update_license(&changed, pro.version)
            .await
            .expect("stale"));

        // Each refusal last in its session: on PostgreSQL a failed statement ends the transaction.
        let error = session
            .delete_license(&acme.id, &pro.id)
            .await
            .expect_err("an assigned license cannot be deleted");
        assert!(matches!(error, DomainError::Conflict { .. }), "{error:?}");
        drop(session); // SQLite has one writer
        let mut session = store.writer().await.expect("writer");
        let error = session
            .insert_license(&license(&slack, "PRO", None))
            .await
            .expect_err("names are unique per application");
        assert_conflict_on(&error, "name");
    }
}

#[tokio::test]
async fn unassigning_a_license_takes_it_from_every_holder() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let bob = user(&acme, "bob@example.com", "Bob Kahn");
        let slack = app(&acme, "Slack");
        let pro = license(&slack, "Pro", None);
        let basic = license(&slack, "Basic", None);
        let ada_member = app_user(&slack, &ada.id, &[&pro, &basic]);
        let bob_member = app_user(&slack, &bob.id, &[&basic]);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        for person in [&ada, &bob] {
            session.insert_user(person).await.expect("user");
        }
        session.insert_application(&slack).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        session.insert_license(&basic).await.expect("license");
        session
            .insert_app_user(&ada_member)
            .await
            .expect("app user");
        session
            .insert_app_user(&bob_member)
            .await
            .expect("app user");

        let other = tenant("Other");
        session.insert_tenant(&other).await.expect("tenant");
        assert_eq!(
            session
                .unassign_license(&other.id, &pro.id)
                .await
                .expect("none"),
            0
        );
        assert_eq!(
            session
                .unassign_license(&acme.id, &pro.id)
                .await
                .expect("unassign"),
            1
        );
        let ada_now = stored_app_user(&mut session, &acme.id, &ada_member).await;
        assert_eq!(
            ada_now.licenses,
            std::slice::from_ref(&basic.id),
            "{}",
            store.backend()
        );
        assert_eq!(ada_now.version, ada_member.version + 1);
        let bob_now = stored_app_user(&mut session, &acme.id, &bob_member).await;
        assert_eq!(
            bob_now, bob_member,
            "a user without the license is untouched"
        );
        assert!(session
            .delete_license(&acme.id, &pro.id)
            .await
            .expect("delete"));

        assert_eq!(
            session
                .unassign_license(&acme.id, &basic.id)
                .await
                .expect("unassign"),
            2
        );
        let ada_now = stored_app_user(&mut session, &acme.id, &ada_member).await;
        assert!(ada_now.licenses.is_empty());
        let usage = session
            .license_usage(&acme.id, std::slice::from_ref(&basic.id), false)
            .await
            .expect("usage");
        assert_eq!(usage[0].seats_used, 0);
    }
}

#[tokio::test]
async fn application_users_round_trip_with_licenses_and_version_checks() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let slack = app(&acme, "Slack");
        let pro = license(&slack, "Pro", None);
        let basic = license(&slack, "Basic", None);
        let mut member = app_user(&slack, &ada.id, &[&pro, &basic]);
        member.role = Some("Admin".into());
        member.last_used_at = Some(now() - Duration::days(3));
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&ada).await.expect("user");
        session.insert_application(&slack).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        session.insert_license(&basic).await.expect("license");
        session.insert_app_user(&member).await.expect("app user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .app_user(&acme.id, &slack.id, &ada.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, member, "{}", store.backend());

        let mut changed = stored.clone();
        changed.licenses = vec![basic.id.clone()];
        changed.role = None;
        changed.last_used_at = None;
        changed.status = AppStatus::Inactive;
        changed.version += 1;
        assert!(session
            .update_app_user(&changed, stored.version)
            .await
            .expect("update"));
        assert!(!session
            .update_app_user(&changed, stored.version)
            .await
            .expect("stale"));
        assert_eq!(
            stored_app_user(&mut session, &acme.id, &member).await,
            changed
        );
        let usage = session
            .license_usage(&acme.id, std::slice::from_ref(&pro.id), false)
            .await
            .expect("usage");
        assert_eq!(
            usage[0].seats_used, 0,
            "the licenses taken away are free again"
        );

        let other = tenant("Other");
        assert_eq!(
            session
                .app_user(&other.id, &slack.id, &ada.id, false)
                .await
                .expect("read"),
            None
        );
        // Last: on PostgreSQL a failed statement ends the transaction.
        let error = session
            .insert_app_user(&member)
            .await
            .expect_err("one application user per application and user");
        assert!(matches!(error, DomainError::Conflict { .. }), "{error:?}");
    }
}

#[tokio::test]
async fn listing_application_users_filters_in_both_scopes() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let mut ada = user(&acme, "ada@example.com", "Ada Lovelace");
        ada.designation = Some("Engineer".into());
        let mut bob = user(&acme, "bob@example.com", "Bob Kahn");
        bob.status = UserStatus::Suspended;
        let carol = user(&acme, "carol@example.com", "Carol Shaw");
        let slack = app(&acme, "Slack");
        let zoom = app(&acme, "Zoom");
        let pro = license(&slack, "Pro", None);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        for person in [&ada, &bob, &carol] {
            session.insert_user(person).await.expect("user");
        }
        session.insert_application(&slack).await.expect("app");
        session.insert_application(&zoom).await.expect("app");
        session.insert_license(&pro).await.expect("license");
        let mut ada_slack = app_user(&slack, &ada.id, &[&pro]);
        ada_slack.role = Some("Admin".into());
        ada_slack.last_used_at = Some(now() - Duration::days(40));
        let mut bob_slack = app_user(&slack, &bob.id, &[]);
        bob_slack.last_used_at = Some(now() - Duration::days(1));
        let carol_slack = app_user(&slack, &carol.id, &[]);
        let ada_zoom = app_user(&zoom, &ada.id, &[]);
        for member in [&ada_slack, &bob_slack, &carol_slack, &ada_zoom] {
            session.insert_app_user(member).await.expect("app user");
        }
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let in_slack = AppUserScope::App(slack.id.clone());
        let by_last_use = AppUserQuery {
            sort: vec![Sort {
                key: AppUserSortKey::LastUsed,
                descending: false,
            }],
            ..AppUserQuery::default()
        };
        let page = session
            .list_app_users(&acme.id, &in_slack, &by_last_use)
            .await
            .expect("list");
        let users: Vec<_> = page.items.iter().map(|d| d.user_name.to_string()).collect();
        assert_eq!(
            users,
            ["Carol Shaw", "Ada Lovelace", "Bob Kahn"],
            "never used sorts first ({})",
            store.backend()
        );
        assert_eq!(page.items[1].app_name.as_str(), "Slack");
        assert_eq!(page.items[1].user_designation.as_deref(), Some("Engineer"));
        assert_eq!(page.items[1].app_user, ada_slack);
        assert_eq!(page.items[2].user_status, UserStatus::Suspended);

        let cases: Vec<(AppUserFilter, Vec<&UserId>)> = vec![
            (AppUserFilter::Licenses(vec![pro.id.clone()]), vec![&ada.id]),
            (
                AppUserFilter::LicenseMapped(false),
                vec![&bob.id, &carol.id],
            ),
            (AppUserFilter::Role(vec!["ADMIN".into()]), vec![&ada.id]),
            (
                AppUserFilter::LastUsed(vec![(Comparison::Lt, now() - Duration::days(7))]),
                vec![&ada.id],
            ),
            (
                AppUserFilter::LastUsed(vec![
                    (Comparison::Gte, now() - Duration::days(50)),
                    (Comparison::Lte, now()),
                ]),
                vec![&ada.id, &bob.id],
            ),
            (
                AppUserFilter::UserStatus(vec![UserStatus::Suspended]),
                vec![&bob.id],
            ),
            (
                AppUserFilter::UserDesignation(vec!["engineer".into()]),
                vec![&ada.id],
            ),
            (AppUserFilter::Search(vec!["KAHN".into()]), vec![&bob.id]),
            (
                AppUserFilter::AppSearch(vec!["slack".into()]),
                vec![&ada.id, &bob.id, &carol.id],
            ),
        ];
        for (filter, expected) in cases {
            let query = AppUserQuery {
                conditions: vec![condition(filter.clone())],
                sort: vec![Sort {
                    key: AppUserSortKey::UserEmail,
                    descending: false,
                }],
                ..AppUserQuery::default()
            };
            let page = session
                .list_app_users(&acme.id, &in_slack, &query)
                .await
                .expect("list");
            let found: Vec<_> = page.items.iter().map(|d| &d.app_user.user_id).collect();
            assert_eq!(found, expected, "{filter:?} on {}", store.backend());
            assert_eq!(page.total, expected.len() as u64);
        }

        let of_ada = AppUserScope::User(ada.id.clone());
        let by_app = AppUserQuery {
            sort: vec![Sort {
                key: AppUserSortKey::AppName,
                descending: true,
            }],
            ..AppUserQuery::default()
        };
        let page = session
            .list_app_users(&acme.id, &of_ada, &by_app)
            .await
            .expect("list");
        let apps: Vec<_> = page.items.iter().map(|d| d.app_name.to_string()).collect();
        assert_eq!(apps, ["Zoom", "Slack"]);
        let other = tenant("Other");
        let page = session
            .list_app_users(&other.id, &of_ada, &by_app)
            .await
            .expect("list");
        assert_eq!(page.total, 0, "another tenant sees nothing");
    }
}

#[tokio::test]
async fn recording_a_use_never_moves_it_backward() {
    for (_database, store) in stores().await {
        let acme = tenant("Acme");
        let ada = user(&acme, "ada@example.com", "Ada Lovelace");
        let slack = app(&acme, "Slack");
        let member = app_user(&slack, &ada.id, &[]);
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_user(&ada).await.expect("user");
        session.insert_application(&slack).await.expect("app");
        session.insert_app_user(&member).await.expect("app user");

        let earlier = now() - Duration::days(2);
        let later = now() - Duration::days(1);
        for (at, moved) in [(later, true), (earlier, false), (later, false)] {
            let answer = session
                .record_use(&acme.id, &slack.id, &ada.id, at)
                .await
                .expect("use");
            assert_eq!(answer, Some(moved), "{at} on {}", store.backend());
        }
        let stored = stored_app_user(&mut session, &acme.id, &member).await;
        assert_eq!(stored.last_used_at, Some(later), "{}", store.backend());
        assert_eq!(stored.version, member.version + 1, "only the move counts");

        let stranger = ApplicationId::generate();
        assert_eq!(
            session
                .record_use(&acme.id, &stranger, &ada.id, later)
                .await
                .expect("use"),
            None
        );
    }
}
