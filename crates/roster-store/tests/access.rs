//! The storage conformance suite for user groups, roles and what users hold of them, run against
//! SQLite and PostgreSQL alike.

use std::collections::BTreeSet;
use std::sync::Arc;

use roster_core::credential::CredentialHash;
use roster_core::id::{RoleId, TenantId, UserGroupId, UserId};
use roster_core::model::{Role, Tenant, User, UserGroup};
use roster_core::query::{PageRequest, UserQuery, Window};
use roster_core::store::{Session, Store};
use roster_core::values::{AccountType, Email, Name, Permission, SystemGroup};
use roster_core::{Directory, DomainError};
use roster_store::SqlStore;

mod common;
use common::{assert_conflict_on, stores, tenant, user};

fn group(tenant: &Tenant, name: &str) -> UserGroup {
    UserGroup::new(tenant.id.clone(), Name::parse(name).expect("name"))
}

fn role(tenant: &Tenant, name: &str, permissions: &[Permission]) -> Role {
    let mut role = Role::new(tenant.id.clone(), Name::parse(name).expect("name"));
    role.permissions = permissions.iter().copied().collect();
    role
}

fn ids<T: Clone + Ord>(items: &[&T]) -> BTreeSet<T> {
    items.iter().map(|item| (*item).clone()).collect()
}

fn names_of_groups(groups: &[UserGroup]) -> Vec<&str> {
    groups.iter().map(|group| group.name.as_str()).collect()
}

fn names_of_roles(roles: &[Role]) -> Vec<&str> {
    roles.iter().map(|role| role.name.as_str()).collect()
}

fn emails(emails: &[Email]) -> Vec<&str> {
    emails.iter().map(Email::as_str).collect()
}

/// A write session with the tenant and its system groups, as `Directory::create_tenant` makes it.
async fn with_tenant(store: &SqlStore, tenant: &Tenant) -> Box<dyn Session> {
    let mut session = store.writer().await.expect("writer");
    session.insert_tenant(tenant).await.expect("tenant");
    for kind in SystemGroup::ALL {
        session
            .insert_user_group(&UserGroup::system(tenant.id.clone(), *kind))
            .await
            .expect("system group");
    }
    session
}

async fn stored_user(session: &mut Box<dyn Session>, tenant: &TenantId, id: &UserId) -> User {
    session
        .user(tenant, id, false)
        .await
        .expect("read")
        .expect("exists")
}

async fn stored_group(
    session: &mut Box<dyn Session>,
    tenant: &TenantId,
    id: &UserGroupId,
) -> UserGroup {
    session
        .user_group(tenant, id, false)
        .await
        .expect("read")
        .expect("exists")
}

async fn system_group(
    session: &mut Box<dyn Session>,
    tenant: &TenantId,
    kind: SystemGroup,
) -> UserGroup {
    session
        .system_groups(tenant)
        .await
        .expect("read")
        .into_iter()
        .find(|group| group.system == Some(kind))
        .expect("system group")
}

#[tokio::test]
async fn a_new_tenant_has_both_system_groups() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let directory = Directory::new(Arc::new(store));
        let acme = directory
            .create_tenant(Name::parse("Acme").expect("name"))
            .await
            .expect("tenant");
        let mut session = directory.store().reader().await.expect("reader");
        let system = session.system_groups(&acme.id).await.expect("read");
        assert_eq!(names_of_groups(&system), ["Everyone", "Service Accounts"]);
        for (group, kind) in system.iter().zip(SystemGroup::ALL) {
            assert_eq!(group.system, Some(*kind), "{backend}");
            assert_eq!(group.description.as_deref(), Some(kind.description()));
            assert!(group.role_ids.is_empty());
            assert_eq!(
                stored_group(&mut session, &acme.id, &group.id).await,
                *group
            );
        }
        let listed = session
            .list_user_groups(&acme.id, None, Window::new(0, 10))
            .await
            .expect("list");
        assert_eq!(listed.total, 2, "{backend}");
    }
}

