//! A deterministic, seeded corpus of the files `tlsgen lint` reads, in the shapes and sizes real
//! repositories hold, for the benchmarks (`benches/lint.rs`, `scripts/bench.sh`) and the tests
//! that need many realistic files (`tests/bench_corpus.rs`, `tests/yaml_fast_diff.rs`). A dev-only
//! crate: the `tlsgen` library and binary do not contain it.
//!
//! File `i` of a corpus depends only on the seed, `i` and the kinds asked for, never on the files
//! before it, so any prefix of a corpus is the smaller corpus of the same seed. About one file in
//! four is insecure in one of the ways the rules look for; the rest lint clean.
//!
//! [`cluster_model`] writes a `cluster.yaml` with a given number of hosts, for the render benchmark.

use std::fmt::Write as _;

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same stream on every
/// platform and Rust version, which `rand`'s `StdRng` does not promise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi` (`hi > lo`).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// The kinds of file in a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CorpusKind {
    /// `influxdb.conf` of a data node, about 8 KB with the upstream comments.
    Influxdb,
    /// `influxdb-meta.conf`.
    InfluxdbMeta,
    /// `telegraf.conf`, from a few dozen lines to several thousand.
    Telegraf,
    /// A kubeadm-style static pod manifest running etcd.
    EtcdPod,
    /// `etcd-member.service.d/30-certs.conf`.
    EtcdDropin,
    /// `/etc/default/etcd`.
    EtcdEnv,
    /// `etcdctl.env`.
    Etcdctl,
    /// A Kubernetes `EncryptionConfiguration`.
    Encryption,
    /// DC/OS Elastic `options.json`.
    Elastic,
}

impl CorpusKind {
    pub const ALL: [CorpusKind; 9] = [
        CorpusKind::Influxdb,
        CorpusKind::InfluxdbMeta,
        CorpusKind::Telegraf,
        CorpusKind::EtcdPod,
        CorpusKind::EtcdDropin,
        CorpusKind::EtcdEnv,
        CorpusKind::Etcdctl,
        CorpusKind::Encryption,
        CorpusKind::Elastic,
    ];

    /// The TOML kinds (what taplo reads).
    pub const TOML: [CorpusKind; 3] = [
        CorpusKind::Influxdb,
        CorpusKind::InfluxdbMeta,
        CorpusKind::Telegraf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CorpusKind::Influxdb => "influxdb",
            CorpusKind::InfluxdbMeta => "influxdb-meta",
            CorpusKind::Telegraf => "telegraf",
            CorpusKind::EtcdPod => "etcd-pod",
            CorpusKind::EtcdDropin => "etcd-dropin",
            CorpusKind::EtcdEnv => "etcd-env",
            CorpusKind::Etcdctl => "etcdctl",
            CorpusKind::Encryption => "encryption",
            CorpusKind::Elastic => "elastic",
        }
    }

    /// The kind named `name`, or the group `all` / `toml`.
    pub fn parse_list(name: &str) -> Option<Vec<CorpusKind>> {
        match name {
            "all" => Some(Self::ALL.to_vec()),
            "toml" => Some(Self::TOML.to_vec()),
            _ => Self::ALL
                .iter()
                .find(|k| k.name() == name)
                .map(|k| vec![*k]),
        }
    }
}

/// One generated file: its path relative to the corpus root (`/` separated) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    pub path: String,
    pub text: String,
    pub kind: CorpusKind,
    /// Whether the generator made it insecure on purpose.
    pub insecure: bool,
}

/// File `index` of the corpus of `seed` over `kinds` (round robin over the kinds).
pub fn file(seed: u64, kinds: &[CorpusKind], index: usize) -> CorpusFile {
    let kind = kinds[index % kinds.len()];
    // Mix the seed and the index so that neighbouring files get unrelated streams.
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    rng.next_u64();
    let insecure = rng.chance(25);
    let host = format!("h{index:05}");
    let (path, text) = match kind {
        CorpusKind::Influxdb => (
            format!("influxdb/{host}/influxdb.conf"),
            influxdb(&mut rng, index, insecure),
        ),
        CorpusKind::InfluxdbMeta => (
            format!("influxdb/{host}/influxdb-meta.conf"),
            influxdb_meta(&mut rng, index, insecure),
        ),
        CorpusKind::Telegraf => (
            format!("telegraf/{host}/telegraf.conf"),
            telegraf(&mut rng, index, insecure),
        ),
        CorpusKind::EtcdPod => (
            format!("kubernetes/{host}/manifests/etcd.yaml"),
            etcd_pod(&mut rng, index, insecure),
        ),
        CorpusKind::EtcdDropin => (
            format!("etcd/{host}/etcd-member.service.d/30-certs.conf"),
            etcd_dropin(&mut rng, index, insecure),
        ),
        CorpusKind::EtcdEnv => (
            format!("etcd/{host}/default/etcd"),
            etcd_env(&mut rng, index, insecure),
        ),
        CorpusKind::Etcdctl => (
            format!("etcd/{host}/etcdctl.env"),
            etcdctl(&mut rng, index, insecure),
        ),
        CorpusKind::Encryption => (
            format!("kubernetes/{host}/encryption.yaml"),
            encryption(&mut rng, insecure),
        ),
        CorpusKind::Elastic => (
            format!("elastic/{host}/options.json"),
            elastic(&mut rng, insecure),
        ),
    };
    CorpusFile {
        path,
        text,
        kind,
        insecure,
    }
}

