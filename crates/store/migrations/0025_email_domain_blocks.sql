-- E-mail domains nobody may sign up with (and their subdomains).
CREATE TABLE email_domain_blocks (
    id BIGINT PRIMARY KEY,
    domain TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX email_domain_blocks_domain_key ON email_domain_blocks (domain);