/// Runs the migrations before `0003_access`, exactly as the store registers them.
async fn migrate_before_access(url: &str, backend: &str) {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let files = match backend {
        "sqlite" => [
            include_str!("../migrations/sqlite/0001_directory.sql"),
            include_str!("../migrations/sqlite/0002_applications.sql"),
        ],
        _ => [
            include_str!("../migrations/postgres/0001_directory.sql"),
            include_str!("../migrations/postgres/0002_applications.sql"),
        ],
    };
    let migrations: Vec<Migration> = ["0001_directory", "0002_applications"]
        .into_iter()
        .zip(files)
        .zip(1..)
        .map(|((name, sql), version)| {
            Migration::new(
                version,
                name.into(),
                MigrationType::Simple,
                sql.into(),
                false,
            )
        })
        .collect();
    let migrator = Migrator {
        migrations: migrations.into(),
        ..Migrator::DEFAULT
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect");
    migrator.run(&pool).await.expect("first migrations");
    pool.close().await;
}

#[tokio::test]
async fn tenants_from_before_groups_existed_get_their_system_groups_from_the_migration() {
    let mut databases = vec![roster_testkit::sqlite()];
    databases.extend(roster_testkit::postgres());
    for database in databases {
        migrate_before_access(database.url(), database.backend()).await;
        let store = SqlStore::connect(database.url()).await.expect("connect");
        let (acme, globex) = (tenant("Acme"), tenant("Globex"));
        let mut session = store.writer().await.expect("writer");
        session.insert_tenant(&acme).await.expect("tenant");
        session.insert_tenant(&globex).await.expect("tenant");
        session.commit().await.expect("commit");
        store.migrate().await.expect("migrate the rest");

        let mut session = store.reader().await.expect("reader");
        let mut seen = BTreeSet::new();
        for tenant in [&acme, &globex] {
            let system = session.system_groups(&tenant.id).await.expect("read");
            assert_eq!(
                names_of_groups(&system),
                ["Everyone", "Service Accounts"],
                "{}",
                database.backend()
            );
            for (group, kind) in system.iter().zip(SystemGroup::ALL) {
                assert_eq!(group.system, Some(*kind));
                assert_eq!(group.description.as_deref(), Some(kind.description()));
                assert_eq!(group.version, 1);
                assert!(seen.insert(group.id.clone()), "ids are distinct");
            }
        }
    }
}

#[tokio::test]
async fn user_groups_round_trip_with_their_roles_and_version_checks() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let viewer = role(&acme, "Viewer", &[Permission::DashboardManagement]);
        let editor = role(&acme, "Editor", &[]);
        let mut ops = group(&acme, "Ops");
        ops.description = Some("On call".into());
        ops.role_ids = ids(&[&viewer.id, &editor.id]);
        let plain = group(&acme, "Plain");
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_role(&editor).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        session.insert_user_group(&plain).await.expect("group");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .user_group(&acme.id, &ops.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, ops, "{backend}");
        let unknown = UserGroupId::generate();
        let found = session
            .user_groups(
                &acme.id,
                &[plain.id.clone(), unknown.clone(), ops.id.clone()],
            )
            .await
            .expect("read");
        assert_eq!(
            found,
            [ops.clone(), plain.clone()],
            "by name, unknown left out"
        );
        assert_eq!(
            session
                .user_group(&acme.id, &unknown, false)
                .await
                .expect("read"),
            None
        );

        let mut changed = stored.clone();
        changed.name = Name::parse("Operations").expect("name");
        changed.description = None;
        changed.role_ids = ids(&[&editor.id]);
        changed.version += 1;
        assert!(session
            .update_user_group(&changed, stored.version)
            .await
            .expect("update"));
        assert!(
            !session
                .update_user_group(&changed, stored.version)
                .await
                .expect("stale update"),
            "a stale version writes nothing"
        );
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            stored_group(&mut session, &acme.id, &ops.id).await,
            changed,
            "{backend}"
        );
    }
}