/// The first `count` files of the corpus of `seed` over `kinds`, lazily.
pub fn generate(
    seed: u64,
    kinds: &[CorpusKind],
    count: usize,
) -> impl Iterator<Item = CorpusFile> + '_ {
    (0..count).map(move |i| file(seed, kinds, i))
}

fn ip(index: usize, net: u8) -> String {
    format!("10.{net}.{}.{}", (index / 250) % 250, index % 250 + 1)
}

fn influxdb(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 4) } else { 99 };
    let addr = ip(index, 2);
    let mut s = String::with_capacity(9000);
    s.push_str(
        "### Welcome to the InfluxDB Enterprise configuration file.\n\n\
         # The values in this file override the default values used by the system if\n\
         # a config option is not specified. The commented out lines are the configuration\n\
         # field and the default value used. Uncommenting a line and changing the value\n\
         # will change the value used at runtime when the process is restarted.\n\n\
         # Once every 24 hours InfluxDB will report usage data to usage.influxdata.com\n\
         # The data includes a random ID, os, arch, version, the number of series and other\n\
         # usage data. No data from user databases is ever transmitted.\n\
         # Change this option to true to disable reporting.\n\
         reporting-disabled = true\n\n\
         # The bind address used by the HTTP service.\n",
    );
    let _ = writeln!(s, "bind-address = \"{addr}:8088\"\n");
    let _ = writeln!(s, "hostname = \"enterprise-data-{index:05}\"\n");
    s.push_str(
        "[enterprise]\n  # license-key and license-path are mutually exclusive, use only one and leave the other blank\n\
         \x20 license-key = \"\"\n  license-path = \"/etc/influxdb/license.json\"\n\n",
    );
    s.push_str(
        "###\n### [meta]\n###\n### Controls the parameters for the Raft consensus group that stores metadata\n\
         ### about the InfluxDB cluster.\n###\n\n[meta]\n\
         \x20 # Where the metadata/raft database is stored\n  dir = \"/var/lib/influxdb/meta\"\n\n\
         \x20 # Automatically create a default retention policy when creating a database.\n\
         \x20 # retention-autocreate = true\n\n\
         \x20 # If log messages are printed for the meta service\n  # logging-enabled = true\n\n",
    );
    if which == 3 {
        s.push_str("  meta-tls-enabled = false\n");
    } else {
        s.push_str(
            "  # Whether to use TLS when connecting to meta nodes.\n  meta-tls-enabled = true\n",
        );
    }
    s.push_str("  meta-auth-enabled = true\n  meta-internal-shared-secret = \"${INFLUX_INTERNAL_SECRET}\"\n\n");
    s.push_str(
        "###\n### [data]\n###\n### Controls where the actual shard data for InfluxDB lives and how it is\n\
         ### compacted from the WAL. \"dir\" may need to be changed to a suitable place\n\
         ### for your system. The defaults should work for most systems.\n###\n\n[data]\n\
         \x20 # The directory where the TSM storage engine stores TSM (read-optimized) files.\n\
         \x20 dir = \"/var/lib/influxdb/data\"\n\n\
         \x20 # The directory where the TSM storage engine stores WAL (write-optimized) files.\n\
         \x20 wal-dir = \"/var/lib/influxdb/wal\"\n\n\
         \x20 # Trace logging provides more verbose output around the tsm engine. Turning\n\
         \x20 # this on can provide more useful output for debugging tsm engine issues.\n\
         \x20 # trace-logging-enabled = false\n\n\
         \x20 # Whether queries should be logged before execution. Very useful for troubleshooting, but will\n\
         \x20 # log any sensitive data contained within a query.\n  query-log-enabled = true\n\n\
         \x20 # CacheMaxMemorySize is the maximum size a shard's cache can\n\
         \x20 # reach before it starts rejecting writes.\n",
    );
    let _ = writeln!(
        s,
        "  cache-max-memory-size = \"{}m\"\n",
        rng.range(1, 8) * 256
    );
    s.push_str(
        "  # CacheSnapshotMemorySize is the size at which the engine will\n\
         \x20 # snapshot the cache and write it to a TSM file, freeing up memory\n\
         \x20 cache-snapshot-memory-size = \"25m\"\n\n\
         \x20 # CacheSnapshotWriteColdDuration is the length of time at\n\
         \x20 # which the engine will snapshot the cache and write it to\n\
         \x20 # a new TSM file if the shard hasn't received writes or deletes\n\
         \x20 cache-snapshot-write-cold-duration = \"10m\"\n\n\
         \x20 # The maximum series allowed per database before writes are dropped.  This limit can prevent\n\
         \x20 # high cardinality issues at the database level.  This limit can be disabled by setting it to\n\
         \x20 # 0.\n  max-series-per-database = 1000000\n\n\
         \x20 # The maximum number of tag values per tag that are allowed before writes are dropped.  This limit\n\
         \x20 # can prevent high cardinality tag values from being written to a measurement.  This limit can be\n\
         \x20 # disabled by setting it to 0.\n  max-values-per-tag = 100000\n\n",
    );
    s.push_str(
        "###\n### [cluster]\n###\n### Controls non-Raft cluster behavior, which generally includes how data is\n\
         ### shared across shards.\n###\n\n[cluster]\n\
         \x20 dial-timeout = \"1s\"\n  shard-reader-timeout = \"0\"\n\
         \x20 # Determines whether data nodes use HTTPS to communicate with each other.\n",
    );
    if which == 2 {
        s.push_str("  https-enabled = false\n");
    } else {
        s.push_str(
            "  https-enabled = true\n  https-certificate = \"/etc/ssl/influxdb.crt\"\n  https-private-key = \"/etc/ssl/influxdb.key\"\n",
        );
    }
    s.push_str(
        "  # The maximum number of concurrent queries allowed to be executing at one time.  If a query is\n\
         \x20 # executed and exceeds this limit, an error is returned to the caller.  This limit can be disabled\n\
         \x20 # by setting it to 0.\n  max-concurrent-queries = 0\n\n\
         \x20 # The maximum time a query will is allowed to execute before being killed by the system.  This limit\n\
         \x20 # can help prevent run away queries.  Setting the value to 0 disables the limit.\n\
         \x20 query-timeout = \"0s\"\n\n\
         \x20 # The time threshold when a query will be logged as a slow query.  This limit can be set to help\n\
         \x20 # discover slow or resource intensive queries.  Setting the value to 0 disables the slow query logging.\n\
         \x20 log-queries-after = \"0s\"\n\n\
         \x20 # The maximum number of points a SELECT can process.  A value of 0 will make the maximum\n\
         \x20 # point count unlimited.\n  max-select-point = 0\n\n\
         \x20 # The maximum number of series a SELECT can run. A value of zero will make the maximum series\n\
         \x20 # count unlimited.\n  max-select-series = 0\n\n\
         \x20 # The maximum number of group by time bucket a SELECT can create.  A value of zero will max the maximum\n\
         \x20 # number of buckets unlimited.\n  max-select-buckets = 0\n\n",
    );
    s.push_str(
        "###\n### [retention]\n###\n### Controls the enforcement of retention policies for evicting old data.\n###\n\n\
         [retention]\n  # Determines whether retention policy enforcement enabled.\n  enabled = true\n\n\
         \x20 # The interval of time when retention policy enforcement checks run.\n  check-interval = \"30m\"\n\n\
         ###\n### [shard-precreation]\n###\n### Controls the precreation of shards, so they are available before data arrives.\n\
         ### Only shards that, after creation, will have both a start- and end-time in the\n\
         ### future, will ever be created. Shards are never precreated that would be wholly\n\
         ### or partially in the past.\n\n[shard-precreation]\n\
         \x20 # Determines whether shard pre-creation service is enabled.\n  enabled = true\n\n\
         \x20 # The interval of time when the check to pre-create new shards runs.\n  check-interval = \"10m\"\n\n\
         \x20 # The default period ahead of the endtime of a shard group that its successor\n\
         \x20 # group is created.\n  advance-period = \"30m\"\n\n\
         ###\n### Controls the system self-monitoring, statistics and diagnostics.\n###\n\
         ### The internal database for monitoring data is created automatically if\n\
         ### if it does not already exist. The target retention within this database\n\
         ### is called 'monitor' and is also created with a retention period of 7 days\n\
         ### and a replication factor of 1, if it does not exist. In all cases the\n\
         ### this retention policy is configured as the default for the database.\n\n\
         [monitor]\n  # Whether to record statistics internally.\n  store-enabled = true\n\n\
         \x20 # The destination database for recorded statistics\n  store-database = \"_internal\"\n\n\
         \x20 # The interval at which to record statistics\n  store-interval = \"10s\"\n\n",
    );
    s.push_str(
        "###\n### [http]\n###\n### Controls how the HTTP endpoints are configured. These are the primary\n\
         ### mechanism for getting data into and out of InfluxDB.\n###\n\n[http]\n\
         \x20 # Determines whether HTTP endpoint is enabled.\n  enabled = true\n\n\
         \x20 # The bind address used by the HTTP service.\n",
    );
    let _ = writeln!(s, "  bind-address = \"{addr}:8086\"\n");
    s.push_str("  # Determines whether user authentication is enabled over HTTP/HTTPS.\n");
    let _ = writeln!(s, "  auth-enabled = {}\n", which != 1);
    s.push_str(
        "  # The default realm sent back when issuing a basic auth challenge.\n  realm = \"InfluxDB\"\n\n\
         \x20 # Determines whether HTTP request logging is enabled.\n  log-enabled = true\n\n\
         \x20 # Determines whether the HTTP write request logs should be suppressed when the log is enabled.\n\
         \x20 suppress-write-log = false\n\n\
         \x20 # Determines whether detailed write logging is enabled.\n  write-tracing = false\n\n\
         \x20 # Determines whether the pprof endpoint is enabled.  This endpoint is used for\n\
         \x20 # troubleshooting and monitoring.\n  pprof-enabled = false\n\n\
         \x20 # Determines whether HTTPS is enabled.\n",
    );
    if which == 0 {
        s.push_str("  https-enabled = false\n\n");
    } else {
        s.push_str(
            "  https-enabled = true\n\n  # The SSL certificate to use when HTTPS is enabled.\n\
             \x20 https-certificate = \"/etc/ssl/influxdb.crt\"\n\n\
             \x20 # Use a separate private key location.\n  https-private-key = \"/etc/ssl/influxdb.key\"\n\n",
        );
    }
    s.push_str(
        "  # The JWT auth shared secret to validate requests using JSON web tokens.\n\
         \x20 # shared-secret = \"\"\n\n\
         \x20 # The default chunk size for result sets that should be chunked.\n  max-row-limit = 0\n\n\
         \x20 # The maximum number of HTTP connections that may be open at once.  New connections that\n\
         \x20 # would exceed this limit are dropped.  Setting this value to 0 disables the limit.\n\
         \x20 max-connection-limit = 0\n\n\
         \x20 # Enable http service over unix domain socket\n  unix-socket-enabled = false\n\n\
         \x20 # The path of the unix domain socket.\n  bind-socket = \"/var/run/influxdb.sock\"\n\n\
         \x20 # The maximum size of a client request body, in bytes. Setting this value to 0 disables the limit.\n\
         \x20 max-body-size = 25000000\n\n",
    );
    s.push_str(
        "###\n### [subscriber]\n###\n### Controls the subscriptions, which can be used to fork a copy of all data\n\
         ### received by the InfluxDB host.\n###\n\n[subscriber]\n\
         \x20 # Determines whether the subscriber service is enabled.\n  enabled = true\n\n\
         \x20 # The default timeout for HTTP writes to subscribers.\n  http-timeout = \"30s\"\n\n\
         \x20 # Allows insecure HTTPS connections to subscribers.  This is useful when testing with self-\n\
         \x20 # signed certificates.\n  insecure-skip-verify = false\n\n\
         ###\n### [continuous_queries]\n###\n### Controls how continuous queries are run within InfluxDB.\n###\n\n\
         [continuous_queries]\n  # Determines whether the continuous query service is enabled.\n  enabled = true\n\n\
         \x20 # Controls whether queries are logged when executed by the CQ service.\n  log-enabled = true\n\n\
         \x20 # interval for how often continuous queries will be checked if they need to run\n  run-interval = \"1s\"\n\n\
         ###\n### [tls]\n###\n### Global configuration settings for TLS in InfluxDB.\n###\n\n[tls]\n\
         \x20 # Determines the available set of cipher suites. See https://golang.org/pkg/crypto/tls/#pkg-constants\n\
         \x20 # for a list of available ciphers, which depends on the version of Go (use the query\n\
         \x20 # SHOW DIAGNOSTICS to see the version of Go used to build InfluxDB). If not specified, uses\n\
         \x20 # the default settings from Go's crypto/tls package.\n\
         \x20 # ciphers = [\n  #   \"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\",\n  #   \"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\",\n  # ]\n\n\
         \x20 # Minimum version of the tls protocol that will be negotiated. If not specified, uses the\n\
         \x20 # default settings from Go's crypto/tls package.\n  min-version = \"tls1.2\"\n\n\
         \x20 # Maximum version of the tls protocol that will be negotiated. If not specified, uses the\n\
         \x20 # default settings from Go's crypto/tls package.\n  # max-version = \"tls1.3\"\n",
    );
    s
}

