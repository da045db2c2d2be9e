use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};
use crate::lint::view::project::{host_of, Project, ProjectKeys};
use crate::lint::view::UrlParts;

crate::declare_rule! {
    /// ## What it does
    /// When the linted paths hold Telegraf and InfluxDB data node (or OSS) files, flags an
    /// `https://` entry of `[[outputs.influxdb]]` `urls` aimed at an InfluxDB whose `[http]`
    /// `https-enabled` is false or absent (default false) and whose HTTP service is on.
    ///
    /// Which InfluxDB a URL aims at: when the tree says which host a config belongs to (the
    /// directory above `etc/`, as in `out/<host>/etc/influxdb/influxdb.conf`), the configs of
    /// the URL's host; otherwise any data node config whose path names no host. The port must
    /// match `[http] bind-address` (default `:8086`; an https URL without a port means 443).
    ///
    /// ## Why is this bad?
    /// The agent opens a TLS handshake against a plaintext listener and every write fails
    /// (`http: server gave HTTP response to HTTPS client`); the usual "fix" under pressure is
    /// `http://` or `insecure_skip_verify`. The InfluxDB side must serve HTTPS first (FACTS §3.1
    /// `https-enabled` default false; F-T6 `https://<domain>:8086`).
    ///
    /// ## Example
    /// ```toml
    /// # out/influx1/etc/influxdb/influxdb.conf
    /// [http]
    ///   https-enabled = false
    /// # out/agent/etc/telegraf/telegraf.conf
    /// [[outputs.influxdb]]
    ///   urls = ["https://influx1:8086"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    ///   https-enabled = true
    ///   https-certificate = "/etc/ssl/influxdb.crt"
    ///   https-private-key = "/etc/ssl/influxdb.key"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS §3.1 `https-enabled`, `bind-address` rows (IFX-DATA, IFX-OSS config references)
    /// - FACTS F-T1, F-T6 (TGF `plugins/outputs/influxdb`; IFX-TLS "Connect Telegraf …")
    pub static RULE = Rule {
        code: "TGF008",
        name: "telegraf-https-to-plaintext-influxdb",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "an https:// outputs.influxdb URL aims at an InfluxDB of the tree that serves plain HTTP",
        check: Check::Project(check, &READS),
    };
}

/// The keys TGF008 reads: the data nodes' HTTP listener and the URLs of
/// `[[outputs.influxdb]]` (inputs, often thousands of lines, are dropped).
const READS: ProjectKeys = ProjectKeys {
    influxdb: &[("http", &["bind-address", "enabled", "https-enabled"])],
    telegraf: &[("outputs.influxdb", &["url", "urls"])],
};

/// The port of a URL (`None` when absent or not a number).
fn url_port(url: &str) -> Option<u16> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let port = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once("]:")?.1,
        None => authority.rsplit_once(':')?.1,
    };
    port.parse().ok()
}

/// The port of `[http] bind-address` (default `:8086`); `None` when unknown.
fn http_port(c: &InfluxConfig) -> Option<u16> {
    match c.get("http", "bind-address") {
        None => Some(8086),
        Some(s) if s.placeholder => None,
        Some(s) => s.value.rsplit_once(':').and_then(|(_, p)| p.parse().ok()),
    }
}

/// Whether the data node serves plain HTTP on its API: HTTP on, https off (or absent).
fn serves_plain_http(c: &InfluxConfig) -> bool {
    c.bool_or("http", "enabled", true) == Some(true)
        && c.bool_or("http", "https-enabled", false) == Some(false)
}

fn check(p: &Project, ctx: &mut Ctx) {
    // Each data node's host, and its port when it serves plain http, read once: every Telegraf
    // URL is compared with every data node, and a large run has thousands of each.
    let datas: Vec<(&InfluxConfig, Option<String>, Option<u16>)> = p
        .influx(InfluxRole::Data)
        .map(|c| {
            let plain_port = http_port(c).filter(|_| serves_plain_http(c));
            (c, host_of(ctx.sources, c.file), plain_port)
        })
        .collect();
    if datas.is_empty() {
        return;
    }
    for t in &p.telegraf {
        for plugin in t.plugins.iter().filter(|p| p.kind == "outputs.influxdb") {
            let urls = plugin
                .lists
                .get("urls")
                .into_iter()
                .flatten()
                .chain(plugin.keys.get("url"));
            for s in urls.filter(|s| !s.placeholder) {
                let parts = UrlParts::parse(&s.value);
                let (Some("https"), Some(host)) = (parts.scheme.as_deref(), parts.host.as_deref())
                else {
                    continue;
                };
                let host = host.to_ascii_lowercase();
                let port = url_port(&s.value).unwrap_or(443);
                // The data nodes of that host, or those of no known host when none is.
                let on_host = |h: &Option<String>| h.as_deref() == Some(host.as_str());
                let any_on_host = datas.iter().any(|(_, h, _)| on_host(h));
                let target = datas
                    .iter()
                    .filter(|(_, h, _)| if any_on_host { on_host(h) } else { h.is_none() })
                    .find(|(_, _, plain)| *plain == Some(port))
                    .map(|(c, _, _)| *c);
                if let Some(c) = target {
                    ctx.report(
                        s.span(),
                        format!("`{}` expects https but {} serves plain http (`[http] https-enabled` is off)", s.value, ctx.sources.get(c.file).path),
                        "set `[http] https-enabled = true` with a certificate on that InfluxDB, or fix the URL",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_port;

    #[test]
    fn url_port_reads_hosts_ipv6_and_userinfo() {
        assert_eq!(url_port("https://influx-01:8086/write"), Some(8086));
        assert_eq!(url_port("https://user:pw@[::1]:9086"), Some(9086));
        assert_eq!(url_port("https://influx-01"), None);
        assert_eq!(url_port("influx-01:8086"), None);
    }
}
