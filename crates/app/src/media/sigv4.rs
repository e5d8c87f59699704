//! AWS Signature Version 4, as S3 and S3-compatible servers check it: the request's
//! method, path, query, chosen headers and body hash, signed with a key derived from
//! the secret, the day, the region and the service.

use aws_lc_rs::{digest, hmac};

/// Who signs, and where.
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("access_key_id", &self.access_key_id).field("region", &self.region).finish()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    domain::hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes()).as_ref().to_vec()
}

/// Percent-encodes as SigV4 asks: everything but `A-Z a-z 0-9 - . _ ~` (and `/` in
/// paths).
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What of a request is signed.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// Not yet encoded.
    pub path: &'a str,
    /// The canonical query string (empty for none).
    pub query: &'a str,
    /// Lower-case names with their values, `host`, `x-amz-date` and
    /// `x-amz-content-sha256` among them.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload_sha256: &'a str,
    /// `20130524T000000Z`.
    pub amz_date: &'a str,
}

/// The `Authorization` header of `request` to `service` (`s3`).
pub fn authorization(credentials: &Credentials, service: &str, request: &Request<'_>) -> String {
    let Request { method, path, query, headers, payload_sha256, amz_date } = *request;
    let mut headers: Vec<(&str, &str)> = headers.to_vec();
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{}\n", v.trim())).collect();
    let signed_headers = headers.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(";");
    let canonical_request = format!(
        "{method}\n{}\n{query}\n{canonical_headers}\n{signed_headers}\n{payload_sha256}",
        uri_encode(path, true)
    );
    let day = &amz_date[..8];
    let scope = format!("{day}/{}/{service}/aws4_request", credentials.region);
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", sha256_hex(canonical_request.as_bytes()));
    let mut key = hmac_sha256(format!("AWS4{}", credentials.secret_access_key).as_bytes(), day);
    for part in [credentials.region.as_str(), service, "aws4_request"] {
        key = hmac_sha256(&key, part);
    }
    let signature = domain::hex(&hmac_sha256(&key, &string_to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "GET Object" example of Amazon's S3 documentation (Signature Version 4,
    /// header-based authentication).
    #[test]
    fn reproduces_amazons_get_object_example() {
        let credentials = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
        };
        let empty = sha256_hex(b"");
        assert_eq!(empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com"),
            ("range", "bytes=0-9"),
            ("x-amz-content-sha256", empty.as_str()),
            ("x-amz-date", "20130524T000000Z"),
        ];
        let request = Request {
            method: "GET",
            path: "/test.txt",
            query: "",
            headers: &headers,
            payload_sha256: &empty,
            amz_date: "20130524T000000Z",
        };
        let header = authorization(&credentials, "s3", &request);
        assert_eq!(
            header,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn encodes_all_but_the_unreserved() {
        assert_eq!(uri_encode("a b/c~d", true), "a%20b/c~d");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
    }
}