fn influxdb_meta(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 2) } else { 99 };
    let addr = ip(index, 1);
    let mut s = String::with_capacity(2500);
    s.push_str(
        "### Welcome to the InfluxDB Enterprise configuration file.\n\n\
         # Once every 24 hours InfluxDB will report usage data to usage.influxdata.com\n\
         # Change this option to true to disable reporting.\nreporting-disabled = true\n\n",
    );
    let _ = writeln!(
        s,
        "# The bind address used by the meta service.\nbind-address = \":8091\"\n"
    );
    let _ = writeln!(s, "hostname = \"enterprise-meta-{index:05}\"\n");
    s.push_str(
        "[enterprise]\n  license-path = \"/etc/influxdb/license.json\"\n\n\
         ###\n### [meta]\n###\n### Settings specific to meta node operation.\n###\n\n[meta]\n\
         \x20 # Directory where cluster meta data is stored.\n  dir = \"/var/lib/influxdb/meta\"\n\n\
         \x20 # The default address for raft, cluster, snapshot, etc.\n  bind-address = \":8089\"\n\n\
         \x20 # The default address to bind the API to.\n",
    );
    let _ = writeln!(s, "  http-bind-address = \"{addr}:8091\"\n");
    s.push_str("  # Determines whether meta nodes use HTTPS to communicate with each other.\n");
    if which == 0 {
        s.push_str("  https-enabled = false\n\n");
    } else {
        s.push_str(
            "  https-enabled = true\n  https-certificate = \"/etc/ssl/influxdb.crt\"\n  https-private-key = \"/etc/ssl/influxdb.key\"\n\n",
        );
    }
    s.push_str("  # Whether meta nodes use TLS to talk to the data nodes.\n");
    let _ = writeln!(s, "  data-use-tls = {}\n", which != 1);
    s.push_str(
        "  # The interval at which meta nodes gossip.\n  gossip-frequency = \"5s\"\n\n\
         \x20 # Raft tuning.\n  election-timeout = \"1s\"\n  heartbeat-timeout = \"1s\"\n\
         \x20 leader-lease-timeout = \"500ms\"\n  commit-timeout = \"50ms\"\n\n\
         \x20 # Whether log messages are printed for the meta service.\n  logging-enabled = true\n\n\
         \x20 pprof-enabled = false\n\n  # The time-to-live of a lease.\n  lease-duration = \"1m0s\"\n\n\
         \x20 # The shared secret used by the internal API for JWT authentication.\n",
    );
    s.push_str(
        "  # Whether authentication is required on the meta API.\n  auth-enabled = true\n\n",
    );
    s.push_str("  internal-shared-secret = \"${INFLUX_INTERNAL_SECRET}\"\n\n");
    s.push_str("[tls]\n  min-version = \"tls1.2\"\n");
    s
}

