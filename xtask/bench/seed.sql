-- Benchmark data, in portable SQL for SQLite and PostgreSQL: 10,000 accounts with
-- 100 public posts each (1,000,000 statuses), and the account `bench` (made by the
-- admin CLI beforehand) following 500 of them, with its home feed filled as fan-out
-- on write would have filled it. Ids are Mastodon-style: milliseconds << 16.

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO accounts (id, username, domain, display_name, created_at, updated_at, statuses_count, public_key_pem)
SELECT 1000000 + i, 'user' || i, '', 'User ' || i, 1600000000000, 1600000000000, 100, 'none' FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO statuses (id, account_id, uri, text, content, visibility, created_at, local)
SELECT (1700000000000 + i) * 65536, 1000001 + (i % 10000), 'https://bench.example/s/' || i,
       'Post number ' || i || ' with some text that makes it about as long as a real post on a small server.',
       '<p>Post number ' || i || ' with some text that makes it about as long as a real post on a small server.</p>',
       'public', 1700000000000 + i, 1
FROM n;

INSERT INTO follows (id, account_id, target_account_id, created_at)
SELECT 900000000 + a.id, b.id, a.id, 1700000000000
FROM accounts a, accounts b WHERE a.id BETWEEN 1000001 AND 1000500 AND b.username = 'bench';

UPDATE accounts SET following_count = 500 WHERE username = 'bench';

INSERT INTO home_feed (account_id, status_id, via_account_id)
SELECT b.id, s.id, s.account_id FROM statuses s, accounts b
WHERE s.account_id BETWEEN 1000001 AND 1000500 AND b.username = 'bench';

INSERT INTO oauth_applications (id, name, redirect_uris, scopes, client_id, client_secret_sha256, created_at)
VALUES (1, 'bench', 'urn:ietf:wg:oauth:2.0:oob', 'read write', 'bench-client', 'none', 1700000000000);

-- The token is `rookery-bench-token-0000000000000000000000000`; stored as its SHA-256.
INSERT INTO oauth_access_tokens (id, token_sha256, application_id, account_id, scopes, created_at)
SELECT 1, '93e345f2d304c8830899607038c21a06362744d0a7661e66650591b4f034e45a', 1, id, 'read write', 1700000000000
FROM accounts WHERE username = 'bench';

-- A signed-in browser for the website's home page: its session id is
-- `rookery-bench-session-000000000000000000000000`, stored as its SHA-256.
INSERT INTO web_sessions (id_sha256, account_id, created_at, expires_at)
SELECT '304f75739490c201c88aa1ddf2760b7f8f0cae7a69f8bad7dfc3b2d021be8e66', id, 1700000000000, 4102444800000
FROM accounts WHERE username = 'bench';
