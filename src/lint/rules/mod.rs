//! The rules, one per file, grouped by target. Each file declares its `RULE` with
//! [`declare_rule!`](crate::declare_rule); the registry lists them.

pub mod cert;
pub mod elastic;
pub mod etcd;
pub mod influxdb;
pub mod kubernetes;
pub mod meta;
pub mod telegraf;
