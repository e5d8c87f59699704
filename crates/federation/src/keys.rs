//! Key pairs that sign this server's ActivityPub requests.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;

/// Why a key could not be made.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

/// An RSA key pair in PEM: PKCS#8 private key and SubjectPublicKeyInfo public key,
/// the forms every ActivityPub server reads (`publicKey.publicKeyPem`).
pub struct PemKeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

/// Makes an RSA-2048 key pair. Takes tens of milliseconds of CPU; call it off the
/// async workers.
pub fn generate_rsa_2048() -> Result<PemKeyPair, KeyError> {
    let failed = |what: &str| KeyError(format!("RSA key generation failed: {what}"));
    let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| failed("generate"))?;
    let private: Pkcs8V1Der<'_> = pair.as_der().map_err(|_| failed("encode private key"))?;
    let public: PublicKeyX509Der<'_> = pair.public_key().as_der().map_err(|_| failed("encode public key"))?;
    Ok(PemKeyPair { private_pem: pem("PRIVATE KEY", private.as_ref()), public_pem: pem("PUBLIC KEY", public.as_ref()) })
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_pem_keys_that_parse_back() {
        let pair = generate_rsa_2048().unwrap();
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(pair.public_pem.ends_with("-----END PUBLIC KEY-----\n"));
        assert!(pair.public_pem.lines().all(|l| l.len() <= 64));
        let body: String = pair.private_pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
        let parsed = KeyPair::from_pkcs8(&der).unwrap();
        assert_eq!(parsed.public_modulus_len() * 8, 2048);
    }
}
