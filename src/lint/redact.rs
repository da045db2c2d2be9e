//! The one redaction policy: what is secret in a file's text, and how every output path treats
//! it. Every path that prints text of a linted file or a value from it goes through here:
//!
//! - quoted source lines (human snippets) and `--diff`: secrets masked by `*`, byte for byte, so
//!   spans and columns stay right ([`mask`]);
//! - finding messages, helps and fix descriptions, in every format ([`mask`] too, applied by the
//!   engine to each finding once);
//! - whole files that hold key material ([`holds_key_material`]): neither `--diff` nor stdin
//!   `--fix` prints them;
//! - stdin `--fix`, whose stdout is the file itself handed back to the pipe the user opened: it
//!   is passed through unmasked (a masked copy would corrupt the file it is redirected to), key
//!   material excepted. Its report goes to stderr, masked like any other.
//!
//! Secret: the literal value of a key that names a secret (`password`, `*passwd`, `*secret*`,
//! `*token`, `*key_pwd`; an encryption key's `secret:`), whether the key starts the line (TOML,
//! YAML, JSON, env file) or is a word inside it (`Environment="ETCDCTL_PASSWORD=…"`,
//! `--password=…`), and the password of a URL (`https://user:password@host`). A value that is a
//! reference (`${VAR}`, `$VAR`, a template placeholder, Telegraf's `@{store:key}`) is not a secret.
//! Not secrets although the name says so: etcd's `initial-cluster-token` (a cluster identifier
//! etcd logs) and DC/OS `service_account_secret` (the path of a secret in the store).

use std::borrow::Cow;
use std::ops::Range;

/// Whether a key names a secret value.
pub fn is_secret_key(key: &str) -> bool {
    let k = key
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '-')
        .to_ascii_lowercase();
    // A key is one word: prose before a colon (a finding's message) is not a key.
    if k.is_empty()
        || k.contains(|c: char| c.is_whitespace() || c == '`')
        || k.ends_with("initial-cluster-token")
        || k.ends_with("initial_cluster_token")
    {
        return false;
    }
    if k == "service_account_secret" {
        return false;
    }
    k.ends_with("password")
        || k.ends_with("passwd")
        || k.contains("secret")
        || k.ends_with("key_pwd")
        || k.ends_with("token")
}

/// Whether a key's value is key material: an encryption key (`secret`), an InfluxDB
/// `*-shared-secret` (it signs every token of the cluster).
fn is_key_material_key(key: &str) -> bool {
    let k = key
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_lowercase();
    k == "secret" || k.ends_with("shared-secret") || k.ends_with("shared_secret")
}

/// Whether a value (quotes included) refers to a secret kept elsewhere instead of being one.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    v.is_empty()
        || crate::lint::placeholder::is_placeholder(v)
        || (v.starts_with("@{") && v.ends_with('}') && v.contains(':'))
}

/// A URL with a password in it: `scheme://user:password@host…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlCredential {
    /// The whole URL (scheme to the end of its authority).
    pub url: Range<usize>,
    pub user: Range<usize>,
    pub password: Range<usize>,
    /// Lower-case.
    pub scheme: String,
    /// The host after the `@`, without its port.
    pub host: String,
}

/// Bytes that end a URL's authority in a configuration file.
fn ends_authority(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'/' | b'?'
                | b'#'
                | b'"'
                | b'\''
                | b','
                | b']'
                | b'}'
                | b')'
                | b'<'
                | b'>'
                | b'\\'
                | b';'
        )
}

/// Every URL of a text that carries a literal password.
pub fn url_credentials(text: &str) -> Vec<UrlCredential> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (sep, _) in text.match_indices("://") {
        let scheme_start = text[..sep]
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
            .count();
        let scheme_start = sep - scheme_start;
        if scheme_start == sep || !bytes[scheme_start].is_ascii_alphabetic() {
            continue;
        }
        let auth_start = sep + 3;
        let auth_len = bytes[auth_start..]
            .iter()
            .position(|&b| ends_authority(b))
            .unwrap_or(bytes.len() - auth_start);
        let authority = &text[auth_start..auth_start + auth_len];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..at];
        let Some(colon) = userinfo.find(':') else {
            continue;
        };
        let password = &userinfo[colon + 1..];
        if is_reference(password) || crate::lint::placeholder::is_placeholder(userinfo) {
            continue;
        }
        let hostport = &authority[at + 1..];
        let host = match hostport.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => hostport.rsplit_once(':').map_or(hostport, |(h, _)| h),
        };
        out.push(UrlCredential {
            url: scheme_start..auth_start + auth_len,
            user: auth_start..auth_start + colon,
            password: auth_start + colon + 1..auth_start + at,
            scheme: text[scheme_start..sep].to_ascii_lowercase(),
            host: host.to_string(),
        });
    }
    out
}

