//! `cargo xtask footprint`: the release binary's size, idle memory and time to first
//! answer, as recorded in docs/performance.md. Standard library only, so it builds fast.

mod bench;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "footprint" => footprint(),
        "bench" => {
            let rest: Vec<String> = std::env::args().skip(2).collect();
            let database = match rest.as_slice() {
                [flag, url] if flag == "--database" => Some(url.clone()),
                _ => None,
            };
            bench::bench(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), database.as_deref())
        }
        _ => {
            eprintln!(
                "usage: cargo xtask footprint | bench [--database postgres://...]\n\n  \
                 footprint  build the release binary; print its size, idle RSS and startup time\n  \
                 bench      load-test the home timeline and verify_credentials on 1,000,000 statuses"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, String>;

fn footprint() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    run(Command::new(env!("CARGO")).args(["build", "--release", "--locked", "-p", "server"]).current_dir(&root))?;
    let binary = root.join("target/release/rookery");
    let size = std::fs::metadata(&binary).map_err(|e| e.to_string())?.len();
    println!("binary: {} ({:.1} MiB)", binary.display(), size as f64 / 1_048_576.0);

    const RUNS: usize = 5;
    let mut startups = Vec::new();
    let mut rss = Vec::new();
    for run in 0..RUNS {
        let data = std::env::temp_dir().join(format!("rookery-footprint-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        // Every other run starts on an existing database, as a restart does.
        for fresh in [true, false] {
            let (startup, idle_kib) = measure_once(&binary, &data)?;
            println!(
                "run {run} ({}): first answer after {:.1} ms, idle RSS {:.1} MiB",
                if fresh { "new database" } else { "existing database" },
                startup.as_secs_f64() * 1000.0,
                idle_kib as f64 / 1024.0
            );
            startups.push((fresh, startup));
            rss.push(idle_kib);
        }
        let _ = std::fs::remove_dir_all(&data);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ms =
        |fresh: bool| median(startups.iter().filter(|s| s.0 == fresh).map(|s| s.1.as_secs_f64() * 1000.0).collect());
    println!("median first answer: {:.1} ms on a new database, {:.1} ms on an existing one", ms(true), ms(false));
    println!("median idle RSS: {:.1} MiB", median(rss.iter().map(|k| *k as f64 / 1024.0).collect()));
    Ok(())
}

/// Starts `rookery serve`, times the first 200 from /api/v2/instance, lets it idle,
/// reads its resident memory, stops it with SIGTERM.
fn measure_once(binary: &Path, data: &PathBuf) -> Result<(Duration, u64)> {
    let addr = free_addr()?;
    let started = Instant::now();
    let mut command = Command::new(binary);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROOKERY_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .arg("serve")
        .env("ROOKERY_BIND", &addr)
        .env("ROOKERY_DOMAIN", &addr)
        .env("ROOKERY_DATA_DIR", data)
        .env("ROOKERY_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let startup = loop {
        if http_get_ok(&addr, "/api/v2/instance") {
            break started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(30) {
            stop(&mut child);
            return Err("the server did not answer within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    std::thread::sleep(Duration::from_secs(2));
    let rss = resident_kib(child.id())?;
    stop(&mut child);
    Ok((startup, rss))
}

/// A loopback address with a port free right now.
pub(crate) fn free_addr() -> Result<String> {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    Ok(format!("127.0.0.1:{port}"))
}

pub(crate) fn http_get_ok(addr: &str, path: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else { return false };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}

fn resident_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS in /proc status".into())
}

pub(crate) fn stop(child: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
}

pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed: {status}")) }
}
