//! RFC 9421 HTTP Message Signatures (`Signature-Input` and `Signature`): parsing, the
//! signature base, verification with every algorithm the RFC registers, and signing
//! with rsa-v1_5-sha256 (what fediverse servers that send RFC 9421 use with RSA keys).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, UnparsedPublicKey};
use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::signature::{SignatureError, pem_body};
use crate::structured::{self, Member};
pub use crate::structured::{BareItem, Item, Parameters};

fn refuse(why: impl Into<String>) -> SignatureError {
    SignatureError(why.into())
}

/// One signature of a request: its label, what it covers and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageSignature {
    pub label: String,
    pub components: Vec<Item>,
    pub params: Parameters,
    pub signature: Vec<u8>,
}

impl MessageSignature {
    fn param(&self, name: &str) -> Option<&BareItem> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    fn text_param(&self, name: &str) -> Option<&str> {
        match self.param(name)? {
            BareItem::String(s) | BareItem::Token(s) => Some(s),
            _ => None,
        }
    }
    fn int_param(&self, name: &str) -> Option<i64> {
        match self.param(name)? {
            BareItem::Integer(n) => Some(*n),
            _ => None,
        }
    }
    pub fn key_id(&self) -> Option<&str> {
        self.text_param("keyid")
    }
    pub fn alg(&self) -> Option<&str> {
        self.text_param("alg")
    }
    pub fn created(&self) -> Option<i64> {
        self.int_param("created")
    }
    pub fn expires(&self) -> Option<i64> {
        self.int_param("expires")
    }
    /// Whether a component (`@method`, `content-digest`, ...) is covered, without
    /// parameters.
    pub fn covers(&self, name: &str) -> bool {
        self.components.iter().any(|c| c.params.is_empty() && c.value == BareItem::String(name.to_owned()))
    }
}

/// The signatures of a request: each `Signature-Input` member with the `Signature`
/// member of the same label.
pub fn parse(signature_input: &str, signature: &str) -> Result<Vec<MessageSignature>, SignatureError> {
    let inputs = structured::parse_dictionary(signature_input)?;
    let signatures = structured::parse_dictionary(signature)?;
    let mut out = Vec::new();
    for (label, member) in inputs {
        let Member::InnerList(components, params) = member else {
            return Err(refuse(format!("Signature-Input {label} is not an inner list")));
        };
        if components.iter().any(|c| !matches!(c.value, BareItem::String(_))) {
            return Err(refuse(format!("Signature-Input {label} names a component that is not a string")));
        }
        let bytes = signatures.iter().find(|(l, _)| l == &label).and_then(|(_, m)| match m {
            Member::Item(Item { value: BareItem::Bytes(b), .. }) => Some(b.clone()),
            _ => None,
        });
        let signature = bytes.ok_or_else(|| refuse(format!("no Signature for the label {label}")))?;
        out.push(MessageSignature { label, components, params, signature });
    }
    Ok(out)
}

/// A request as a signature sees it.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub method: &'a str,
    /// The absolute URL the request was made to: `https://host/path?query`.
    pub target_uri: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
}

/// The text that is signed: one line per covered component, then the parameters.
pub fn signature_base(
    components: &[Item],
    params: &Parameters,
    message: &Message<'_>,
) -> Result<String, SignatureError> {
    let url = url::Url::parse(message.target_uri).map_err(|_| refuse("the target URI is not a URL"))?;
    let mut lines = Vec::with_capacity(components.len() + 1);
    for (i, component) in components.iter().enumerate() {
        let BareItem::String(name) = &component.value else { return Err(refuse("a component is not a string")) };
        if components[..i].contains(component) {
            return Err(refuse(format!("{name} is covered twice")));
        }
        let value = component_value(name, &component.params, &url, message)?;
        lines.push(format!("{}: {value}", structured::serialize_item(component)));
    }
    lines.push(format!("\"@signature-params\": {}", structured::serialize_inner_list(components, params)));
    Ok(lines.join("\n"))
}

fn component_value(
    name: &str,
    params: &Parameters,
    url: &url::Url,
    message: &Message<'_>,
) -> Result<String, SignatureError> {
    if !params.is_empty() && name != "@query-param" {
        return Err(refuse(format!("component parameters on {name} are not supported")));
    }
    Ok(match name {
        "@method" => message.method.to_owned(),
        "@target-uri" => message.target_uri.to_owned(),
        "@authority" => crate::client::host_header(url).to_ascii_lowercase(),
        "@scheme" => url.scheme().to_owned(),
        "@request-target" => match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        },
        "@path" => url.path().to_owned(),
        "@query" => format!("?{}", url.query().unwrap_or_default()),
        "@query-param" => {
            let wanted = match params.iter().find(|(k, _)| k == "name") {
                Some((_, BareItem::String(n))) => n,
                _ => return Err(refuse("@query-param needs a name")),
            };
            let value = url.query_pairs().find(|(k, _)| k == wanted.as_str()).map(|(_, v)| v.into_owned());
            percent_encode(&value.ok_or_else(|| refuse(format!("no query parameter {wanted}")))?)
        }
        derived if derived.starts_with('@') => return Err(refuse(format!("unknown derived component {derived}"))),
        header => {
            if header.bytes().any(|b| b.is_ascii_uppercase()) {
                return Err(refuse(format!("the component {header} is not lower-case")));
            }
            let values: Vec<&str> =
                message.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(header)).map(|(_, v)| v.trim()).collect();
            if values.is_empty() {
                return Err(refuse(format!("the signed header {header} is missing")));
            }
            values.join(", ")
        }
    })
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A key that checks signatures, by its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyingKey {
    /// DER: SubjectPublicKeyInfo or PKCS#1.
    Rsa(Vec<u8>),
    /// The uncompressed point.
    EcP256(Vec<u8>),
    Ed25519(Vec<u8>),
    Hmac(Vec<u8>),
}