#[tokio::test]
async fn roles_round_trip_with_their_permissions_and_version_checks() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let mut admin = role(
            &acme,
            "Admin",
            &[Permission::UserManagement, Permission::AgentManagement],
        );
        admin.description = Some("Everything".into());
        admin.updated_by = Some("ci key".into());
        let empty = role(&acme, "Nobody", &[]);
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&admin).await.expect("role");
        session.insert_role(&empty).await.expect("role");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .role(&acme.id, &admin.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, admin, "{backend}");
        let found = session
            .roles(
                &acme.id,
                &[empty.id.clone(), RoleId::generate(), admin.id.clone()],
            )
            .await
            .expect("read");
        assert_eq!(
            found,
            [admin.clone(), empty.clone()],
            "by name, unknown left out"
        );

        let mut changed = stored.clone();
        changed.name = Name::parse("Administrator").expect("name");
        changed.permissions = [Permission::Ingestion].into();
        changed.updated_by = None;
        changed.version += 1;
        assert!(session
            .update_role(&changed, stored.version)
            .await
            .expect("update"));
        assert!(!session
            .update_role(&changed, stored.version)
            .await
            .expect("stale update"));
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let reread = session
            .role(&acme.id, &admin.id, false)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(reread, changed, "{backend}");
    }
}

#[tokio::test]
async fn group_and_role_names_are_unique_per_tenant_regardless_of_case() {
    for (_database, store) in stores().await {
        let (acme, globex) = (tenant("Acme"), tenant("Globex"));
        let mut session = with_tenant(&store, &acme).await;
        session.insert_tenant(&globex).await.expect("tenant");
        session
            .insert_user_group(&group(&acme, "Ops"))
            .await
            .expect("group");
        session
            .insert_role(&role(&acme, "Viewer", &[]))
            .await
            .expect("role");
        session
            .insert_user_group(&group(&globex, "OPS"))
            .await
            .expect("another tenant may use the name");
        session
            .insert_role(&role(&globex, "VIEWER", &[]))
            .await
            .expect("another tenant may use the name");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let error = session
            .insert_user_group(&group(&acme, "oPS"))
            .await
            .expect_err("taken");
        assert_conflict_on(&error, "name");
        drop(session);
        let mut session = store.writer().await.expect("writer");
        let error = session
            .insert_user_group(&group(&acme, "everyone"))
            .await
            .expect_err("a system group's name is taken too");
        assert_conflict_on(&error, "name");
        drop(session);
        let mut session = store.writer().await.expect("writer");
        let error = session
            .insert_role(&role(&acme, "viewer", &[]))
            .await
            .expect_err("taken");
        assert_conflict_on(&error, "name");
        drop(session);

        let mut session = store.writer().await.expect("writer");
        let dev = group(&acme, "Dev");
        let editor = role(&acme, "Editor", &[]);
        session.insert_user_group(&dev).await.expect("group");
        session.insert_role(&editor).await.expect("role");
        let mut renamed = dev.clone();
        renamed.name = Name::parse("ops").expect("name");
        renamed.version += 1;
        let error = session
            .update_user_group(&renamed, dev.version)
            .await
            .expect_err("taken");
        assert_conflict_on(&error, "name");
        drop(session);
        let mut session = store.writer().await.expect("writer");
        session.insert_role(&editor).await.expect("role");
        let mut renamed = editor.clone();
        renamed.name = Name::parse("Viewer").expect("name");
        renamed.version += 1;
        let error = session
            .update_role(&renamed, editor.version)
            .await
            .expect_err("taken");
        assert_conflict_on(&error, "name");
    }
}

