//! RFC 9421 Appendix B: its test keys, its request, and the signatures of B.2.1 to B.2.6
//! (B.2.4 signs a response and is left out), plus the rsa-v1_5-sha256 signature of
//! section 4.3 (`proxy_sig`), which is deterministic and so must be reproduced exactly.

use super::*;

const RSA_PRIVATE: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEqAIBAAKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsP
BRrwWEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsd
JKFqMGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75
jfZgkne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKI
lE0PuKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZ
SFlQPSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQABAoIBAG/JZuSWdoVHbi56
vjgCgkjg3lkO1KrO3nrdm6nrgA9P9qaPjxuKoWaKO1cBQlE1pSWp/cKncYgD5WxE
CpAnRUXG2pG4zdkzCYzAh1i+c34L6oZoHsirK6oNcEnHveydfzJL5934egm6p8DW
+m1RQ70yUt4uRc0YSor+q1LGJvGQHReF0WmJBZHrhz5e63Pq7lE0gIwuBqL8SMaA
yRXtK+JGxZpImTq+NHvEWWCu09SCq0r838ceQI55SvzmTkwqtC+8AT2zFviMZkKR
Qo6SPsrqItxZWRty2izawTF0Bf5S2VAx7O+6t3wBsQ1sLptoSgX3QblELY5asI0J
YFz7LJECgYkAsqeUJmqXE3LP8tYoIjMIAKiTm9o6psPlc8CrLI9CH0UbuaA2JCOM
cCNq8SyYbTqgnWlB9ZfcAm/cFpA8tYci9m5vYK8HNxQr+8FS3Qo8N9RJ8d0U5Csw
DzMYfRghAfUGwmlWj5hp1pQzAuhwbOXFtxKHVsMPhz1IBtF9Y8jvgqgYHLbmyiu1
mwJ5AL0pYF0G7x81prlARURwHo0Yf52kEw1dxpx+JXER7hQRWQki5/NsUEtv+8RT
qn2m6qte5DXLyn83b1qRscSdnCCwKtKWUug5q2ZbwVOCJCtmRwmnP131lWRYfj67
B/xJ1ZA6X3GEf4sNReNAtaucPEelgR2nsN0gKQKBiGoqHWbK1qYvBxX2X3kbPDkv
9C+celgZd2PW7aGYLCHq7nPbmfDV0yHcWjOhXZ8jRMjmANVR/eLQ2EfsRLdW69bn
f3ZD7JS1fwGnO3exGmHO3HZG+6AvberKYVYNHahNFEw5TsAcQWDLRpkGybBcxqZo
81YCqlqidwfeO5YtlO7etx1xLyqa2NsCeG9A86UjG+aeNnXEIDk1PDK+EuiThIUa
/2IxKzJKWl1BKr2d4xAfR0ZnEYuRrbeDQYgTImOlfW6/GuYIxKYgEKCFHFqJATAG
IxHrq1PDOiSwXd2GmVVYyEmhZnbcp8CxaEMQoevxAta0ssMK3w6UsDtvUvYvF22m
qQKBiD5GwESzsFPy3Ga0MvZpn3D6EJQLgsnrtUPZx+z2Ep2x0xc5orneB5fGyF1P
WtP+fG5Q6Dpdz3LRfm+KwBCWFKQjg7uTxcjerhBWEYPmEMKYwTJF5PBG9/ddvHLQ
EQeNC8fHGg4UXU8mhHnSBt3EA10qQJfRDs15M38eG2cYwB1PZpDHScDnDA0=
-----END RSA PRIVATE KEY-----";
const RSA_PUBLIC: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrw
WEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFq
MGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75jfZg
kne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0P
uKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZSFlQ
PSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQAB
-----END RSA PUBLIC KEY-----";
const RSA_PSS_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----";
const ECC_P256_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf
w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
-----END PUBLIC KEY-----";
const ED25519_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----";
const SHARED_SECRET: &str = "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==";

