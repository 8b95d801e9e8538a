//! Test support for Roster: every test gets its own fresh, isolated database.
//!
//! * [`sqlite()`] gives a new SQLite file in its own temporary directory.
//! * [`postgres()`] gives a new, empty database in a private, throwaway PostgreSQL
//!   cluster that is started lazily once per test process (or on the server named by
//!   `ROSTER_TEST_POSTGRES_URL`, when that is set).
//!
//! No manual setup is needed: the cluster is created with the locally installed
//! PostgreSQL binaries and a detached watchdog tears it down when the test process
//! exits (Rust tests have no global teardown hook). When PostgreSQL cannot run here,
//! `postgres()` returns `None` and says so loudly, except under `CI=true`, where it
//! panics so that CI can never silently skip the PostgreSQL half of the tests.

mod cluster;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use cluster::{current_euid, find_bindir, start_cluster};

/// A database for one test; dropping it deletes the SQLite file / drops nothing for
/// Postgres (the private cluster is thrown away whole when the process exits).
pub struct TestDatabase {
    url: String,
    backend: &'static str,
    // Held only so that the SQLite file's directory lives exactly as long as the value.
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    /// Connection URL, e.g. `sqlite:///tmp/.tmpX/test.db?mode=rwc` or
    /// `postgres://postgres@127.0.0.1:PORT/DBNAME`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("url", &self.url)
            .finish()
    }
}

/// A fresh SQLite file in a new temp dir. URL form: `sqlite://<absolute path>?mode=rwc`.
pub fn sqlite() -> TestDatabase {
    let dir = tempfile::Builder::new()
        .prefix("roster-sqlite-")
        .tempdir()
        .expect("cannot create a temporary directory for a SQLite test database");
    let path = dir.path().join("test.db");
    // An empty file is a valid, empty SQLite database; creating it up front makes the
    // path real for tests that inspect it, and `mode=rwc` keeps drivers happy either way.
    std::fs::File::create(&path).expect("cannot create the SQLite test database file");
    TestDatabase {
        url: format!("sqlite://{}?mode=rwc", path.display()),
        backend: "sqlite",
        _dir: Some(dir),
    }
}

/// A fresh, empty database in a private throwaway PostgreSQL cluster shared by the whole
/// test process (or on the `ROSTER_TEST_POSTGRES_URL` server when that is set).
///
/// Returns `None` when PostgreSQL cannot be run here and `CI` is not `"true"`; panics
/// with the reason when `CI=true`. Safe to call from many test threads at once.
pub fn postgres() -> Option<TestDatabase> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        let server = Server::start();
        if let Err(reason) = &server {
            if !in_ci() {
                // Written straight to the process's stderr rather than with eprintln!, which
                // the test harness captures and would hide for passing tests.
                let _ = writeln!(
                    std::io::stderr(),
                    "\n=== PostgreSQL is not available: the PostgreSQL half of the tests \
                     was SKIPPED (reason: {reason}) ===\n"
                );
            }
        }
        server
    });
    match server {
        Ok(server) => Some(server.create_database()),
        Err(reason) if in_ci() => panic!("PostgreSQL is required when CI=true: {reason}"),
        Err(_) => None,
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Where test databases get created.
enum Server {
    /// Our own cluster on 127.0.0.1:port, trust auth, superuser `postgres`.
    Private { port: u16, bindir: PathBuf },
    /// A server given by `ROSTER_TEST_POSTGRES_URL`: `admin_url` is used to run
    /// CREATE DATABASE; test URLs are `base` + `/` + name + `query`.
    External {
        admin_url: String,
        base: String,
        query: String,
    },
}

impl Server {
    fn start() -> Result<Server, String> {
        if let Ok(url) = std::env::var("ROSTER_TEST_POSTGRES_URL") {
            return Ok(external(&url));
        }
        let bindir = find_bindir()?;
        let as_postgres = current_euid()? == 0;
        let port = start_cluster(&bindir, as_postgres)?;
        Ok(Server::Private { port, bindir })
    }

    fn create_database(&self) -> TestDatabase {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "t_{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        let (mut cmd, url) = match self {
            Server::Private { port, bindir } => {
                let mut cmd = Command::new(bindir.join("createdb"));
                cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"]);
                cmd.arg(&name);
                (cmd, format!("postgres://postgres@127.0.0.1:{port}/{name}"))
            }
            Server::External {
                admin_url,
                base,
                query,
            } => {
                let mut cmd = Command::new(client_psql());
                cmd.args([admin_url.as_str(), "-v", "ON_ERROR_STOP=1", "-qAtc"]);
                cmd.arg(format!("CREATE DATABASE \"{name}\""));
                (cmd, format!("{base}/{name}{query}"))
            }
        };
        let out = cmd.stdin(Stdio::null()).output();
        if let Err(why) = check(out, "creating a test database") {
            panic!("cannot create PostgreSQL test database {name}: {why}");
        }
        TestDatabase {
            url,
            backend: "postgres",
            _dir: None,
        }
    }
}