#[tokio::test]
async fn users_round_trip_with_permissions_credential_roles_and_groups() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let (viewer, editor) = (role(&acme, "Viewer", &[]), role(&acme, "Editor", &[]));
        let (ops, dev) = (group(&acme, "Ops"), group(&acme, "Dev"));
        let mut ada = user(&acme, "ada@example.com", "Ada Lovelace");
        ada.credential = Some(CredentialHash::from_stored(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        ));
        ada.permissions = [Permission::UserManagement, Permission::AlertsManagement].into();
        ada.role_ids = ids(&[&viewer.id]);
        ada.group_ids = ids(&[&ops.id, &dev.id]);
        let grace = user(&acme, "grace@example.com", "Grace Hopper");
        let mut session = with_tenant(&store, &acme).await;
        for role in [&viewer, &editor] {
            session.insert_role(role).await.expect("role");
        }
        for group in [&ops, &dev] {
            session.insert_user_group(group).await.expect("group");
        }
        session.insert_user(&ada).await.expect("user");
        session.insert_user(&grace).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        let stored = session
            .user(&acme.id, &ada.id, true)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(stored, ada, "{backend}");
        assert_eq!(
            stored_user(&mut session, &acme.id, &grace.id).await,
            grace,
            "a user holding nothing reads back empty"
        );

        let mut changed = stored.clone();
        changed.credential = None;
        changed.permissions = [Permission::Ingestion].into();
        changed.role_ids = ids(&[&editor.id]);
        changed.group_ids = ids(&[&dev.id]);
        changed.version += 1;
        assert!(session
            .update_user(&changed, stored.version)
            .await
            .expect("update"));
        let mut stale = changed.clone();
        stale.role_ids.clear();
        assert!(!session
            .update_user(&stale, stored.version)
            .await
            .expect("stale update"));
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            stored_user(&mut session, &acme.id, &ada.id).await,
            changed,
            "{backend}"
        );
        let page = session
            .list_users(&acme.id, &UserQuery::default())
            .await
            .expect("list");
        let listed: Vec<&User> = page.items.iter().filter(|u| u.id == ada.id).collect();
        assert_eq!(listed, [&changed], "{backend}");

        let mut session = store.writer().await.expect("writer");
        let mut cleared = changed.clone();
        cleared.permissions.clear();
        cleared.role_ids.clear();
        cleared.group_ids.clear();
        cleared.version += 1;
        assert!(session
            .update_user(&cleared, changed.version)
            .await
            .expect("update"));
        assert_eq!(stored_user(&mut session, &acme.id, &ada.id).await, cleared);
    }
}

#[tokio::test]
async fn a_page_of_users_reads_the_roles_and_groups_of_every_user_on_it() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let viewer = role(&acme, "Viewer", &[]);
        let ops = group(&acme, "Ops");
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        // More users than one statement takes keys (500), so that reading them takes two.
        let mut users = Vec::new();
        for n in 0..520 {
            let mut member = user(&acme, &format!("user{n:03}@example.com"), "Some One");
            if n % 2 == 0 {
                member.role_ids = ids(&[&viewer.id]);
            } else {
                member.group_ids = ids(&[&ops.id]);
            }
            session.insert_user(&member).await.expect("user");
            users.push(member);
        }
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let query = UserQuery {
            page: PageRequest::new(1, 1000),
            ..UserQuery::default()
        };
        let mut page = session.list_users(&acme.id, &query).await.expect("list");
        page.items
            .sort_by(|a, b| a.email.as_str().cmp(b.email.as_str()));
        assert_eq!(page.items, users, "{backend}");
    }
}

