//! The demo's applications: priced licenses, users holding them, and a usage history in which some
//! seats go unused and some are held by people who left, so that the optimization summary shows
//! something real.

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use roster_core::command::{
    ActivityEvent, ActivityUser, AppUserUpdate, ApplicationUpdate, NewAppUser, NewApplication,
    NewLicense,
};
use roster_core::directory::{AppFieldNames, AppUserFieldNames};
use roster_core::model::User;
use roster_core::money::{Amount, Currency};
use roster_core::values::{AppType, OptimizationInclusion};
use roster_core::{Caller, Directory, FieldErrors, Patch};

use super::name;

/// Name, type, tags, licenses (name, seats, cost per seat and month, currency), and the share of
/// users who use it.
type Spec = (
    &'static str,
    AppType,
    &'static [&'static str],
    &'static [(&'static str, Option<u64>, &'static str, &'static str)],
    f64,
);

const APPS: [Spec; 8] = [
    (
        "Slack",
        AppType::Application,
        &["chat"],
        &[("Pro", Some(120), "8.75", "USD")],
        0.95,
    ),
    (
        "Zoom",
        AppType::Application,
        &["meetings"],
        &[("Business", Some(60), "14.99", "USD")],
        0.5,
    ),
    (
        "GitHub",
        AppType::Website,
        &["engineering"],
        &[("Enterprise", Some(40), "21", "USD")],
        0.25,
    ),
    (
        "Figma",
        AppType::Application,
        &["design"],
        &[("Professional", Some(25), "15", "USD")],
        0.2,
    ),
    (
        "Salesforce",
        AppType::Website,
        &["sales", "crm"],
        &[("Sales Cloud", Some(30), "165", "USD")],
        0.2,
    ),
    (
        "Notion",
        AppType::Website,
        &["docs"],
        &[
            ("Plus", None, "10", "EUR"),
            ("Enterprise", Some(10), "20", "EUR"),
        ],
        0.6,
    ),
    (
        "Jira",
        AppType::Website,
        &["engineering"],
        &[("Standard", Some(60), "8.15", "USD")],
        0.35,
    ),
    (
        "1Password",
        AppType::Application,
        &["security"],
        &[("Business", Some(110), "7.99", "USD")],
        0.9,
    ),
];

const APP_NAMES: AppFieldNames = AppFieldNames {
    name: "name",
    owner: "owner",
    technical_owner: "technical_owner",
    financial_owner: "financial_owner",
    custom_fields: "custom_fields",
};
const APP_USER_NAMES: AppUserFieldNames = AppUserFieldNames {
    user_email: "user_email",
    licenses: "licenses",
};

pub async fn fill(directory: &Directory, caller: &Caller, users: &[User]) -> anyhow::Result<()> {
    let writer = caller.writer()?;
    let mut rng = StdRng::seed_from_u64(7);
    let now = roster_core::model::now();
    let mut activity = Vec::new();
    for (app_name, app_type, tags, licenses, share) in APPS {
        let owner = &users[rng.gen_range(0..users.len())];
        let app = directory
            .create_application(
                &writer,
                NewApplication {
                    name: name(app_name),
                    rest: ApplicationUpdate {
                        app_type: Some(app_type),
                        owner: Patch::Set(owner.id.clone()),
                        tags: Some(tags.iter().map(|tag| (*tag).to_owned()).collect()),
                        ..ApplicationUpdate::default()
                    },
                },
                &APP_NAMES,
                FieldErrors::new(),
            )
            .await?;
        let mut seats = Vec::new();
        for (license_name, total, cost, currency) in licenses {
            let license = directory
                .create_license(
                    &writer,
                    &app.id,
                    NewLicense {
                        name: name(license_name),
                        seats: *total,
                        cost_per_seat: Amount::parse(cost).map_err(anyhow::Error::msg)?,
                        currency: Currency::parse(currency).map_err(anyhow::Error::msg)?,
                    },
                )
                .await?;
            seats.push((license.license.id, total.unwrap_or(u64::MAX)));
        }
        for user in users {
            if !rng.gen_bool(share) {
                continue;
            }
            // The first license with a free seat, if any (some users hold none).
            let license = seats.iter_mut().find(|(_, free)| *free > 0);
            let licenses = match license {
                Some((id, free)) if rng.gen_bool(0.9) => {
                    *free -= 1;
                    vec![id.clone()]
                }
                _ => Vec::new(),
            };
            let update = AppUserUpdate {
                licenses: Some(licenses),
                role: Patch::Set(if rng.gen_bool(0.1) { "admin" } else { "member" }.to_owned()),
                optimization_inclusion: rng
                    .gen_bool(0.05)
                    .then_some(OptimizationInclusion::ExcludeUnused),
                ..AppUserUpdate::default()
            };
            let new = NewAppUser {
                email: user.email.clone(),
                rest: update,
            };
            directory
                .add_app_user(&writer, &app.id, new, &APP_USER_NAMES, FieldErrors::new())
                .await?;
            // Most use it within the month; some stopped months ago; some never did.
            let days_ago = match rng.gen_range(0..100) {
                0..=69 => Some(rng.gen_range(0..28)),
                70..=84 => Some(rng.gen_range(40..200)),
                _ => None,
            };
            if let Some(days) = days_ago {
                activity.push(ActivityEvent {
                    user: ActivityUser::Id(user.id.clone()),
                    app_id: app.id.clone(),
                    used_at: now - Duration::days(days) - Duration::minutes(rng.gen_range(0..600)),
                });
            }
        }
    }
    directory.record_activity(&writer, activity).await?;
    Ok(())
}
