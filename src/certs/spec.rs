//! What the model needs: every leaf certificate (subject, SANs, usage) and every place a file goes
//! under the output directory. Laid out like `render`: `OUT/<host>/<absolute path on the host>`,
//! plus `OUT/ca/` for the operator (CA key, CA certificate, admin client certificate), which never
//! goes to a host.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

use super::inspect::San;
use super::{problem_at, OPERATOR_DIR};
use crate::diag::{Problem, Source};
use crate::model::{CertKind, Cluster, Sp};

/// Extended key usages of a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// An etcd member: the same pair serves clients and dials peers (serverAuth + clientAuth).
    ServerAndClient,
    /// A server only (InfluxDB nodes).
    Server,
    /// A client only (etcd proxies, admin, Telegraf agents).
    Client,
}

impl Usage {
    pub fn server(self) -> bool {
        matches!(self, Usage::ServerAndClient | Usage::Server)
    }
    pub fn client(self) -> bool {
        matches!(self, Usage::ServerAndClient | Usage::Client)
    }
}

/// Where one copy of a leaf goes, as paths relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Certificate and key in two files.
    Pair { cert: String, key: String },
    /// Certificate and key in one file (InfluxDB `bundle`).
    Bundle { pem: String },
}

/// One certificate the model needs (written to one or more places with the same key).
#[derive(Debug, Clone)]
pub struct Leaf {
    /// For messages: `etcd member server1`.
    pub what: String,
    pub common_name: String,
    pub sans: BTreeSet<San>,
    pub usage: Usage,
    pub places: Vec<Place>,
}

/// Everything `tlsgen certs` writes apart from the CA itself.
#[derive(Debug, Default)]
pub struct Plan {
    pub leaves: Vec<Leaf>,
    /// Where a copy of the CA certificate goes.
    pub ca_copies: BTreeSet<String>,
}

/// `host/<path without the leading slash>`.
fn on_host(host: &str, abs: &str) -> String {
    format!("{host}/{}", abs.trim_start_matches('/'))
}

fn pki_file(cluster: &Cluster, file: &str) -> String {
    format!("{}/{}", cluster.pki.dir.value.trim_end_matches('/'), file)
}

fn address_san(address: &str) -> San {
    match address.parse::<IpAddr>() {
        Ok(ip) => San::Ip(ip),
        Err(_) => San::Dns(address.to_ascii_lowercase()),
    }
}