#[tokio::test]
async fn members_are_counted_and_listed_for_plain_and_system_groups() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let (acme, globex) = (tenant("Acme"), tenant("Globex"));
        let ops = group(&acme, "Ops");
        let empty = group(&acme, "Empty");
        let mut session = with_tenant(&store, &acme).await;
        session.insert_tenant(&globex).await.expect("tenant");
        session.insert_user_group(&ops).await.expect("group");
        session.insert_user_group(&empty).await.expect("group");
        let mut ada = user(&acme, "ada@example.com", "Ada Lovelace");
        ada.group_ids = ids(&[&ops.id]);
        let mut bot = user(&acme, "Bot@example.com", "Build Bot");
        bot.account_type = AccountType::Service;
        bot.group_ids = ids(&[&ops.id]);
        let mut cron = user(&acme, "cron@example.com", "Cron Job");
        cron.account_type = AccountType::Service;
        let zed = user(&acme, "zed@example.com", "Zed Zero");
        for member in [&zed, &cron, &bot, &ada] {
            session.insert_user(member).await.expect("user");
        }
        let mut outsider = user(&globex, "ada@example.com", "Ada Elsewhere");
        outsider.account_type = AccountType::Service;
        session.insert_user(&outsider).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let everyone = system_group(&mut session, &acme.id, SystemGroup::Everyone).await;
        let services = system_group(&mut session, &acme.id, SystemGroup::ServiceAccounts).await;
        let cases: [(&UserGroup, u64, &[&str]); 4] = [
            (&ops, 2, &["ada@example.com", "Bot@example.com"]),
            (&empty, 0, &[]),
            (
                &everyone,
                4,
                &[
                    "ada@example.com",
                    "Bot@example.com",
                    "cron@example.com",
                    "zed@example.com",
                ],
            ),
            (&services, 2, &["Bot@example.com", "cron@example.com"]),
        ];
        let asked = [ops.id.clone(), empty.id.clone()];
        let members = session.member_ids(&acme.id, &asked).await.expect("ids");
        let expected = [
            (ops.id.clone(), ids(&[&ada.id, &bot.id])),
            (empty.id.clone(), BTreeSet::new()),
        ];
        assert_eq!(members, expected.into_iter().collect(), "{backend}");
        let theirs = session.member_ids(&globex.id, &asked).await.expect("ids");
        assert!(
            theirs.values().all(BTreeSet::is_empty),
            "{backend}: another tenant's groups have no members for this one"
        );
        for (group, count, members) in cases {
            let name = group.name.as_str();
            assert_eq!(
                session.count_members(&acme.id, group).await.expect("count"),
                count,
                "{backend}: {name}"
            );
            let listed = session.members(&acme.id, group, 10).await.expect("members");
            assert_eq!(emails(&listed), members, "{backend}: {name}");
            let first = session.members(&acme.id, group, 1).await.expect("members");
            assert_eq!(emails(&first), &members[..members.len().min(1)]);
        }
    }
}

#[tokio::test]
async fn deleting_a_role_takes_it_from_users_and_groups_and_bumps_their_versions() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let (viewer, editor) = (role(&acme, "Viewer", &[]), role(&acme, "Editor", &[]));
        let mut ops = group(&acme, "Ops");
        ops.role_ids = ids(&[&viewer.id, &editor.id]);
        let dev = group(&acme, "Dev");
        let mut ada = user(&acme, "ada@example.com", "Ada Lovelace");
        ada.role_ids = ids(&[&viewer.id, &editor.id]);
        let grace = user(&acme, "grace@example.com", "Grace Hopper");
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_role(&editor).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        session.insert_user_group(&dev).await.expect("group");
        session.insert_user(&ada).await.expect("user");
        session.insert_user(&grace).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        assert!(session
            .delete_role(&acme.id, &viewer.id)
            .await
            .expect("delete"));
        assert!(!session
            .delete_role(&acme.id, &viewer.id)
            .await
            .expect("delete again"));
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            session
                .role(&acme.id, &viewer.id, false)
                .await
                .expect("read"),
            None
        );
        let ada_now = stored_user(&mut session, &acme.id, &ada.id).await;
        assert_eq!(ada_now.role_ids, ids(&[&editor.id]), "{backend}");
        assert_eq!(ada_now.version, ada.version + 1);
        assert!(ada_now.updated_at >= ada.updated_at);
        let ops_now = stored_group(&mut session, &acme.id, &ops.id).await;
        assert_eq!(ops_now.role_ids, ids(&[&editor.id]), "{backend}");
        assert_eq!(ops_now.version, ops.version + 1);
        assert_eq!(
            stored_user(&mut session, &acme.id, &grace.id).await,
            grace,
            "who did not hold it is untouched"
        );
        assert_eq!(stored_group(&mut session, &acme.id, &dev.id).await, dev);
    }
}

