//! The demo tenant's roles and user groups: a few roles with permissions from the catalogue,
//! groups holding them, and members, so the Wavefront dialect has something to show.

use std::collections::BTreeSet;

use roster_core::command::{NewRole, NewUserGroup};
use roster_core::directory::AccessFieldNames;
use roster_core::model::User;
use roster_core::values::Permission;
use roster_core::{Caller, Directory};

use super::name;

const NAMES: AccessFieldNames = AccessFieldNames {
    name: "name",
    description: "description",
    roles: "roles",
    members: "members",
    groups: "groups",
};

/// (role, description, permissions)
const ROLES: [(&str, &str, &[Permission]); 3] = [
    (
        "Administrators",
        "Manage users, tokens and single sign-on",
        &[
            Permission::UserManagement,
            Permission::TokenManagement,
            Permission::SamlSsoManagement,
        ],
    ),
    (
        "Editors",
        "Build dashboards and alerts",
        &[
            Permission::DashboardManagement,
            Permission::AlertsManagement,
            Permission::EventsManagement,
        ],
    ),
    ("Viewers", "Embed charts", &[Permission::EmbeddedCharts]),
];

pub async fn fill(directory: &Directory, caller: &Caller, users: &[User]) -> anyhow::Result<()> {
    let writer = caller.writer()?;
    let mut roles = Vec::new();
    for (role, description, permissions) in ROLES {
        let new = NewRole {
            name: name(role),
            description: Some(description.to_owned()),
            permissions: permissions.iter().copied().collect(),
        };
        roles.push(directory.create_role(&writer, new, &NAMES).await?.role.id);
    }
    // (group, its roles, which users: every n-th)
    let groups = [("Platform team", [0, 1], 7), ("Analysts", [1, 2], 3)];
    for (group, role_indexes, every) in groups {
        let new = NewUserGroup {
            name: name(group),
            description: None,
            external_id: None,
            role_ids: role_indexes.iter().map(|&i| roles[i].clone()).collect(),
            members: users
                .iter()
                .step_by(every)
                .map(|user| user.id.clone())
                .collect::<BTreeSet<_>>(),
        };
        directory.create_user_group(&writer, new, &NAMES).await?;
    }
    Ok(())
}