const INPUTS: &[&str] = &[
    "[[inputs.cpu]]\n  ## Whether to report per-cpu stats or not\n  percpu = true\n  ## Whether to report total system cpu stats or not\n  totalcpu = true\n  ## If true, collect raw CPU time metrics\n  collect_cpu_time = false\n  ## If true, compute and report the sum of all non-idle CPU states\n  report_active = false\n",
    "[[inputs.disk]]\n  ## By default stats will be gathered for all mount points.\n  ## Set mount_points will restrict the stats to only the specified mount points.\n  # mount_points = [\"/\"]\n\n  ## Ignore mount points by filesystem type.\n  ignore_fs = [\"tmpfs\", \"devtmpfs\", \"devfs\", \"iso9660\", \"overlay\", \"aufs\", \"squashfs\"]\n",
    "[[inputs.diskio]]\n  ## By default, telegraf will gather stats for all devices including\n  ## disk partitions.\n  ## Setting devices will restrict the stats to the specified devices.\n  # devices = [\"sda\", \"sdb\", \"vd*\"]\n",
    "[[inputs.kernel]]\n  # no configuration\n",
    "[[inputs.mem]]\n  # no configuration\n",
    "[[inputs.processes]]\n  # no configuration\n",
    "[[inputs.swap]]\n  # no configuration\n",
    "[[inputs.system]]\n  ## Uncomment to remove deprecated metrics.\n  # fielddrop = [\"uptime_format\"]\n",
    "[[inputs.net]]\n  ## By default, telegraf gathers stats from any up interface (excluding loopback)\n  ## Setting interfaces will tell it to gather these explicit interfaces,\n  ## regardless of status.\n  ##\n  # interfaces = [\"eth0\"]\n  ignore_protocol_stats = true\n",
    "[[inputs.procstat]]\n  ## PID file to monitor process\n  pid_file = \"/var/run/nginx.pid\"\n  ## executable name (ie, pgrep <exe>)\n  # exe = \"nginx\"\n  ## pattern as argument for pgrep (ie, pgrep -f <pattern>)\n  # pattern = \"nginx\"\n",
    "[[inputs.nginx]]\n  ## An array of Nginx stub_status URI to gather stats.\n  urls = [\"http://localhost/server_status\"]\n\n  ## HTTP response timeout (default: 5s)\n  response_timeout = \"5s\"\n",
    "[[inputs.docker]]\n  ## Docker Endpoint\n  ##   To use TCP, set endpoint = \"tcp://[ip]:[port]\"\n  ##   To use environment variables (ie, docker-machine), set endpoint = \"ENV\"\n  endpoint = \"unix:///var/run/docker.sock\"\n  ## Containers to include and exclude. Globs accepted.\n  ## Note that an empty array for both will include all containers\n  container_name_include = []\n  container_name_exclude = []\n  ## Timeout for docker list, info, and stats commands\n  timeout = \"5s\"\n  perdevice = true\n  total = false\n",
    "[[inputs.http_response]]\n  ## List of urls to query.\n  urls = [\"https://app.example.com/healthz\"]\n  ## Set response_timeout (default 5 seconds)\n  response_timeout = \"5s\"\n  ## HTTP Request Method\n  method = \"GET\"\n  ## Whether to follow redirects from the server (defaults to false)\n  follow_redirects = false\n",
    "[[inputs.exec]]\n  ## Commands array\n  commands = [\"/usr/local/bin/collect-stats --json\"]\n  ## Timeout for each command to complete.\n  timeout = \"5s\"\n  ## measurement name suffix (for separating different commands)\n  name_suffix = \"_mycollector\"\n  ## Data format to consume.\n  data_format = \"influx\"\n",
];