#[tokio::test]
async fn deleting_a_group_removes_its_memberships_and_bumps_its_members_versions() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let viewer = role(&acme, "Viewer", &[]);
        let mut ops = group(&acme, "Ops");
        ops.role_ids = ids(&[&viewer.id]);
        let dev = group(&acme, "Dev");
        let mut ada = user(&acme, "ada@example.com", "Ada Lovelace");
        ada.group_ids = ids(&[&ops.id, &dev.id]);
        let mut grace = user(&acme, "grace@example.com", "Grace Hopper");
        grace.group_ids = ids(&[&dev.id]);
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        session.insert_user_group(&dev).await.expect("group");
        session.insert_user(&ada).await.expect("user");
        session.insert_user(&grace).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.writer().await.expect("writer");
        assert!(session
            .delete_user_group(&acme.id, &ops.id)
            .await
            .expect("delete"));
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        assert_eq!(
            session
                .user_group(&acme.id, &ops.id, false)
                .await
                .expect("read"),
            None
        );
        let ada_now = stored_user(&mut session, &acme.id, &ada.id).await;
        assert_eq!(ada_now.group_ids, ids(&[&dev.id]), "{backend}");
        assert_eq!(ada_now.version, ada.version + 1);
        assert_eq!(
            stored_user(&mut session, &acme.id, &grace.id).await,
            grace,
            "who was not a member is untouched"
        );
        let links = session
            .role_links(&acme.id, &viewer.id, 10)
            .await
            .expect("links");
        assert_eq!(links.group_count, 0, "the group's roles went with it");
    }
}

#[tokio::test]
async fn groups_and_roles_are_listed_by_name_and_searched_case_insensitively() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let mut session = with_tenant(&store, &acme).await;
        for name in ["beta", "Alpha", "Gamma_1", "gamma"] {
            session
                .insert_user_group(&group(&acme, name))
                .await
                .expect("group");
            session
                .insert_role(&role(&acme, name, &[]))
                .await
                .expect("role");
        }
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let all = session
            .list_user_groups(&acme.id, None, Window::new(0, 100))
            .await
            .expect("list");
        assert_eq!(all.total, 6, "{backend}");
        assert_eq!(
            names_of_groups(&all.items),
            [
                "Alpha",
                "beta",
                "Everyone",
                "gamma",
                "Gamma_1",
                "Service Accounts"
            ]
        );
        let window = session
            .list_user_groups(&acme.id, None, Window::new(1, 2))
            .await
            .expect("list");
        assert_eq!(window.total, 6);
        assert_eq!(names_of_groups(&window.items), ["beta", "Everyone"]);
        let searched = session
            .list_user_groups(&acme.id, Some("AMM"), Window::new(0, 100))
            .await
            .expect("list");
        assert_eq!(searched.total, 2);
        assert_eq!(names_of_groups(&searched.items), ["gamma", "Gamma_1"]);
        let literal = session
            .list_user_groups(&acme.id, Some("_"), Window::new(0, 100))
            .await
            .expect("list");
        assert_eq!(
            names_of_groups(&literal.items),
            ["Gamma_1"],
            "wildcards match themselves"
        );

        let roles = session
            .list_roles(&acme.id, None, Window::new(0, 100))
            .await
            .expect("list");
        assert_eq!(roles.total, 4, "{backend}");
        assert_eq!(
            names_of_roles(&roles.items),
            ["Alpha", "beta", "gamma", "Gamma_1"]
        );
        let window = session
            .list_roles(&acme.id, Some("a"), Window::new(2, 5))
            .await
            .expect("list");
        assert_eq!(window.total, 4);
        assert_eq!(names_of_roles(&window.items), ["gamma", "Gamma_1"]);
        let none = session
            .list_roles(&acme.id, Some("zeta"), Window::new(0, 100))
            .await
            .expect("list");
        assert_eq!((none.total, none.items.len()), (0, 0));
    }
}

