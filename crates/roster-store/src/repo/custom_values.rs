//! Custom field values, stored alike for users and applications: one row per entity and field,
//! holding the JSON value and its text form for filtering.

use std::collections::HashMap;

use crate::session::SqlSession;
use crate::sql::{column, json, parsed, Sql};
use roster_core::directory::value_as_filter_text;
use roster_core::id::CustomFieldId;
use roster_core::model::CustomValue;
use roster_core::{DomainError, DomainResult};

/// Where one entity's values live: the table and the column naming the entity.
#[derive(Clone, Copy)]
pub(super) struct ValueTable {
    table: &'static str,
    key: &'static str,
}

pub(super) const USER_VALUES: ValueTable = ValueTable {
    table: "user_custom_values",
    key: "user_id",
};

pub(super) const APPLICATION_VALUES: ValueTable = ValueTable {
    table: "application_custom_values",
    key: "app_id",
};

impl SqlSession {
    /// The custom values of these entities, by entity id, each list sorted by field id.
    pub(super) async fn custom_values_of(
        &mut self,
        values: ValueTable,
        ids: &[&str],
    ) -> DomainResult<HashMap<String, Vec<CustomValue>>> {
        let mut found: HashMap<String, Vec<CustomValue>> = HashMap::new();
        if ids.is_empty() {
            return Ok(found);
        }
        let ValueTable { table, key } = values;
        let mut sql = Sql::new(&format!(
            "SELECT {key} AS entity_id, field_id, value FROM {table} WHERE {key} IN "
        ));
        sql.bind_list(ids.iter().copied())
            .push(&format!(" ORDER BY {key}, field_id"));
        for row in sql.fetch_all(self.db()).await? {
            let value = json(&row, "value")?;
            let field_id = parsed(&row, "field_id", CustomFieldId::parse)?;
            found
                .entry(column(&row, "entity_id")?)
                .or_default()
                .push(CustomValue { field_id, value });
        }
        Ok(found)
    }

    /// Replaces the custom values of one entity.
    pub(super) async fn write_custom_values(
        &mut self,
        values: ValueTable,
        id: &str,
        custom_values: &[CustomValue],
    ) -> DomainResult<()> {
        let ValueTable { table, key } = values;
        Sql::with(
            &format!("DELETE FROM {table} WHERE {key} = $1"),
            vec![id.into()],
        )
        .execute(self.db())
        .await?;
        for value in custom_values {
            let json = serde_json::to_string(&value.value)
                .map_err(|error| DomainError::Internal(error.to_string()))?;
            Sql::with(
                &format!(
                    "INSERT INTO {table} ({key}, field_id, value, value_text) VALUES ($1, $2, $3, $4)"
                ),
                vec![
                    id.into(),
                    value.field_id.as_str().into(),
                    json.into(),
                    value_as_filter_text(&value.value).into(),
                ],
            )
            .execute(self.db())
            .await?;
        }
        Ok(())
    }
}
