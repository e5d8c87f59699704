//! `rookery admin account ...` against a running server's database.

use crate::support::TestServer;

fn create(server: &TestServer, username: &str, email: &str, password: &str) -> std::process::Output {
    server.cli(&["admin", "account", "create", "--username", username, "--email", email, "--password", password])
}

fn listed_usernames(server: &TestServer) -> Vec<String> {
    server
        .cli_ok(&["admin", "account", "list"])
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn creates_and_lists_accounts_while_the_server_runs() {
    let server = TestServer::start().await;
    let out = server.cli_ok(&[
        "admin",
        "account",
        "create",
        "--username",
        "Alice",
        "--email",
        "Alice@Example.org",
        "--password",
        "correct horse battery",
        "--role",
        "admin",
    ]);
    assert!(out.contains("created Alice (alice@example.org, admin)"), "{out}");
    server.cli_ok(&[
        "admin",
        "account",
        "create",
        "--username",
        "bob",
        "--email",
        "bob@example.org",
        "--password",
        "hunter2hunter2",
    ]);
    let list = server.cli_ok(&["admin", "account", "list"]);
    assert!(list.lines().nth(1).unwrap().contains("alice@example.org"), "{list}");
    assert!(list.lines().nth(1).unwrap().contains("admin"), "{list}");
    assert!(list.lines().nth(2).unwrap().contains("bob") && list.lines().nth(2).unwrap().contains(" user "), "{list}");

    // The running server sees them at once.
    let instance = server.get_json("/api/v1/instance").await;
    assert_eq!(instance["stats"]["user_count"], 2);
    assert_eq!(instance["contact_account"]["username"], "Alice");
}

#[tokio::test]
async fn a_generated_password_is_printed_and_signs_in() {
    let server = TestServer::start().await;
    let out = server.cli_ok(&["admin", "account", "create", "--username", "carol", "--email", "carol@example.org"]);
    let password = out.lines().find_map(|l| l.strip_prefix("password: ")).expect("password printed").to_owned();
    assert_eq!(password.len(), 24);
    let signed_in = app::accounts::authenticate(server.app(), "carol@example.org", &password).await.unwrap();
    assert_eq!(signed_in.unwrap().0.username, "carol");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_error_and_changes_nothing() {
    let server = TestServer::start().await;
    assert!(create(&server, "alice", "alice@example.org", "correct horse battery").status.success());

    let cases: &[(&[&str], &str)] = &[
        (
            &["--username", "ALICE", "--email", "new@example.org", "--password", "long enough"],
            "Username has already been taken",
        ),
        (
            &["--username", "alice2", "--email", "ALICE@example.org", "--password", "long enough"],
            "Email has already been taken",
        ),
        (
            &["--username", "al ice", "--email", "new@example.org", "--password", "long enough"],
            "Username must contain only letters",
        ),
        (&["--username", "admin", "--email", "new@example.org", "--password", "long enough"], "Username is reserved"),
        (
            &["--username", &"x".repeat(31), "--email", "new@example.org", "--password", "long enough"],
            "Username is too long",
        ),
        (&["--username", "", "--email", "new@example.org", "--password", "long enough"], "Username can't be blank"),
        (&["--username", "dave", "--email", "not-an-email", "--password", "long enough"], "Email is invalid"),
        (&["--username", "dave", "--email", "dave@example.org", "--password", ""], "Password can't be blank"),
        (&["--username", "dave", "--email", "dave@example.org", "--password", "short"], "Password is too short"),
        (
            &["--username", "dave", "--email", "dave@example.org", "--password", "long enough", "--role", "owner"],
            "unknown role `owner`",
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["admin", "account", "create"];
        full.extend_from_slice(args);
        let stderr = server.cli_err(&full);
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr:?}");
    }
    // Several bad fields are all reported at once.
    let stderr =
        server.cli_err(&["admin", "account", "create", "--username", "a-b", "--email", "x", "--password", "y"]);
    assert!(stderr.contains("Username") && stderr.contains("Email") && stderr.contains("Password"), "{stderr}");

    assert_eq!(listed_usernames(&server), ["alice"]);
}

#[tokio::test]
async fn set_password_replaces_the_password_and_refuses_bad_input() {
    let server = TestServer::start().await;
    assert!(create(&server, "alice", "alice@example.org", "first password").status.success());
    server.cli_ok(&["admin", "account", "set-password", "--username", "ALICE", "--password", "second password"]);
    let app = server.app();
    assert!(app::accounts::authenticate(app, "alice@example.org", "first password").await.unwrap().is_none());
    assert!(app::accounts::authenticate(app, "alice@example.org", "second password").await.unwrap().is_some());

    assert!(
        server
            .cli_err(&["admin", "account", "set-password", "--username", "alice", "--password", ""])
            .contains("Password can't be blank")
    );
    assert!(
        server
            .cli_err(&["admin", "account", "set-password", "--username", "nobody", "--password", "long enough"])
            .contains("no such account")
    );
    assert!(app::accounts::authenticate(app, "alice@example.org", "second password").await.unwrap().is_some());
    assert!(app::accounts::authenticate(app, "nobody@example.org", "second password").await.unwrap().is_none());
}

#[tokio::test]
async fn set_role_changes_the_role_and_refuses_unknown_roles() {
    let server = TestServer::start().await;
    assert!(create(&server, "alice", "alice@example.org", "correct horse battery").status.success());
    server.cli_ok(&["admin", "account", "set-role", "--username", "alice", "--role", "admin"]);
    let contact = server.get_json("/api/v2/instance").await["contact"]["account"].clone();
    assert_eq!(contact["username"], "alice");
    assert_eq!(contact["roles"][0]["name"], "Admin");

    assert!(
        server
            .cli_err(&["admin", "account", "set-role", "--username", "alice", "--role", "king"])
            .contains("unknown role")
    );
    assert!(
        server
            .cli_err(&["admin", "account", "set-role", "--username", "nobody", "--role", "user"])
            .contains("no such account")
    );

    server.cli_ok(&["admin", "account", "set-role", "--username", "alice", "--role", "moderator"]);
    assert!(server.cli_ok(&["admin", "account", "list"]).contains("moderator"));
    let contact = server.get_json("/api/v2/instance").await["contact"]["account"].clone();
    assert_eq!(contact["roles"][0]["name"], "Moderator", "without admins, the oldest user is the contact");
}

#[tokio::test]
async fn passwords_can_come_from_standard_input() {
    use std::io::Write;
    let server = TestServer::start().await;
    let addr = server.base_url.trim_start_matches("http://");
    let mut child = crate::support::rookery_command(&server.db.url, &server.db.data_dir, addr)
        .args(["admin", "account", "create", "--username", "dana", "--email", "d@example.org", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"from standard input\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("password:"), "a given password is not echoed");
    assert!(app::accounts::authenticate(server.app(), "d@example.org", "from standard input").await.unwrap().is_some());
}