/// Loopback names: `127.0.0.1` and `localhost` (and `::1` for an IPv6 loopback address).
fn add_loopback(sans: &mut BTreeSet<San>, address: &str) {
    sans.insert(San::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    if let Ok(IpAddr::V6(v6)) = address.parse::<IpAddr>() {
        if v6.is_loopback() {
            sans.insert(San::Ip(IpAddr::V6(v6)));
        }
    }
    sans.insert(San::Dns("localhost".to_string()));
}

/// Build the plan from a validated model. Problems: a host named like the operator directory, and
/// two different files aimed at one path.
pub fn plan(cluster: &Cluster, source: &Source) -> Result<Plan, Vec<Problem>> {
    let mut plan = Plan::default();
    let mut problems = Vec::new();
    let mut hosts: Vec<&Sp<String>> = Vec::new();

    if let Some(etcd) = &cluster.etcd {
        let ca = pki_file(cluster, &cluster.pki.ca.value);
        for m in &etcd.members {
            hosts.push(&m.name);
            let name = &m.name.value;
            let mut sans = BTreeSet::new();
            sans.insert(address_san(&m.address.value));
            // A member known by DNS name listens on 0.0.0.0 (render's listen_host), which includes
            // loopback; an explicit loopback address or a legacy loopback listener means local clients
            // on the host: cover 127.0.0.1 and localhost. etcd checks peer IP SANs (F-E11).
            let legacy = m.legacy_port.is_some() || etcd.legacy_port.is_some();
            let is_ip = m.address.value.parse::<IpAddr>();
            let loopback = match &is_ip {
                Ok(ip) => ip.is_loopback(),
                Err(_) => true,
            };
            if legacy || loopback {
                add_loopback(&mut sans, &m.address.value);
            }
            plan.leaves.push(Leaf {
                what: format!("etcd member {name}"),
                common_name: name.clone(),
                sans,
                usage: Usage::ServerAndClient,
                places: vec![Place::Pair {
                    cert: on_host(name, &pki_file(cluster, &format!("{name}.pem"))),
                    key: on_host(name, &pki_file(cluster, &format!("{name}-key.pem"))),
                }],
            });
            plan.ca_copies.insert(on_host(name, &ca));
        }
        // Proxies that share a client_cert share one key pair.
        let mut by_cert: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for p in &etcd.proxies {
            hosts.push(&p.name);
            by_cert
                .entry(p.client_cert.value.clone())
                .or_default()
                .push(&p.name.value);
            plan.ca_copies.insert(on_host(&p.name.value, &ca));
        }
        for (cert, proxies) in by_cert {
            plan.leaves.push(Leaf {
                what: format!("etcd proxy client certificate {cert}"),
                common_name: cert.clone(),
                sans: BTreeSet::new(),
                usage: Usage::Client,
                places: proxies
                    .iter()
                    .map(|h| Place::Pair {
                        cert: on_host(h, &pki_file(cluster, &format!("{cert}.pem"))),
                        key: on_host(h, &pki_file(cluster, &format!("{cert}-key.pem"))),
                    })
                    .collect(),
            });
        }
        // The operator's etcdctl needs a client certificate once client_cert_auth is on.
        plan.leaves.push(Leaf {
            what: "etcd admin client certificate".to_string(),
            common_name: "admin".to_string(),
            sans: BTreeSet::new(),
            usage: Usage::Client,
            places: vec![Place::Pair {
                cert: format!("{OPERATOR_DIR}/admin.pem"),
                key: format!("{OPERATOR_DIR}/admin-key.pem"),
            }],
        });
    }

    if let Some(influx) = &cluster.influxdb {
        let c = &influx.certificate;
        let ca =
            c.ca.as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_else(|| pki_file(cluster, &cluster.pki.ca.value));
        for n in influx.meta_nodes.iter().chain(&influx.data_nodes) {
            hosts.push(&n.name);
            let name = &n.name.value;
            let place = match (c.kind.value, &c.cert, &c.key, &c.pem) {
                (CertKind::CaSigned, Some(cert), Some(key), _) => Place::Pair {
                    cert: on_host(name, &cert.value),
                    key: on_host(name, &key.value),
                },
                (CertKind::Bundle, _, _, Some(pem)) => Place::Bundle {
                    pem: on_host(name, &pem.value),
                },
                // self-signed certificates are made on the node (render's runbook); nothing to issue.
                _ => continue,
            };
            // Enterprise nodes join and reach each other by host name (`influxd-ctl add-data
            // <name>:8088`), so the name is a SAN as well as the address.
            let mut sans = BTreeSet::new();
            sans.insert(address_san(&n.address.value));
            sans.insert(San::Dns(name.to_ascii_lowercase()));
            plan.leaves.push(Leaf {
                what: format!("InfluxDB node {name}"),
                common_name: name.clone(),
                sans,
                usage: Usage::Server,
                places: vec![place],
            });
            plan.ca_copies.insert(on_host(name, &ca));
        }
    }

    if let Some(telegraf) = &cluster.telegraf {
        for a in &telegraf.agents {
            hosts.push(&a.name);
            let name = &a.name.value;
            plan.ca_copies.insert(on_host(name, &a.ca.value));
            if let (Some(cert), Some(key)) = (&a.cert, &a.key) {
                plan.leaves.push(Leaf {
                    what: format!("Telegraf agent {name}"),
                    common_name: name.clone(),
                    sans: BTreeSet::new(),
                    usage: Usage::Client,
                    places: vec![Place::Pair {
                        cert: on_host(name, &cert.value),
                        key: on_host(name, &key.value),
                    }],
                });
            }
        }
    }

    for h in hosts {
        if h.value.eq_ignore_ascii_case(OPERATOR_DIR) {
            problems.push(
                problem_at(
                    Problem::error("certs::reserved-host", format!("host `{}` clashes with the CA directory", h.value))
                        .with_label("reserved by `tlsgen certs`")
                        .with_help(format!(
                            "`{OPERATOR_DIR}/` under the output directory holds the CA key and never goes to a host; rename the host"
                        )),
                    source,
                    h,
                ),
            );
        }
    }

    // No two different files may land on one path (e.g. a Telegraf `ca` equal to its `cert`).
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |path: &str, who: String, problems: &mut Vec<Problem>| {
        if let Some(first) = owners.get(path) {
            if *first != who {
                problems.push(
                    Problem::error(
                        "certs::path-collision",
                        format!("{path} would hold both the {first} and the {who}"),
                    )
                    .with_help("give every certificate, key and CA copy its own path in the model"),
                );
            }
        } else {
            owners.insert(path.to_string(), who);
        }
    };
    for copy in &plan.ca_copies {
        claim(copy, "CA certificate".to_string(), &mut problems);
    }
    for leaf in &plan.leaves {
        for place in &leaf.places {
            match place {
                Place::Pair { cert, key } => {
                    claim(
                        cert,
                        format!("certificate of the {}", leaf.what),
                        &mut problems,
                    );
                    claim(key, format!("key of the {}", leaf.what), &mut problems);
                }
                Place::Bundle { pem } => {
                    claim(pem, format!("bundle of the {}", leaf.what), &mut problems)
                }
            }
        }
    }
    for path in owners.keys() {
        if path
            .split('/')
            .any(|c| c == ".." || c == "." || c.is_empty())
        {
            problems.push(
                Problem::error(
                    "certs::path",
                    format!("{path} is not a normalised path under the output directory"),
                )
                .with_help("write absolute paths without `.`, `..` or `//` in the model"),
            );
        }
    }

    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}