fn telegraf(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 4) } else { 99 };
    // Sizes: most agents are small; one in five has a few hundred lines of inputs; one in forty
    // several thousand (generated per-service inputs).
    let roll = rng.range(0, 40);
    let extra_inputs = match roll {
        0 => rng.range(300, 900),
        1..=8 => rng.range(20, 80),
        _ => rng.range(2, 10),
    };
    let mut s = String::with_capacity(2000 + extra_inputs as usize * 220);
    s.push_str(
        "# Telegraf Configuration\n#\n# Telegraf is entirely plugin driven. All metrics are gathered from the\n\
         # declared inputs, and sent to the declared outputs.\n#\n\
         # Plugins must be declared in here to be active.\n\
         # To deactivate a plugin, comment out the name and any variables.\n#\n\
         # Use 'telegraf -config telegraf.conf -test' to see what metrics a config\n\
         # file would generate.\n#\n\
         # Environment variables can be used anywhere in this config file, simply surround\n\
         # them with ${}. For strings the variable must be within quotes (ie, \"${STR_VAR}\"),\n\
         # for numbers and booleans they should be plain (ie, ${INT_VAR}, ${BOOL_VAR})\n\n\n\
         # Global tags can be specified here in key=\"value\" format.\n[global_tags]\n",
    );
    let _ = writeln!(
        s,
        "  dc = \"{}\"\n  rack = \"r{}\"\n",
        rng.pick(&["eu-west-1", "us-east-1", "ap-south-1"]),
        index % 40
    );
    s.push_str(
        "# Configuration for telegraf agent\n[agent]\n  ## Default data collection interval for all inputs\n\
         \x20 interval = \"10s\"\n  ## Rounds collection interval to 'interval'\n  round_interval = true\n\n\
         \x20 ## Telegraf will send metrics to outputs in batches of at most\n  ## metric_batch_size metrics.\n\
         \x20 metric_batch_size = 1000\n\n  ## Maximum number of unwritten metrics per output.\n\
         \x20 metric_buffer_limit = 10000\n\n  ## Collection jitter is used to jitter the collection by a random amount.\n\
         \x20 collection_jitter = \"0s\"\n\n  ## Default flushing interval for all outputs.\n  flush_interval = \"10s\"\n\
         \x20 flush_jitter = \"0s\"\n  precision = \"\"\n\n  ## Override default hostname, if empty use os.Hostname()\n",
    );
    let _ = writeln!(
        s,
        "  hostname = \"web{index:05}\"\n  omit_hostname = false\n"
    );
    s.push_str(
        "###############################################################################\n\
         #                            OUTPUT PLUGINS                                   #\n\
         ###############################################################################\n\n\
         # Configuration for sending metrics to InfluxDB\n[[outputs.influxdb]]\n\
         \x20 ## The full HTTP or UDP URL for your InfluxDB instance.\n  ##\n\
         \x20 ## Multiple URLs can be specified for a single cluster, only ONE of the\n\
         \x20 ## urls will be written to each interval.\n",
    );
    let scheme = if which == 0 { "http" } else { "https" };
    let _ = writeln!(
        s,
        "  urls = [\"{scheme}://influxdb-{}.example.com:8086\"]\n",
        index % 9
    );
    s.push_str(
        "  ## The target database for metrics; will be created as needed.\n  database = \"telegraf\"\n\n\
         \x20 ## Timeout for HTTP messages.\n  timeout = \"5s\"\n\n\
         \x20 ## HTTP Basic Auth\n  username = \"telegraf\"\n",
    );
    if which == 1 {
        s.push_str("  password = \"metricsmetricsmetricsmetrics\"\n\n");
    } else {
        s.push_str("  password = \"${INFLUX_PASSWORD}\"\n\n");
    }
    s.push_str("  ## Optional TLS Config for use on HTTP connections.\n");
    s.push_str("  tls_ca = \"/etc/telegraf/influxdb-ca.pem\"\n");
    match which {
        2 => s.push_str(
            "  ## Use TLS but skip chain & host verification\n  insecure_skip_verify = true\n\n",
        ),
        3 => s.push_str("  ssl_ca = \"/etc/telegraf/ca.pem\"\n\n"),
        _ => s.push_str(
            "  ## Use TLS but skip chain & host verification\n  # insecure_skip_verify = false\n\n",
        ),
    }
    s.push_str(
        "###############################################################################\n\
         #                            INPUT PLUGINS                                    #\n\
         ###############################################################################\n\n",
    );
    for input in INPUTS.iter().take(9) {
        s.push_str(input);
        s.push('\n');
    }
    for i in 0..extra_inputs {
        let input = *rng.pick(&INPUTS[9..]);
        s.push_str(input);
        // `[[inputs.nginx]]` -> `[inputs.nginx.tags]`: a sub-table of the plugin just opened.
        let plugin = input
            .strip_prefix("[[")
            .and_then(|r| r.split_once("]]"))
            .map_or("exec", |(p, _)| p);
        let _ = writeln!(s, "  [{plugin}.tags]\n    service = \"svc-{i}\"\n");
    }
    s
}

