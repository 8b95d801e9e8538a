//! Seeds a benchmark tenant: N users inserted through the store in large transactions (creating
//! them one request at a time would measure the seeding, not the server). Prints a write key on
//! the last line and writes the user ids, one per line, to `--ids`.

use std::io::Write;
use std::sync::Arc;

use clap::Parser;
use roster_core::model::User;
use roster_core::store::Store;
use roster_core::values::{Email, Name, Scope};
use roster_core::Directory;
use roster_store::SqlStore;

#[derive(Debug, Parser)]
struct Args {
    #[arg(long)]
    database: String,
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    #[arg(long)]
    ids: std::path::PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let store = Arc::new(SqlStore::open(&args.database).await?);
    let directory = Directory::new(store.clone());
    let tenant = directory
        .create_tenant(Name::parse("Bench").map_err(anyhow::Error::msg)?)
        .await?;
    let key = directory
        .create_api_key(
            &tenant.slug,
            Name::parse("bench").map_err(anyhow::Error::msg)?,
            Scope::Write,
        )
        .await?;
    let mut ids = std::io::BufWriter::new(std::fs::File::create(&args.ids)?);
    for batch in (0..args.users).collect::<Vec<_>>().chunks(10_000) {
        let mut session = store.writer().await?;
        for index in batch {
            let email =
                Email::parse(&format!("user{index}@bench.example")).map_err(anyhow::Error::msg)?;
            let name = Name::parse(&format!("Bench User {index}")).map_err(anyhow::Error::msg)?;
            let user = User::new(tenant.id.clone(), email, name);
            session.insert_user(&user).await?;
            writeln!(ids, "{}", user.id)?;
        }
        session.commit().await?;
    }
    ids.flush()?;
    store.close().await;
    println!("{}", key.secret);
    Ok(())
}