#[tokio::test]
async fn role_links_count_the_holders_and_sample_the_first_of_each() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let (viewer, unused) = (role(&acme, "Viewer", &[]), role(&acme, "Unused", &[]));
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_role(&unused).await.expect("role");
        let mut groups = Vec::new();
        for name in ["Ops", "dev", "QA"] {
            let mut holder = group(&acme, name);
            holder.role_ids = ids(&[&viewer.id, &unused.id]);
            session.insert_user_group(&holder).await.expect("group");
            groups.push(holder);
        }
        let mut everyone = system_group(&mut session, &acme.id, SystemGroup::Everyone).await;
        everyone.role_ids = ids(&[&viewer.id]);
        everyone.version += 1;
        assert!(session
            .update_user_group(&everyone, 1)
            .await
            .expect("update"));
        for email in ["c@example.com", "A@example.com", "b@example.com"] {
            let mut holder = user(&acme, email, "Some One");
            holder.role_ids = ids(&[&viewer.id]);
            session.insert_user(&holder).await.expect("user");
        }
        session
            .insert_user(&user(&acme, "0@example.com", "Holds Nothing"))
            .await
            .expect("user");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let links = session
            .role_links(&acme.id, &viewer.id, 2)
            .await
            .expect("links");
        assert_eq!(
            (links.account_count, links.group_count),
            (3, 4),
            "{backend}"
        );
        assert_eq!(
            emails(&links.sample_accounts),
            ["A@example.com", "b@example.com"]
        );
        let dev = groups[1].clone();
        assert_eq!(links.sample_groups, [dev, everyone], "{backend}");

        let links = session
            .role_links(&acme.id, &unused.id, 10)
            .await
            .expect("links");
        assert_eq!((links.account_count, links.group_count), (0, 3));
        assert!(links.sample_accounts.is_empty());
        assert_eq!(names_of_groups(&links.sample_groups), ["dev", "Ops", "QA"]);
        let counted = session
            .role_links(&acme.id, &viewer.id, 0)
            .await
            .expect("links");
        assert_eq!((counted.account_count, counted.group_count), (3, 4));
        assert!(counted.sample_accounts.is_empty() && counted.sample_groups.is_empty());
    }
}

#[tokio::test]
async fn lookups_by_many_ids_find_the_known_ones_however_long_the_list() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let acme = tenant("Acme");
        let (viewer, ops) = (role(&acme, "Viewer", &[]), group(&acme, "Ops"));
        let mut session = with_tenant(&store, &acme).await;
        session.insert_role(&viewer).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        session.commit().await.expect("commit");

        let mut role_ids: Vec<RoleId> = (0..1200).map(|_| RoleId::generate()).collect();
        role_ids.push(viewer.id.clone());
        role_ids.push(viewer.id.clone());
        let mut group_ids: Vec<UserGroupId> = (0..1200).map(|_| UserGroupId::generate()).collect();
        group_ids.push(ops.id.clone());
        let mut session = store.reader().await.expect("reader");
        let roles = session.roles(&acme.id, &role_ids).await.expect("read");
        assert_eq!(roles, vec![viewer], "{backend}: each found once");
        let groups = session
            .user_groups(&acme.id, &group_ids)
            .await
            .expect("read");
        assert_eq!(groups, vec![ops], "{backend}");
        assert!(session.roles(&acme.id, &[]).await.expect("read").is_empty());
        assert!(session
            .user_groups(&acme.id, &[])
            .await
            .expect("read")
            .is_empty());
    }
}