fn etcd_pod(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 4) } else { 99 };
    let addr = ip(index, 0);
    let name = format!("cp{index:05}");
    let mut s = String::with_capacity(3000);
    let _ = write!(
        s,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://{addr}:2379\n  creationTimestamp: null\n  labels:\n    component: etcd\n    tier: control-plane\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - etcd\n    - --advertise-client-urls=https://{addr}:2379\n"
    );
    if which == 0 {
        s.push_str("    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --client-cert-auth=false\n");
    } else {
        s.push_str("    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --client-cert-auth=true\n");
    }
    let _ = write!(
        s,
        "    - --data-dir=/var/lib/etcd\n    - --experimental-initial-corrupt-check=true\n    - --experimental-watch-progress-notify-interval=5s\n    - --initial-advertise-peer-urls=https://{addr}:2380\n    - --initial-cluster={name}=https://{addr}:2380\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --listen-client-urls=https://127.0.0.1:2379,https://{addr}:2379\n    - --listen-metrics-urls=http://127.0.0.1:2381\n    - --listen-peer-urls=https://{addr}:2380\n    - --name={name}\n"
    );
    if which == 1 {
        s.push_str("    - --peer-auto-tls=true\n");
    } else {
        s.push_str("    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt\n");
    }
    if which == 2 {
        s.push_str("    - --peer-client-cert-auth=false\n");
    } else {
        s.push_str("    - --peer-client-cert-auth=true\n");
    }
    s.push_str(
        "    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key\n    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n    - --snapshot-count=10000\n",
    );
    if which == 3 {
        s.push_str("    - --auto-tls=true\n");
    } else {
        s.push_str("    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n");
    }
    let _ = write!(
        s,
        "    image: registry.k8s.io/etcd:3.5.{}-0\n    imagePullPolicy: IfNotPresent\n    livenessProbe:\n      failureThreshold: 8\n      httpGet:\n        host: 127.0.0.1\n        path: /health?exclude=NOSPACE&serializable=true\n        port: 2381\n        scheme: HTTP\n      initialDelaySeconds: 10\n      periodSeconds: 10\n      timeoutSeconds: 15\n    name: etcd\n    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n    startupProbe:\n      failureThreshold: 24\n      httpGet:\n        host: 127.0.0.1\n        path: /health?serializable=false\n        port: 2381\n        scheme: HTTP\n      initialDelaySeconds: 10\n      periodSeconds: 10\n      timeoutSeconds: 15\n    volumeMounts:\n    - mountPath: /var/lib/etcd\n      name: etcd-data\n    - mountPath: /etc/kubernetes/pki/etcd\n      name: etcd-certs\n  hostNetwork: true\n  priority: 2000001000\n  priorityClassName: system-node-critical\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  volumes:\n  - hostPath:\n      path: /etc/kubernetes/pki/etcd\n      type: DirectoryOrCreate\n    name: etcd-certs\n  - hostPath:\n      path: /var/lib/etcd\n      type: DirectoryOrCreate\n    name: etcd-data\nstatus: {{}}\n",
        rng.range(9, 16)
    );
    s
}

