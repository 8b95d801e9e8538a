//! The private, throwaway PostgreSQL cluster behind [`crate::postgres()`]: finding the
//! server binaries, `initdb` + `pg_ctl start` in a temp dir, and a watchdog that stops
//! the server and deletes the directory once the test process has exited.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::check;

/// The directory holding `initdb`, `pg_ctl`, `createdb`: `pg_config --bindir`, then the
/// newest `/usr/lib/postgresql/*/bin`. PATH is deliberately not searched, so that a stray
/// `/usr/local/bin/initdb` can never pair with another version's `pg_ctl`.
pub(crate) fn find_bindir() -> Result<PathBuf, String> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        // pg_config can come from client-only packages, so the dir may lack the server.
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        "no PostgreSQL server binaries found (tried `pg_config --bindir` and \
         /usr/lib/postgresql/*/bin)"
            .to_string()
    })
}

/// Effective uid, read from /proc to avoid depending on libc; `id -u` as a fallback.
pub(crate) fn current_euid() -> Result<u32, String> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let from_proc = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1)?.parse().ok());
    if let Some(uid) = from_proc {
        return Ok(uid);
    }
    let out = check(Command::new("id").arg("-u").output(), "running `id -u`")?;
    out.trim()
        .parse()
        .map_err(|_| format!("`id -u` printed {out:?}"))
}

/// Initialises and starts a cluster in a fresh temp dir; returns its TCP port.
pub(crate) fn start_cluster(bindir: &Path, as_postgres: bool) -> Result<u16, String> {
    // PostgreSQL refuses to run as root, so as root the server runs as `postgres`, which
    // must be able to reach the directory: use /tmp rather than a possibly private TMPDIR.
    let parent = if as_postgres {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    };
    let base = tempfile::Builder::new()
        .prefix("roster-pg-")
        .tempdir_in(&parent)
        .map_err(|e| format!("cannot create a temp dir in {}: {e}", parent.display()))?
        // The watchdog below deletes it; a Drop inside a static would never run anyway.
        .keep();
    let data = base.join("data");
    let log = base.join("postgres.log");
    let pg_ctl = bindir.join("pg_ctl");

    let run = |program: &Path| {
        let mut cmd = if as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // `postgres` may be unable to read the test's working directory.
        cmd.current_dir(&base).stdin(Stdio::null());
        cmd
    };

    // Arm the watchdog first, so the directory is removed even if start-up fails below.
    // It polls for this process; when the process is gone it stops the server and removes
    // everything. All three stdio handles are null so it never holds the harness's pipes
    // open (cargo test would hang), and its own process group keeps a Ctrl-C aimed at the
    // test run from killing it before it has cleaned up.
    let stop = format!(
        "{} {} -D {} -m immediate stop",
        if as_postgres {
            "runuser -u postgres --"
        } else {
            ""
        },
        sh_quote(&pg_ctl),
        sh_quote(&data)
    );
    let script = format!(
        "trap '' HUP INT; while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         {stop} >/dev/null 2>&1; rm -rf {base}",
        pid = std::process::id(),
        base = sh_quote(&base)
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot spawn the cleanup watchdog: {e}"))?;

    if as_postgres {
        let out = Command::new("chown").arg("postgres:").arg(&base).output();
        check(out, "chown of the cluster dir to the postgres user")?;
    }

    let mut initdb = run(&bindir.join("initdb"));
    initdb.arg("-D").arg(&data);
    initdb.args([
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-locale",
    ]);
    check(initdb.output(), "initdb")?;

    // Another process may grab the port between our probe and the server's bind, so retry.
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            base.display()
        );
        let mut start = run(&pg_ctl);
        start.arg("-D").arg(&data).arg("-l").arg(&log);
        start.args(["-w", "-o", &options, "start"]);
        match check(start.output(), "pg_ctl start") {
            Ok(_) => return Ok(port),
            Err(e) => {
                let tail = log_tail(&log);
                last_error = format!("{e}; server log tail:\n{tail}");
                // In case pg_ctl gave up waiting on a server that did come up.
                let _ = run(&pg_ctl)
                    .arg("-D")
                    .arg(&data)
                    .args(["-m", "immediate", "stop"])
                    .output();
            }
        }
    }
    Err(last_error)
}

/// Asks the kernel for an unused port; the listener is dropped so the server can bind it.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free TCP port: {e}"))
}

fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_else(|e| format!("(unreadable: {e})"));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Single-quotes a path for `sh -c`.
fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
