//! How a sync file's payload is protected with age: to a passphrase (scrypt), or to the recipients' keys.
//! A replica's age key is the X25519 form of its Ed25519 signing key (the conversion age's own ssh-ed25519
//! recipients and libsodium use; shown safe for this use by Thormarker, "On using the same key pair for
//! Ed25519 and an X25519 based KEM", IACR ePrint 2021/509): every peer's public key is already in the
//! roster, so a file can be sealed for any approved laptop with no new key to exchange. A wrong passphrase
//! or a file for other laptops is refused in words before anything is read.

use std::io::{Read, Write};

use age::secrecy::ExposeSecret;
use bech32::{ToBase32, Variant};
use ed25519_dalek::{SigningKey, VerifyingKey};

use super::{damaged, refused};
use crate::error::{Error, Result};

/// What a file is sealed with when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lock<'a> {
    Passphrase(&'a str),
    /// The recipients' Ed25519 public keys (as in the roster).
    Keys(Vec<[u8; 32]>),
}

/// What a reader may open a file with: a passphrase the user gave, and this replica's own signing key.
#[derive(Clone, Copy, Default)]
pub struct Unlock<'a> {
    pub passphrase: Option<&'a str>,
    pub secret: Option<&'a [u8; 32]>,
}

/// The age recipient of a replica's Ed25519 public key.
fn recipient(key: &[u8; 32]) -> Result<age::x25519::Recipient> {
    let key = VerifyingKey::from_bytes(key).map_err(|_| {
        Error::Bundle("a peer's key in the roster is not a valid key: cannot encrypt to it".into())
    })?;
    let text = bech32::encode("age", key.to_montgomery().to_bytes().to_base32(), Variant::Bech32)
        .map_err(|e| Error::Corrupt(format!("cannot encode a recipient: {e}")))?;
    text.parse().map_err(|e: &str| Error::Corrupt(format!("cannot read a recipient: {e}")))
}

/// This replica's age identity, from its Ed25519 secret key.
fn identity(secret: &[u8; 32]) -> Result<age::x25519::Identity> {
    let scalar = SigningKey::from_bytes(secret).to_scalar_bytes();
    let text = age::secrecy::SecretString::from(
        bech32::encode("age-secret-key-", scalar.to_base32(), Variant::Bech32)
            .map_err(|e| Error::Corrupt(format!("cannot encode an identity: {e}")))?
            .to_uppercase(),
    );
    text.expose_secret().parse().map_err(|e: &str| Error::Corrupt(format!("cannot read an identity: {e}")))
}

/// Wraps `out` so that what is written to it is encrypted as `lock` says; `finish` the returned writer.
pub(super) fn seal<W: Write>(out: W, lock: &Lock<'_>) -> Result<age::stream::StreamWriter<W>> {
    let encryptor = match lock {
        Lock::Passphrase(passphrase) => age::Encryptor::with_user_passphrase((*passphrase).to_owned().into()),
        Lock::Keys(keys) => {
            if keys.is_empty() {
                return Err(Error::Bundle("no recipient to encrypt this sync file to".into()));
            }
            let recipients = keys.iter().map(recipient).collect::<Result<Vec<_>>>()?;
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| Error::Corrupt(format!("cannot encrypt: {e}")))?
        }
    };
    encryptor.wrap_output(out).map_err(|e| Error::Corrupt(format!("cannot encrypt: {e}")))
}

/// Opens a payload age-encrypted to a passphrase.
pub(super) fn open_with_passphrase<'a, R: std::io::BufRead + 'a>(
    payload: R,
    passphrase: Option<&str>,
) -> Result<Box<dyn Read + 'a>> {
    let Some(passphrase) = passphrase else {
        return Err(refused(
            "this sync file is protected by a passphrase: give it (--passphrase-file in the CLI)",
        ));
    };
    let decryptor = age::Decryptor::new_buffered(payload)
        .map_err(|_| damaged("its encrypted contents cannot be read"))?;
    if !decryptor.is_scrypt() {
        return Err(damaged("it is not encrypted with a passphrase as its header says"));
    }
    let identity = age::scrypt::Identity::new(passphrase.to_owned().into());
    let reader =
        decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                refused("wrong passphrase for this sync file")
            }
            age::DecryptError::ExcessiveWork { .. } => {
                refused("this sync file's passphrase protection asks for too much work: refused")
            }
            _ => damaged("its encrypted contents cannot be read"),
        })?;
    Ok(Box::new(reader))
}

/// Opens a payload age-encrypted to recipients' keys, with this replica's own.
pub(super) fn open_with_key<'a, R: std::io::BufRead + 'a>(
    payload: R,
    secret: Option<&[u8; 32]>,
) -> Result<Box<dyn Read + 'a>> {
    let not_mine = || {
        refused(
            "this sync file was encrypted for other laptops: this laptop's key is not among its recipients \
             (ask its sender for a file made for this laptop)",
        )
    };
    let secret = secret.ok_or_else(not_mine)?;
    let decryptor = age::Decryptor::new_buffered(payload)
        .map_err(|_| damaged("its encrypted contents cannot be read"))?;
    if decryptor.is_scrypt() {
        return Err(damaged("it is encrypted with a passphrase, not to keys as its header says"));
    }
    let identity = identity(secret)?;
    let reader =
        decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => not_mine(),
            _ => damaged("its encrypted contents cannot be read"),
        })?;
    Ok(Box::new(reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_key_opens_what_was_sealed_to_its_public_key_and_no_other_does() {
        let (mine, other) = ([7u8; 32], [9u8; 32]);
        let mut sealed = Vec::new();
        let mut writer = seal(&mut sealed, &Lock::Keys(vec![super::super::public_key(&mine)])).expect("seal");
        writer.write_all(b"ops of Shanghai").expect("write");
        writer.finish().expect("finish");
        assert!(!sealed.windows(8).any(|w| w == b"Shanghai"), "the payload is not readable as it is");
        let mut read = String::new();
        open_with_key(sealed.as_slice(), Some(&mine))
            .expect("opens")
            .read_to_string(&mut read)
            .expect("read");
        assert_eq!(read, "ops of Shanghai");
        let refused = open_with_key(sealed.as_slice(), Some(&other)).err().expect("another key");
        assert!(refused.to_string().contains("encrypted for other laptops"), "{refused}");
        let wrong_kind = open_with_passphrase(sealed.as_slice(), Some("x")).err().expect("not a passphrase");
        assert!(wrong_kind.to_string().contains("not encrypted with a passphrase"), "{wrong_kind}");
    }
}
