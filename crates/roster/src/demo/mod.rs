//! `roster serve --demo`: a tenant with realistic data (departments, custom fields, integrations,
//! ~100 users in a management tree, applications with priced licenses and their users), so a
//! newcomer can try the API within a minute.

mod access;
mod applications;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use roster_core::command::{CustomValueChange, NewUser, UserFieldNames, UserUpdate};
use roster_core::id::{ObjectId, UserId};
use roster_core::model::{PrimarySource, User};
use roster_core::values::{AccountType, Email, FieldEntity, FieldType, Name, Scope, UserStatus};
use roster_core::{Caller, Directory, DomainError, FieldErrors, Patch};
use serde_json::json;

const TENANT: &str = "Demo";
const DEPARTMENTS: [&str; 7] = [
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "People",
    "IT",
    "Support",
];
const FIRST: [&str; 20] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Margaret",
    "Ken",
    "Frances",
    "Dennis",
    "Radia",
    "Linus",
    "Katherine",
    "John",
    "Hedy",
    "Tim",
    "Sophie",
    "Guido",
    "Anita",
    "Bjarne",
];
const LAST: [&str; 10] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen",
    "Ritchie",
];
const TITLES: [&str; 4] = ["Engineer", "Senior Engineer", "Analyst", "Specialist"];
const LOCATIONS: [&str; 5] = [
    "India",
    "United States",
    "Germany",
    "France",
    "United Kingdom",
];
const NAMES: UserFieldNames = UserFieldNames {
    email: "email",
    department: "department",
    reporting_manager: "reporting_manager",
    reporting_manager_email: "reporting_manager_email",
    primary_source_integration: "primary_source",
    custom_fields: "custom_fields",
    roles: "roles",
    groups: "groups",
};

/// Seeds the demo tenant (once; later runs reuse it) and returns a new write key for it.
pub async fn seed(directory: &Directory) -> anyhow::Result<String> {
    let slug = Name::parse(TENANT).map_err(anyhow::Error::msg)?;
    let tenant = match directory.tenant_by_slug("demo").await {
        Ok(tenant) => tenant,
        Err(DomainError::NotFound { .. }) => {
            let tenant = directory.create_tenant(slug).await?;
            let caller = Caller::local(tenant.clone());
            let users = fill(directory, &caller).await?;
            applications::fill(directory, &caller, &users).await?;
            access::fill(directory, &caller, &users).await?;
            tenant
        }
        Err(error) => return Err(error.into()),
    };
    // The key acts for the first demo user (an administrator), BlueXP's current user.
    let key = directory
        .create_api_key(
            &tenant.slug,
            name("demo key"),
            Scope::Write,
            Some(&demo_email(0)),
        )
        .await?;
    Ok(key.secret)
}

/// The email of the `index`-th demo user.
fn demo_email(index: usize) -> String {
    let first = FIRST[index % FIRST.len()];
    let last = LAST[(index / FIRST.len()) % LAST.len()];
    format!(
        "{}.{}{index}@demo.example",
        first.to_lowercase(),
        last.to_lowercase()
    )
}

fn name(text: &str) -> Name {
    Name::parse(text).unwrap_or_else(|_| unreachable!("demo names are not blank"))
}

/// The directory part; returns the users made.
async fn fill(directory: &Directory, caller: &Caller) -> anyhow::Result<Vec<User>> {
    let writer = caller.writer()?;
    let mut rng = StdRng::seed_from_u64(42);
    let mut departments = Vec::new();
    for department in DEPARTMENTS {
        departments.push(
            directory
                .create_department(&writer, name(department))
                .await?
                .id,
        );
    }
    let location = directory
        .create_custom_field(
            &writer,
            name("Location"),
            FieldType::Select,
            LOCATIONS.map(String::from).to_vec(),
            FieldEntity::User,
        )
        .await?;
    let remote = directory
        .create_custom_field(
            &writer,
            name("Remote"),
            FieldType::Bool,
            vec![],
            FieldEntity::User,
        )
        .await?;
    let start = directory
        .create_custom_field(
            &writer,
            name("Start date"),
            FieldType::Date,
            vec![],
            FieldEntity::User,
        )
        .await?;
    directory
        .create_custom_field(
            &writer,
            name("Cost center"),
            FieldType::Number,
            vec![],
            FieldEntity::Application,
        )
        .await?;
    let okta = directory
        .create_integration(&writer, name("okta"), ObjectId::generate(), name("Okta"))
        .await?;
    directory
        .create_integration(
            &writer,
            name("gsuite"),
            ObjectId::generate(),
            name("Google Workspace"),
        )
        .await?;

    let mut create = |index: usize, manager: Option<UserId>, department: usize, title: String| {
        let first = FIRST[index % FIRST.len()];
        let last = LAST[(index / FIRST.len()) % LAST.len()];
        let status = match rng.gen_range(0..20) {
            0 => UserStatus::Inactive,
            1 => UserStatus::Suspended,
            _ => UserStatus::Active,
        };
        let new = NewUser {
            email: Email::parse(&demo_email(index))
                .unwrap_or_else(|_| unreachable!("demo emails are valid")),
            display_name: name(&format!("{first} {last}")),
            reporting_manager_email: None,
            rest: UserUpdate {
                department: Patch::Set(departments[department].clone()),
                status: Some(status),
                reporting_manager: manager.map_or(Patch::Unchanged, Patch::Set),
                designation: Patch::Set(title),
                account_type: Some(if index % 25 == 24 {
                    AccountType::Service
                } else {
                    AccountType::Employee
                }),
                primary_source: Patch::Set(PrimarySource {
                    keyword: okta.keyword.clone(),
                    org_integration_id: okta.id.clone(),
                    integration_id: okta.integration_id.clone(),
                }),
                custom_values: vec![
                    CustomValueChange {
                        field_id: location.id.clone(),
                        value: Some(json!(LOCATIONS[rng.gen_range(0..LOCATIONS.len())])),
                    },
                    CustomValueChange {
                        field_id: remote.id.clone(),
                        value: Some(json!(rng.gen_bool(0.4))),
                    },
                    CustomValueChange {
                        field_id: start.id.clone(),
                        value: Some(json!(format!(
                            "20{:02}-{:02}-01",
                            rng.gen_range(15..25),
                            rng.gen_range(1..13)
                        ))),
                    },
                ],
                ..UserUpdate::default()
            },
        };
        new
    };

    let add = |new: NewUser| directory.create_user(&writer, new, &NAMES, FieldErrors::new());
    let ceo: User = add(create(0, None, 0, "Chief Executive Officer".into())).await?;
    let mut users = vec![ceo.clone()];
    let mut index = 1;
    for (department, title) in DEPARTMENTS.iter().enumerate() {
        let head = add(create(
            index,
            Some(ceo.id.clone()),
            department,
            format!("Head of {title}"),
        ))
        .await?;
        index += 1;
        let head_id = head.id.clone();
        users.push(head);
        for _ in 0..13 {
            let title = TITLES[index % TITLES.len()].to_owned();
            users.push(add(create(index, Some(head_id.clone()), department, title)).await?);
            index += 1;
        }
    }
    Ok(users)
}