const OID_RSA: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];

/// Reads a PEM public key (`PUBLIC KEY` or `RSA PUBLIC KEY`).
pub fn public_key_from_pem(pem: &str) -> Result<VerifyingKey, SignatureError> {
    let der = pem_body(pem)?;
    let has = |oid: &[u8]| der.windows(oid.len()).take(24).any(|w| w == oid);
    if pem.contains("BEGIN RSA PUBLIC KEY") || has(OID_RSA) {
        Ok(VerifyingKey::Rsa(der))
    } else if has(OID_EC_PUBLIC_KEY) && has(OID_P256) && der.len() >= 65 {
        Ok(VerifyingKey::EcP256(der[der.len() - 65..].to_vec()))
    } else if has(OID_ED25519) && der.len() >= 32 {
        Ok(VerifyingKey::Ed25519(der[der.len() - 32..].to_vec()))
    } else {
        Err(refuse("unsupported public key type"))
    }
}

/// Checks one signature. Without an `alg` parameter the key decides, and an RSA key
/// means rsa-v1_5-sha256, as fediverse servers agree.
pub fn verify(sig: &MessageSignature, message: &Message<'_>, key: &VerifyingKey) -> Result<(), SignatureError> {
    let base = signature_base(&sig.components, &sig.params, message)?;
    let alg = match (sig.alg(), key) {
        (Some(alg), _) => alg,
        (None, VerifyingKey::Rsa(_)) => "rsa-v1_5-sha256",
        (None, VerifyingKey::EcP256(_)) => "ecdsa-p256-sha256",
        (None, VerifyingKey::Ed25519(_)) => "ed25519",
        (None, VerifyingKey::Hmac(_)) => "hmac-sha256",
    };
    let mismatch = || refuse("the signature does not match");
    let public = |algorithm: &'static dyn signature::VerificationAlgorithm, der: &[u8]| {
        UnparsedPublicKey::new(algorithm, der.to_vec()).verify(base.as_bytes(), &sig.signature).map_err(|_| mismatch())
    };
    match (alg, key) {
        // Keys of 1024 bits still exist on old servers, as with draft-cavage.
        ("rsa-v1_5-sha256", VerifyingKey::Rsa(der)) => {
            public(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY, der)
        }
        ("rsa-pss-sha512", VerifyingKey::Rsa(der)) => public(&signature::RSA_PSS_2048_8192_SHA512, der),
        ("ecdsa-p256-sha256", VerifyingKey::EcP256(point)) => public(&signature::ECDSA_P256_SHA256_FIXED, point),
        ("ed25519", VerifyingKey::Ed25519(raw)) => public(&signature::ED25519, raw),
        ("hmac-sha256", VerifyingKey::Hmac(secret)) => {
            hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, secret), base.as_bytes(), &sig.signature)
                .map_err(|_| mismatch())
        }
        (alg, _) => Err(refuse(format!("the algorithm {alg} does not fit the key"))),
    }
}

/// Signs with rsa-v1_5-sha256 and returns the `Signature-Input` and `Signature` values.
pub fn sign_rsa_v1_5_sha256(
    private_key_pem: &str,
    label: &str,
    components: &[&str],
    params: Parameters,
    message: &Message<'_>,
) -> Result<(String, String), SignatureError> {
    let items: Vec<Item> =
        components.iter().map(|c| Item { value: BareItem::String((*c).to_owned()), params: Vec::new() }).collect();
    let base = signature_base(&items, &params, message)?;
    let key = crate::signature::private_key(private_key_pem)?;
    let mut out = vec![0; key.public_modulus_len()];
    key.sign(&signature::RSA_PKCS1_SHA256, &SystemRandom::new(), base.as_bytes(), &mut out)
        .map_err(|_| refuse("signing failed"))?;
    Ok((
        format!("{label}={}", structured::serialize_inner_list(&items, &params)),
        format!("{label}=:{}:", BASE64.encode(out)),
    ))
}

/// A `Content-Digest` value for a body, with SHA-256.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", BASE64.encode(digest::digest(&digest::SHA256, body)))
}

/// Whether a `Content-Digest` header holds a SHA-256 or SHA-512 digest of the body that
/// matches, and no digest that does not.
pub fn content_digest_matches(header: &str, body: &[u8]) -> bool {
    let Ok(members) = structured::parse_dictionary(header) else { return false };
    let mut checked = false;
    for (algorithm, member) in members {
        let Member::Item(Item { value: BareItem::Bytes(expected), .. }) = member else { return false };
        let actual = match algorithm.as_str() {
            "sha-256" => digest::digest(&digest::SHA256, body),
            "sha-512" => digest::digest(&digest::SHA512, body),
            _ => continue,
        };
        if actual.as_ref() != expected.as_slice() {
            return false;
        }
        checked = true;
    }
    checked
}

#[cfg(test)]
#[path = "rfc9421_tests.rs"]
mod tests;
