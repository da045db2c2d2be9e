use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags the keys of `aescbc`, `aesgcm` and `secretbox` providers that kube-apiserver
    /// rejects or the docs advise against: no `keys`, an empty key `name` or `secret`, a secret
    /// that is not base64, or a decoded length other than 16, 24 or 32 bytes (AES) or 32 bytes
    /// (secretbox). A 16- or 24-byte `aescbc` key is a warning: the server accepts it, the
    /// documentation asks for 32 bytes. Messages never show the secret.
    ///
    /// ## Why is this bad?
    /// kube-apiserver refuses to start on these (F-K5, verified in `validation_encryption.go`):
    /// "at least one keys is required", "name is a mandatory field for a key", "secret is a
    /// mandatory field for a key", "secrets must be base64 encoded", "secret is not of the
    /// expected length, got N, expected one of [16 24 32]" (AES) or "[32]" (secretbox). The
    /// provider table asks for a 32-byte `aescbc` key (F-K4).
    ///
    /// ## Example
    /// ```yaml
    /// - secretbox:
    ///     keys:
    ///       - name: key1
    ///         secret: not-base64!
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - secretbox:
    ///     keys:
    ///       - name: key1
    ///         secret: <output of: head -c 32 /dev/urandom | base64>
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a new key must be generated, and replacing a key in use makes existing
    /// data unreadable; rotate it as in F-K9.
    ///
    /// ## References
    /// - FACTS F-K4, F-K5, F-K9 (kubernetes/kubernetes
    ///   `staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go`;
    ///   kubernetes/website `content/en/docs/tasks/administer-cluster/encrypt-data.md`)
    pub static RULE = Rule {
        code: "K8SENC006",
        name: "invalid-encryption-key",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "an aescbc, aesgcm or secretbox key is missing, not base64, or of the wrong length",
        check: Check::Kubernetes(check),
    };
}

/// The decoded length of a Go `base64.StdEncoding` string (padding required, `\r`/`\n` ignored);
/// `None` when Go would reject it.
pub(crate) fn std_base64_len(s: &str) -> Option<usize> {
    let chars: Vec<u8> = s.bytes().filter(|&b| b != b'\n' && b != b'\r').collect();
    if chars.is_empty() || chars.len() % 4 != 0 {
        return None;
    }
    let pad = chars.iter().rev().take_while(|&&b| b == b'=').count();
    if pad > 2 {
        return None;
    }
    let body = &chars[..chars.len() - pad];
    if !body
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
    {
        return None;
    }
    Some(chars.len() / 4 * 3 - pad)
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    for element in c.provider_elements() {
        for (ptype, sizes) in [
            ("aescbc", &[16usize, 24, 32][..]),
            ("aesgcm", &[16, 24, 32][..]),
            ("secretbox", &[32][..]),
        ] {
            let Some((pkey, provider)) = element.node.entry(ptype) else {
                continue;
            };
            let keys = provider.entry("keys");
            if keys
                .as_ref()
                .is_some_and(|(_, k)| c.is_placeholder(ctx.sources, k))
            {
                continue;
            }
            let list = keys.map(|(_, k)| k.as_seq()).unwrap_or(&[]);
            if list.is_empty() {
                let anchor = keys
                    .map(|(k, _)| k.span.clone())
                    .unwrap_or(pkey.span.clone());
                ctx.report(
                    c.span(&anchor),
                    format!("the {ptype} provider has no keys"),
                    "add a key: `- name: key1` and `secret:` 32 random bytes in base64",
                );
                continue;
            }
            for key in list {
                match key.entry("name") {
                    Some((_, n))
                        if n.as_str().is_some_and(|s| s.trim().is_empty())
                            && !c.is_placeholder(ctx.sources, n) =>
                    {
                        ctx.report(
                            c.span(&n.span),
                            "the key name is empty",
                            "give the key a name, e.g. key1",
                        );
                    }
                    None => {
                        let anchor = key
                            .as_map()
                            .first()
                            .map(|(k, _)| k.span.clone())
                            .unwrap_or(key.span.clone());
                        ctx.report(
                            c.span(&anchor),
                            "this key has no name",
                            "add `name:` to the key, e.g. key1",
                        );
                    }
                    _ => {}
                }
                let Some((skey, secret)) = key.entry("secret") else {
                    let anchor = key
                        .as_map()
                        .first()
                        .map(|(k, _)| k.span.clone())
                        .unwrap_or(key.span.clone());
                    ctx.report(c.span(&anchor), "this key has no secret", "add `secret:` with 32 random bytes in base64 (head -c 32 /dev/urandom | base64)");
                    continue;
                };
                if c.is_placeholder(ctx.sources, secret) {
                    continue;
                }
                let value = secret.as_str().unwrap_or("");
                if value.trim().is_empty() {
                    // On the empty value (`""`) when it is written, else on the key.
                    let at = if secret.span.is_empty() {
                        &skey.span
                    } else {
                        &secret.span
                    };
                    ctx.report(
                        c.span(at),
                        "the key secret is empty",
                        "write 32 random bytes in base64 (head -c 32 /dev/urandom | base64)",
                    );
                    continue;
                }
                match std_base64_len(value) {
                    None => ctx.report(c.span(&secret.span), "the key secret is not valid base64", "write the key in standard base64 with padding (head -c 32 /dev/urandom | base64)"),
                    Some(n) if !sizes.contains(&n) => {
                        let expected = if ptype == "secretbox" { "32" } else { "16, 24 or 32" };
                        ctx.report(
                            c.span(&secret.span),
                            format!("the {ptype} key is {n} bytes long, kube-apiserver accepts {expected}"),
                            "generate a 32-byte key: head -c 32 /dev/urandom | base64",
                        );
                    }
                    Some(n) if ptype == "aescbc" && n != 32 => ctx.report_as(
                        Severity::Warning,
                        c.span(&secret.span),
                        format!("the aescbc key is {n} bytes long, the documentation asks for 32"),
                        "generate a 32-byte key: head -c 32 /dev/urandom | base64",
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::std_base64_len;

    #[test]
    fn reads_base64_lengths_as_go_std_encoding_does() {
        assert_eq!(
            std_base64_len("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            Some(32)
        );
        // 35 bytes: valid base64, a length kube-apiserver rejects.
        assert_eq!(
            std_base64_len("c2VjcmV0IGlzIHNlY3VyZSwgaSB0aGluayBzbyBhbmQgc28="),
            Some(35)
        );
        assert_eq!(std_base64_len("c2VjcmV0IGlzIHNlY3VyZQ=="), Some(16));
        assert_eq!(std_base64_len("c2VjcmV0IGlzIHNlY3VyZQ"), None);
        assert_eq!(std_base64_len("not-base64!"), None);
        assert_eq!(std_base64_len("===="), None);
        assert_eq!(std_base64_len(""), None);
    }
}
