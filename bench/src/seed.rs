//! Seeds a benchmark tenant straight through the store, in large transactions (creating it one
//! request at a time would measure the seeding, not the server): N users, and optionally
//! applications with licenses and M application users with a realistic spread of status, use and
//! optimization settings, so that the optimization summary has real work to do. Prints a write key
//! on the last line and writes the user ids, one per line, to `--ids`.

use std::io::Write;
use std::sync::Arc;

use clap::Parser;
use roster_core::id::{LicenseId, RoleId, TenantId, UserGroupId};
use roster_core::model::{AppUser, Application, License, Role, User, UserGroup};
use roster_core::money::{Amount, Currency};
use roster_core::store::Store;
use roster_core::values::{
    AppStatus, Email, Name, OptimizationInclusion, Permission, Scope, UserStatus,
};
use roster_core::Directory;
use roster_store::SqlStore;

#[derive(Debug, Parser)]
struct Args {
    #[arg(long)]
    database: String,
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    #[arg(long, default_value_t = 0)]
    apps: usize,
    /// Application users, spread evenly over the users (each uses distinct applications).
    #[arg(long, default_value_t = 0)]
    app_users: usize,
    #[arg(long)]
    ids: std::path::PathBuf,
}

const BATCH: usize = 20_000;
const ROLES: usize = 20;
const GROUPS: usize = 50;

/// Roles with a few permissions each, and groups holding two roles each.
async fn seed_access(
    store: &dyn Store,
    tenant: &TenantId,
) -> anyhow::Result<(Vec<RoleId>, Vec<UserGroupId>)> {
    let mut session = store.writer().await?;
    let mut roles = Vec::with_capacity(ROLES);
    for index in 0..ROLES {
        let mut role = Role::new(
            tenant.clone(),
            parse(Name::parse(&format!("Role {index}")))?,
        );
        role.permissions = Permission::ALL
            .iter()
            .copied()
            .skip(index % 10)
            .take(3)
            .collect();
        session.insert_role(&role).await?;
        roles.push(role.id);
    }
    let mut groups = Vec::with_capacity(GROUPS);
    for index in 0..GROUPS {
        let mut group = UserGroup::new(
            tenant.clone(),
            parse(Name::parse(&format!("Group {index}")))?,
        );
        group.role_ids = [
            roles[index % ROLES].clone(),
            roles[(index + 7) % ROLES].clone(),
        ]
        .into();
        session.insert_user_group(&group).await?;
        groups.push(group.id);
    }
    session.commit().await?;
    Ok((roles, groups))
}

/// A cheap deterministic spread: the same database every run.
fn roll(index: usize, salt: usize) -> usize {
    (index
        .wrapping_mul(2_654_435_761)
        .wrapping_add(salt.wrapping_mul(40_503)))
        % 100
}