fn etcd_dropin(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 4) } else { 99 };
    let addr = ip(index, 0);
    let mut s = String::with_capacity(900);
    let _ = writeln!(
        s,
        "# Rendered for member m{index:05}; do not edit by hand.\n[Service]"
    );
    let client = if which == 0 { "http" } else { "https" };
    let _ = writeln!(
        s,
        "Environment=\"ETCD_LISTEN_CLIENT_URLS={client}://{addr}:2379\"\nEnvironment=\"ETCD_ADVERTISE_CLIENT_URLS={client}://{addr}:2379\"\nEnvironment=\"ETCD_LISTEN_PEER_URLS=https://{addr}:2380\"\nEnvironment=\"ETCD_INITIAL_ADVERTISE_PEER_URLS=https://{addr}:2380\""
    );
    s.push_str(
        "Environment=\"ETCD_CERT_FILE=/etc/ssl/etcd/server.pem\"\nEnvironment=\"ETCD_KEY_FILE=/etc/ssl/etcd/server-key.pem\"\n",
    );
    if which != 1 {
        s.push_str("Environment=\"ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem\"\n");
    }
    let _ = writeln!(
        s,
        "Environment=\"ETCD_CLIENT_CERT_AUTH={}\"",
        if which == 2 { "false" } else { "true" }
    );
    s.push_str(
        "Environment=\"ETCD_PEER_CERT_FILE=/etc/ssl/etcd/peer.pem\"\nEnvironment=\"ETCD_PEER_KEY_FILE=/etc/ssl/etcd/peer-key.pem\"\nEnvironment=\"ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem\"\n",
    );
    let _ = writeln!(
        s,
        "Environment=\"ETCD_PEER_CLIENT_CERT_AUTH={}\"",
        if which == 3 { "false" } else { "true" }
    );
    s
}

fn etcd_env(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 3) } else { 99 };
    let addr = ip(index, 0);
    let name = format!("m{index:05}");
    let mut s = String::with_capacity(1200);
    s.push_str("# etcd environment, read by etcd.service (EnvironmentFile=-/etc/default/etcd).\n");
    let _ = writeln!(
        s,
        "ETCD_NAME={name}\nETCD_DATA_DIR=/var/lib/etcd/{name}.etcd"
    );
    let _ = writeln!(
        s,
        "ETCD_LISTEN_PEER_URLS=https://{addr}:2380\nETCD_LISTEN_CLIENT_URLS=https://{addr}:2379\nETCD_ADVERTISE_CLIENT_URLS=https://{addr}:2379\nETCD_INITIAL_ADVERTISE_PEER_URLS=https://{addr}:2380\nETCD_INITIAL_CLUSTER={name}=https://{addr}:2380\nETCD_INITIAL_CLUSTER_STATE=new"
    );
    s.push_str("ETCD_CERT_FILE=/etc/etcd/pki/server.crt\nETCD_KEY_FILE=/etc/etcd/pki/server.key\n");
    s.push_str("ETCD_TRUSTED_CA_FILE=/etc/etcd/pki/ca.crt\n");
    let _ = writeln!(
        s,
        "ETCD_CLIENT_CERT_AUTH={}",
        if which == 0 { "false" } else { "true" }
    );
    if which == 1 {
        s.push_str("ETCD_PEER_AUTO_TLS=true\n");
    } else {
        s.push_str(
            "ETCD_PEER_CERT_FILE=/etc/etcd/pki/peer.crt\nETCD_PEER_KEY_FILE=/etc/etcd/pki/peer.key\n",
        );
    }
    s.push_str("ETCD_PEER_TRUSTED_CA_FILE=/etc/etcd/pki/ca.crt\n");
    let _ = writeln!(
        s,
        "ETCD_PEER_CLIENT_CERT_AUTH={}",
        if which == 2 { "false" } else { "true" }
    );
    s
}

