//! Shell quoting for the lines of `migrate.sh`.

/// `s` as one POSIX shell word: bare when it holds only safe characters, single-quoted otherwise.
pub fn quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=,@+%".contains(&b));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A command line: every word quoted.
pub fn line<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("https://10.0.0.1:2380"), "https://10.0.0.1:2380");
        assert_eq!(
            quote("server1=http://[::1]:2379"),
            "'server1=http://[::1]:2379'"
        );
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(line(&["push", "a b", "c"]), "push 'a b' c");
    }
}
