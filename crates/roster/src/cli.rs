//! Command-line interface. Every subcommand finds its database through `--database` or
//! `ROSTER_DATABASE_URL`.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use roster_core::id::ApiKeyId;
use roster_core::values::{Name, Scope};
use roster_core::Directory;
use roster_store::SqlStore;
use tokio::net::TcpListener;

#[derive(Debug, Parser)]
#[command(
    name = "roster",
    version,
    about = "A self-hosted user directory and SaaS access-management server"
)]
pub struct Cli {
    /// The database: sqlite://PATH (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "ROSTER_DATABASE_URL",
        default_value = "sqlite://./roster.db"
    )]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ROSTER_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Seed a demo tenant with realistic data and print an API key for it.
        #[arg(long)]
        demo: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Manage tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Create a tenant; prints its id and slug.
    Create { name: String },
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Create a key; its secret is printed once, alone on the last line.
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "write", value_parser = parse_scope)]
        scope: Scope,
        /// The user (id or email) the key acts for: BlueXP's current user.
        #[arg(long)]
        user: Option<String>,
    },
    /// List a tenant's keys (never their secrets).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke a key by id; it stops working at once.
    Revoke { id: String },
}

fn parse_scope(text: &str) -> Result<Scope, String> {
    Scope::parse(text)
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let store = SqlStore::open(&self.database)
            .await
            .with_context(|| format!("cannot open the database {}", self.database))?;
        let directory = Directory::new(Arc::new(store.clone()));
        let result = match self.command {
            Command::Serve { listen, demo } => serve(directory, listen, demo).await,
            Command::Migrate => {
                let versions = store.migrate().await?;
                println!(
                    "database is at migration {}",
                    versions.last().copied().unwrap_or(0)
                );
                Ok(())
            }
            Command::Tenant {
                command: TenantCommand::Create { name },
            } => {
                let tenant = directory
                    .create_tenant(Name::parse(&name).map_err(anyhow::Error::msg)?)
                    .await?;
                println!("id:   {}", tenant.id);
                println!("slug: {}", tenant.slug);
                Ok(())
            }
            Command::Key { command } => key(&directory, command).await,
        };
        store.close().await;
        result
    }
}

async fn key(directory: &Directory, command: KeyCommand) -> anyhow::Result<()> {
    match command {
        KeyCommand::Create {
            tenant,
            name,
            scope,
            user,
        } => {
            let name = Name::parse(&name).map_err(anyhow::Error::msg)?;
            let made = directory
                .create_api_key(&tenant, name, scope, user.as_deref())
                .await?;
            println!("id:    {}", made.key.id);
            println!("scope: {}", made.key.scope);
            if let Some(user) = &made.key.user_id {
                println!("user:  {user}");
            }
            println!("The secret is shown only now; store it safely:");
            println!("{}", made.secret);
        }
        KeyCommand::List { tenant } => {
            println!(
                "{:<24}  {:<6}  {:<10}  {:<20}  {:<20}  name",
                "id", "scope", "prefix", "last used", "revoked"
            );
            for key in directory.api_keys(&tenant).await? {
                let time = |at: Option<chrono::DateTime<chrono::Utc>>| {
                    at.map_or_else(
                        || "-".to_owned(),
                        |at| at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    )
                };
                println!(
                    "{:<24}  {:<6}  {:<10}  {:<20}  {:<20}  {}",
                    key.id,
                    key.scope,
                    key.prefix,
                    time(key.last_used_at),
                    time(key.revoked_at),
                    key.name
                );
            }
        }
        KeyCommand::Revoke { id } => {
            let id = ApiKeyId::parse(&id).map_err(anyhow::Error::msg)?;
            let key = directory.revoke_api_key(&id).await?;
            println!("revoked {} ({})", key.id, key.name);
        }
    }
    Ok(())
}

async fn serve(directory: Directory, listen: SocketAddr, demo: bool) -> anyhow::Result<()> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    if demo {
        let key = crate::demo::seed(&directory).await?;
        println!("Roster demo is running at http://{address}");
        println!("  API docs:  http://{address}/docs");
        println!("  Try:       curl -s -X POST http://{address}/v2/users -H 'api-key: {key}' -H 'content-type: application/json' -d '{{\"page_size\": 3}}'");
        println!("API key for the demo tenant:");
        println!("{key}");
    }
    tracing::info!(%address, backend = directory.store().backend(), "roster is listening");
    roster_http::serve(listener, directory, shutdown_signal()).await?;
    tracing::info!("roster stopped");
    Ok(())
}

/// Completes on SIGTERM or Ctrl-C, so that in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