#[tokio::test]
async fn tenants_never_see_each_others_groups_and_roles() {
    for (_database, store) in stores().await {
        let backend = store.backend();
        let (acme, globex) = (tenant("Acme"), tenant("Globex"));
        let viewer = role(&globex, "Viewer", &[]);
        let mut ops = group(&globex, "Ops");
        ops.role_ids = ids(&[&viewer.id]);
        let mut member = user(&globex, "ada@example.com", "Ada Lovelace");
        member.role_ids = ids(&[&viewer.id]);
        member.group_ids = ids(&[&ops.id]);
        let mut session = with_tenant(&store, &acme).await;
        session.insert_tenant(&globex).await.expect("tenant");
        session.insert_role(&viewer).await.expect("role");
        session.insert_user_group(&ops).await.expect("group");
        session.insert_user(&member).await.expect("user");
        session.commit().await.expect("commit");

        let mut session = store.reader().await.expect("reader");
        let (acme_id, window) = (&acme.id, Window::new(0, 100));
        assert_eq!(
            session.role_by_name(acme_id, "viewer").await.expect("read"),
            None,
            "{backend}"
        );
        let found = session
            .role_by_name(&globex.id, "VIEWER")
            .await
            .expect("read");
        assert_eq!(
            found.map(|role| role.id),
            Some(viewer.id.clone()),
            "by name, any case"
        );
        assert_eq!(
            session
                .role(acme_id, &viewer.id, false)
                .await
                .expect("read"),
            None,
            "{backend}"
        );
        assert_eq!(
            session
                .user_group(acme_id, &ops.id, false)
                .await
                .expect("read"),
            None
        );
        assert!(session
            .roles(acme_id, std::slice::from_ref(&viewer.id))
            .await
            .expect("read")
            .is_empty());
        assert!(session
            .user_groups(acme_id, std::slice::from_ref(&ops.id))
            .await
            .expect("read")
            .is_empty());
        assert_eq!(
            session
                .list_roles(acme_id, None, window)
                .await
                .expect("list")
                .total,
            0
        );
        let groups = session
            .list_user_groups(acme_id, None, window)
            .await
            .expect("list");
        assert_eq!(
            names_of_groups(&groups.items),
            ["Everyone", "Service Accounts"]
        );
        assert_eq!(
            session
                .role_links(acme_id, &viewer.id, 10)
                .await
                .expect("links"),
            Default::default()
        );
        let everyone = system_group(&mut session, acme_id, SystemGroup::Everyone).await;
        assert_eq!(
            session
                .count_members(acme_id, &everyone)
                .await
                .expect("count"),
            0
        );
        assert_eq!(
            session.count_members(acme_id, &ops).await.expect("count"),
            0,
            "another tenant's group has no members here"
        );
        drop(session);

        // Links are written only to the tenant's own roles and groups.
        let attempts = [
            (ids(&[&viewer.id]), BTreeSet::new()),
            (BTreeSet::new(), ids(&[&ops.id])),
            (BTreeSet::new(), ids(&[&everyone.id])),
        ];
        for (role_ids, group_ids) in attempts {
            let mut session = store.writer().await.expect("writer");
            let mut intruder = user(&acme, "eve@example.com", "Eve");
            intruder.role_ids = role_ids;
            intruder.group_ids = group_ids;
            let error = session.insert_user(&intruder).await.expect_err("refused");
            assert!(
                matches!(error, DomainError::Conflict { field: None, .. }),
                "{backend}: {error:?}"
            );
        }
        let mut session = store.writer().await.expect("writer");
        let mut foreign = group(&acme, "Thieves");
        foreign.role_ids = ids(&[&viewer.id]);
        let error = session
            .insert_user_group(&foreign)
            .await
            .expect_err("refused");
        assert!(matches!(error, DomainError::Conflict { field: None, .. }));
    }
}