const BODY: &[u8] = br#"{"hello": "world"}"#;
const HEADERS: &[(&str, &str)] = &[
    ("Host", "example.com"),
    ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
    ("Content-Type", "application/json"),
    (
        "Content-Digest",
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
    ),
    ("Content-Length", "18"),
];

fn request() -> Message<'static> {
    Message { method: "POST", target_uri: "https://example.com/foo?param=Value&Pet=dog", headers: HEADERS }
}

fn one(input: &str, signature: &str) -> MessageSignature {
    let mut all = parse(input, signature).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn assert_verifies(sig: &MessageSignature, message: &Message<'_>, key: &VerifyingKey) {
    verify(sig, message, key).unwrap_or_else(|e| panic!("{}: {e}", sig.label));
    let mut flipped = sig.clone();
    flipped.signature[0] ^= 1;
    assert!(verify(&flipped, message, key).is_err(), "{}: one bit changed", sig.label);
    let other = [("Host", "example.com"), ("Date", "Tue, 20 Apr 2021 02:07:56 GMT")];
    let changed = Message { method: "PUT", target_uri: "https://example.org/foo?param=Value&Pet=cat", headers: &other };
    assert!(verify(sig, &changed, key).is_err(), "{}: another request", sig.label);
}

#[test]
fn the_body_matches_its_content_digest() {
    assert!(content_digest_matches(HEADERS[3].1, BODY));
    assert!(!content_digest_matches(HEADERS[3].1, b"{}"));
    assert!(content_digest_matches(&content_digest(BODY), BODY));
    assert!(!content_digest_matches("md5=:AAAA:", BODY), "no digest we can check");
    assert!(!content_digest_matches("sha-256=:AAAA:, sha-512=:AAAA:", BODY));
}

#[test]
fn b_2_1_minimal_rsa_pss() {
    let sig = one(
        r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
    );
    assert_eq!(
        signature_base(&sig.components, &sig.params, &request()).unwrap(),
        r#""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#
    );
    // Without `alg`, an RSA key means rsa-v1_5-sha256, which this PSS signature is not.
    assert!(verify(&sig, &request(), &public_key_from_pem(RSA_PSS_PUBLIC).unwrap()).is_err());
}

#[test]
fn b_2_1_to_b_2_3_rsa_pss_signatures_verify() {
    let key = public_key_from_pem(RSA_PSS_PUBLIC).unwrap();
    let cases = [
        (
            r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
            "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
        ),
        (
            r#"sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
            "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:",
        ),
        (
            r#"sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
            "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
        ),
    ];
    for (input, signature) in cases {
        verify_pss(&one(input, signature), &key);
    }
    let b23 = one(cases[2].0, cases[2].1);
    assert_eq!(
        signature_base(&b23.components, &b23.params, &request()).unwrap(),
        r#""date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@query": ?param=Value&Pet=dog
"@authority": example.com
"content-type": application/json
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#
    );
    let b22 = one(cases[1].0, cases[1].1);
    assert_eq!(
        signature_base(&b22.components, &b22.params, &request()).unwrap().lines().take(3).collect::<Vec<_>>(),
        [
            "\"@authority\": example.com",
            &format!("\"content-digest\": {}", HEADERS[3].1),
            "\"@query-param\";name=\"Pet\": dog"
        ]
    );
}

/// PSS with the algorithm named by the verifier, as RFC 9421 lets it be.
fn verify_pss(sig: &MessageSignature, key: &VerifyingKey) {
    let VerifyingKey::Rsa(der) = key else { panic!("an RSA key") };
    let base = signature_base(&sig.components, &sig.params, &request()).unwrap();
    UnparsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA512, der)
        .verify(base.as_bytes(), &sig.signature)
        .unwrap_or_else(|_| panic!("{} does not verify", sig.label));
    let mut flipped = sig.signature.clone();
    flipped[0] ^= 1;
    assert!(
        UnparsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA512, der).verify(base.as_bytes(), &flipped).is_err()
    );
}