/// The byte ranges of a value: each run of characters other than white space, quotes and
/// commas (the visible shape of the line stays: `"***" # ****`).
fn value_runs(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let mut run: Option<usize> = None;
    for (i, c) in text[start..end].char_indices() {
        let keep = c.is_whitespace() || matches!(c, '"' | '\'' | ',');
        match (keep, run) {
            (false, None) => run = Some(start + i),
            (true, Some(s)) => {
                out.push(s..start + i);
                run = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run {
        out.push(s..end);
    }
}

/// Secret values of key/value lines: (range, is key material).
fn key_value_secrets(text: &str, out: &mut Vec<(Range<usize>, bool)>) {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body_len = line.trim_end_matches(['\n', '\r']).len();
        let body = &line[..body_len];
        scan_line(text, pos, body, out);
        pos += line.len();
    }
}

/// One line: the key that starts it, then `NAME=value` words inside it.
fn scan_line(text: &str, pos: usize, body: &str, out: &mut Vec<(Range<usize>, bool)>) {
    let Some(sep) = body.find([':', '=']) else {
        return;
    };
    let key = body[..sep].trim_start().trim_start_matches("- ");
    if is_secret_key(key) {
        let value = &body[sep + 1..];
        if !is_reference(value) {
            let mut runs = Vec::new();
            value_runs(text, pos + sep + 1, pos + body.len(), &mut runs);
            let material = is_key_material_key(key);
            out.extend(runs.into_iter().map(|r| (r, material)));
        }
        return;
    }
    // Words inside the line: `Environment="A=1" "ETCDCTL_PASSWORD=x"`, `--password=x`.
    let bytes = body.as_bytes();
    for (eq, _) in body.match_indices('=').filter(|&(i, _)| i > sep) {
        let name_len = body[..eq]
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        let name_start = eq - name_len;
        if name_len == 0 || !is_secret_key(&body[name_start..eq]) {
            continue;
        }
        let before = name_start.checked_sub(1).map(|i| bytes[i]);
        if !matches!(before, None | Some(b' ' | b'\t' | b'"' | b'\'' | b'=')) {
            continue;
        }
        let quote = before.filter(|b| matches!(b, b'"' | b'\''));
        let value_end = body[eq + 1..]
            .bytes()
            .position(|b| match quote {
                Some(q) => b == q,
                None => b.is_ascii_whitespace() || b == b'"' || b == b'\'',
            })
            .map_or(body.len(), |n| eq + 1 + n);
        let value = &body[eq + 1..value_end];
        if !is_reference(value) {
            let mut runs = Vec::new();
            value_runs(text, pos + eq + 1, pos + value_end, &mut runs);
            let material = is_key_material_key(&body[name_start..eq]);
            out.extend(runs.into_iter().map(|r| (r, material)));
        }
    }
}

/// Every secret of a text, as byte ranges (sorted, possibly overlapping).
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    key_value_secrets(text, &mut found);
    let mut out: Vec<Range<usize>> = found.into_iter().map(|(r, _)| r).collect();
    out.extend(url_credentials(text).into_iter().map(|c| c.password));
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// The text with every secret masked by `*`, byte for byte (a multi-byte character becomes as
/// many `*`), so every span and column still points at the same place. Borrowed when there is
/// nothing to mask.
pub fn mask(text: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        // Ranges start and end at ASCII delimiters or the line's end: char boundaries.
        for b in &mut bytes[r] {
            *b = b'*';
        }
    }
    // Only whole UTF-8 sequences were replaced (each by as many ASCII bytes).
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Whether a text holds key material that no output prints in any form, masked or not: a PEM
/// private key, a literal encryption key (`secret:`), a literal InfluxDB shared secret.
pub fn holds_key_material(text: &str) -> bool {
    if text.contains("PRIVATE KEY") {
        return true;
    }
    let mut found = Vec::new();
    key_value_secrets(text, &mut found);
    found.iter().any(|(_, material)| *material)
}

/// Mask a finding's message, help and fix description in place (they may quote a value).
pub fn finding(f: &mut crate::lint::rule::Finding) {
    if let Cow::Owned(m) = mask(&f.message) {
        f.message = m;
    }
    if let Cow::Owned(h) = mask(&f.help) {
        f.help = Cow::Owned(h);
    }
    if let Some(fix) = f.fix.as_mut() {
        if let Cow::Owned(d) = mask(&fix.description) {
            fix.description = d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_of_secret_keys_in_every_syntax_keeping_lengths() {
        let cases = [
            ("password = \"abc\"\n", "password = \"***\"\n"),
            ("    secret: c2VjcmV0\n", "    secret: ********\n"),
            (
                "  \"health_user_password\": \"pw\",\n",
                "  \"health_user_password\": \"**\",\n",
            ),
            ("ETCDCTL_PASSWORD=pw\n", "ETCDCTL_PASSWORD=**\n"),
            (
                "Environment=\"A=1\" \"ETCDCTL_PASSWORD=p w\"\n",
                "Environment=\"A=1\" \"ETCDCTL_PASSWORD=* *\"\n",
            ),
            (
                "ExecStart=/bin/x --password=pw --name=a\n",
                "ExecStart=/bin/x --password=** --name=a\n",
            ),
            (
                "meta-internal-shared-secret = \"é s\"\n",
                "meta-internal-shared-secret = \"** *\"\n",
            ),
        ];
        for (text, want) in cases {
            let got = mask(text);
            assert_eq!(got, want, "{text}");
            assert_eq!(got.len(), text.len());
        }
    }

    #[test]
    fn secret_values_are_masked_byte_for_byte() {
        let text = "keys:\n  - name: key1\n    secret: c2VjcmV0IGlzIHNlY3JldA==\n[meta]\n  internal-shared-secret = \"hunter2\"\npassword = \"é\"\nurls = [\"https://x\"]\n";
        let r = mask(text);
        assert_eq!(r.len(), text.len());
        assert!(!r.contains("c2VjcmV0") && !r.contains("hunter2") && !r.contains('é'));
        assert!(r.contains("name: key1") && r.contains("urls = [\"https://x\"]"));
        assert!(r.contains("internal-shared-secret = \"*******\""));
        assert_eq!(mask("a: b\n"), "a: b\n");
    }

    #[test]
    fn references_and_names_that_are_not_secrets_are_kept() {
        for text in [
            "password = \"${INFLUX_PASSWORD}\"\n",
            "password = \"@{vault:influx}\"\n",
            "password = \"{{ pw }}\"\n",
            "password = \"\"\n",
            "initial-cluster-token: etcd-cluster-1\n",
            "ETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1\n",
            "  \"service_account_secret\": \"elastic/secret\",\n",
            "https-enabled = true\n",
            "urls = [\"https://root@host:2379\"]\n",
        ] {
            assert_eq!(mask(text), text);
        }
    }

    #[test]
    fn finds_url_passwords() {
        let text = "ETCDCTL_ENDPOINTS=https://root:Passw0rd@10.0.0.1:2379,http://a:b@[::1]:1/x\n";
        let creds = url_credentials(text);
        assert_eq!(creds.len(), 2);
        assert_eq!(&text[creds[0].password.clone()], "Passw0rd");
        assert_eq!(&text[creds[0].user.clone()], "root");
        assert_eq!(creds[0].host, "10.0.0.1");
        assert_eq!(creds[0].scheme, "https");
        assert_eq!(&text[creds[1].password.clone()], "b");
        assert_eq!(creds[1].host, "::1");
        assert_eq!(
            mask(text),
            "ETCDCTL_ENDPOINTS=https://root:********@10.0.0.1:2379,http://a:*@[::1]:1/x\n"
        );
        // A password holding `@` belongs to the last `@` of the authority.
        let creds = url_credentials("curl -L https://u:p@ss@h:1/v2");
        assert_eq!(creds[0].host, "h");
        assert!(url_credentials("https://u:${P}@h https://u@h mailto:a@b").is_empty());
    }

    #[test]
    fn key_material_is_the_encryption_key_the_shared_secret_and_pem_keys() {
        assert!(holds_key_material("-----BEGIN RSA PRIVATE KEY-----\nabc\n"));
        assert!(holds_key_material("  - name: key1\n    secret: c2VjcmV0\n"));
        assert!(holds_key_material(
            "  meta-internal-shared-secret = \"x\"\n"
        ));
        assert!(!holds_key_material(
            "  meta-internal-shared-secret = \"\"\n"
        ));
        assert!(!holds_key_material("password = \"x\"\n"));
        assert!(!holds_key_material("[http]\nhttps-enabled = true\n"));
    }
}
