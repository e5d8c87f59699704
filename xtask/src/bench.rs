//! `cargo xtask bench [--database postgres://...]`: the home timeline and
//! verify_credentials under concurrent load, and the website's home page beside the
//! API's home timeline, next to a trivial endpoint's ceiling measured in the same run;
//! then the home page's weight (HTML, stylesheet, script). Needs `wrk`, and `sqlite3` or
//! `psql` to seed data.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, free_addr, http_get_ok, run, stop};

const TOKEN: &str = "rookery-bench-token-0000000000000000000000000";
/// The website's cookies: a session seeded for `bench`, and a CSRF token (any value).
const COOKIES: &str = "rookery_session=rookery-bench-session-000000000000000000000000; rookery_csrf=bench";

/// How a request proves who asks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Credentials {
    None,
    Token,
    Cookie,
}
const SEED: &str = include_str!("../bench/seed.sql");

pub fn bench(root: &Path, database: Option<&str>) -> Result<()> {
    for tool in ["wrk", if database.is_some() { "psql" } else { "sqlite3" }] {
        if Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
            return Err(format!(
                "`{tool}` is needed (Debian: apt-get install {})",
                if tool == "psql" { "postgresql-client" } else { tool }
            ));
        }
    }
    run(Command::new(env!("CARGO")).args(["build", "--release", "--locked", "-p", "server"]).current_dir(root))?;
    let binary = root.join("target/release/rookery");
    let data = std::env::temp_dir().join(format!("rookery-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let url = match database {
        Some(admin_url) => {
            let db = "rookery_bench";
            run(Command::new("psql").args([admin_url, "-qc", &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")]))?;
            run(Command::new("psql").args([admin_url, "-qc", &format!("CREATE DATABASE {db}")]))?;
            let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
            format!("{base}/{db}")
        }
        None => format!("sqlite://{}", data.join("rookery.db").display()),
    };
    let rookery = |args: &[&str]| {
        let mut cmd = Command::new(&binary);
        cmd.args(args).env("ROOKERY_DATABASE_URL", &url).env("ROOKERY_DATA_DIR", &data).env("ROOKERY_LOG", "warn");
        // One token makes every request: Mastodon's limit would stop the load at once.
        cmd.env("ROOKERY_RATE_LIMIT", "0");
        cmd
    };
    run(rookery(&["admin", "account", "create", "--username", "bench", "--email", "bench@example.org"])
        .stdout(Stdio::null()))?;
    let started = Instant::now();
    let mut seed = match database {
        Some(_) => {
            let mut c = Command::new("psql");
            c.args([url.as_str(), "-q", "-v", "ON_ERROR_STOP=1"]);
            c
        }
        None => {
            let mut c = Command::new("sqlite3");
            c.args(["-bail", data.join("rookery.db").to_str().unwrap_or_default()]);
            c
        }
    };
    let mut child = seed.stdin(Stdio::piped()).spawn().map_err(|e| e.to_string())?;
    std::io::Write::write_all(child.stdin.as_mut().ok_or("no stdin")?, SEED.as_bytes()).map_err(|e| e.to_string())?;
    drop(child.stdin.take());
    if !child.wait().map_err(|e| e.to_string())?.success() {
        return Err("seeding failed".into());
    }
    println!("seeded 10,000 accounts and 1,000,000 statuses in {:.0} s", started.elapsed().as_secs_f64());

    let addr = free_addr()?;
    let mut server = rookery(&["serve"])
        .env("ROOKERY_BIND", &addr)
        .env("ROOKERY_DOMAIN", &addr)
        .spawn()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !http_get_ok(&addr, "/health") {
        if Instant::now() > deadline {
            stop(&mut server);
            return Err("the server did not start".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let targets = [
        ("ceiling: GET /api/v1/custom_emojis (no database)", "/api/v1/custom_emojis", Credentials::None),
        ("GET /api/v1/accounts/verify_credentials", "/api/v1/accounts/verify_credentials", Credentials::Token),
        ("GET /api/v1/timelines/home?limit=20", "/api/v1/timelines/home?limit=20", Credentials::Token),
        ("GET / (the website's home page, 20 posts)", "/", Credentials::Cookie),
    ];
    println!("\n{:<52} {:>10} {:>10} {:>10}", "endpoint (wrk -t1 -c32 -d10s, 3 runs, median)", "req/s", "p50", "p99");
    let mut results = Vec::new();
    for (name, path, credentials) in targets {
        let mut runs = Vec::new();
        for _ in 0..3 {
            runs.push(wrk(&addr, path, credentials)?);
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (rps, p50, p99) = runs[1].clone();
        println!("{name:<52} {rps:>10.0} {p50:>10} {p99:>10}");
        results.push(rps);
    }
    let writes = home_while_posting(&addr);
    let weight = page_weight(&addr);
    stop(&mut server);
    println!(
        "\nhome timeline: {:.0}% of the ceiling; verify_credentials: {:.0}%; home page: {:.0}% (the API's home timeline: {:.0}%)",
        100.0 * results[2] / results[0],
        100.0 * results[1] / results[0],
        100.0 * results[3] / results[0],
        100.0 * results[3] / results[2]
    );
    let (rps, p50, p99, posted) = writes?;
    println!(
        "home timeline while `bench` posts 10 times a second ({posted} posts): {rps:.0} req/s, p50 {p50}, p99 {p99} \
         ({:.0}% of the ceiling)",
        100.0 * rps / results[0]
    );
    let (html, css, js) = weight?;
    println!("home page weight: HTML {html} B, stylesheet {css} B, script {js} B, {} B in all", html + css + js);
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

/// The home timeline under load while posts are written: each post moves the
/// generation of every kept row (see the store's `row_cache`), so this shows what the
/// kept rows are worth when the data changes. Median of 3 runs, and how many posts.
fn home_while_posting(addr: &str) -> Result<(f64, String, String, usize)> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let posting = std::sync::Arc::new(AtomicBool::new(true));
    let poster = {
        let (addr, posting) = (addr.to_owned(), posting.clone());
        std::thread::spawn(move || {
            let mut posted = 0;
            while posting.load(Ordering::Relaxed) {
                if post_status(&addr, posted).is_ok() {
                    posted += 1;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            posted
        })
    };
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(wrk(addr, "/api/v1/timelines/home?limit=20", Credentials::Token));
    }
    posting.store(false, Ordering::Relaxed);
    let posted = poster.join().map_err(|_| "the poster panicked")?;
    let mut runs = runs.into_iter().collect::<Result<Vec<_>>>()?;
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rps, p50, p99) = runs[1].clone();
    Ok((rps, p50, p99, posted))
}

/// Posts a public status as `bench`.
fn post_status(addr: &str, n: usize) -> Result<()> {
    use std::io::{Read, Write};
    let body = format!("status=bench+post+{n}&visibility=public");
    let request = format!(
        "POST /api/v1/statuses HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    if response.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        Err(response.lines().next().unwrap_or_default().to_owned())
    }
}

/// Requests per second, p50 and p99 latency as wrk prints them.
fn wrk(addr: &str, path: &str, credentials: Credentials) -> Result<(f64, String, String)> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t1", "-c32", "-d10s", "--latency"]);
    match credentials {
        Credentials::None => {}
        Credentials::Token => drop(cmd.args(["-H", &format!("Authorization: Bearer {TOKEN}")])),
        Credentials::Cookie => drop(cmd.args(["-H", &format!("Cookie: {COOKIES}")])),
    }
    let out = cmd.arg(format!("http://{addr}{path}")).output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("{path} answered errors:\n{text}"));
    }
    let field = |prefix: &str| {
        text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned())).unwrap_or_default()
    };
    let rps = field("Requests/sec:").parse().map_err(|_| format!("no requests/s in wrk output:\n{text}"))?;
    Ok((rps, field("50%"), field("99%")))
}

/// Bytes of the signed-in home page's HTML and of the stylesheet and script it links.
fn page_weight(addr: &str) -> Result<(usize, usize, usize)> {
    let html = body(addr, "/")?;
    if !html.contains("<h1>Home</h1>") {
        return Err("the home page did not come signed in".into());
    }
    let linked = |prefix: &str| -> Result<usize> {
        let start = html.find(prefix).ok_or_else(|| format!("no {prefix} on the home page"))? + prefix.len();
        let path = &html[start..start + html[start..].find('"').unwrap_or(0)];
        Ok(body(addr, path)?.len())
    };
    Ok((html.len(), linked("<link rel=\"stylesheet\" href=\"")?, linked("<script src=\"")?))
}

/// The body of a GET with the website's cookies, over HTTP/1.1 without chunking.
fn body(addr: &str, path: &str) -> Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {COOKIES}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no body")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("{path}: {}", head.lines().next().unwrap_or_default()));
    }
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        return Err(format!("{path} came chunked"));
    }
    Ok(body.to_owned())
}
