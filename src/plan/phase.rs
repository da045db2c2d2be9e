//! The state of a member's drop-ins at each point of the migration, built from the render helpers
//! of [`crate::render::etcd`]. The last state with the legacy listener (`client_tls`, `peer_tls`,
//! `legacy`) is exactly what `tlsgen render` writes; a unit test holds the two together.

use crate::model::{Etcd, Member};
use crate::render::etcd::{listen_host, member_ports, url_host};
use crate::render::Var;

/// Which listeners of a member speak TLS, and whether the loopback legacy listener is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberState {
    /// Peer listener and advertised peer URL are `https://`.
    pub peer_tls: bool,
    /// Client listener and advertised client URL are `https://`.
    pub client_tls: bool,
    /// `http://127.0.0.1:<legacy>` is among the client listeners (when the model has a legacy port).
    pub legacy: bool,
}

impl MemberState {
    /// The plain-HTTP cluster the plan starts from.
    pub const BEFORE: MemberState = MemberState {
        peer_tls: false,
        client_tls: false,
        legacy: false,
    };
}

fn scheme(tls: bool) -> &'static str {
    if tls {
        "https"
    } else {
        "http"
    }
}

/// The advertised peer URL of `m` in `state`.
pub fn peer_url_in(etcd: &Etcd, m: &Member, state: MemberState) -> String {
    format!(
        "{}://{}:{}",
        scheme(state.peer_tls),
        url_host(&m.address.value),
        member_ports(etcd, m).peer
    )
}

/// The advertised client URL of `m` in `state`.
pub fn client_url_in(etcd: &Etcd, m: &Member, state: MemberState) -> String {
    format!(
        "{}://{}:{}",
        scheme(state.client_tls),
        url_host(&m.address.value),
        member_ports(etcd, m).client
    )
}

/// The legacy loopback URL of `m`, if the model gives it a legacy port.
pub fn legacy_url(etcd: &Etcd, m: &Member) -> Option<String> {
    member_ports(etcd, m)
        .legacy
        .map(|p| format!("http://127.0.0.1:{p}"))
}

fn var(name: &str, value: String) -> Var {
    Var {
        name: name.to_string(),
        value,
    }
}

/// The flags of `m`'s `20-clct-etcd-member.conf` when every member `x` is in `states(x)`, in the
/// order of [`crate::render::etcd::member_flags`]. `initial-cluster` is ignored by a member that
/// restarts with its data (FACTS F-E12); it is kept consistent with the states all the same.
pub fn member_flags_in(
    etcd: &Etcd,
    m: &Member,
    states: &dyn Fn(&Member) -> MemberState,
) -> Vec<Var> {
    let state = states(m);
    let ports = member_ports(etcd, m);
    let listen = listen_host(&m.address.value);
    let mut listen_client = format!("{}://{listen}:{}", scheme(state.client_tls), ports.client);
    if state.legacy {
        if let Some(legacy) = legacy_url(etcd, m) {
            listen_client.push(',');
            listen_client.push_str(&legacy);
        }
    }
    let initial_cluster = etcd
        .members
        .iter()
        .map(|x| format!("{}={}", x.name.value, peer_url_in(etcd, x, states(x))))
        .collect::<Vec<_>>()
        .join(",");
    vec![
        var(
            "listen-peer-urls",
            format!("{}://{listen}:{}", scheme(state.peer_tls), ports.peer),
        ),
        var("listen-client-urls", listen_client),
        var("initial-advertise-peer-urls", peer_url_in(etcd, m, state)),
        var("initial-cluster", initial_cluster),
        var("advertise-client-urls", client_url_in(etcd, m, state)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::etcd::member_flags;

    fn example() -> crate::model::Cluster {
        let text = include_str!("../../examples/cluster.yaml");
        crate::model::load_str("cluster.yaml", text)
            .expect("the example model loads")
            .cluster
    }

    #[test]
    fn final_state_with_legacy_is_what_render_writes() {
        let cluster = example();
        let etcd = cluster.etcd.as_ref().expect("example has etcd");
        let after = MemberState {
            peer_tls: true,
            client_tls: true,
            legacy: true,
        };
        for m in &etcd.members {
            assert_eq!(member_flags_in(etcd, m, &|_| after), member_flags(etcd, m));
        }
    }

    #[test]
    fn before_state_is_plain_http_without_legacy() {
        let cluster = example();
        let etcd = cluster.etcd.as_ref().expect("example has etcd");
        let flags = member_flags_in(etcd, &etcd.members[0], &|_| MemberState::BEFORE);
        let text: Vec<String> = flags
            .iter()
            .map(|v| format!("{}={}", v.name, v.value))
            .collect();
        assert_eq!(
            text,
            [
                "listen-peer-urls=http://10.0.0.11:2380",
                "listen-client-urls=http://10.0.0.11:2379",
                "initial-advertise-peer-urls=http://10.0.0.11:2380",
                "initial-cluster=server1=http://10.0.0.11:2380,server2=http://10.0.0.12:2380,server3=http://10.0.0.13:2380",
                "advertise-client-urls=http://10.0.0.11:2379",
            ]
        );
    }
}