/// Splits `postgres://user:pw@host:port/[db][?query]` into the pieces `Server::External`
/// needs. With no database in the URL the admin connection goes to `postgres`, since
/// libpq would otherwise default to a database named after the user.
fn external(url: &str) -> Server {
    let (main, query) = match url.find('?') {
        Some(i) => (&url[..i], url[i..].to_string()),
        None => (url, String::new()),
    };
    let after_scheme = main.find("://").map_or(0, |i| i + 3);
    let (base, db) = match main[after_scheme..].find('/') {
        Some(i) => main.split_at(after_scheme + i),
        None => (main, ""),
    };
    let db = db.trim_start_matches('/');
    let db = if db.is_empty() { "postgres" } else { db };
    Server::External {
        admin_url: format!("{base}/{db}{query}"),
        base: base.to_string(),
        query,
    }
}

/// psql for the override server, which needs only the client tools.
fn client_psql() -> PathBuf {
    find_bindir()
        .map(|d| d.join("psql"))
        .ok()
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("psql"))
}

/// The stdout of a finished command, or an error describing what went wrong.
fn check(out: std::io::Result<Output>, what: &str) -> Result<String, String> {
    let out = out.map_err(|e| format!("{what} could not be run: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let mut msg = format!("{what} failed ({})", out.status);
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        if !text.trim().is_empty() {
            let _ = write!(msg, ": {}", text.trim());
        }
    }
    Err(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_path(db: &TestDatabase) -> PathBuf {
        let url = db.url();
        let path = url.strip_prefix("sqlite://").expect("sqlite:// prefix");
        PathBuf::from(path.strip_suffix("?mode=rwc").expect("?mode=rwc suffix"))
    }

    #[test]
    fn sqlite_databases_are_distinct_files() {
        let (a, b) = (sqlite(), sqlite());
        assert_eq!(a.backend(), "sqlite");
        assert_ne!(a.url(), b.url());
        let (pa, pb) = (sqlite_path(&a), sqlite_path(&b));
        assert!(pa.is_absolute() && pa.is_file(), "{pa:?}");
        assert!(pb.is_file(), "{pb:?}");
        drop(a);
        assert!(!pa.exists(), "dropping the TestDatabase removes the file");
    }

    #[test]
    fn postgres_databases_are_distinct_and_usable() {
        let Some(a) = postgres() else { return };
        let b = postgres().expect("second call agrees with the first");
        assert_eq!(a.backend(), "postgres");
        assert_ne!(a.url(), b.url());
        for db in [&a, &b] {
            let out = Command::new(client_psql())
                .args([db.url(), "-qAtc", "select 1"])
                .output();
            assert_eq!(check(out, "psql").expect("psql select 1").trim(), "1");
        }
    }

    #[test]
    fn postgres_is_safe_to_call_concurrently() {
        let urls: Vec<Option<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| postgres().map(|db| db.url().to_string())))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread panicked"))
                .collect()
        });
        let mut urls: Vec<String> = urls.into_iter().flatten().collect();
        let n = urls.len();
        urls.sort();
        urls.dedup();
        assert_eq!(urls.len(), n, "every database name is unique");
    }

    #[test]
    fn override_url_is_split_into_admin_and_base() {
        let Server::External {
            admin_url,
            base,
            query,
        } = external("postgres://u:p@h:5/?sslmode=disable")
        else {
            panic!("expected External")
        };
        assert_eq!(admin_url, "postgres://u:p@h:5/postgres?sslmode=disable");
        assert_eq!(base, "postgres://u:p@h:5");
        assert_eq!(query, "?sslmode=disable");
    }
}
