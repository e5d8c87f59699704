use super::*;
use crate::keys::generate_rsa_2048;

const DATE: &str = "Sun, 05 Jan 2014 21:31:40 GMT";
const DATE_SECONDS: i64 = 1_388_957_500;

fn request<'a>(headers: &'a [(&'a str, &'a str)]) -> SignedRequest<'a> {
    SignedRequest { method: "POST", path_and_query: "/foo?param=value&pet=dog", headers }
}

const HEADERS: &[(&str, &str)] = &[
    ("Host", "example.com"),
    ("Date", DATE),
    ("Content-Type", "application/json"),
    ("Digest", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="),
    ("Content-Length", "18"),
];

#[test]
fn signing_strings_follow_the_draft() {
    let covered: Vec<String> = ["(request-target)", "host", "date"].map(String::from).to_vec();
    assert_eq!(
        signing_string(&covered, &request(HEADERS), None, None).unwrap(),
        "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT"
    );
    let repeated = [("X-Thing", "a"), ("x-thing", " b ")];
    assert_eq!(signing_string(&["x-thing".into()], &request(&repeated), None, None).unwrap(), "x-thing: a, b");
    assert!(signing_string(&["accept".into()], &request(HEADERS), None, None).is_err(), "a missing header");
}

#[test]
fn digests_as_mastodon_sends_them() {
    let body = br#"{"hello": "world"}"#;
    assert_eq!(digest_header(body), "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
    assert!(digest_matches("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body));
    assert!(digest_matches("sha-512=abc, SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body));
    assert!(!digest_matches("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPF=", body));
    assert!(!digest_matches("SHA-512=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body));
}

#[test]
fn parses_signature_headers() {
    let parsed = parse_signature_header(
        r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) Host date",signature="AAEC""#,
    )
    .unwrap();
    assert_eq!(parsed.key_id, "https://a.example/users/x#main-key");
    assert_eq!(parsed.algorithm.as_deref(), Some("rsa-sha256"));
    assert_eq!(parsed.headers, ["(request-target)", "host", "date"]);
    assert_eq!(parsed.signature, [0, 1, 2]);
    let minimal = parse_signature_header(r#"keyId="k", signature="AAEC", created=1402170695"#).unwrap();
    assert_eq!(
        (minimal.headers, minimal.algorithm, minimal.created),
        (vec!["date".to_owned()], None, Some(1_402_170_695))
    );
    for bad in ["", "keyId=\"k\"", "signature=\"AAEC\"", "keyId=\"k\",signature=\"not base64!\"", "keyId=\"k"] {
        assert!(parse_signature_header(bad).is_err(), "{bad}");
    }
}

#[test]
fn our_signatures_verify_and_any_change_breaks_them() {
    let keys = generate_rsa_2048().unwrap();
    let covered = ["(request-target)", "host", "date", "digest", "content-type"];
    let header = sign(&keys.private_pem, "https://r.example/users/a#main-key", &covered, &request(HEADERS)).unwrap();
    assert!(header.starts_with(
        "keyId=\"https://r.example/users/a#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest content-type\",signature=\""
    ));
    let parsed = parse_signature_header(&header).unwrap();
    verify(&parsed, &request(HEADERS), &keys.public_pem).unwrap();

    let mut changed = HEADERS.to_vec();
    changed[0] = ("Host", "evil.example");
    assert!(verify(&parsed, &request(&changed), &keys.public_pem).is_err(), "another host");
    let other_path = SignedRequest { path_and_query: "/foo", ..request(HEADERS) };
    assert!(verify(&parsed, &other_path, &keys.public_pem).is_err(), "another path");
    let other_keys = generate_rsa_2048().unwrap();
    assert!(verify(&parsed, &request(HEADERS), &other_keys.public_pem).is_err(), "another key");
    let mut unknown = parsed.clone();
    unknown.algorithm = Some("hmac-sha256".into());
    assert!(verify(&unknown, &request(HEADERS), &keys.public_pem).is_err(), "another algorithm");
}

#[test]
fn time_window_as_mastodon() {
    let header = |created: Option<i64>, expires: Option<i64>| SignatureHeader {
        key_id: "k".into(),
        algorithm: None,
        headers: [Some("(request-target)"), Some("date"), created.map(|_| "(created)"), expires.map(|_| "(expires)")]
            .into_iter()
            .flatten()
            .map(String::from)
            .collect(),
        signature: Vec::new(),
        created,
        expires,
    };
    let req = request(HEADERS);
    assert_eq!(parse_http_date(DATE), Some(DATE_SECONDS));
    assert_eq!(http_date(DATE_SECONDS), DATE);
    assert!(check_time(&header(None, None), &req, DATE_SECONDS).is_ok());
    assert!(check_time(&header(None, None), &req, DATE_SECONDS + 65 * 60).is_ok(), "5 minutes plus an hour of skew");
    assert!(check_time(&header(None, None), &req, DATE_SECONDS + 65 * 60 + 1).is_err(), "expired");
    assert!(check_time(&header(None, None), &req, DATE_SECONDS - 60 * 60).is_ok(), "an hour ahead");
    assert!(check_time(&header(None, None), &req, DATE_SECONDS - 60 * 60 - 1).is_err(), "from the future");
    let t = DATE_SECONDS;
    assert!(check_time(&header(Some(t), Some(t + 12 * 3600)), &req, t + 13 * 3600).is_ok());
    assert!(check_time(&header(Some(t), Some(t + 12 * 3600 + 1)), &req, t).is_err(), "too long a lifetime");
    // Parameters the signature does not cover count for nothing: the Date decides.
    let mut unsigned_expiry = header(Some(t + 12 * 3600), Some(t + 12 * 3600));
    unsigned_expiry.headers = vec!["(request-target)".into(), "date".into()];
    assert!(check_time(&unsigned_expiry, &req, t + 11 * 3600).is_err(), "an expiry nobody signed");
    let mut undated = header(None, None);
    undated.headers = vec!["(request-target)".into()];
    assert!(check_time(&undated, &req, t).is_err(), "neither date nor (created) signed");
}

/// draft-cavage-http-signatures Appendix C: its 1024-bit test key (the same in drafts
/// 10 to 12) and the signatures of its three tests. A signature verifies only if our
/// signing string is the draft's to the byte. (Its private key cannot sign here: we sign
/// with 2048-bit keys only and refuse smaller ones.)
const APPENDIX_C_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----";

#[test]
fn reproduces_the_drafts_test_vectors() {
    let cases = [
        (
            r#"keyId="Test",algorithm="rsa-sha256",signature="SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=""#,
            &["date"][..],
        ),
        (
            r#"keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=""#,
            &["(request-target)", "host", "date"][..],
        ),
        (
            r#"keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date content-type digest content-length",signature="vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE=""#,
            &["(request-target)", "host", "date", "content-type", "digest", "content-length"][..],
        ),
    ];
    for (header, covered) in cases {
        let parsed = parse_signature_header(header).unwrap();
        assert_eq!(parsed.headers, covered);
        verify(&parsed, &request(HEADERS), APPENDIX_C_PUBLIC_KEY).unwrap_or_else(|e| panic!("{header}: {e}"));
        let mut wrong = parsed.clone();
        wrong.signature[0] ^= 1;
        assert!(verify(&wrong, &request(HEADERS), APPENDIX_C_PUBLIC_KEY).is_err(), "{header}: one bit changed");
    }
}
