use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags an encrypted private key named by etcd's `key-file` or `peer-key-file`. Only the
    /// PEM headers are looked at: a `Proc-Type: 4,ENCRYPTED` header (legacy OpenSSL) or an
    /// `ENCRYPTED PRIVATE KEY` block (PKCS#8).
    ///
    /// ## Why is this bad?
    /// etcd's help for `--key-file` and `--peer-key-file` says the key "**must be
    /// unencrypted**" (E34-SEC): etcd has no passphrase option and fails to start with an
    /// encrypted key. CoreOS's "Customizing the etcd unit" sample nevertheless ships a key with a
    /// `Proc-Type: 4,ENCRYPTED` header (F-E31).
    ///
    /// ## Example
    /// ```text
    /// -----BEGIN RSA PRIVATE KEY-----
    /// Proc-Type: 4,ENCRYPTED
    /// DEK-Info: AES-256-CBC,…
    /// ```
    ///
    /// ## Use instead
    /// An unencrypted key, protected by its mode (0600, see CERT007):
    /// `openssl pkey -in server1-key.pem -out server1-key.pem.new`.
    ///
    /// ## Fix safety
    /// No automatic fix: decrypting needs the passphrase.
    ///
    /// ## References
    /// - FACTS F-E31, F-E14; E34-SEC (`--key-file`: "Must be unencrypted")
    pub static RULE = Rule {
        code: "CERT008",
        name: "encrypted-key",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "an encrypted private key where etcd needs an unencrypted one",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        if !e.key_must_be_plain {
            continue;
        }
        let Some((n, f)) = e.key_file() else {
            continue;
        };
        if f.encrypted_key {
            ctx.report(
                n.span,
                format!(
                    "private key {} is encrypted: etcd reads only unencrypted keys and will not start",
                    n.path
                ),
                "decrypt it (`openssl pkey -in KEY -out KEY.new`), keep it mode 0600, and point the setting at it",
            );
        }
    }
}