fn parse<T>(result: Result<T, impl std::fmt::Display>) -> anyhow::Result<T> {
    result.map_err(|error| anyhow::anyhow!("{error}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let store = Arc::new(SqlStore::open(&args.database).await?);
    let directory = Directory::new(store.clone());
    let tenant = directory
        .create_tenant(parse(Name::parse("Bench"))?)
        .await?;
    let key = directory
        .create_api_key(
            &tenant.slug,
            parse(Name::parse("bench"))?,
            Scope::Write,
            None,
        )
        .await?;
    let (roles, groups) = seed_access(store.as_ref(), &tenant.id).await?;
    let mut ids = std::io::BufWriter::new(std::fs::File::create(&args.ids)?);
    let mut users = Vec::with_capacity(args.users);
    for batch in (0..args.users).collect::<Vec<_>>().chunks(BATCH) {
        let mut session = store.writer().await?;
        for &index in batch {
            let email = parse(Email::parse(&format!("user{index}@bench.example")))?;
            let name = parse(Name::parse(&format!("Bench User {index}")))?;
            let mut user = User::new(tenant.id.clone(), email, name);
            user.status = match roll(index, 1) {
                0..=4 => UserStatus::Inactive,
                5 => UserStatus::Suspended,
                _ => UserStatus::Active,
            };
            user.archived = roll(index, 2) == 0;
            if roll(index, 3) < 3 {
                user.optimization_inclusion = OptimizationInclusion::ALL[1 + index % 3];
            }
            // Every user is in two groups and holds one role, so that the Wavefront user model
            // reads groups, roles and member counts as it would in a real tenant.
            user.group_ids = [
                groups[index % GROUPS].clone(),
                groups[(index / GROUPS) % GROUPS].clone(),
            ]
            .into();
            user.role_ids = [roles[index % ROLES].clone()].into();
            user.permissions = [Permission::ALL[index % Permission::ALL.len()]].into();
            session.insert_user(&user).await?;
            writeln!(ids, "{}", user.id)?;
            users.push(user.id);
        }
        session.commit().await?;
    }
    ids.flush()?;

    // Each application has a standard and a pro license, priced in USD or EUR.
    let mut licenses: Vec<(LicenseId, LicenseId)> = Vec::with_capacity(args.apps);
    let mut apps = Vec::with_capacity(args.apps);
    let mut session = store.writer().await?;
    for index in 0..args.apps {
        let app = Application::new(
            tenant.id.clone(),
            parse(Name::parse(&format!("Bench App {index}")))?,
        );
        session.insert_application(&app).await?;
        let currency = parse(Currency::parse(if index % 3 == 0 { "EUR" } else { "USD" }))?;
        let license = |name: &str, cost: usize| -> anyhow::Result<License> {
            let now = roster_core::model::now();
            Ok(License {
                id: LicenseId::generate(),
                tenant_id: tenant.id.clone(),
                app_id: app.id.clone(),
                name: parse(Name::parse(name))?,
                seats: None,
                cost_per_seat: parse(Amount::parse(&format!("{cost}.99")))?,
                currency: currency.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            })
        };
        let standard = license("Standard", 5 + index % 20)?;
        let pro = license("Pro", 30 + index % 40)?;
        session.insert_license(&standard).await?;
        session.insert_license(&pro).await?;
        licenses.push((standard.id, pro.id));
        apps.push(app.id);
    }
    session.commit().await?;

    if !apps.is_empty() && !users.is_empty() {
        let per_user = args.app_users.div_ceil(users.len()).min(apps.len());
        let now = roster_core::model::now();
        let pairs: Vec<(usize, usize)> = (0..args.app_users)
            .map(|n| {
                (
                    n / per_user,
                    (n / per_user * 7 + (n % per_user) * 13) % apps.len(),
                )
            })
            .filter(|(user, _)| *user < users.len())
            .collect();
        for batch in pairs.chunks(BATCH) {
            let mut session = store.writer().await?;
            for &(user, app) in batch {
                let n = user * 31 + app;
                let mut app_user =
                    AppUser::new(tenant.id.clone(), apps[app].clone(), users[user].clone());
                let (standard, pro) = &licenses[app];
                app_user.licenses = match roll(n, 4) {
                    0..=79 => vec![standard.clone()],
                    80..=94 => vec![pro.clone()],
                    _ => Vec::new(),
                };
                app_user.last_used_at = match roll(n, 5) {
                    0..=74 => Some(now - chrono::Duration::days((n % 30) as i64)),
                    75..=89 => Some(now - chrono::Duration::days(31 + (n % 300) as i64)),
                    _ => None,
                };
                if roll(n, 6) < 2 {
                    app_user.optimization_inclusion = OptimizationInclusion::ALL[1 + n % 3];
                }
                if roll(n, 7) < 3 {
                    app_user.status = AppStatus::Inactive;
                }
                session.insert_app_user(&app_user).await?;
            }
            session.commit().await?;
        }
    }
    store.close().await;
    println!("{}", key.secret);
    Ok(())
}