#[test]
fn b_2_5_hmac_is_reproduced() {
    let sig = one(
        r#"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#,
        "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:",
    );
    let secret = BASE64.decode(SHARED_SECRET).unwrap();
    let base = signature_base(&sig.components, &sig.params, &request()).unwrap();
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &secret), base.as_bytes());
    assert_eq!(tag.as_ref(), sig.signature.as_slice());
    assert_verifies(&sig, &request(), &VerifyingKey::Hmac(secret));
}

#[test]
fn b_2_6_ed25519_verifies() {
    let sig = one(
        r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#,
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
    );
    assert_verifies(&sig, &request(), &public_key_from_pem(ED25519_PUBLIC).unwrap());
    assert!(
        matches!(public_key_from_pem(ECC_P256_PUBLIC).unwrap(), VerifyingKey::EcP256(p) if p.len() == 65 && p[0] == 4)
    );
    assert!(verify(&sig, &request(), &public_key_from_pem(ECC_P256_PUBLIC).unwrap()).is_err(), "another key");
}

/// Section 4.3: a proxy re-signs the forwarded request with test-key-rsa.
#[test]
fn rsa_v1_5_sha256_is_reproduced() {
    let headers = [
        ("Content-Type", "application/json"),
        ("Content-Digest", HEADERS[3].1),
        ("Content-Length", "18"),
        ("Forwarded", "for=192.0.2.123;host=example.com;proto=https"),
    ];
    let message = Message {
        method: "POST",
        target_uri: "https://origin.host.internal.example/foo?param=Value&Pet=dog",
        headers: &headers,
    };
    let params = vec![
        ("created".to_owned(), BareItem::Integer(1618884480)),
        ("keyid".to_owned(), BareItem::String("test-key-rsa".into())),
        ("alg".to_owned(), BareItem::String("rsa-v1_5-sha256".into())),
        ("expires".to_owned(), BareItem::Integer(1618884540)),
    ];
    let components =
        ["@method", "@authority", "@path", "content-digest", "content-type", "content-length", "forwarded"];
    let (input, signature) = sign_rsa_v1_5_sha256(RSA_PRIVATE, "proxy_sig", &components, params, &message).unwrap();
    assert_eq!(
        input,
        r#"proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540"#
    );
    assert_eq!(
        signature,
        "proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:"
    );
    let sig = one(&input, &signature);
    assert_eq!(
        (sig.created(), sig.expires(), sig.key_id(), sig.alg()),
        (Some(1618884480), Some(1618884540), Some("test-key-rsa"), Some("rsa-v1_5-sha256"))
    );
    assert_verifies(&sig, &message, &public_key_from_pem(RSA_PUBLIC).unwrap());
    assert!(verify(&sig, &message, &public_key_from_pem(RSA_PSS_PUBLIC).unwrap()).is_err(), "another key");
}

#[test]
fn malformed_inputs_are_refused() {
    for (input, signature) in [
        (r#"sig=("@method""#, "sig=:AAAA:"),
        (r#"sig=("@method");created=1"#, "other=:AAAA:"),
        (r#"sig="@method""#, "sig=:AAAA:"),
        ("sig=(@method);created=1", "sig=:AAAA:"),
        (r#"sig=("@method")"#, "sig=AAAA"),
        (r#"Sig=("@method")"#, "Sig=:AAAA:"),
    ] {
        assert!(parse(input, signature).is_err(), "{input} / {signature}");
    }
    for (input, why) in [
        (r#"sig=("@method" "@method");created=1"#, "covered twice"),
        (r#"sig=("x-missing");created=1"#, "a missing header"),
        (r#"sig=("@status");created=1"#, "@status on a request"),
        (r#"sig=("Date");created=1"#, "an upper-case name"),
    ] {
        let sig = one(input, "sig=:AAAA:");
        assert!(signature_base(&sig.components, &sig.params, &request()).is_err(), "{why}");
    }
}