fn etcdctl(rng: &mut Rng, index: usize, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 2) } else { 99 };
    let mut s = String::with_capacity(400);
    s.push_str("# etcdctl environment for operators\nETCDCTL_API=3\n");
    let _ = writeln!(
        s,
        "ETCDCTL_ENDPOINTS=https://{}:2379,https://{}:2379",
        ip(index, 0),
        ip(index + 1, 0)
    );
    if which == 0 {
        s.push_str("ETCDCTL_INSECURE_SKIP_TLS_VERIFY=true\n");
    } else {
        s.push_str("ETCDCTL_CACERT=/etc/ssl/etcd/ca.pem\n");
    }
    if which != 1 {
        s.push_str(
            "ETCDCTL_CERT=/etc/ssl/etcd/client.pem\nETCDCTL_KEY=/etc/ssl/etcd/client-key.pem\n",
        );
    }
    s
}

fn encryption(rng: &mut Rng, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 3) } else { 99 };
    let mut s = String::with_capacity(700);
    s.push_str("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources:\n");
    if which == 2 {
        s.push_str("      - configmaps\n");
    } else {
        s.push_str("      - secrets\n");
    }
    s.push_str("    providers:\n");
    match which {
        0 => s.push_str("      - identity: {}\n      - kms:\n          apiVersion: v2\n          name: kms-plugin\n          endpoint: unix:///var/run/kmsplugin/socket.sock\n"),
        1 => s.push_str("      - kms:\n          name: kms-plugin\n          endpoint: unix:///var/run/kmsplugin/socket.sock\n          cachesize: 1000\n          timeout: 3s\n      - identity: {}\n"),
        _ => s.push_str("      - kms:\n          apiVersion: v2\n          name: kms-plugin\n          endpoint: unix:///var/run/kmsplugin/socket.sock\n          timeout: 3s\n      - identity: {}\n"),
    }
    s
}

fn elastic(rng: &mut Rng, insecure: bool) -> String {
    let which = if insecure { rng.range(0, 2) } else { 99 };
    let name = *rng.pick(&["elastic", "logs", "metrics-es"]);
    let account = if which == 1 {
        String::new()
    } else {
        format!(
            "    \"service_account\": \"{name}\",\n    \"service_account_secret\": \"{name}/secret\",\n"
        )
    };
    format!(
        "{{\n  \"service\": {{\n    \"name\": \"{name}\",\n{account}    \"security\": {{\n      \"transport_encryption\": {{\n        \"enabled\": {}\n      }}\n    }}\n  }},\n  \"master_nodes\": {{\n    \"cpus\": 1,\n    \"mem\": 2048\n  }},\n  \"data_nodes\": {{\n    \"count\": {},\n    \"cpus\": 1,\n    \"mem\": 4096,\n    \"disk\": 10000\n  }},\n  \"elasticsearch\": {{\n    \"health_user\": \"{name}\",\n    \"health_user_password\": \"${{HEALTH_PASSWORD}}\",\n    \"xpack_security_transport_ssl_verification_mode\": \"full\"\n  }}\n}}\n",
        which != 0,
        rng.range(2, 9)
    )
}

/// A `cluster.yaml` with `hosts` hosts: 5 etcd members, 3 InfluxDB meta nodes, and the rest
/// shared among etcd proxies, InfluxDB data nodes and Telegraf agents.
pub fn cluster_model(hosts: usize) -> String {
    let rest = hosts.saturating_sub(8);
    let proxies = rest / 4;
    let data = rest / 4;
    let agents = rest - proxies - data;
    let mut s = String::with_capacity(hosts * 120);
    s.push_str(
        "version: 1\npki:\n  dir: /etc/ssl/etcd\n  ca: ca.pem\netcd:\n  release: \"3.x\"\n  client_port: 2379\n  peer_port: 2380\n  client_cert_auth: true\n  peer_client_cert_auth: true\n  members:\n",
    );
    for i in 0..5 {
        let _ = writeln!(s, "    - {{ name: member{i}, address: 10.0.0.{} }}", i + 11);
    }
    if proxies > 0 {
        s.push_str("  proxies:\n");
        for i in 0..proxies {
            let _ = writeln!(s, "    - {{ name: proxy{i:05}, client_cert: proxy{i:05} }}");
        }
    }
    s.push_str(
        "influxdb:\n  certificate: { kind: ca-signed, cert: /etc/ssl/influxdb.crt, key: /etc/ssl/influxdb.key }\n  internode_tls: true\n  meta_nodes:\n",
    );
    for i in 0..3 {
        let _ = writeln!(s, "    - {{ name: meta{i}, address: 10.0.1.{} }}", i + 1);
    }
    s.push_str("  data_nodes:\n");
    for i in 0..data.max(1) {
        let _ = writeln!(s, "    - {{ name: data{i:05}, address: {} }}", ip(i, 2));
    }
    if agents > 0 {
        s.push_str("telegraf:\n  agents:\n");
        for i in 0..agents {
            let _ = writeln!(
                s,
                "    - {{ name: agent{i:05}, ca: /etc/telegraf/influxdb-ca.pem }}"
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_depends_only_on_seed_kinds_and_index() {
        let a: Vec<CorpusFile> = generate(7, &CorpusKind::ALL, 30).collect();
        assert_eq!(a[17], file(7, &CorpusKind::ALL, 17));
        assert_ne!(a[17], file(8, &CorpusKind::ALL, 17));
        assert!(a.iter().any(|f| f.insecure) && a.iter().any(|f| !f.insecure));
    }

    #[test]
    fn influxdb_conf_is_sample_sized() {
        // The upstream 1.x sample config is about 8 to 10 KB with its comments.
        let f = file(1, &[CorpusKind::Influxdb], 0);
        assert!((7_000..11_000).contains(&f.text.len()), "{}", f.text.len());
    }
}
